/**
 * How long this machine itself stops a running program: a busy loop in a process of its own, with
 * nothing else of the benchmark running, notes every gap between two readings of the clock. On a
 * shared virtual machine the host now and then takes the CPU away for a millisecond or more, and
 * a Redis command that happens to be running then takes that much longer. These figures sit
 * beside the sweep's longest commands so that a stall of the host can be told from a command's
 * own cost (a plain HSET shows the same few slow ones, bench/README.md).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { z } from 'zod';

export interface HostStalls {
  readonly seconds: number;
  /** Gaps of over 1 ms in the loop: times the program was stopped. */
  readonly over1Ms: number;
  /** The longest gap, ms. */
  readonly longestMs: number;
}

const LOOP = `
const { performance } = require('node:perf_hooks');
const end = performance.now() + Number(process.argv[1]) * 1000;
let last = performance.now(), over1Ms = 0, longestMs = 0;
for (;;) {
  const now = performance.now();
  const gap = now - last;
  if (gap > 1) over1Ms += 1;
  if (gap > longestMs) longestMs = gap;
  last = now;
  if (now > end) break;
}
process.stdout.write(JSON.stringify({ over1Ms, longestMs }));
`;

const answer = z.object({ over1Ms: z.number().int(), longestMs: z.number() });

/**
 * Runs the loop for `seconds` and returns what it saw. `started` is handed the loop's process (a
 * test stops it for a moment, to see the stall counted).
 */
export async function measureHostStalls(seconds: number, started?: (child: ChildProcess) => void): Promise<HostStalls> {
  const child = spawn(process.execPath, ['-e', LOOP, String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
  started?.(child);
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`The host stall probe failed: ${err || String(code)}`);
  const { over1Ms, longestMs } = answer.parse(JSON.parse(out));
  return { seconds, over1Ms, longestMs };
}
