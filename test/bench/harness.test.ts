/**
 * The benchmark harness runs end to end (in its tiny mode: a fraction of a second of load, a few
 * conversations, a few thousand cases) and reports every figure as a number. Not a timed test:
 * what the figures are is for `npm run bench`; here only that each is measured at all, and that
 * the conversations went as scripted.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeFlags } from '../../bench/bot-process.js';
import { runBenchmark, type BenchResults } from '../../bench/harness.js';
import { measureHostStalls } from '../../bench/host-stalls.js';
import { checkTargets, formatReport } from '../../bench/report.js';
import { TINY } from '../../bench/settings.js';

/** The headline fields issue 7 asks of bench/results/latest.json. */
const REQUIRED = [
  'echoTurnsPerSec',
  'productTurnsPerSec',
  'turnsRatio',
  'echoP99Ms',
  'productP99Ms',
  'p99Ratio',
  'redisRoundTripsPerTurn',
  'redisCommandsPerTurn',
  'heapBytesPerConversation',
  'dueQueryRatio1Mto10k',
] as const;

describe('the benchmark harness', function () {
  this.timeout(60_000);
  let results: BenchResults;

  before(async () => {
    results = await runBenchmark(TINY);
  });

  it('measures every headline figure as a finite number, with the date and the mode', () => {
    for (const field of REQUIRED) {
      const value = (results as unknown as Record<string, unknown>)[field];
      assert.ok(typeof value === 'number' && Number.isFinite(value), `${field} is ${String(value)}`);
    }
    assert.ok(results.echoTurnsPerSec > 0 && results.productTurnsPerSec > 0);
    assert.ok(!Number.isNaN(Date.parse(results.date)));
    assert.equal(results.mode, 'tiny');
    assert.equal(results.quick, true);
  });

  it('holds the lodging conversations as scripted: no failed turn, every finished one lodged', () => {
    assert.deepEqual(results.problems, []);
    assert.ok(results.throughput.every((level) => level.rounds.every((round) => round.product.turns > 0 && round.echo.turns > 0)));
    assert.equal(results.dueQueries.sizes.at(-1)?.found, TINY.dueQueries.due, 'the due query lists exactly the cases due');
  });

  it('counts the Redis work of a turn from both ends', () => {
    const { ordinaryTurn, lodgingTurn } = results.redisCost;
    assert.ok(ordinaryTurn.roundTrips >= 1 && ordinaryTurn.serverCommands >= ordinaryTurn.clientCommands);
    assert.ok(lodgingTurn.serverCommands > ordinaryTurn.serverCommands, 'lodging a case costs more than answering a question');
  });

  it('runs the product with a delivery instance beside it, and counts what delivering costs', () => {
    assert.ok(Number.isFinite(results.deliveryCpuMsPerTurn) && results.deliveryCpuMsPerTurn > 0, 'the delivery instance worked for the product’s turns');
    assert.ok(Number.isFinite(results.deliveryDrainSecondsMax) && results.deliveryDrainSecondsMax >= 0);
    assert.ok(results.throughput.every((level) => level.rounds.every((round) => round.delivery !== null)));
  });

  it('relays the events the lodging turns saved, and counts what each costs Redis', () => {
    assert.ok(results.relay.events >= results.redisCost.lodgingTurn.turns, 'each lodging leaves at least one event');
    assert.ok(results.relayRedisCommandsPerEvent > 1, 'an event costs at least its queueing');
    assert.ok((results.relay.serverCommandsByName['xreadgroup'] ?? 0) > 0, 'read through the consumer group');
  });

  it('sweeps the timeline at each size, doing every due case and only those', () => {
    assert.deepEqual(
      results.dueSweep.sizes.map((size) => size.changed),
      TINY.dueSweep.sizes.map(() => TINY.dueSweep.due),
    );
    assert.ok(results.dueSweep.sizes.every((size) => size.medianMs > 0 && size.commandsPerSweep > TINY.dueSweep.due));
    assert.ok(Number.isFinite(results.dueSweep.ratio));
    // The headline fields are named for the full run's sizes, which the tiny run does not seed.
    assert.equal(results.dueSweepMs10k, null);
    assert.equal(results.dueSweepRatio1Mto10k, null);
    assert.equal(results.hostStallSeconds, TINY.hostStallSeconds);
    assert.ok(results.hostLongestStallMs > 0 && Number.isInteger(results.hostStallsOver1Ms));
  });

  it('reads the staff tab’s queue and a year’s figures among each size of store', () => {
    for (const size of results.dueQueries.sizes) {
      const tab = size.staffTab;
      assert.ok(tab, `measured among ${String(size.stored)}`);
      assert.ok(Object.values(tab.queuePageMs).every((ms) => ms > 0));
      assert.equal(tab.yearFiguresReceived, size.stored, 'the year’s figures count every case seeded (lodged over the last 90 days)');
    }
    assert.equal(results.queuePageMs100k, null, 'named for the full run’s sizes');
  });

  it('counts a stop of the host-stall probe as a stall, as long as it was', async () => {
    const stalls = await measureHostStalls(1.5, (child) => {
      // Stopped a while after it starts (node takes a moment to start), for 60 ms.
      setTimeout(() => {
        child.kill('SIGSTOP');
        setTimeout(() => child.kill('SIGCONT'), 60);
      }, 700);
    });
    assert.ok(stalls.over1Ms >= 1, 'the stop was counted');
    assert.ok(stalls.longestMs >= 55, `the longest stall (${String(stalls.longestMs)} ms) is the stop`);
  });

  it('prints a table with every target checked', () => {
    const report = formatReport(results);
    assert.equal(checkTargets(results).length, 9);
    for (const heading of ['Turns over HTTP', 'Redis per turn', 'Memory at', 'Cases due in the next 24 hours', "The timeline's sweep", 'Targets']) {
      assert.ok(report.includes(heading), `the report has "${heading}"`);
    }
  });

  it('runs both bots with the node options npm start gives the bot, read from package.json', () => {
    assert.deepEqual(startNodeFlags(), ['--max-semi-space-size=64']);
    const directory = mkdtempSync(join(tmpdir(), 'bench-flags-'));
    try {
      const file = join(directory, 'package.json');
      writeFileSync(file, JSON.stringify({ scripts: { start: 'npm run -s build && node dist/src/main.js --local' } }));
      assert.deepEqual(startNodeFlags(file), []);
      writeFileSync(file, JSON.stringify({ scripts: { start: 'tsx src/main.ts' } }));
      assert.throws(() => startNodeFlags(file), /does not run "node … dist\/src\/main\.js"/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
