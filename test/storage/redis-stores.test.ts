import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { productClient, redisCaseStore, redisConversationStorage, removeKeys, testKeys } from '../helpers/redis.js';
import { RedisConversationLog } from '../../src/storage/redis/redis-conversation-log.js';
import { caseStoreContract } from './case-store-contract.js';
import { conversationLogContract } from './conversation-log-contract.js';
import { conversationStorageContract } from './conversation-storage-contract.js';

describe('on one Redis server', function () {
  this.timeout(30_000);
  let client: RedisClient;

  before(async () => {
    client = await productClient();
  });

  after(async () => {
    await client.quit();
  });

  caseStoreContract('Redis', async () => {
    const keys = testKeys('cases');
    return {
      store: await redisCaseStore(client, keys),
      another: async () => redisCaseStore(await productClient(), keys),
      cleanup: async () => { await removeKeys(client, keys.prefix); },
    };
  }, { hasAnotherInstance: true });

  conversationStorageContract('Redis', async (idleMs) => {
    const keys = testKeys('state');
    return { storage: await redisConversationStorage(client, keys, idleMs), cleanup: async () => { await removeKeys(client, keys.prefix); } };
  });

  conversationLogContract('Redis', () => {
    const keys = testKeys('widget');
    const clients: RedisClient[] = [];
    return Promise.resolve({
      log: new RedisConversationLog(client, keys, 60_000),
      another: async () => {
        const second = await productClient();
        clients.push(second);
        return new RedisConversationLog(second, keys, 60_000);
      },
      cleanup: async () => {
        for (const second of clients) second.disconnect();
        await removeKeys(client, keys.prefix);
      },
    });
  });
});
