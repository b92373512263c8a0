/**
 * What Teams calls each member of staff, learned from their own activities: their Teams user id
 * (29:...), by which Teams names a card's viewers (`refresh.userIds`), and their name, by which
 * colleagues choose them in "Assign to…"; a roster given in TEAMS_STAFF_IDS has neither, only
 * Entra object ids. A roster read from a team has both already; one given as ids learns each
 * person's the first time they do anything with the bot. Kept with the stores, so every
 * instance (the one posting cards too) knows.
 */

/** What was learned of one member of staff. */
export interface LearnedStaff {
  readonly teamsUserId: string;
  /** Their name as Teams gave it (null: Teams gave none). */
  readonly name: string | null;
}

/** What Teams calls staff, by Entra object id. */
export interface StaffTeamsIds {
  /** Records what Teams calls someone (the latest wins: Teams keeps one id per person and tenant, and names change). */
  remember(entraId: string, learned: LearnedStaff): Promise<void>;
  /** Everything learned so far. */
  all(): Promise<ReadonlyMap<string, LearnedStaff>>;
}

/** Whether a string is a Teams user id as Teams gives one in `from.id`. */
export function isTeamsUserId(value: unknown): value is string {
  return typeof value === 'string' && /^29:[\w.:@-]{1,200}$/.test(value);
}

/** A name as Teams gives it in `from.name`, made safe to show: one line, at most 200 characters; null if there is none. */
export function staffNameOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = value
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return name || null;
}

/** What is kept for one member of staff, as a string (an id alone was the earlier form, and still reads). */
export function encodeLearned(learned: LearnedStaff): string {
  return JSON.stringify({ id: learned.teamsUserId, name: learned.name });
}

/** What was kept for one member of staff, or null if it is damaged (never passed to Teams). */
export function decodeLearned(stored: string): LearnedStaff | null {
  if (isTeamsUserId(stored)) return { teamsUserId: stored, name: null };
  try {
    const value = JSON.parse(stored) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { id, name } = value as { id?: unknown; name?: unknown };
    return isTeamsUserId(id) ? { teamsUserId: id, name: staffNameOf(name) } : null;
  } catch {
    return null;
  }
}
