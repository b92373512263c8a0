/** What Teams calls staff, in memory (the default without Redis; nothing is kept). */
import type { LearnedStaff, StaffTeamsIds } from '../../teams/staff-teams-ids.js';

export class MemoryStaffTeamsIds implements StaffTeamsIds {
  private readonly learned = new Map<string, LearnedStaff>();

  remember(entraId: string, learned: LearnedStaff): Promise<void> {
    this.learned.set(entraId.toLowerCase(), { teamsUserId: learned.teamsUserId, name: learned.name });
    return Promise.resolve();
  }

  all(): Promise<ReadonlyMap<string, LearnedStaff>> {
    return Promise.resolve(new Map(this.learned));
  }
}
