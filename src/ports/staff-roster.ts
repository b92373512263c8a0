/**
 * Who the staff are: the people who may act on cases from Teams, with what Teams calls them (for
 * a card's user-specific views and for telling them things) where it is known. Read often (every
 * Teams activity), so implementations answer from a cache.
 */

/** A member of staff on the roster. */
export interface RosterMember {
  /** The Entra object id, lower-case: stable, and what cases record and the independence rule compares. */
  readonly id: string;
  /** Their name as Teams gives it; null where only their id is configured and Teams has not said. */
  readonly name: string | null;
  /** Their Teams user id (29:...), for a card's `refresh.userIds`; null where not known. */
  readonly teamsUserId: string | null;
}

export interface StaffRoster {
  /** Everyone who may act now. */
  members(): Promise<readonly RosterMember[]>;
}

/** A roster that is just a list of Entra object ids (TEAMS_STAFF_IDS alone). */
export class FixedStaffRoster implements StaffRoster {
  private readonly list: readonly RosterMember[];
  constructor(ids: readonly string[]) {
    this.list = ids.map((id) => ({ id: id.toLowerCase(), name: null, teamsUserId: null }));
  }

  members(): Promise<readonly RosterMember[]> {
    return Promise.resolve(this.list);
  }
}

/** A roster that can learn staff's Teams user ids from their own activities. */
export interface LearningStaffRoster extends StaffRoster {
  /** Someone on the roster acted as this Teams user (their `from.id`), under this name (their `from.name`). */
  learn(entraId: string, teamsUserId: string, name?: string): Promise<void>;
}
