/** What Teams calls staff, in Redis: one hash, Entra object id to what was learned (see `encodeLearned`). */
import { decodeLearned, encodeLearned, type LearnedStaff, type StaffTeamsIds } from '../../teams/staff-teams-ids.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';

export class RedisStaffTeamsIds implements StaffTeamsIds {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async remember(entraId: string, learned: LearnedStaff): Promise<void> {
    await storageCall('remember Teams id', () => this.client.hset(this.keys.staffTeamsIds(), entraId.toLowerCase(), encodeLearned(learned)));
  }

  async all(): Promise<ReadonlyMap<string, LearnedStaff>> {
    const stored = await storageCall('read Teams ids', () => this.client.hgetall(this.keys.staffTeamsIds()));
    // A damaged entry is left out, never passed to Teams.
    return new Map(
      Object.entries(stored).flatMap(([entraId, value]) => {
        const learned = decodeLearned(value);
        return learned ? [[entraId, learned] as const] : [];
      }),
    );
  }
}
