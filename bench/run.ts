/**
 * `npm run bench` (full, several minutes) and `npm run bench -- --quick` (under a minute, smaller
 * numbers): runs the benchmark, prints a table and writes bench/results/latest.json (or the file
 * given with `--out`). Exits with status 1 if the run went wrong, not if a target was missed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runBenchmark } from './harness.js';
import { checkTargets, formatReport } from './report.js';
import { FULL, QUICK, TINY } from './settings.js';

/** The results file, in the source tree (this file runs from dist/bench). */
const LATEST = join(__dirname, '..', '..', 'bench', 'results', 'latest.json');

async function main(argv: readonly string[]): Promise<void> {
  const settings = argv.includes('--tiny') ? TINY : argv.includes('--quick') ? QUICK : FULL;
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 && argv[outIndex + 1] ? resolve(argv[outIndex + 1]!) : LATEST;
  // Ctrl-C: exit, which stops the bots and redis-server this run started (see processes.ts).
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      process.exit(130);
    });

  const results = await runBenchmark(settings, (line) => {
    process.stdout.write(`${line}\n`);
  });
  process.stdout.write(`\n${formatReport(results)}\n`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ ...results, targets: checkTargets(results) }, null, 2)}\n`);
  process.stdout.write(`Written to ${out}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`The benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
