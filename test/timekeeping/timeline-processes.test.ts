/**
 * The timeline with real bot processes sharing one Redis: three of them sweeping and delivering,
 * one killed (kill -9) while the work is under way. Every reminder, overdue alert (with its
 * apology), closing and the day's digest is decided once and reaches Teams and the complainant's
 * email; the bots' clocks start on the morning they fall (LOCAL_CLOCK_START), so the test needs
 * no waiting for a date.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import type { RedisCaseStore } from '../../src/storage/redis/redis-case-store.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { type BotProcess, startBotProcess, teamsProcessEnvironment } from '../helpers/bot-process.js';
import { deadlineRecord } from '../../src/cases/case.js';
import { lodgeRequest } from '../helpers/cases.js';
import { at, policy } from '../helpers/policy.js';
import { productClient, redisCaseStore, removeKeys, TEST_SECRET, uniquePrefix } from '../helpers/redis.js';
import { fakeTeams, type FakeTeams } from '../helpers/teams.js';

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many cases of each kind: enough that the work is still going when one bot is killed. */
const OVERDUE = 60;
const REMINDED = 30;
const CLOSING = 30;
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
      ...teamsProcessEnvironment(prefix, teams.url),
      TIMELINE_SWEEP_SECONDS: '5',
      DIGEST_AT: '08:30',
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

  it('three processes, one killed mid-way: each reminder, alert, closing and the digest happens once and is delivered', async () => {
    // Overdue: lodged Monday 2 June 2025, due Monday 16 June. Reminded: received Wednesday 4 June,
    // due Wednesday 18 June (the one-day reminder falls on the 17th). Closing: Stage 1 answered on
    // Friday 16 May, so the 20 working days to ask for Stage 2 ended on Monday 16 June. Nobody is
    // assigned to any; no card is posted yet.
    const received = at('2025-06-04T10:00:00+01:00');
    const dueSoon = deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received }));
    const answered = '2025-05-16T10:00:00+01:00';
    const kinds = {
      overdue: Array.from({ length: OVERDUE }, () => lodgeRequest()),
      reminded: Array.from({ length: REMINDED }, () =>
        lodgeRequest({ case: { deadlines: [dueSoon], lodgedAt: received.toISOString(), updatedAt: received.toISOString() } }),
      ),
      closing: Array.from({ length: CLOSING }, () =>
        lodgeRequest({
          case: {
            status: 'responded',
            lodgedAt: '2025-05-01T10:00:00+01:00',
            updatedAt: answered,
            responses: [
              { stage: 'stage-1', at: answered, text: 'Our response.', by: { kind: 'staff', id: 'staff-1', name: 'A. Officer' }, outcome: 'not-upheld' },
            ],
          },
        }),
      ),
    };
    const lodge = async (requests: ReturnType<typeof lodgeRequest>[]) =>
      (await Promise.all(requests.map((request) => store.lodge(request)))).map(({ stored }) => stored.case.reference);
    const references = { overdue: await lodge(kinds.overdue), reminded: await lodge(kinds.reminded), closing: await lodge(kinds.closing) };
    const all = [...references.overdue, ...references.reminded, ...references.closing];

    const [first] = await Promise.all([start('a'), start('b'), start('c')]);
    assert.ok(first);
    const said = (pattern: RegExp) => teams.calls.filter((call) => call.kind === 'reply' && pattern.test(JSON.stringify(call.body)));
    const effects = () => said(/OVERDUE: |Reminder: |Closed as resolved/).length;
    await until(() => effects() >= 10, 'the first effects');
    await first.kill();
    bots.splice(bots.indexOf(first), 1);

    await until(() => effects() >= all.length, 'every case’s reminder, alert or closing', 150_000);
    const emailed = (notice: string) =>
      new Set(
        emails()
          .filter((entry) => entry.notice === notice)
          .map((entry) => entry.reference.replace(/-/g, '')),
      );
    await until(() => emailed('late').size >= OVERDUE && emailed('closed').size >= CLOSING, 'every apology and closing emailed');
    await new Promise((resolve) => setTimeout(resolve, 6000)); // past another sweep and lock period: nothing more comes

    // Decided once, whichever bot did it: one change per case, of the right kind.
    const expected = { overdue: 'overdue', reminded: 'reminded', closing: 'closed' } as const;
    for (const kind of ['overdue', 'reminded', 'closing'] as const) {
      for (const reference of references[kind]) {
        const history = await store.history(reference);
        const timeline = history.filter((event) => event.actor.kind === 'system' && ['overdue', 'reminded', 'closed'].includes(event.type));
        assert.deepEqual(
          timeline.map((event) => event.type),
          [expected[kind]],
          `${kind} ${reference}`,
        );
      }
    }
    for (const reference of references.closing) assert.equal((await store.get(reference))?.case.status, 'closed');

    // Delivered in each case's own thread, and by email; again only where the killed bot had it in hand.
    const threadOf = new Map<string, string>();
    for (const reference of all) threadOf.set((await store.get(reference))?.case.teamsThread?.conversationId ?? '', reference);
    const countIn = (pattern: RegExp, among: readonly string[]) => {
      const counts = new Map<string, number>();
      for (const call of said(pattern)) {
        const reference = threadOf.get(call.conversationId);
        if (reference && among.includes(reference)) counts.set(reference, (counts.get(reference) ?? 0) + 1);
      }
      return { cases: counts.size, repeats: [...counts.values()].reduce((sum, count) => sum + count - 1, 0) };
    };
    const alerts = countIn(/OVERDUE: the response/, references.overdue);
    const reminders = countIn(/Reminder: the response .* \(in 1 working day\)/, references.reminded);
    const closings = countIn(/Closed as resolved at Stage 1/, references.closing);
    assert.deepEqual([alerts.cases, reminders.cases, closings.cases], [OVERDUE, REMINDED, CLOSING]);
    assert.ok(alerts.repeats + reminders.repeats + closings.repeats <= IN_HAND, 'posted twice only where the killed bot had it in hand');
    assert.equal(said(/Reminder: /).length - REMINDED <= IN_HAND, true, 'no reminder for the overdue cases: the alert overtook them');
    assert.deepEqual([emailed('late').size, emailed('closed').size], [OVERDUE, CLOSING]);
    const sent = emails().filter((entry) => entry.notice === 'late' || entry.notice === 'closed').length;
    assert.ok(sent - OVERDUE - CLOSING <= IN_HAND, `${String(sent - OVERDUE - CLOSING)} emails sent twice`);

    // One digest, whichever bots asked for it.
    const digests = teams.calls.filter((call) => call.kind === 'create' && /Complaints today, Tuesday 17 June 2025/.test(JSON.stringify(call.body)));
    assert.equal(digests.length, 1);
    // One card per case stays up: a card two bots posted at the same moment is taken down by the one
    // that lost; only one the killed bot posted and had no time to record can be left over.
    const deleted = new Set(teams.calls.filter((call) => call.kind === 'delete').map((call) => call.activityId));
    const cards = teams.calls.filter((call) => call.kind === 'create' && !deleted.has(call.activityId)).length - digests.length;
    assert.ok(cards >= all.length && cards - all.length <= IN_HAND, `${String(cards)} cards for ${String(all.length)} cases`);
  });
});
