/**
 * `npm run bench:profile [-- product|echo] [all-in-one] [seconds]`: drives one bot with the lodging
 * conversation at 32 at once for a while with V8's CPU profiler on (the product's web instance,
 * with a delivery instance beside it as deployed, unless `all-in-one`), and writes the profile
 * (bench/results/profiles/*.cpuprofile, for Chrome DevTools' Performance panel or speedscope) and
 * a plain summary of where the bot's CPU went, by function (self time) and by source file. This is
 * how to find the next thing worth making cheaper in a turn; the benchmark itself runs unprofiled.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BotProcess } from './bot-process.js';
import { ConnectorStub } from './connector.js';
import { LODGING } from './conversation.js';
import { runLoad } from './load.js';
import { BenchRedis } from './redis-server.js';

const ROOT = join(__dirname, '..', '..');
const PROFILES = join(ROOT, 'bench', 'results', 'profiles');

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame's code lives, shortened: a package name, or a path in this project. */
function placeOf(url: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? path);
  }
  if (path.startsWith('node:')) return path;
  return relative(ROOT, path);
}

/** Self time by function and by place, as shares of all sampled time. */
function summarise(profile: Profile, top = 30): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const total = [...self.values()].reduce((sum, value) => sum + value, 0);
  const functions = new Map<string, number>();
  const places = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const place = placeOf(frame.url);
    const name = `${frame.functionName || '(anonymous)'}  ${place}${frame.url ? `:${String(frame.lineNumber + 1)}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    places.set(place, (places.get(place) ?? 0) + micros);
  }
  const table = (title: string, entries: Map<string, number>): string =>
    [
      title,
      ...[...entries]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(6)} %  ${name}`),
    ].join('\n');
  return `${table('Self time by function', functions)}\n\n${table('Self time by place', places)}`;
}

async function main(argv: readonly string[]): Promise<void> {
  const mode = argv.includes('echo') ? 'echo' : 'product';
  // The product is profiled as the benchmark runs it: a web instance that only takes turns, with a
  // delivery instance beside it; `all-in-one` profiles one instance that does both.
  const allInOne = argv.includes('all-in-one');
  const seconds = Number(argv.find((arg) => /^\d+$/.test(arg)) ?? 15);
  mkdirSync(PROFILES, { recursive: true });
  const redis = await BenchRedis.start();
  const connector = await ConnectorStub.start();
  const directory = join(PROFILES, `${mode}-${String(Date.now())}`);
  const caseSecret = randomBytes(24).toString('hex');
  const split = mode === 'product' && !allInOne;
  const bot = await BotProcess.start({
    mode,
    redisUrl: redis.url,
    prefix: 'complaints',
    caseSecret,
    ...(split ? { effectWorkers: false } : {}),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${directory}`],
  });
  const delivery = split ? await BotProcess.start({ mode, redisUrl: redis.url, prefix: 'complaints', caseSecret, effectWorkers: true, delivery: true }) : null;
  try {
    process.stdout.write(`Warming up the ${mode} bot, then profiling ${String(seconds)} s at 32 at once…\n`);
    await runLoad({ bot, connector, connections: 32, seconds: 5, turns: LODGING });
    const result = await runLoad({ bot, connector, connections: 32, seconds, turns: LODGING });
    process.stdout.write(`${result.turnsPerSec.toFixed(0)} turns/s, ${result.cpuMsPerTurn.toFixed(2)} ms CPU per turn, p99 ${result.p99Ms.toFixed(1)} ms\n\n`);
  } finally {
    await bot.stop();
    await delivery?.stop();
    await connector.close();
    await redis.stop();
  }
  const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`No profile was written in ${directory}`);
  process.stdout.write(`${summarise(JSON.parse(readFileSync(join(directory, file), 'utf8')) as Profile)}\n\nProfile: ${join(directory, file)}\n`);
  // Only the newest few profiles are kept (by the time in their names); they are big and only for a look.
  const byAge = (name: string): number => Number(/-(\d+)$/.exec(name)?.[1] ?? 0);
  const old = readdirSync(PROFILES)
    .sort((a, b) => byAge(a) - byAge(b))
    .slice(0, -4);
  for (const name of old) rmSync(join(PROFILES, name), { recursive: true, force: true });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`Profiling failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
