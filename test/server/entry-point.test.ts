import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startBotProcess } from '../helpers/bot-process.js';
import { productClient, removeKeys, testRedisUrl, uniquePrefix } from '../helpers/redis.js';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(__dirname, '..', '..', 'src', 'main.js');

/** The developer's own local secrets, which `npm start` keeps in the checkout: a test must leave them as they are. */
const CHECKOUT_SECRETS = join(ROOT, '.local-secrets.json');

/** The checkout's local secrets file as it stands (null when there is none). */
function checkoutSecrets(): string | null {
  return existsSync(CHECKOUT_SECRETS) ? readFileSync(CHECKOUT_SECRETS, 'utf8') : null;
}

/** Whether a process is still running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms;) {
    if (condition()) return true;
    await new Promise((resolve) => {
      setTimeout(resolve, 50);
    });
  }
  return condition();
}

/**
 * `npm start`'s own command, run by a shell as npm runs it, with the build step (which would
 * rebuild the dist/ these tests run from) replaced by one that does nothing: npm passes a signal
 * to that shell, so the bot must be what the shell becomes, not a child left behind.
 */
async function stopThroughTheStartScript(signal: 'SIGTERM' | 'SIGINT', secretsFile: string): Promise<{ stopped: boolean; orphaned: boolean }> {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  assert.match(start, /^npm run -s build && /);
  const shell = spawn('sh', ['-c', start.replace(/^npm run -s build && /, 'true && ')], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', LOCAL_SECRETS_FILE: secretsFile },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const events: string[] = [];
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('the bot did not start'));
    }, 20_000);
    createInterface({ input: shell.stdout }).on('line', (line) => {
      const event = /"event":"([\w.-]+)"/.exec(line)?.[1];
      if (event) events.push(event);
      if (event === 'server.listening') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await listening;
  const bot = Number(execFileSync('pgrep', ['-f', '-n', 'dist/src/main.js --local'], { encoding: 'utf8' }).trim());
  process.kill(shell.pid ?? 0, signal);
  const gone = await until(() => !alive(bot), 15_000);
  if (!gone) process.kill(bot, 'SIGKILL');
  return { stopped: events.includes('server.stopped'), orphaned: !gone };
}

describe('the entry point', function () {
  this.timeout(60_000);

  it('refuses to start for real with a missing setting, naming it, rather than silently running unprotected', () => {
    const result = spawnSync(process.execPath, [MAIN], { env: { PATH: process.env['PATH'] ?? '' }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /REDIS_URL: is required outside local development/);
    assert.match(result.stderr, /DIRECT_LINE_TOKEN_SECRET/);
    assert.match(result.stderr, /npm start/);
  });

  it('in local development, says loudly that nothing is kept and nothing is authenticated, listens on loopback, and stops on SIGTERM', async () => {
    const before = checkoutSecrets();
    const dir = mkdtempSync(join(tmpdir(), 'local-secrets-'));
    const secretsFile = join(dir, 'secrets.json');
    const bot = await startBotProcess({ PATH: process.env['PATH'] ?? '', LOCAL_SECRETS_FILE: secretsFile });
    try {
      assert.match(bot.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(bot.stderr(), /NOTHING IS KEPT/);
      assert.match(bot.stderr(), /WITHOUT authentication/);
      assert.ok(bot.stderr().includes(`come from ${secretsFile} (made now;`), 'the secrets are kept in the file the test gave');
      assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${bot.url}/readyz`)).status, 200);
    } finally {
      assert.equal(await bot.stop(), 0);
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(checkoutSecrets(), before, 'the checkout’s own .local-secrets.json is neither made nor changed');
    assert.ok(
      bot.logs.every((line) => typeof line['event'] === 'string' && typeof line['time'] === 'string'),
      'every log line is structured JSON',
    );
    // Nothing was wrong, so nothing is logged as an error; Node's own warnings (a library's use of a deprecated API) are warnings.
    assert.deepEqual(
      bot.logs.filter((line) => line['level'] === 'error'),
      [],
    );
    assert.ok(bot.logs.filter((line) => line['event'] === 'node.warning').every((line) => line['level'] === 'warn'));
  });

  it('keeps local development secrets in a file, so a restart with Redis keeps its cases; refuses a different CASE_SECRET by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'local-secrets-'));
    const prefix = uniquePrefix('entry-point-secrets');
    const env = { PATH: process.env['PATH'] ?? '', REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix, LOCAL_SECRETS_FILE: join(dir, 'secrets.json') };
    const client = await productClient();
    try {
      const first = await startBotProcess(env);
      assert.equal(await first.stop(), 0);
      assert.match(first.stderr(), /CASE_SECRET and DIRECT_LINE_TOKEN_SECRET come from .*secrets\.json \(made now; git-ignored\)/);
      assert.equal(statSync(env.LOCAL_SECRETS_FILE).mode & 0o777, 0o600);
      const second = await startBotProcess(env);
      assert.equal(await second.stop(), 0);
      assert.match(second.stderr(), /kept from an earlier start/);
      const refused = spawnSync(process.execPath, [MAIN, '--local'], {
        env: { ...env, PORT: '0', CASE_SECRET: 'a-different-secret-than-the-cases-were-kept-with' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.notEqual(refused.status, 0);
      assert.match(refused.stderr, /CASE_SECRET is not the secret the cases under this key prefix were stored with/);
      assert.match(refused.stderr, /npm run case-secret -- rotate/);
    } finally {
      await removeKeys(client, prefix);
      client.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops cleanly when ${signal} reaches the process npm start runs, leaving no bot behind`, async () => {
      const before = checkoutSecrets();
      const dir = mkdtempSync(join(tmpdir(), 'local-secrets-'));
      try {
        const result = await stopThroughTheStartScript(signal, join(dir, 'secrets.json'));
        assert.deepEqual(result, { stopped: true, orphaned: false });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.equal(checkoutSecrets(), before, 'the checkout’s own .local-secrets.json is neither made nor changed');
    });
  }
});
