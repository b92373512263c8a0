/**
 * The Teams user ids (29:...) of staff, learned from their own activities: Teams names a card's
 * viewers by these (`refresh.userIds`), while the roster in TEAMS_STAFF_IDS has Entra object ids.
 * A roster read from a team has them already; one given as ids learns each person's the first
 * time they do anything with the bot, so that from then on their view of a card refreshes to the
 * full one by itself. Kept with the stores, so every instance (the one posting cards too) knows.
 */

/** Teams user ids of staff, by Entra object id. */
export interface StaffTeamsIds {
  /** Records someone's Teams user id (the latest wins: Teams keeps one per person and tenant). */
  remember(entraId: string, teamsUserId: string): Promise<void>;
  /** Every id learned so far. */
  all(): Promise<ReadonlyMap<string, string>>;
}

/** Whether a string is a Teams user id as Teams gives one in `from.id`. */
export function isTeamsUserId(value: unknown): value is string {
  return typeof value === 'string' && /^29:[\w.:@-]{1,200}$/.test(value);
}
