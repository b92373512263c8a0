import { strict as assert } from 'node:assert';
import { StorageUnavailable } from '../../src/cases/errors.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import type { CaseNotice } from '../../src/ports/case-notifier.js';
import { lodgeRequest } from '../helpers/cases.js';
import { testEffectQueues } from '../helpers/effects.js';
import { LocalRedisCluster, productClient, redisCaseStore, redisConversationStorage, removeKeys, testKeys } from '../helpers/redis.js';
import { caseStoreContract } from './case-store-contract.js';
import { conversationStorageContract } from './conversation-storage-contract.js';

describe('on a local three-node Redis Cluster', function () {
  this.timeout(60_000);
  let cluster: LocalRedisCluster;
  let client: RedisClient;
  const clusterClient = () => productClient({ url: cluster.url, mode: 'cluster', nodes: cluster.nodes });

  before(async () => {
    cluster = await LocalRedisCluster.start();
    client = await clusterClient();
  });

  after(async () => {
    await client.quit();
    await cluster.stop();
  });

  caseStoreContract(
    'Redis Cluster',
    async () => {
      const keys = testKeys('cluster-cases');
      return {
        store: await redisCaseStore(client, keys),
        another: async () => redisCaseStore(await clusterClient(), keys),
        cleanup: async () => {
          await removeKeys(client, keys.prefix);
        },
      };
    },
    { hasAnotherInstance: true },
  );

  it('writes a change’s events in its slot, and relays and delivers them once through BullMQ on the Cluster', async () => {
    const keys = testKeys('cluster-outbox');
    const store = await redisCaseStore(client, keys);
    const told: string[] = [];
    const staff = {
      notify: (notice: CaseNotice) => {
        told.push(`${notice.kind} ${notice.case?.reference ?? ''}`);
        return Promise.resolve();
      },
      deliveryStatus: () => Promise.resolve(null),
    };
    const queues = testEffectQueues({
      client,
      keys,
      cases: store,
      staff,
      chat: { send: () => Promise.resolve() },
      connection: {
        REDIS_URL: cluster.url,
        REDIS_MODE: 'cluster',
        REDIS_NODES: cluster.nodes.split(','),
        REDIS_SENTINEL_MASTER: undefined,
        REDIS_COMMAND_TIMEOUT_MS: 2000,
      },
    });
    try {
      await queues.start();
      const lodged = await Promise.all(
        Array.from({ length: 10 }, () => store.lodge({ ...lodgeRequest(), events: [{ type: 'staff-alerted', alert: 'lodged' }] })),
      );
      const started = Date.now();
      while (told.length < 10 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(told.sort(), lodged.map(({ stored }) => `lodged ${stored.case.reference}`).sort());
    } finally {
      await queues.close();
      await removeKeys(client, keys.prefix);
    }
  });

  conversationStorageContract('Redis Cluster', async (idleMs) => {
    const keys = testKeys('cluster-state');
    return {
      storage: await redisConversationStorage(client, keys, idleMs),
      cleanup: async () => {
        await removeKeys(client, keys.prefix);
      },
    };
  });
});

describe('when a whole Redis Cluster goes down', function () {
  this.timeout(60_000);

  it('fails fast with StorageUnavailable, never a raw client error', async () => {
    const cluster = await LocalRedisCluster.start();
    const client = await productClient({ url: cluster.url, mode: 'cluster', nodes: cluster.nodes, timeoutMs: 1000 });
    try {
      const keys = testKeys('cluster-down');
      const store = await redisCaseStore(client, keys);
      const storage = await redisConversationStorage(client, keys);
      const { stored } = await store.lodge(lodgeRequest());
      await Promise.all(cluster.servers.map((server) => server.kill()));
      const started = Date.now();
      const outcomes = await Promise.allSettled([
        store.lodge(lodgeRequest()),
        store.get(stored.case.reference),
        storage.read(['webchat/conversations/x']),
        storage.writeIfUnchanged('webchat/conversations/x', JSON.stringify({ a: 1 }), null),
        ...Array.from({ length: 20 }, () => store.get(stored.case.reference)),
      ]);
      const unexpected = outcomes.find((outcome) => outcome.status === 'fulfilled' || !(outcome.reason instanceof StorageUnavailable));
      assert.equal(unexpected, undefined, unexpected?.status === 'rejected' ? String(unexpected.reason) : 'a call succeeded');
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
    } finally {
      client.disconnect();
      await cluster.stop();
    }
  });
});
