/**
 * A roster whose members' Teams user ids, where it does not know them (a roster of Entra object
 * ids), come from what the bot has learned from their own activities (`StaffTeamsIds`, kept with
 * the stores, so the instance posting cards knows what the instance taking activities learned).
 * The learned ids are read again at most every `keepMs`; what this instance learns it knows at once.
 */
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { LearningStaffRoster, RosterMember, StaffRoster } from '../ports/staff-roster.js';
import { isTeamsUserId, type StaffTeamsIds } from './staff-teams-ids.js';

export class LearningRoster implements LearningStaffRoster {
  private learned: { readonly at: number; readonly ids: Map<string, string> } | null = null;

  constructor(
    private readonly deps: {
      readonly roster: StaffRoster;
      readonly ids: StaffTeamsIds;
      readonly keepMs: number;
      readonly clock: Clock;
      readonly log: Logger;
    },
  ) {}

  async members(): Promise<readonly RosterMember[]> {
    const members = await this.deps.roster.members();
    if (members.every((member) => member.teamsUserId)) return members;
    const ids = await this.known();
    return members.map((member) => (member.teamsUserId ? member : { ...member, teamsUserId: ids.get(member.id) ?? null }));
  }

  async learn(entraId: string, teamsUserId: string): Promise<void> {
    const id = entraId.toLowerCase();
    if (!isTeamsUserId(teamsUserId) || (await this.known()).get(id) === teamsUserId) return;
    const member = (await this.deps.roster.members()).find((each) => each.id === id);
    // Only staff are learned, and only where the roster does not already say.
    if (!member || member.teamsUserId) return;
    try {
      await this.deps.ids.remember(id, teamsUserId);
      this.learned?.ids.set(id, teamsUserId);
    } catch (error) {
      // Learned another time: the person still acts, and "Show details" still works for them.
      this.deps.log.warn('teams.staff-id-unsaved', { error: error instanceof Error ? error.name : 'unknown' });
    }
  }

  private async known(): Promise<Map<string, string>> {
    const now = this.deps.clock.now().getTime();
    if (this.learned && now - this.learned.at < this.deps.keepMs) return this.learned.ids;
    try {
      this.learned = { at: now, ids: new Map(await this.deps.ids.all()) };
    } catch (error) {
      this.deps.log.warn('teams.staff-ids-unread', { error: error instanceof Error ? error.name : 'unknown' });
      this.learned = { at: now, ids: this.learned?.ids ?? new Map<string, string>() };
    }
    return this.learned.ids;
  }
}
