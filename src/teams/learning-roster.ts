/**
 * A roster whose members' Teams user ids and names, where it does not know them (a roster of
 * Entra object ids), come from what the bot has learned from their own activities
 * (`StaffTeamsIds`, kept with the stores, so the instance posting cards knows what the instance
 * taking activities learned). What was learned is read again at most every `keepMs`; what this
 * instance learns it knows at once.
 */
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { LearningStaffRoster, RosterMember, StaffRoster } from '../ports/staff-roster.js';
import { isTeamsUserId, type LearnedStaff, staffNameOf, type StaffTeamsIds } from './staff-teams-ids.js';

export class LearningRoster implements LearningStaffRoster {
  private learned: { readonly at: number; readonly ids: Map<string, LearnedStaff> } | null = null;

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
    if (members.every((member) => member.teamsUserId && member.name)) return members;
    const known = await this.known();
    return members.map((member) => {
      const learned = known.get(member.id);
      return learned ? { ...member, teamsUserId: member.teamsUserId ?? learned.teamsUserId, name: member.name ?? learned.name } : member;
    });
  }

  async learn(entraId: string, teamsUserId: string, name?: string): Promise<void> {
    const id = entraId.toLowerCase();
    const learned = { teamsUserId, name: staffNameOf(name) };
    const before = (await this.known()).get(id);
    if (!isTeamsUserId(teamsUserId) || (before?.teamsUserId === teamsUserId && before.name === learned.name)) return;
    const member = (await this.deps.roster.members()).find((each) => each.id === id);
    // Only staff are learned, and only where the roster does not already say.
    if (!member || (member.teamsUserId && member.name)) return;
    try {
      await this.deps.ids.remember(id, learned);
      this.learned?.ids.set(id, learned);
    } catch (error) {
      // Learned another time: the person still acts, and "Show details" still works for them.
      this.deps.log.warn('teams.staff-id-unsaved', { error: error instanceof Error ? error.name : 'unknown' });
    }
  }

  private async known(): Promise<Map<string, LearnedStaff>> {
    const now = this.deps.clock.now().getTime();
    if (this.learned && now - this.learned.at < this.deps.keepMs) return this.learned.ids;
    try {
      this.learned = { at: now, ids: new Map(await this.deps.ids.all()) };
    } catch (error) {
      this.deps.log.warn('teams.staff-ids-unread', { error: error instanceof Error ? error.name : 'unknown' });
      this.learned = { at: now, ids: this.learned?.ids ?? new Map<string, LearnedStaff>() };
    }
    return this.learned.ids;
  }
}
