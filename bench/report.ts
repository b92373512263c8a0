/** The benchmark's targets (from issue 7) and the table printed at the end of a run. */
import type { BenchResults } from './harness.js';

/** A target and whether this run met it. */
export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly value: number;
  readonly holds: boolean;
}

/** Each target, checked against the results. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const at = `at ${String(results.connections)} at once`;
  return [
    { name: `product turns/s ÷ echo ${at}`, target: '≥ 0.75', value: results.turnsRatio, holds: results.turnsRatio >= 0.75 },
    { name: `product p99 ÷ echo p99 ${at}`, target: '≤ 1.3', value: results.p99Ratio, holds: results.p99Ratio <= 1.3 },
    { name: 'Redis round trips per dialog turn', target: '≤ 2', value: results.redisRoundTripsPerTurn, holds: results.redisRoundTripsPerTurn <= 2 },
    { name: 'Redis commands per dialog turn', target: '≤ 3.5', value: results.redisCommandsPerTurn, holds: results.redisCommandsPerTurn <= 3.5 },
    { name: 'bot heap bytes per open conversation', target: '≤ 200', value: results.heapBytesPerConversation, holds: results.heapBytesPerConversation <= 200 },
    {
      name: 'Redis bytes per conversation’s state',
      target: '≤ 1024',
      value: results.redisBytesPerConversation,
      holds: results.redisBytesPerConversation <= 1024,
    },
    {
      name: `due-query time, ${largest(results)} ÷ ${smallest(results)} stored`,
      target: '≤ 3',
      value: results.dueQueryRatio1Mto10k,
      holds: results.dueQueryRatio1Mto10k <= 3,
    },
    { name: 'longest Redis command in a due query, ms', target: '≤ 1', value: results.dueQueryLongestCommandMs, holds: results.dueQueryLongestCommandMs <= 1 },
    ...(results.dueSweepRatio1Mto10k === null
      ? []
      : [
          {
            name: 'timeline sweep time, 1M ÷ 10k in the wake index',
            target: '≤ 3',
            value: results.dueSweepRatio1Mto10k,
            holds: results.dueSweepRatio1Mto10k <= 3,
          },
        ]),
    { name: 'longest Redis command in a sweep, ms', target: '≤ 1', value: results.dueSweepLongestCommandMs, holds: results.dueSweepLongestCommandMs <= 1 },
    ...(results.queuePageMs100k === null
      ? []
      : [
          {
            name: 'staff tab queue page (all open) among 100k stored, ms',
            target: '< 50',
            value: results.queuePageMs100k,
            holds: results.queuePageMs100k < 50,
          },
        ]),
    ...(results.yearFiguresMs100k === null
      ? []
      : [
          {
            name: 'staff tab year’s figures among 100k stored, ms',
            target: '< 2000',
            value: results.yearFiguresMs100k,
            holds: results.yearFiguresMs100k < 2000,
          },
        ]),
  ];
}

function short(count: number): string {
  return count >= 1_000_000 ? `${String(count / 1_000_000)}M` : count >= 1000 ? `${String(count / 1000)}k` : String(count);
}

function largest(results: BenchResults): string {
  return short(results.dueQueries.sizes[results.dueQueries.sizes.length - 1]?.stored ?? 0);
}

function smallest(results: BenchResults): string {
  return short(results.dueQueries.sizes[0]?.stored ?? 0);
}

/** A number with sensible precision for a table. */
function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-GB');
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0)))
    .join('  ')
    .trimEnd();
}

/** The readable table of a run. */
export function formatReport(results: BenchResults): string {
  const lines: string[] = [];
  lines.push(
    `Benchmark (${results.mode}) ${results.date} on ${String(results.machine.cpus)} cores (${results.machine.cpuModel}), Node ${results.machine.node}, ` +
      `Redis ${results.machine.redis}`,
  );
  lines.push('');
  lines.push('Turns over HTTP: lodging conversations on POST /api/messages (medians over rounds)');
  const widths = [30, 10, 10, 14];
  lines.push(row(['', 'echo', 'product', 'product/echo'], widths));
  for (const level of results.throughput) {
    const label = `${String(level.connections)} at once`;
    lines.push(row([`${label}: turns/s`, figure(level.echo.turnsPerSec), figure(level.product.turnsPerSec), figure(level.turnsRatio)], widths));
    lines.push(row(['  p50 per turn, ms', figure(level.echo.p50Ms), figure(level.product.p50Ms), figure(level.p50Ratio)], widths));
    lines.push(row(['  p99 per turn, ms', figure(level.echo.p99Ms), figure(level.product.p99Ms), figure(level.p99Ratio)], widths));
    lines.push(row(['  bot CPU per turn, ms', figure(level.echo.cpuMsPerTurn), figure(level.product.cpuMsPerTurn), figure(level.cpuRatio)], widths));
    lines.push(row(['  generator CPU per turn, ms', figure(level.echo.generatorCpuMsPerTurn), figure(level.product.generatorCpuMsPerTurn)], widths));
    if (level.delivery) {
      lines.push(row(['  delivery CPU per turn, ms', '', figure(level.delivery.cpuMsPerTurn)], widths));
      lines.push(row(['  deliveries done after, s', '', `≤ ${figure(level.delivery.drainSecondsMax)}`], widths));
    }
  }
  lines.push('');
  lines.push('Redis per turn (one turn at a time)');
  const costWidths = [30, 12, 14, 14];
  lines.push(row(['', 'round trips', 'commands sent', 'commands run'], costWidths));
  for (const [label, cost] of [
    ['conversation start', results.redisCost.conversationStart],
    ['ordinary dialog turn', results.redisCost.ordinaryTurn],
    ['lodging turn', results.redisCost.lodgingTurn],
  ] as const) {
    lines.push(row([label, figure(cost.roundTrips), figure(cost.clientCommands), figure(cost.serverCommands)], costWidths));
  }
  const ordinary = Object.entries(results.redisCost.ordinaryTurn.serverCommandsByName)
    .map(([name, calls]) => `${name} ${figure(calls)}`)
    .join(', ');
  lines.push(`  commands run in an ordinary turn: ${ordinary}`);
  const relayed = Object.entries(results.relay.serverCommandsByName)
    .map(([name, calls]) => `${name} ${figure(calls)}`)
    .join(', ');
  lines.push(
    `  relaying the outbox: ${figure(results.relayRedisCommandsPerEvent)} commands run per event (${String(results.relay.events)} events; ${relayed})`,
  );
  lines.push('');
  lines.push('Each turn of the lodging conversation, one at a time');
  const stepWidths = [30, 8, 12, 14, 14];
  lines.push(row(['', 'ms', 'round trips', 'commands run', 'state, bytes'], stepWidths));
  for (const step of results.redisCost.perStep) {
    lines.push(row([step.step, figure(step.ms), figure(step.roundTrips), figure(step.serverCommands), String(Math.round(step.stateBytes))], stepWidths));
  }
  lines.push('');
  lines.push(`Memory at ${results.memory.conversations.toLocaleString('en-GB')} conversations left mid-dialog (after "${results.memory.leftAfter}")`);
  lines.push(
    `  bot heap ${figure(results.memory.heapBytesPerConversation)} B (${figure(results.memory.heapDataBytesPerConversation)} B without compiled code) ` +
      `and RSS ${figure(results.memory.rssBytesPerConversation)} B per conversation`,
  );
  lines.push(
    `  Redis ${figure(results.memory.redisBytesPerConversation)} B per conversation (a state key ${figure(results.memory.redisBytesPerStateKey)} B, its ` +
      `JSON ${figure(results.memory.stateJsonBytes)} B)`,
  );
  lines.push(`  Redis ${figure(results.redisBytesPerCase)} B per stored case (case, history, index entries, submission marker)`);
  lines.push('');
  lines.push(`Cases due in the next 24 hours (${String(results.dueQueries.due)} due), listed by the case store`);
  const dueWidths = [14, 12, 10, 16, 16, 16, 14];
  lines.push(row(['stored', 'median, ms', 'p90, ms', 'commands/query', 'command p99.9, µs', 'longest, µs', 'over 1 ms'], dueWidths));
  for (const size of results.dueQueries.sizes) {
    lines.push(
      row(
        [
          size.stored.toLocaleString('en-GB'),
          figure(size.medianMs),
          figure(size.p90Ms),
          figure(size.commandsPerQuery),
          String(size.p999CommandMicros),
          String(size.longestCommandMicros),
          `${String(size.commandsOver1Ms)} of ${String(size.commands)}`,
        ],
        dueWidths,
      ),
    );
  }
  for (const size of results.dueQueries.sizes.filter((each) => each.commandsOver1Ms > 0)) {
    lines.push(`  the longest at ${size.stored.toLocaleString('en-GB')}: ${size.longestCommand}`);
  }
  lines.push(`  ${largest(results)} ÷ ${smallest(results)}: ${figure(results.dueQueryRatio1Mto10k)}`);
  lines.push('');
  lines.push('The staff tab among the same stored cases (all open and unassigned: every one in the queue)');
  const tabWidths = [14, 10, 12, 10, 10, 16, 12];
  lines.push(row(['stored', 'open, ms', 'unassigned', 'overdue', 'mine', 'year figures, ms', 'received'], tabWidths));
  for (const size of results.dueQueries.sizes) {
    const tab = size.staffTab;
    if (!tab) continue;
    lines.push(
      row(
        [
          size.stored.toLocaleString('en-GB'),
          figure(tab.queuePageMs.open),
          figure(tab.queuePageMs.unassigned),
          figure(tab.queuePageMs.overdue),
          figure(tab.queuePageMs.mine),
          figure(tab.yearFiguresMs),
          String(tab.yearFiguresReceived),
        ],
        tabWidths,
      ),
    );
  }
  lines.push('');
  lines.push(`The timeline's sweep finding and doing the ${String(results.dueSweep.due)} cases due (a reminder each), by the wake index's size`);
  const sweepWidths = [14, 12, 12, 16, 18, 14, 12, 18];
  lines.push(
    row(['in the index', 'median, ms', 'cases done', 'commands/sweep', 'command p99.9, µs', 'longest, µs', 'over 1 ms', 'longest find, µs'], sweepWidths),
  );
  for (const size of results.dueSweep.sizes) {
    lines.push(
      row(
        [
          size.stored.toLocaleString('en-GB'),
          figure(size.medianMs),
          String(size.changed),
          figure(size.commandsPerSweep),
          String(size.p999CommandMicros),
          String(size.longestCommandMicros),
          String(size.commandsOver1Ms),
          String(size.longestFindMicros),
        ],
        sweepWidths,
      ),
    );
  }
  for (const size of results.dueSweep.sizes.filter((each) => each.commandsOver1Ms > 0)) {
    lines.push(`  the longest at ${size.stored.toLocaleString('en-GB')}: ${size.longestCommand}`);
  }
  lines.push(
    `  this machine's own stalls just before: a busy loop alone was stopped ${String(results.hostStallsOver1Ms)} times for over 1 ms ` +
      `in ${figure(results.hostStallSeconds)} s, the longest ${figure(results.hostLongestStallMs)} ms (a command running then takes that much longer)`,
  );
  lines.push('');
  lines.push('Targets');
  if (results.mode !== 'full') lines.push('  (a quick run opens too few conversations to resolve 200 B of heap each: the full run judges that one)');
  for (const check of checkTargets(results)) {
    lines.push(`  ${check.holds ? 'met ' : 'MISS'}  ${check.name}: ${figure(check.value)} (target ${check.target})`);
  }
  if (results.problems.length > 0) {
    lines.push('');
    lines.push('Problems (figures above may not mean what they say):');
    for (const problem of results.problems) lines.push(`  - ${problem}`);
  }
  lines.push('');
  lines.push(`(${figure(results.seconds)} s)`);
  return lines.join('\n');
}
