import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import { RedisConversationStorage } from '../../src/storage/redis/redis-conversation-storage.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { LocalRedisCluster, productClient, removeKeys, uniquePrefix } from '../helpers/redis.js';
import { CONTRACT_GUARD, caseStoreContract } from './case-store-contract.js';
import { conversationStorageContract } from './conversation-storage-contract.js';

const hasher = new SecondFactorHasher('cluster-test-secret-at-least-32-characters');

describe('on a local three-node Redis Cluster', function () {
  this.timeout(60_000);
  let cluster: LocalRedisCluster;
  let client: RedisClient;

  before(async () => {
    cluster = await LocalRedisCluster.start();
    client = await productClient({ url: cluster.url, mode: 'cluster', nodes: cluster.nodes });
  });

  after(async () => {
    await client.quit();
    await cluster.stop();
  });

  caseStoreContract('Redis Cluster', () => {
    const keys = new RedisKeys(uniquePrefix('cluster-cases'), 16);
    return Promise.resolve({
      store: new RedisCaseStore({ client, keys, hasher, guard: CONTRACT_GUARD }),
      another: async () => new RedisCaseStore({ client: await productClient({ url: cluster.url, mode: 'cluster', nodes: cluster.nodes }), keys, hasher, guard: CONTRACT_GUARD }),
      cleanup: async () => { await removeKeys(client, keys.prefix); },
    });
  }, { hasAnotherInstance: true });

  conversationStorageContract('Redis Cluster', (idleMs) => {
    const keys = new RedisKeys(uniquePrefix('cluster-state'), 16);
    return Promise.resolve({ storage: new RedisConversationStorage(client, keys, idleMs), cleanup: async () => { await removeKeys(client, keys.prefix); } });
  });
});
