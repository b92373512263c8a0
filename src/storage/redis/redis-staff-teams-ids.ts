/** Staff's Teams user ids in Redis: one hash, Entra object id to Teams user id. */
import { isTeamsUserId, type StaffTeamsIds } from '../../teams/staff-teams-ids.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';

export class RedisStaffTeamsIds implements StaffTeamsIds {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async remember(entraId: string, teamsUserId: string): Promise<void> {
    await storageCall('remember Teams id', () => this.client.hset(this.keys.staffTeamsIds(), entraId.toLowerCase(), teamsUserId));
  }

  async all(): Promise<ReadonlyMap<string, string>> {
    const stored = await storageCall('read Teams ids', () => this.client.hgetall(this.keys.staffTeamsIds()));
    // A damaged entry is left out, never passed to Teams.
    return new Map(Object.entries(stored).filter(([, id]) => isTeamsUserId(id)));
  }
}
