import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnusableLocalSecrets, withLocalSecrets } from '../../src/config/local-secrets.js';

const CASE_SECRET = 'c'.repeat(32);
const DIRECT_LINE_TOKEN_SECRET = 't'.repeat(32);
const DATA_KEYS = `local:${Buffer.alloc(32, 3).toString('base64')}`;

describe('local development secrets', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-secrets-'));
    file = join(dir, 'secrets.json');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes no file when the environment sets every secret, and changes nothing', () => {
    const { env, secrets } = withLocalSecrets({ CASE_SECRET, DIRECT_LINE_TOKEN_SECRET, DATA_KEYS }, file);
    assert.deepEqual(env, { CASE_SECRET, DIRECT_LINE_TOKEN_SECRET, DATA_KEYS });
    assert.deepEqual(secrets, { file, created: false, supplied: [] });
    assert.equal(existsSync(file), false);
  });

  it('does not read a file it does not need, so a broken one stops nothing when the environment sets every secret', () => {
    writeFileSync(file, 'not json');
    assert.equal(withLocalSecrets({ CASE_SECRET, DIRECT_LINE_TOKEN_SECRET, DATA_KEYS }, file).env['CASE_SECRET'], CASE_SECRET);
    assert.throws(() => withLocalSecrets({ CASE_SECRET }, file), UnusableLocalSecrets, 'needed, it is read and refused by name');
  });

  it('fills in only the secret the environment does not set, from a file made on the first start and kept for the next', () => {
    const first = withLocalSecrets({ CASE_SECRET }, file);
    assert.deepEqual(first.secrets, { file, created: true, supplied: ['DIRECT_LINE_TOKEN_SECRET', 'DATA_KEYS'] });
    assert.equal(first.env['CASE_SECRET'], CASE_SECRET);
    assert.ok((first.env['DIRECT_LINE_TOKEN_SECRET'] ?? '').length >= 32);
    assert.match(first.env['DATA_KEYS'] ?? '', /^local:[A-Za-z0-9+/]{43}=$/);
    const second = withLocalSecrets({}, file);
    assert.deepEqual(second.secrets, { file, created: false, supplied: ['CASE_SECRET', 'DIRECT_LINE_TOKEN_SECRET', 'DATA_KEYS'] });
    assert.equal(second.env['DIRECT_LINE_TOKEN_SECRET'], first.env['DIRECT_LINE_TOKEN_SECRET']);
    assert.equal(second.env['DATA_KEYS'], first.env['DATA_KEYS']);
  });

  it('adds a data key to a file made before data were encrypted at rest, keeping its secrets', () => {
    writeFileSync(file, JSON.stringify({ CASE_SECRET, DIRECT_LINE_TOKEN_SECRET }));
    const first = withLocalSecrets({}, file);
    assert.equal(first.env['CASE_SECRET'], CASE_SECRET);
    assert.equal(first.env['DIRECT_LINE_TOKEN_SECRET'], DIRECT_LINE_TOKEN_SECRET);
    assert.match(first.env['DATA_KEYS'] ?? '', /^local:/);
    assert.equal(withLocalSecrets({}, file).env['DATA_KEYS'], first.env['DATA_KEYS'], 'kept for the next start');
  });
});
