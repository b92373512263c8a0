import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startBotProcess } from '../helpers/bot-process.js';

const MAIN = join(__dirname, '..', '..', 'src', 'main.js');

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
    const bot = await startBotProcess({ PATH: process.env['PATH'] ?? '' });
    try {
      assert.match(bot.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(bot.stderr(), /NOTHING IS KEPT/);
      assert.match(bot.stderr(), /WITHOUT authentication/);
      assert.equal((await fetch(`${bot.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${bot.url}/readyz`)).status, 200);
    } finally {
      assert.equal(await bot.stop(), 0);
    }
    assert.ok(bot.logs.every((line) => typeof line['event'] === 'string' && typeof line['time'] === 'string'), 'every log line is structured JSON');
  });
});
