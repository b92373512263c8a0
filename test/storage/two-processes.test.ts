import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LodgeResult } from '../../src/cases/case-store.js';
import type { StoredCase } from '../../src/cases/case.js';
import { CaseConflict } from '../../src/cases/errors.js';
import type { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import type { WorkerCommand } from '../fixtures/store-worker.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { productClient, redisCaseStore, redisConversationStorage, removeKeys, testKeys } from '../helpers/redis.js';

const run = promisify(execFile);
const WORKER = join(__dirname, '..', 'fixtures', 'store-worker.js');

async function inOtherProcess<T>(command: WorkerCommand): Promise<T> {
  const { stdout } = await run(process.execPath, [WORKER, JSON.stringify(command)]);
  return JSON.parse(stdout) as T;
}

describe('two processes on one Redis', function () {
  this.timeout(30_000);
  let client: RedisClient;
  let keys: RedisKeys;
  let store: RedisCaseStore;

  before(async () => {
    client = await productClient();
  });

  beforeEach(async () => {
    keys = testKeys('two-processes');
    store = await redisCaseStore(client, keys);
  });

  afterEach(async () => {
    await removeKeys(client, keys.prefix);
  });

  after(async () => {
    await client.quit();
  });

  it('see each other’s cases and changes, and each refuses the other’s stale write', async () => {
    const { stored } = await store.lodge(lodgeRequest());
    const reference = stored.case.reference;
    const seen = await inOtherProcess<StoredCase>({ op: 'get', prefix: keys.prefix, reference });
    assert.deepEqual(seen, stored);

    const changed = await inOtherProcess<StoredCase>({ op: 'set-status', prefix: keys.prefix, reference, status: 'awaiting-response' });
    assert.equal(changed.version, 2);
    await assert.rejects(
      store.update(
        stored,
        change(stored, (value) => {
          value.status = 'closed';
        }),
      ),
      CaseConflict,
    );
    assert.equal((await store.get(reference))?.case.status, 'awaiting-response');
  });

  it('make one case between them from one submission', async () => {
    const theirs = await inOtherProcess<LodgeResult>({ op: 'lodge', prefix: keys.prefix, submissionKey: 'webchat/c-9/a-1' });
    const ours = await store.lodge(lodgeRequest({ submissionKey: 'webchat/c-9/a-1' }));
    assert.equal(theirs.created, true);
    assert.equal(ours.created, false);
    assert.equal(ours.stored.case.reference, theirs.stored.case.reference);
  });

  it('refuse each other’s stale conversation-state writes', async () => {
    const storage = await redisConversationStorage(client, keys);
    const first = await storage.writeIfUnchanged('webchat/conversations/x', JSON.stringify({ value: 1 }), null);
    const theirs = await inOtherProcess<string | null>({
      op: 'state-write',
      prefix: keys.prefix,
      key: 'webchat/conversations/x',
      expectedETag: first,
      value: 2,
    });
    assert.ok(theirs);
    assert.equal(await storage.writeIfUnchanged('webchat/conversations/x', JSON.stringify({ value: 3 }), first), null);
    assert.equal((await storage.read(['webchat/conversations/x']))['webchat/conversations/x']?.['value'], 2);
  });
});
