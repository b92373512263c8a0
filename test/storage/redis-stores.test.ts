import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { productClient, redisCaseStore, redisConversationStorage, removeKeys, testKeys, testDataKeys } from '../helpers/redis.js';
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

  caseStoreContract(
    'Redis',
    async () => {
      const keys = testKeys('cases');
      return {
        store: await redisCaseStore(client, keys),
        another: async () => redisCaseStore(await productClient(), keys),
        cleanup: async () => {
          await removeKeys(client, keys.prefix);
        },
      };
    },
    { hasAnotherInstance: true },
  );

  conversationStorageContract('Redis', async (idleMs) => {
    const keys = testKeys('state');
    return {
      storage: await redisConversationStorage(client, keys, idleMs),
      cleanup: async () => {
        await removeKeys(client, keys.prefix);
      },
    };
  });

  describe('conversation state as Redis holds it', () => {
    const keys = testKeys('state-format');
    after(async () => {
      await removeKeys(client, keys.prefix);
    });

    it('keeps a dialog-sized state compressed, well under the size of its JSON', async () => {
      const storage = await redisConversationStorage(client, keys);
      // A real conversation's state, saved part-way through lodging a complaint.
      const state = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'conversation-state-earlier-design.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      await storage.write({ 'webchat/conversations/big': state });
      const stored = await client.getBuffer(keys.botState('webchat/conversations/big'));
      assert.ok(
        stored && stored.length < JSON.stringify(state).length * 0.6,
        `${String(stored?.length)} bytes stored for ${JSON.stringify(state).length} of JSON`,
      );
      const read = (await storage.read(['webchat/conversations/big']))['webchat/conversations/big'];
      assert.deepEqual({ ...read, eTag: undefined }, { ...state, eTag: undefined });
    });

    it('keeps a state sealed behind its eTag (small ones uncompressed), and another instance opens it', async () => {
      const storage = await redisConversationStorage(client, keys);
      const json = JSON.stringify({ dialogState: { dialogStack: [{ id: 'main', state: {} }] }, memory: { draft: { name: 'Canary Quillfeather' } } });
      const eTag = await storage.writeIfUnchanged('webchat/conversations/small', json, null);
      const stored = (await client.getBuffer(keys.botState('webchat/conversations/small'))) ?? Buffer.alloc(0);
      assert.equal(stored.toString('latin1', 0, String(eTag).length + 1), `${String(eTag)}\n`, 'the eTag in the clear, for the scripts');
      assert.ok(!stored.includes('Quillfeather'), 'the state sealed');
      assert.ok(stored.length < json.length + 80, 'small: not compressed, only sealed');
      assert.deepEqual(await (await redisConversationStorage(client, keys)).readJson('webchat/conversations/small'), { json, eTag });
    });

    it('never serves a remembered state once another instance has replaced it', async () => {
      const first = await redisConversationStorage(client, keys);
      const second = await redisConversationStorage(client, keys);
      const key = 'webchat/conversations/two-instances';
      const mine = JSON.stringify({ memory: { draft: { whatHappened: 'first '.repeat(300) } } });
      const eTag = await first.writeIfUnchanged(key, mine, null);
      assert.deepEqual(await first.readJson(key), { json: mine, eTag });
      const theirs = JSON.stringify({ memory: { draft: { whatHappened: 'second '.repeat(300) } } });
      const theirETag = await second.writeIfUnchanged(key, theirs, eTag);
      assert.ok(theirETag);
      assert.deepEqual(await first.readJson(key), { json: theirs, eTag: theirETag });
      assert.equal(await first.writeIfUnchanged(key, mine, eTag), null, 'the first instance’s stale eTag is refused');
    });

    it('still reads state saved as plain JSON, and replaces it by its eTag', async () => {
      const storage = await redisConversationStorage(client, keys);
      const state = { memory: { draft: { whatHappened: 'x'.repeat(600) } }, count: 1 };
      await client.set(keys.botState('webchat/conversations/old'), `old-etag\n${JSON.stringify(state)}`);
      const read = (await storage.read(['webchat/conversations/old']))['webchat/conversations/old'];
      assert.deepEqual({ ...read }, { ...state, eTag: 'old-etag' });
      assert.notEqual(await storage.writeIfUnchanged('webchat/conversations/old', JSON.stringify({ ...state, count: 2 }), 'old-etag'), null);
      assert.equal((await storage.read(['webchat/conversations/old']))['webchat/conversations/old']?.['count'], 2);
    });
  });

  conversationLogContract('Redis', (turnLeaseMs) => {
    const keys = testKeys('widget');
    const clients: RedisClient[] = [];
    return Promise.resolve({
      log: new RedisConversationLog(client, keys, 60_000, testDataKeys(), turnLeaseMs),
      another: async () => {
        const second = await productClient();
        clients.push(second);
        return new RedisConversationLog(second, keys, 60_000, testDataKeys(), turnLeaseMs);
      },
      cleanup: async () => {
        for (const second of clients) second.disconnect();
        await removeKeys(client, keys.prefix);
      },
    });
  });
});
