/**
 * `npm run rights -- <action>`: the data protection rights, from the command line, for whoever
 * handles requests (the data protection officer, the complaints manager). Each action is written
 * to the rights audit under the name given with --by.
 *
 *   access (--reference <ref> | --email <address> | --phone <number>) --by <name> [--out <folder>]
 *       writes the subject access export (JSON and HTML) into a new folder readable only by you
 *   rectify <ref> [--name <name>] [--email <address>] [--phone <number>] --reason <why> --by <name>
 *   erase <ref> --reason <why> --by <name>      erases a finished case's personal data
 *   retention                                   runs the retention sweep now (it also runs on a schedule)
 *   reindex                                     lists cases kept before these indexes existed (rights, queue)
 *   audit [--last <n>]                          prints the latest audit entries
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidConfiguration, loadRightsConfig, retentionFrom } from '../src/config/config.js';
import { parseReference } from '../src/cases/reference.js';
import { isRefusal } from '../src/cases/transitions/transition.js';
import { createEscalationPolicy } from '../src/policy/index.js';
import { Rights, type RightsActor } from '../src/rights/rights.js';
import { StorageMisconfigured } from '../src/storage/redis/connection.js';
import { RedisRightsAudit } from '../src/storage/redis/redis-rights-audit.js';
import { runCommand } from './command.js';
import { openMaintenanceStore } from './maintenance-store.js';

const USAGE = [
  'usage: npm run rights -- access (--reference <ref> | --email <address> | --phone <number>) --by <name> [--out <folder>]',
  '       npm run rights -- rectify <ref> [--name <name>] [--email <address>] [--phone <number>] --reason <why> --by <name>',
  '       npm run rights -- erase <ref> --reason <why> --by <name>',
  '       npm run rights -- retention | reindex | audit [--last <n>]',
  '(with the bot’s REDIS_URL, CASE_SECRET, DATA_KEYS and, for documents, SERVICE_ORGANISATION and RECORDS_KEPT_FOR)',
].join('\n');

const OPTIONS = {
  reference: { type: 'string' },
  email: { type: 'string' },
  phone: { type: 'string' },
  name: { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
  out: { type: 'string' },
  last: { type: 'string' },
} as const;

/** A usage problem: said with the usage, status 2. */
class Usage extends Error {
  override readonly name = 'Usage';
}

export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`rights: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  const known = ['access', 'rectify', 'erase', 'retention', 'reindex', 'audit'];
  if (!action || !known.includes(action)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadRightsConfig(env);
  // The schema requires these; this only narrows the types.
  if (!config.REDIS_URL || !config.CASE_SECRET || !config.DATA_KEYS) return 2;
  const opened = await openMaintenanceStore({ ...config, REDIS_URL: config.REDIS_URL, CASE_SECRET: config.CASE_SECRET, DATA_KEYS: config.DATA_KEYS });
  const audit = new RedisRightsAudit(opened.client, opened.keys);
  const rights = new Rights({
    cases: opened.store,
    audit,
    policy: createEscalationPolicy(),
    organisation: config.SERVICE_ORGANISATION ?? 'The organisation',
    retention: retentionFrom(config),
  });
  const by = (): RightsActor => {
    if (!values.by?.trim()) throw new Usage('--by <your name> is needed: the audit records who acted');
    return { staff: { id: `cli:${userInfo().username}`, name: values.by.trim().slice(0, 200) }, via: 'cli' };
  };
  const reference = (text: string | undefined) => {
    const read = parseReference(text ?? '');
    if (!read.ok) throw new Usage(`"${text ?? ''}" is not a case reference`);
    return read.reference;
  };
  try {
    switch (action) {
      case 'access': {
        const query = values.reference
          ? { reference: reference(values.reference) }
          : values.email
            ? { contact: values.email }
            : values.phone
              ? { contact: values.phone }
              : null;
        if (!query) throw new Usage('access needs --reference, --email or --phone');
        const made = await rights.subjectAccess(query, by());
        if (isRefusal(made)) {
          process.stderr.write(`rights: ${made.explanation}\n`);
          return 2;
        }
        const folder = resolve(values.out ?? `subject-access-${new Date().toISOString().replace(/[:.]/g, '-')}`);
        // Personal data: a folder only its maker can read.
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        writeFileSync(join(folder, 'subject-access.json'), `${JSON.stringify(made.json, null, 2)}\n`, { mode: 0o600 });
        writeFileSync(join(folder, 'subject-access.html'), made.html, { mode: 0o600 });
        process.stdout.write(`Found ${String(made.found)} case(s). Wrote ${join(folder, 'subject-access.json')} and ${join(folder, 'subject-access.html')}.\n`);
        if (made.found > 0) process.stdout.write('Check the rows marked for other people’s information before you release it.\n');
        return 0;
      }
      case 'rectify': {
        const request = {
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values.email !== undefined ? { email: values.email } : {}),
          ...(values.phone !== undefined ? { phone: values.phone } : {}),
          reason: values.reason ?? '',
        };
        const outcome = await rights.rectify(reference(rest[0]), request, by(), `cli-rectify:${new Date().toISOString()}`);
        return report(outcome);
      }
      case 'erase': {
        const target = reference(rest[0]);
        const outcome = await rights.eraseOnRequest(target, values.reason ?? '', by(), `erase:${target}`);
        return report(outcome);
      }
      case 'retention': {
        const swept = await rights.sweepRetention();
        process.stdout.write(
          `Erased ${String(swept.erased)} case(s) kept for ${retentionFrom(config).text}; ${String(swept.refused)} refused; ` +
            `${String(swept.failed)} could not be done now (the next run tries them again).\n`,
        );
        return 0;
      }
      case 'reindex': {
        let count = 0;
        for await (const each of opened.store.allReferences()) if (await opened.store.reindexForRights(each)) count += 1;
        process.stdout.write(`Listed ${String(count)} case(s) by their contact details and, where finished, by when they finished.\n`);
        return 0;
      }
      default: {
        const last = Number(values.last ?? 20);
        if (!Number.isInteger(last) || last < 1 || last > 10_000) throw new Usage('--last must be a whole number from 1 to 10000');
        for (const entry of await audit.latest(last)) process.stdout.write(`${JSON.stringify(entry)}\n`);
        return 0;
      }
    }
  } catch (error) {
    if (!(error instanceof Usage)) throw error;
    process.stderr.write(`rights: ${error.message}\n${USAGE}\n`);
    return 2;
  } finally {
    opened.close();
  }
}

function report(outcome: { readonly done: string } | { readonly explanation: string }): number {
  if ('done' in outcome) {
    process.stdout.write(`${outcome.done}\n`);
    return 0;
  }
  process.stderr.write(`rights: ${outcome.explanation}\n`);
  return 3;
}

if (require.main === module) runCommand('rights', () => main(process.argv.slice(2)), [InvalidConfiguration, StorageMisconfigured, RangeError]);
