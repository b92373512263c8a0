/**
 * `npm run rights`, run as a data protection officer would, in a process of its own against the
 * test's key prefix: an export to a folder only its maker can read, a correction, an erasure
 * refused then done, the audit listed; and a usage mistake said plainly.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReference } from '../../src/cases/reference.js';
import type { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { productClient, redisCaseStore, removeKeys, TEST_DATA_KEYS, TEST_SECRET, testKeys, testRedisUrl } from '../helpers/redis.js';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'rights.js');

describe('npm run rights', function () {
  this.timeout(60_000);
  let client: RedisClient;
  let keys: RedisKeys;
  let folder: string;

  before(async () => {
    client = await productClient();
    keys = testKeys('rights-cli', 4);
    folder = mkdtempSync(join(tmpdir(), 'rights-cli-'));
  });

  after(async () => {
    await removeKeys(client, keys.prefix);
    client.disconnect();
    rmSync(folder, { recursive: true, force: true });
  });

  function run(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    const env = {
      PATH: process.env['PATH'] ?? '',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: keys.prefix,
      CASE_SHARDS: '4',
      CASE_SECRET: TEST_SECRET,
      DATA_KEYS: TEST_DATA_KEYS,
      SERVICE_ORGANISATION: 'Anytown Council',
      RECORDS_KEPT_FOR: '6 years',
    };
    return new Promise((resolve) => {
      execFile(process.execPath, [SCRIPT, ...args], { env }, (error, stdout, stderr) => {
        resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('exports, corrects, erases and lists the audit, as a person handling requests would', async () => {
    const store = await redisCaseStore(client, keys);
    const { stored } = await store.lodge(lodgeRequest());
    const reference = formatReference(stored.case.reference);

    const out = join(folder, 'export');
    const access = await run('access', '--phone', '07700 900123', '--by', 'Dee Peo', '--out', out);
    assert.equal(access.status, 0, access.stderr);
    assert.match(access.stdout, /Found 1 case\(s\)/);
    assert.match(readFileSync(join(out, 'subject-access.html'), 'utf8'), /Sam Taylor/);
    assert.equal(JSON.parse(readFileSync(join(out, 'subject-access.json'), 'utf8')).cases[0].reference, reference);
    assert.equal(statSync(join(out, 'subject-access.json')).mode & 0o077, 0, 'only its maker can read it');

    const corrected = await run('rectify', reference, '--name', 'Sam Taylor-Wood', '--reason', 'Married name', '--by', 'Dee Peo');
    assert.equal(corrected.status, 0, corrected.stderr);
    assert.equal((await store.get(stored.case.reference))?.case.complainant.name, 'Sam Taylor-Wood');

    const early = await run('erase', reference, '--reason', 'Asked by letter', '--by', 'Dee Peo');
    assert.equal(early.status, 3);
    assert.match(early.stderr, /still being handled/);
    const current = (await store.get(stored.case.reference)) ?? assert.fail('no case');
    await store.update(
      current,
      change(current, (value) => {
        value.status = 'withdrawn';
      }),
    );
    const erased = await run('erase', reference, '--reason', 'Asked by letter', '--by', 'Dee Peo');
    assert.equal(erased.status, 0, erased.stderr);
    assert.equal((await store.get(stored.case.reference))?.case.erased?.basis, 'request');

    const audit = await run('audit', '--last', '10');
    const lines = audit.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; outcome: string; via: string });
    assert.deepEqual(
      lines.map((entry) => [entry.action, entry.outcome, entry.via]),
      [
        ['subject-access', 'done', 'cli'],
        ['rectification', 'done', 'cli'],
        ['erasure', 'refused', 'cli'],
        ['erasure', 'done', 'cli'],
      ],
    );
    assert.doesNotMatch(audit.stdout, /Sam Taylor|7700900123|sam\.taylor/);
  });

  it('says what is wrong with a request it cannot act on', async () => {
    const noBy = await run('erase', 'K7M-4QX-P2H', '--reason', 'x');
    assert.equal(noBy.status, 2);
    assert.match(noBy.stderr, /not a case reference|--by/);
    const unknown = await run('shred');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /usage: npm run rights/);
    const badOption = await run('access', '--everything');
    assert.equal(badOption.status, 2);
  });
});
