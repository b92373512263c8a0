/** The Teams thread directory, in memory and in Redis: one contract. */
import { strict as assert } from 'node:assert';
import { generateReference } from '../../src/cases/reference.js';
import { MemoryThreadDirectory } from '../../src/storage/memory/memory-thread-directory.js';
import { RedisThreadDirectory } from '../../src/storage/redis/redis-thread-directory.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { channelOfConversation, threadRootOf, type ThreadDirectory } from '../../src/teams/thread-directory.js';
import { productClient, removeKeys, testKeys } from '../helpers/redis.js';

function contract(name: string, open: () => Promise<ThreadDirectory>): void {
  describe(`the thread directory (${name})`, () => {
    it('finds the case of a linked post, keeps the first link, and knows nothing else', async () => {
      const directory = await open();
      const first = generateReference();
      const second = generateReference();
      await directory.link('1700000000001', first);
      await directory.link('1700000000001', second);
      assert.equal(await directory.find('1700000000001'), first);
      assert.equal(await directory.find('1700000000002'), null);
    });
  });
}

contract('memory', () => Promise.resolve(new MemoryThreadDirectory()));

describe('with Redis', () => {
  // One prefix for the whole block, so that cleaning up finds every key the tests wrote.
  const keys = testKeys('threads');
  let client: RedisClient;
  before(async () => {
    client = await productClient();
  });
  after(async () => {
    await removeKeys(client, keys.prefix);
    client.disconnect();
  });
  contract('Redis', () => Promise.resolve(new RedisThreadDirectory(client, keys)));

  it('treats a damaged entry as no link', async () => {
    await client.set(keys.teamsThread('1700000000009'), 'not a reference');
    assert.equal(await new RedisThreadDirectory(client, keys).find('1700000000009'), null);
  });
});

describe('Teams conversation ids', () => {
  it('reads the thread’s root post and channel from a conversation id', () => {
    assert.equal(threadRootOf('19:abc@thread.tacv2;messageid=1700000000001'), '1700000000001');
    assert.equal(threadRootOf('19:abc@thread.tacv2'), null);
    assert.equal(threadRootOf('a:personal;messageid=abc'), null);
    assert.equal(channelOfConversation('19:abc@thread.tacv2;messageid=1'), '19:abc@thread.tacv2');
  });
});
