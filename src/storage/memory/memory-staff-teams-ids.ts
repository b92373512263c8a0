/** Staff's Teams user ids in memory (the default without Redis; nothing is kept). */
import type { StaffTeamsIds } from '../../teams/staff-teams-ids.js';

export class MemoryStaffTeamsIds implements StaffTeamsIds {
  private readonly ids = new Map<string, string>();

  remember(entraId: string, teamsUserId: string): Promise<void> {
    this.ids.set(entraId.toLowerCase(), teamsUserId);
    return Promise.resolve();
  }

  all(): Promise<ReadonlyMap<string, string>> {
    return Promise.resolve(new Map(this.ids));
  }
}
