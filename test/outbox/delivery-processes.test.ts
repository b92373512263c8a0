/**
 * Delivery to staff with real bot processes on one Redis and a Teams stand-in that fails as
 * Teams does: a process killed while posting a card, three processes sharing the work, and an
 * outage of 500s then 429s. Cases are lodged straight into the store with the events lodging
 * causes (the widget's way there is tested elsewhere), so the tests measure delivery alone.
 */
import { strict as assert } from 'node:assert';
import type { OutboxEventInput } from '../../src/cases/outbox-event.js';
import { type CaseReference, formatReference } from '../../src/cases/reference.js';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { type BotProcess, startBotProcess, teamsProcessEnvironment } from '../helpers/bot-process.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { productClient, redisCaseStore, removeKeys, TEST_SECRET, uniquePrefix } from '../helpers/redis.js';
import { fakeTeams, type FakeTeams, type TeamsCall } from '../helpers/teams.js';

const LODGED: OutboxEventInput[] = [{ type: 'staff-alerted', alert: 'lodged' }];

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The case references a call's card or words mention. */
function referencesIn(call: TeamsCall, references: readonly CaseReference[]): CaseReference[] {
  const body = JSON.stringify(call.body);
  return references.filter((reference) => body.includes(formatReference(reference)));
}

describe('delivery to staff, with real processes', function () {
  this.timeout(180_000);
  let client: RedisClient;
  let teams: FakeTeams;
  let prefix: string;
  let store: RedisCaseStore;
  const bots: BotProcess[] = [];

  function start(options: { env?: Record<string, string>; args?: readonly string[] } = {}): Promise<BotProcess> {
    return startBotProcess(
      {
        ...teamsProcessEnvironment(prefix, teams.url),
        ...options.env,
      },
      options.args,
    ).then((bot) => {
      bots.push(bot);
      return bot;
    });
  }

  before(async () => {
    client = await productClient();
  });

  beforeEach(async () => {
    prefix = uniquePrefix('delivery');
    teams = await fakeTeams();
    store = await redisCaseStore(client, new RedisKeys(prefix, 16, TEST_SECRET));
  });

  afterEach(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.stop()));
    await teams.close();
    await removeKeys(client, prefix);
  });

  after(() => {
    client.disconnect();
  });

  it('posts a card once when the bot is killed (kill -9) while posting it, after the restart', async () => {
    const first = await start();
    const held = teams.holdNextPost();
    const { stored } = await store.lodge({ ...lodgeRequest(), events: LODGED });
    await held; // the card is on its way to Teams, and Teams has not answered
    await first.kill();
    bots.splice(bots.indexOf(first), 1);
    assert.equal(teams.calls.filter((call) => call.kind === 'create').length, 0);

    await start();
    await until(() => teams.calls.some((call) => call.kind === 'create'), 'the card after the restart');
    await new Promise((resolve) => setTimeout(resolve, 4000)); // past another lock period: nothing more
    const creates = teams.calls.filter((call) => call.kind === 'create');
    assert.equal(creates.length, 1);
    assert.deepEqual(referencesIn(creates[0] ?? assert.fail(), [stored.case.reference]), [stored.case.reference]);
    assert.equal((await store.get(stored.case.reference))?.case.teamsThread?.conversationId, creates[0]?.conversationId);
  });

  it('delivers every one of 1,000 lodgings once when three processes share the work', async () => {
    await Promise.all([start(), start(), start()]);
    const lodged = [];
    for (let batch = 0; batch < 10; batch += 1) {
      lodged.push(...(await Promise.all(Array.from({ length: 100 }, () => store.lodge({ ...lodgeRequest(), events: LODGED })))));
    }
    const references = lodged.map(({ stored }) => stored.case.reference);
    await until(() => teams.calls.filter((call) => call.kind === 'create').length >= 1000, 'a card for every case', 150_000);
    await new Promise((resolve) => setTimeout(resolve, 2000)); // two sweeps more: nothing else arrives
    const perCase = new Map<string, number>();
    for (const call of teams.calls.filter((entry) => entry.kind === 'create')) {
      for (const reference of referencesIn(call, references)) perCase.set(reference, (perCase.get(reference) ?? 0) + 1);
    }
    assert.equal(teams.calls.filter((call) => call.kind === 'create').length, 1000);
    assert.equal(perCase.size, 1000);
    assert.ok([...perCase.values()].every((count) => count === 1));
  });

  it('leaves delivery to a delivery instance (--workers) when the web instances only save', async () => {
    await start({ env: { EFFECT_WORKERS: 'false' } });
    const lodged = await Promise.all(Array.from({ length: 3 }, () => store.lodge({ ...lodgeRequest(), events: LODGED })));
    await new Promise((resolve) => setTimeout(resolve, 6000)); // past a sweep: a web instance that only saves delivers nothing
    assert.equal(teams.calls.filter((call) => call.kind === 'create').length, 0);

    const delivery = await start({ args: ['--local', '--workers'] });
    // It answers a platform and a scraper, and nothing else.
    assert.equal((await fetch(`${delivery.url}/healthz`)).status, 200);
    const metrics = await fetch(`${delivery.url}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /complaints_/);
    assert.equal((await fetch(`${delivery.url}/api/messages`, { method: 'POST', body: '{}' })).status, 404);
    assert.equal((await fetch(`${delivery.url}/`)).status, 404);
    await until(() => teams.calls.filter((call) => call.kind === 'create').length >= 3, 'the three cards');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const creates = teams.calls.filter((call) => call.kind === 'create');
    assert.deepEqual(
      creates
        .flatMap((call) =>
          referencesIn(
            call,
            lodged.map(({ stored }) => stored.case.reference),
          ),
        )
        .sort(),
      lodged.map(({ stored }) => stored.case.reference).sort(),
    );
    bots.splice(bots.indexOf(delivery), 1);
    assert.equal(await delivery.stop(), 0, 'it stops cleanly on SIGTERM');

    await assert.rejects(start({ env: { REDIS_URL: '' }, args: ['--local', '--workers'] }), /exited with 2[\s\S]*--workers runs a delivery instance/);
  });

  it('brings every card and thread message through a Teams outage of 500s then 429s, once each, in order per case', async () => {
    await start();
    const now = Date.now();
    teams.outage(now + 4000, 500);
    const cases = await Promise.all(Array.from({ length: 3 }, () => store.lodge({ ...lodgeRequest(), events: LODGED })));
    const messages = ['first', 'second', 'third'];
    for (const lodged of cases) {
      let current = lodged.stored;
      for (const text of messages) {
        // As the complainant's message is recorded: their words in the history, the thread's line naming them by when.
        const words = `${text} from ${current.case.reference}`;
        ({ stored: current } = await store.update(current, {
          ...change(current, () => undefined, { idempotencyKey: `${current.case.reference}:${text}` }),
          event: {
            type: 'message-relayed',
            at: new Date().toISOString(),
            actor: { kind: 'complainant', id: null, name: null },
            summary: 'Message from the complainant',
            details: { text: words },
          },
          events: [{ type: 'complainant-wrote', text: words }],
        }));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + 4000 - Date.now())));
    teams.outage(Date.now() + 3000, 429, 2);
    const references = cases.map(({ stored }) => stored.case.reference);
    await until(() => teams.calls.filter((call) => call.kind === 'reply').length >= references.length * messages.length, 'every thread message', 120_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const reference of references) {
      const thread = (await store.get(reference))?.case.teamsThread?.conversationId ?? assert.fail('no thread recorded');
      assert.equal(teams.calls.filter((call) => call.kind === 'create' && call.conversationId === thread).length, 1);
      // The thread's lines name the complainant's words by when they were written (the words are for staff only).
      const history = await store.history(reference);
      const wordsAt = (at: string | undefined) => history.find((event) => event.at === at && event.actor.kind === 'complainant')?.details['text'];
      const said = teams.calls
        .filter((call) => call.kind === 'reply' && call.conversationId === thread)
        .map((call) => /(first|second|third) from/.exec(JSON.stringify(wordsAt(/"at":"([^"]+)"/.exec(JSON.stringify(call.body))?.[1])))?.[1]);
      assert.deepEqual(said, messages, `the thread of ${reference}`);
    }
  });
});
