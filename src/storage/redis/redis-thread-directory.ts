/** The thread directory in Redis: one string key per case card post, set once (SET NX). */
import type { CaseReference } from '../../cases/reference.js';
import { storedReference, type ThreadDirectory } from '../../teams/thread-directory.js';
import { storageCall } from './connection.js';
import type { RedisClient } from './scripts.js';
import type { RedisKeys } from './keys.js';

export class RedisThreadDirectory implements ThreadDirectory {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async link(rootActivityId: string, reference: CaseReference): Promise<void> {
    await storageCall('link thread', () => this.client.set(this.keys.teamsThread(rootActivityId), reference, 'NX'));
  }

  async find(rootActivityId: string): Promise<CaseReference | null> {
    return storedReference(await storageCall('find thread', () => this.client.get(this.keys.teamsThread(rootActivityId))));
  }
}
