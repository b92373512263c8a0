import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { generateReference } from '../../src/cases/reference.js';
import { escapeKeyPart, RedisKeys } from '../../src/storage/redis/keys.js';
import { TEST_SECRET } from '../helpers/redis.js';

/** The part of a key Redis Cluster hashes: between the first "{" and the next "}". */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('Redis keys', () => {
  const keys = new RedisKeys('complaints', 16, TEST_SECRET);

  it('escape outside text injectively, and never leave a brace to form a hash tag', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const [x, y] = [escapeKeyPart(a), escapeKeyPart(b)];
        return (a === b) === (x === y) && !/[{}:]/.test(x);
      }),
      { numRuns: 2000 },
    );
  });

  it('never put a channel id in a key name: conversation and requester keys carry an HMAC', () => {
    const phoneConversation = 'sms/conversations/+447700900123';
    for (const key of [keys.botState(phoneConversation), keys.requesterGuard('+447700900123')]) {
      assert.ok(!key.includes('7700900123'), key);
      assert.match(key, /\{[A-Za-z0-9_-]{43}\}$/);
    }
    assert.notEqual(keys.botState('a:b'), keys.botState('a%3Ab'));
    assert.notEqual(keys.botState(phoneConversation), new RedisKeys('complaints', 16, `${TEST_SECRET}!`).botState(phoneConversation));
  });

  it('put a case, its history, guards and its shard’s indexes in one Cluster slot', () => {
    for (let run = 0; run < 50; run += 1) {
      const reference = generateReference();
      const shard = keys.shardOfReference(reference);
      const tags = new Set(
        [
          keys.case(reference),
          keys.history(reference),
          keys.appliedChanges(reference),
          keys.referenceGuard(reference),
          keys.referenceRequesterGuard(reference, 'directline:u-{odd}'),
          keys.dueIndex(shard),
          keys.statusIndex(shard, 'open'),
          keys.stageIndex(shard, 'nhs-choices', 'stage-one'),
          keys.handlerIndex(shard, 'aad:{x}'),
          keys.handlerIndex(shard, null),
          keys.lodgedIndex(shard),
        ].map(hashTag),
      );
      assert.equal(tags.size, 1, [...tags].join(' '));
    }
  });

  it('start every key with the prefix, and refuse a prefix that could break hash tags', () => {
    assert.ok(keys.botState('x').startsWith('complaints:'));
    assert.ok(keys.requesterGuard('webchat/conversations/x').startsWith('complaints:'));
    assert.throws(() => new RedisKeys('bad{prefix}', 16, TEST_SECRET), RangeError);
    assert.throws(() => new RedisKeys('ok', 0, TEST_SECRET), RangeError);
    assert.throws(() => new RedisKeys('ok', 16, 'short'), RangeError);
  });

  it('spread references evenly over the shards', () => {
    const counts = new Array<number>(16).fill(0);
    for (let run = 0; run < 16_000; run += 1) counts[keys.shardOfReference(generateReference())]! += 1;
    assert.ok(
      counts.every((count) => count > 800 && count < 1200),
      counts.join(','),
    );
  });
});
