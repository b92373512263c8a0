/**
 * A Redis outage, seen from the widget in a real browser: the person is told plainly, what they
 * type stays in the box, and the chat recovers by itself when Redis is back (no reload): the
 * message that failed is sent once, and the one left in the box sends as ever. Its own Redis
 * server (kept on disk, so it can be killed and started again), and the real entry point.
 */
import { strict as assert } from 'node:assert';
import type { Browser } from 'playwright-core';
import { type BotProcess, startBotProcess } from '../helpers/bot-process.js';
import { bubbles, count, INPUT, launchChromium, say, shows, watch } from '../helpers/browser.js';
import { until } from '../helpers/until.js';
import { RedisServerProcess, TEST_SECRET, uniquePrefix, TEST_DATA_KEYS } from '../helpers/redis.js';

describe('the widget through a Redis outage, in a real browser', function () {
  this.timeout(180_000);
  let redis: RedisServerProcess;
  let bot: BotProcess;
  let browser: Browser;

  before(async () => {
    redis = await RedisServerProcess.start({ extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    bot = await startBotProcess({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: uniquePrefix('outage'),
      CASE_SECRET: TEST_SECRET,
      DATA_KEYS: TEST_DATA_KEYS,
      DIRECT_LINE_TOKEN_SECRET: 'outage-token-secret-of-at-least-32-characters',
      SERVICE_DESK_PHONE: '0300 123 4567',
    });
    browser = await launchChromium();
  });
  after(async () => {
    await (browser as Browser | undefined)?.close();
    await (bot as BotProcess | undefined)?.kill();
    await (redis as RedisServerProcess | undefined)?.stop();
  });

  it('says plainly that messages cannot be saved, keeps what is typed in the box, and carries on by itself when Redis is back', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    const problems = watch(page);
    await page.goto(`${bot.url}/`);
    await shows(page, /What would you like to do\?/);
    await page.locator(INPUT).waitFor();
    await say(page, 'hello', /Sorry, I didn’t catch that/);

    await redis.kill();
    const status = await fetch(`${bot.url}/api/chat-status`);
    assert.equal(status.status, 503);
    assert.equal(status.headers.get('retry-after'), '5');
    assert.match(((await status.json()) as { error: { message: string } }).error.message, /problem on our side/);

    // The first message meets the outage: the banner explains.
    await page.locator(INPUT).fill('first while down');
    await page.locator(INPUT).press('Enter');
    const banner = page.locator('[data-chat-outage]');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.match((await banner.textContent()) ?? '', /can’t send or save messages just now because of a problem on our side.*no need to reload/s);

    // What is typed now stays in the box.
    await page.locator(INPUT).fill('second while down');
    await page.locator(INPUT).press('Enter');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await page.locator(INPUT).inputValue(), 'second while down');

    const SORRY = 'Sorry, I didn’t catch that';
    const misunderstood = await bubbles(page, SORRY);
    await redis.launch();
    // Back by itself: the failed message goes (once), and the banner says so.
    await until(async () => (await bubbles(page, SORRY)) > misunderstood, 'the reply to the message that failed', 30_000);
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } }).document
          .querySelector('[data-chat-outage]')
          ?.getAttribute('role') === 'status',
      undefined,
      { timeout: 15_000 },
    );
    assert.equal(await page.locator(INPUT).inputValue(), 'second while down', 'still in the box for the person to send');
    await page.locator(INPUT).press('Enter');
    await until(async () => (await bubbles(page, SORRY)) > misunderstood + 1, 'the reply to the message kept in the box', 15_000);
    assert.equal(await bubbles(page, 'first while down'), 1, 'the failed message sent once');
    assert.equal(await bubbles(page, 'second while down'), 1);
    assert.equal(await bubbles(page, SORRY), misunderstood + 2, 'one reply each');
    assert.equal(await count(page, /Send failed/), 0, 'nothing left marked as failed');
    assert.deepEqual(
      problems.filter((problem) => !/Failed to load resource|503|ERR_CONNECTION|Failed to post activity/.test(problem)),
      [],
    );
    await page.close();
  });
});
