/**
 * `npm run jobs`, run as an administrator would, in a process of its own against the test's key
 * prefix, beside workers in this process that fail a staff effect for good and then recover.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Metrics } from '../../src/metrics/metrics.js';
import type { CaseNotice, CaseNotifier } from '../../src/ports/case-notifier.js';
import { withoutContactDetails } from '../../src/storage/redis/effect-jobs.js';
import { EffectQueues } from '../../src/storage/redis/effect-queues.js';
import type { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { lodgeRequest } from '../helpers/cases.js';
import { testEffectQueues } from '../helpers/effects.js';
import { sample } from '../helpers/metrics.js';
import { productClient, redisCaseStore, removeKeys, TEST_SECRET, testKeys, testRedisUrl, TEST_DATA_KEYS } from '../helpers/redis.js';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'jobs.js');

/** What the complainant wrote: it must never be listed. */
const WORDS = 'Please help, my neighbour keeps parking across my drive';

/** Teams refusing the first post, in words that quote someone's address and number (as a mail server's would). */
class FailsOnce implements CaseNotifier {
  readonly delivered: string[] = [];
  private failed = false;

  notify(notice: CaseNotice): Promise<void> {
    if (!this.failed) {
      this.failed = true;
      return Promise.reject(new Error('Refused for sam.taylor@example.org, +44 7700 900123: try later'));
    }
    this.delivered.push(notice.kind);
    return Promise.resolve();
  }

  deliveryStatus(): Promise<string | null> {
    return Promise.resolve(null);
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs `npm run jobs -- <command>`'s program with only the given environment. */
function jobs(command: string, env: Readonly<Record<string, string>>): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, command], { env: { PATH: process.env['PATH'] ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run jobs', function () {
  this.timeout(60_000);
  let client: RedisClient;
  let keys: RedisKeys;
  let effects: EffectQueues | null = null;

  before(async () => {
    client = await productClient();
  });
  beforeEach(() => {
    keys = testKeys('jobs-script', 4);
  });
  afterEach(async () => {
    await effects?.close();
    effects = null;
    await removeKeys(client, keys.prefix);
  });
  after(() => {
    client.disconnect();
  });

  it('lists a job that failed every attempt without the message or contact details, retries it, and counts the queues', async () => {
    const store = await redisCaseStore(client, keys);
    const staff = new FailsOnce();
    const metrics = new Metrics();
    const queues = testEffectQueues({ client, keys, cases: store, staff, metrics, retry: { firstDelayMs: 10, maxDelayMs: 10, attempts: 1 } });
    effects = queues;
    await queues.start();
    const { stored } = await store.lodge({ ...lodgeRequest(), events: [{ type: 'complainant-wrote', text: WORDS }] });
    const reference = stored.case.reference;
    await until(async () => (await effects?.failed())?.length === 1);
    const env = { REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: keys.prefix, CASE_SECRET: TEST_SECRET, DATA_KEYS: TEST_DATA_KEYS, CASE_SHARDS: '4' };

    const failed = await jobs('failed', env);
    assert.equal(failed.status, 0, failed.stderr);
    const row = failed.stdout.split('\n').find((line) => line.startsWith('staff'));
    assert.ok(row, failed.stdout);
    assert.deepEqual(row.split(/\s{2,}/).slice(0, 5), ['staff', `${reference}.1.0`, 'complainant-wrote', reference, '1']);
    assert.match(row, /Refused for \[email\], \[number\]: try later/);
    for (const secret of [WORDS, 'sam.taylor@example.org', '7700 900123', stored.case.complainant.name]) {
      assert.ok(!failed.stdout.includes(secret), `"${secret}" is not listed`);
    }
    assert.match(failed.stdout, /1 failed job\(s\)/);
    const body = (await metrics.render()).body;
    assert.equal(sample(body, 'complaints_jobs_failed_total{queue="staff"}'), 1);
    assert.equal(sample(body, 'complaints_delivery_seconds_count{channel="teams"}'), undefined);

    const retried = await jobs('retry', env);
    assert.equal(retried.status, 0, retried.stderr);
    assert.equal(retried.stdout.trim(), 'Retried 1 failed job(s).');
    await until(() => staff.delivered.includes('message-from-complainant'));
    // Staff were told in the thread, when it failed for good, that it had not got through.
    assert.deepEqual(staff.delivered, ['delivery-failed', 'message-from-complainant']);
    assert.equal(sample((await metrics.render()).body, 'complaints_delivery_seconds_count{channel="teams"}'), 1);

    await until(async () => (await effects?.counts())?.staff.completed === 1);
    const counted = await jobs('counts', env);
    assert.equal(counted.status, 0, counted.stderr);
    assert.match(counted.stdout, /^staff: waiting 0, active 0, delayed 0, failed 0, completed 1$/m);
    assert.match(counted.stdout, /^complainant: waiting 0, active 0, delayed 0, failed 0, completed 0$/m);
    assert.equal((await jobs('failed', env)).stdout.trim(), 'No failed jobs.');
  });

  it('says there is nothing to list without REDIS_URL, because effects are not kept without Redis', async () => {
    const result = await jobs('failed', {});
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /REDIS_URL is not set, so there are no jobs to list or retry: without Redis, effects are not kept/);
  });

  it('answers a command it does not know with its usage', async () => {
    const result = await jobs('delete-everything', { REDIS_URL: testRedisUrl(), CASE_SECRET: TEST_SECRET, DATA_KEYS: TEST_DATA_KEYS });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /usage: .*npm run jobs -- failed \| retry \| counts/);
  });
});

describe('withoutContactDetails', () => {
  it('takes email addresses and phone numbers out of a failure’s reason, and keeps the rest', () => {
    assert.equal(withoutContactDetails('550 5.1.1 <jo@example.com>: Recipient address rejected'), '550 5.1.1 <[email]>: Recipient address rejected');
    assert.equal(withoutContactDetails('Not a UK mobile: 07700 900123'), 'Not a UK mobile: [number]');
    assert.equal(withoutContactDetails('Teams answered 503'), 'Teams answered 503');
    assert.equal(withoutContactDetails('x'.repeat(1000)).length, 300);
  });
});
