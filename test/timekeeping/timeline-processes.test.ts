/**
 * The timeline with real bot processes sharing one Redis: three of them sweeping and delivering,
 * one killed (kill -9) while the work is under way. Every case's overdue alert and apology is
 * decided once and reaches Teams and the complainant's email; the bots' clocks start on the
 * morning the alerts fall (LOCAL_CLOCK_START), so the test needs no waiting for a date.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { type BotProcess, startBotProcess } from '../helpers/bot-process.js';
import { lodgeRequest } from '../helpers/cases.js';
import { productClient, redisCaseStore, removeKeys, TEST_SECRET, testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { CHANNEL, fakeTeams, type FakeTeams, STAFF, TENANT } from '../helpers/teams.js';

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many of the cases lodged: enough that the work is still going when one bot is killed. */
const CASES = 120;
/** A case's jobs a killed bot may have had in hand, at most: four staff and four complainant jobs (its workers' concurrency). */
const IN_HAND = 8;

describe('the timeline with real processes', function () {
  this.timeout(240_000);
  let client: RedisClient;
  let teams: FakeTeams;
  let prefix: string;
  let store: RedisCaseStore;
  const bots: BotProcess[] = [];
  const outboxes: string[] = [];

  before(async () => {
    client = await productClient();
  });

  beforeEach(async () => {
    prefix = uniquePrefix('timeline-processes');
    teams = await fakeTeams();
    store = await redisCaseStore(client, new RedisKeys(prefix, 16, TEST_SECRET));
  });

  afterEach(async () => {
    await Promise.all(bots.splice(0).map((bot) => bot.stop()));
    await teams.close();
    await removeKeys(client, prefix);
    for (const path of outboxes.splice(0)) rmSync(path, { force: true });
  });

  after(() => {
    client.disconnect();
  });

  function start(name: string): Promise<BotProcess> {
    const outbox = join(tmpdir(), `${prefix.replace(/:/g, '-')}-${name}.jsonl`);
    outboxes.push(outbox);
    return startBotProcess({
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      CASE_SECRET: TEST_SECRET,
      DIRECT_LINE_TOKEN_SECRET: 'processes-token-secret-of-at-least-32-characters',
      TEAMS_CHANNEL_ID: CHANNEL,
      TEAMS_TENANT_IDS: TENANT,
      TEAMS_STAFF_IDS: STAFF.aadObjectId,
      TEAMS_SERVICE_URL: teams.url,
      TEAMS_POSTS_PER_SECOND: '500',
      EFFECT_LOCK_SECONDS: '3',
      TIMELINE_SWEEP_SECONDS: '5',
      DIGEST_AT: 'off',
      // Tuesday 17 June 2025, 08:30 London: the morning after the cases' Stage 1 responses were due.
      LOCAL_CLOCK_START: '2025-06-17T08:30:05+01:00',
      LOCAL_OUTBOX_PATH: outbox,
    }).then((bot) => {
      bots.push(bot);
      return bot;
    });
  }

  /** What the bots wrote to their local outboxes (the email a provider would send), as entries. */
  function emails(): { id: string; notice: string; reference: string }[] {
    return outboxes.flatMap((path) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; notice: string; reference: string });
    });
  }

  it('three processes, one killed mid-way: every case is alerted once, and every alert and apology delivered', async () => {
    // Lodged Monday 2 June 2025, due Monday 16 June, nobody assigned; cards not posted yet.
    const lodged = await Promise.all(Array.from({ length: CASES }, () => store.lodge(lodgeRequest())));
    const references = lodged.map(({ stored }) => stored.case.reference);
    const [first] = await Promise.all([start('a'), start('b'), start('c')]);
    assert.ok(first);
    const alerts = () => teams.calls.filter((call) => call.kind === 'reply' && /OVERDUE: the response/.test(JSON.stringify(call.body)));
    await until(() => alerts().length >= 10, 'the first alerts');
    await first.kill();
    bots.splice(bots.indexOf(first), 1);

    await until(() => alerts().length >= CASES, 'an alert for every case', 150_000);
    await until(
      () =>
        new Set(
          emails()
            .filter((entry) => entry.notice === 'late')
            .map((entry) => entry.reference),
        ).size >= CASES,
      'every apology emailed',
    );
    await new Promise((resolve) => setTimeout(resolve, 6000)); // past another sweep and lock period: nothing more comes

    // Decided once: one overdue change per case, whichever bot made it.
    for (const reference of references) {
      const history = await store.history(reference);
      assert.equal(history.filter((event) => event.type === 'overdue').length, 1, reference);
    }
    // Delivered: every case's alert in its thread and its apology by email; again only where the killed bot had it in hand.
    const threads = new Map<string, string>();
    for (const reference of references) threads.set((await store.get(reference))?.case.teamsThread?.conversationId ?? '', reference);
    const alerted = new Map<string, number>();
    for (const call of alerts()) {
      const reference = threads.get(call.conversationId);
      if (reference) alerted.set(reference, (alerted.get(reference) ?? 0) + 1);
    }
    assert.equal(alerted.size, CASES, 'an alert in every case’s thread');
    const repeats = [...alerted.values()].reduce((sum, count) => sum + count - 1, 0);
    assert.ok(repeats <= IN_HAND, `${String(repeats)} alerts posted twice`);
    const apologies = emails().filter((entry) => entry.notice === 'late');
    assert.equal(new Set(apologies.map((entry) => entry.reference)).size, CASES);
    assert.ok(apologies.length - CASES <= IN_HAND, `${String(apologies.length - CASES)} apologies sent twice`);
    // One card per case stays up: a card two bots posted at the same moment is taken down by the one
    // that lost; only one the killed bot posted and had no time to record can be left over.
    const deleted = new Set(teams.calls.filter((call) => call.kind === 'delete').map((call) => call.activityId));
    const cards = teams.calls.filter((call) => call.kind === 'create' && !deleted.has(call.activityId)).length;
    assert.ok(cards >= CASES && cards - CASES <= IN_HAND, `${String(cards)} cards for ${String(CASES)} cases`);
    // Nothing earlier than the alert was sent: the reminders it overtook were passed over.
    assert.equal(teams.calls.filter((call) => /Reminder:/.test(JSON.stringify(call.body))).length, 0);
  });
});
