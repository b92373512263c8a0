/**
 * Every message the widget posts and the service acknowledges gets exactly one turn and one
 * reply, whatever fails under it: Redis frozen mid-post, Redis killed mid-turn (and restarted
 * from its append-only file), and the bot killed mid-turn (and restarted). The client retries a
 * failed post with the same client activity id, as Web Chat does. Real processes throughout.
 */
import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { type BotProcess, startBotProcess } from '../helpers/bot-process.js';
import { until } from '../helpers/until.js';
import { RedisServerProcess, TEST_SECRET, uniquePrefix, TEST_DATA_KEYS } from '../helpers/redis.js';

const TOKEN_SECRET = 'faults-token-secret-of-at-least-32-characters';

/** A widget speaking raw Direct Line to whichever bot process is up now. */
class Widget {
  private token = '';
  conversationId = '';

  constructor(private readonly base: () => string) {}

  async start(): Promise<void> {
    const session = (await (await fetch(`${this.base()}/api/directline/token`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    this.token = session.token;
    this.conversationId = session.conversationId;
    const started = await fetch(`${this.base()}/v3/directline/conversations`, { method: 'POST', headers: this.headers(), body: '{}' });
    assert.ok(started.ok, `start answered ${started.status}`);
  }

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' };
  }

  /** Posts until the service acknowledges it (200), retrying with the same client activity id; the activity id acknowledged. */
  async say(text: string, clientActivityID: string, attempts: { count: number } = { count: 0 }): Promise<string> {
    const started = Date.now();
    for (;;) {
      attempts.count += 1;
      try {
        const response = await fetch(`${this.base()}/v3/directline/conversations/${this.conversationId}/activities`, {
          method: 'POST',
          headers: this.headers(),
          body: JSON.stringify({ type: 'message', text, channelData: { clientActivityID } }),
          signal: AbortSignal.timeout(25_000),
        });
        if (response.status === 200) return ((await response.json()) as { id: string }).id;
      } catch {
        // refused or cut off: the bot is down or restarting
      }
      if (Date.now() - started > 90_000) throw new Error(`"${text}" was never acknowledged`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  /** The whole transcript. */
  async transcript(): Promise<Partial<Activity>[]> {
    const activities: Partial<Activity>[] = [];
    for (let watermark = 0; ;) {
      const response = await fetch(`${this.base()}/v3/directline/conversations/${this.conversationId}/activities?watermark=${watermark}`, {
        headers: this.headers(),
      });
      if (response.status === 429) {
        // The per-token rate limit: as a client would, wait as told and read on.
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      assert.equal(response.status, 200, 'the transcript can be read');
      const page = (await response.json()) as { activities: Partial<Activity>[]; watermark: string };
      activities.push(...page.activities);
      if (page.activities.length === 0) return activities;
      watermark = Number(page.watermark);
    }
  }
}

describe('widget turns under faults, with real processes', function () {
  this.timeout(240_000);
  let redis: RedisServerProcess;
  let bot: BotProcess | null = null;

  before(async () => {
    // Its own server, kept on disk (append-only, every write), so it can be frozen and killed.
    redis = await RedisServerProcess.start({ extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] });
  });
  after(async () => {
    await bot?.kill();
    await redis.stop();
  });

  const prefix = uniquePrefix('faults');
  const startBot = async (): Promise<BotProcess> => {
    bot = await startBotProcess({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: prefix,
      CASE_SECRET: TEST_SECRET,
      DATA_KEYS: TEST_DATA_KEYS,
      DIRECT_LINE_TOKEN_SECRET: TOKEN_SECRET,
      REDIS_COMMAND_TIMEOUT_MS: '1000',
    });
    return bot;
  };

  it('gives every acknowledged message exactly one turn and one reply: Redis frozen, Redis killed, the bot killed', async () => {
    let current = await startBot();
    const widget = new Widget(() => current.url);
    await widget.start();
    const acknowledged = new Map<string, string>();
    const say = async (key: string) => {
      acknowledged.set(key, await widget.say(`zzz ${key}`, key));
    };

    await say('plain-1');

    // Redis frozen while a message is posted: the post fails, its append lands on the thaw.
    redis.pause();
    const frozen = say('redis-frozen');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    redis.resume();
    await frozen;

    // Redis killed as a turn runs, and started again from its file.
    const killedRedis = say('redis-killed');
    await new Promise((resolve) => setTimeout(resolve, 40));
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await redis.launch();
    await killedRedis;

    // The bot killed with a post's append on its way to Redis (frozen, so it lands after the bot
    // is gone and no turn ever runs for it), then started again: the client's retry runs it.
    redis.pause();
    const firstTry = { count: 0 };
    const killedBot = widget.say('zzz bot-killed', 'bot-killed', firstTry);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await current.kill();
    redis.resume();
    current = await startBot();
    acknowledged.set('bot-killed', await killedBot);
    assert.ok(firstTry.count > 1, 'the first try was cut off with the bot');

    // The bot killed just after a post reached it.
    const killedMidTurn = say('bot-killed-mid-turn');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await current.kill();
    current = await startBot();
    await killedMidTurn;

    await say('plain-2');

    await until(
      async () => {
        const transcript = await widget.transcript();
        return [...acknowledged.values()].every((id) => transcript.some((activity) => activity.replyToId === id));
      },
      'a reply to every acknowledged message',
      30_000,
      500,
    );
    const transcript = await widget.transcript();
    const posted = transcript.filter((activity) => activity.from?.role === 'user');
    assert.deepEqual(
      posted.map((activity) => activity.text),
      [...acknowledged.keys()].map((key) => `zzz ${key}`),
      'each message kept once, in order',
    );
    const repliesTo = Object.fromEntries([...acknowledged].map(([key, id]) => [key, transcript.filter((activity) => activity.replyToId === id).length]));
    assert.deepEqual(repliesTo, Object.fromEntries([...acknowledged.keys()].map((key) => [key, 1])), 'one turn, one reply, each');
  });
});
