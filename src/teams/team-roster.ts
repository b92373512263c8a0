/**
 * The staff roster from a Teams team's membership (TEAMS_STAFF_TEAM_ID), so adding a colleague to
 * the service desk's team is enough to let them act, and removing them is enough to stop them:
 * the team's members (guests excepted) and anyone in TEAMS_STAFF_IDS. The membership is read
 * with the Bot Framework Teams API and kept for TEAMS_ROSTER_MINUTES; one read at a time per
 * instance. If Teams cannot be read, the last membership read stands (a colleague removed in an
 * outage keeps access until it is read again, which the log says); before any read has worked,
 * only TEAMS_STAFF_IDS may act.
 */
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { RosterMember, StaffRoster } from '../ports/staff-roster.js';

/** A member of a team, as the Teams API gives one. */
export interface TeamMember {
  readonly teamsUserId: string;
  readonly aadObjectId: string | null;
  readonly name: string | null;
  /** 'user', 'guest' or 'anonymous' (Teams' userRole); guests never count as staff. */
  readonly role: string | null;
}

/** Reads a team's members (every page). */
export type ReadTeamMembers = (teamId: string) => Promise<readonly TeamMember[]>;

export class TeamStaffRoster implements StaffRoster {
  private cached: { readonly at: number; readonly members: readonly RosterMember[] } | null = null;
  private reading: Promise<readonly RosterMember[]> | null = null;

  constructor(
    private readonly deps: {
      readonly teamId: string;
      readonly ids: readonly string[];
      readonly read: ReadTeamMembers;
      readonly keepMs: number;
      readonly clock: Clock;
      readonly log: Logger;
    },
  ) {}

  async members(): Promise<readonly RosterMember[]> {
    const now = this.deps.clock.now().getTime();
    if (this.cached && now - this.cached.at < this.deps.keepMs) return this.cached.members;
    this.reading ??= this.read(now).finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(now: number): Promise<readonly RosterMember[]> {
    try {
      const team = await this.deps.read(this.deps.teamId);
      const members = rosterFrom(team, this.deps.ids);
      this.cached = { at: now, members };
      this.deps.log.info('teams.roster-read', { members: members.length });
      return members;
    } catch (error) {
      this.deps.log.warn('teams.roster-unread', { error: error instanceof Error ? error.name : 'unknown', kept: this.cached !== null });
      // Tried again at the next activity after a short while, not at every one.
      const kept = this.cached?.members ?? rosterFrom([], this.deps.ids);
      this.cached = { at: now - this.deps.keepMs + Math.min(this.deps.keepMs, RETRY_AFTER_MS), members: kept };
      return kept;
    }
  }
}

/** How soon a failed read of the team is tried again. */
const RETRY_AFTER_MS = 30_000;

/** The roster: the team's members who are not guests, and the configured ids (named from the team where they are in it). */
export function rosterFrom(team: readonly TeamMember[], ids: readonly string[]): RosterMember[] {
  const byId = new Map<string, RosterMember>();
  for (const member of team) {
    // Only full members: a guest, an anonymous participant or a role Teams has not said never counts.
    if (!member.aadObjectId || member.role !== 'user') continue;
    const id = member.aadObjectId.toLowerCase();
    byId.set(id, { id, name: member.name, teamsUserId: member.teamsUserId });
  }
  for (const raw of ids) {
    const id = raw.toLowerCase();
    if (!byId.has(id)) {
      const known = team.find((member) => member.aadObjectId?.toLowerCase() === id);
      byId.set(id, { id, name: known?.name ?? null, teamsUserId: known?.teamsUserId ?? null });
    }
  }
  return [...byId.values()];
}
