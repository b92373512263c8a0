import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import { RedisConversationStorage } from '../../src/storage/redis/redis-conversation-storage.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { productClient, removeKeys, uniquePrefix } from '../helpers/redis.js';
import { CONTRACT_GUARD, caseStoreContract } from './case-store-contract.js';
import { conversationStorageContract } from './conversation-storage-contract.js';

const hasher = new SecondFactorHasher('redis-test-secret-at-least-32-characters');

describe('on one Redis server', function () {
  this.timeout(30_000);
  let client: RedisClient;

  before(async () => {
    client = await productClient();
  });

  after(async () => {
    await client.quit();
  });

  caseStoreContract('Redis', () => {
    const keys = new RedisKeys(uniquePrefix('cases'), 16);
    return Promise.resolve({
      store: new RedisCaseStore({ client, keys, hasher, guard: CONTRACT_GUARD }),
      another: async () => new RedisCaseStore({ client: await productClient(), keys, hasher, guard: CONTRACT_GUARD }),
      cleanup: async () => { await removeKeys(client, keys.prefix); },
    });
  }, { hasAnotherInstance: true });

  conversationStorageContract('Redis', (idleMs) => {
    const keys = new RedisKeys(uniquePrefix('state'), 16);
    return Promise.resolve({ storage: new RedisConversationStorage(client, keys, idleMs), cleanup: async () => { await removeKeys(client, keys.prefix); } });
  });
});
