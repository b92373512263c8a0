/**
 * The rulebook from the command line, for staff, auditors and other services that do not run
 * the bot:  npm run policy -- <command> [options]
 *
 * Output is JSON for `deadline`, `acknowledgement`, `next` and `can-escalate`, so other programs
 * can rely on it; `procedures` prints a table, or JSON with `--json`. Any mistake in the input
 * exits with status 2 and one line on stderr naming the problem.
 */
import { parseArgs } from 'node:util';
import {
  AgreedResponseNotAllowed,
  type Citation,
  createEscalationPolicy,
  type EscalationPolicy,
  ExtensionNotAllowed,
  type LocalDate,
  parseInstant,
  parseLocalDate,
  parseLocalTime,
  type ProcedureSummary,
  UnknownProcedure,
  UnknownStage,
  UnknownTimeLimit,
} from '../policy/index.js';
import { renderTable } from './table.js';

/** Where the CLI writes. */
export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** A mistake in what the user typed: reported in one line, exit status 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Errors caused by what was typed, as opposed to a fault in the program. */
const INPUT_ERRORS = [UsageError, UnknownProcedure, UnknownStage, UnknownTimeLimit, ExtensionNotAllowed, AgreedResponseNotAllowed];

const USAGE = `usage: npm run policy -- <command> [options]

commands:
  procedures [--json]
      every procedure with its stages in order, handlers, time limits and citations
  deadline --procedure P --stage S --received ISO-8601 [--extended] [--time-limit ID] [--cut-off HH:MM]
      when a response (or another time limit of the stage) is due, with the rule behind it
  acknowledgement --procedure P --received ISO-8601 [--cut-off HH:MM]
      when the complaint must be acknowledged, or null where the procedure sets no time
  next --procedure P --stage S [--first-notice YYYY-MM-DD] [--social-care]
      the next stage, or the ombudsman after the final stage
  can-escalate --procedure P --stage S --now ISO-8601 [--responded ISO-8601] [--stage-started ISO-8601]
               [--extended] [--agreed-response-by YYYY-MM-DD] [--first-notice YYYY-MM-DD] [--social-care] [--cut-off HH:MM]
      whether the complainant may escalate now, and if not, why

ISO-8601 times: 2025-04-03 (that London date), 2025-04-03T14:30 (London time) or 2025-04-03T13:30:00Z.`;

const OPTIONS = {
  json: { type: 'boolean' },
  procedure: { type: 'string' },
  stage: { type: 'string' },
  received: { type: 'string' },
  extended: { type: 'boolean' },
  'time-limit': { type: 'string' },
  'cut-off': { type: 'string' },
  'first-notice': { type: 'string' },
  'social-care': { type: 'boolean' },
  now: { type: 'string' },
  responded: { type: 'string' },
  'stage-started': { type: 'string' },
  'agreed-response-by': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function required(values: Values, name: 'procedure' | 'stage' | 'received' | 'now'): string {
  const value = values[name];
  if (value === undefined || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

function instant(policy: EscalationPolicy, option: string, text: string): Date {
  try {
    return parseInstant(text, policy.calendar.timeZone);
  } catch {
    throw new UsageError(`--${option}: "${text}" is not an ISO-8601 date or date-time (for example 2025-04-03, 2025-04-03T14:30 or 2025-04-03T13:30:00Z)`);
  }
}

function optionalDate(option: string, text: string | undefined): LocalDate | undefined {
  if (text === undefined) return undefined;
  try {
    return parseLocalDate(text.trim());
  } catch {
    throw new UsageError(`--${option}: "${text}" is not a date in the form YYYY-MM-DD`);
  }
}

function allowOnly(command: string, values: Values, allowed: readonly (keyof typeof OPTIONS)[]): void {
  for (const [name, value] of Object.entries<unknown>(values)) {
    if (value !== undefined && !allowed.some((option) => option === name)) throw new UsageError(`${command} does not take --${name}`);
  }
}

function citationText(citation: Citation): string {
  const source = { law: 'law', guidance: 'guidance', 'procedure-document': 'procedure document', secondary: 'secondary' }[citation.source];
  return `[${source}] ${citation.reference}`;
}

function procedureTable(procedure: ProcedureSummary): string {
  const lines = [`${procedure.name} (${procedure.id}), ${procedure.basis.kind}: ${citationText(procedure.basis.citation)}`, procedure.summary];
  if (procedure.overseenBy) lines.push(`Overseen by the ${procedure.overseenBy.role}: ${procedure.overseenBy.description}.`);
  lines.push('');
  const rows = procedure.stages.flatMap((stage) =>
    stage.timeLimits.map((limit, index) => [
      index === 0 ? String(stage.position) : '',
      index === 0 ? stage.id : '',
      index === 0 ? `${stage.name}${stage.final ? ' [final]' : ''}` : '',
      index === 0 ? stage.handler.role : '',
      `${limit.description}: ${limit.text}`,
      citationText(limit.citation),
    ]),
  );
  lines.push(
    renderTable(
      [
        { heading: '#', width: 2 },
        { heading: 'Stage id', width: 16 },
        { heading: 'Stage', width: 24 },
        { heading: 'Handled by', width: 28 },
        { heading: 'Time limit', width: 40 },
        { heading: 'Citation', width: 40 },
      ],
      rows,
    ),
  );
  lines.push('');
  for (const stage of procedure.stages) {
    if (stage.requestWithin) {
      lines.push(`Asking for ${stage.name}: ${stage.requestWithin.text}. ${citationText(stage.requestWithin.citation)}`);
    }
    if (stage.whenPreviousResponseOverdue) {
      lines.push(
        `  ...or at once when the previous response is overdue: ${stage.whenPreviousResponseOverdue.rule} ` +
          citationText(stage.whenPreviousResponseOverdue.citation),
      );
    }
    if (stage.agreedResponse) lines.push(`Agreed response date at ${stage.name}: ${stage.agreedResponse.rule} ${citationText(stage.agreedResponse.citation)}`);
  }
  if (procedure.acknowledgement) {
    lines.push(
      `Acknowledgement: ${procedure.acknowledgement.description}, ${procedure.acknowledgement.text}` +
        (procedure.acknowledgement.acknowledgedBy === 'service'
          ? ' (given by the service on the day: its confirmation, with the reference and the response date). '
          : ' (given by staff). ') +
        citationText(procedure.acknowledgement.citation),
    );
  }
  if (procedure.complaintTimeLimit) {
    lines.push(
      `Time limit for complaining: ${procedure.complaintTimeLimit.text}; late complaints are flagged for a decision, never refused. ` +
        citationText(procedure.complaintTimeLimit.citation),
    );
  }
  const joint = procedure.ombudsman.jointWith ? `, jointly with ${procedure.ombudsman.jointWith} where the complaint covers social care too` : '';
  lines.push(
    `After the final stage: ${procedure.ombudsman.name} (${procedure.ombudsman.id})${joint}; ` +
      `${procedure.ombudsman.window}${procedure.ombudsman.mayBeWaived ? ', which the ombudsman may waive' : ''}. ${citationText(procedure.ombudsman.citation)}`,
  );
  lines.push(
    `  ${procedure.ombudsman.localProcessFirst.rule} Sooner when the body is late: ${procedure.ombudsman.localProcessFirst.whenLate} ` +
      citationText(procedure.ombudsman.localProcessFirst.citation),
  );
  if (procedure.ombudsman.referral) lines.push(`  ${procedure.ombudsman.referral.rule} ${citationText(procedure.ombudsman.referral.citation)}`);
  const assessment = procedure.rules.selfAssessment;
  if (assessment) {
    lines.push(`Self-assessment against ${assessment.code}: what this service meets`);
    for (const each of assessment.items) lines.push(`  - ${each.item}: ${each.howMet} ${citationText(each.citation)}`);
  }
  return lines.join('\n');
}

function printJson(output: CliOutput, value: unknown): void {
  output.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs one CLI command; returns the exit status. */
export function runPolicyCli(argv: readonly string[], output: CliOutput, policy: EscalationPolicy = createEscalationPolicy()): number {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid options') : 'invalid options');
    }
    const { values, positionals } = parsed;
    const [command, ...extra] = positionals;
    if (values.help || command === undefined || command === 'help') {
      output.stdout(`${USAGE}\n`);
      return command === undefined && !values.help ? 2 : 0;
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}"`);
    const cutOff = values['cut-off']?.trim();
    if (cutOff !== undefined) {
      try {
        parseLocalTime(cutOff);
      } catch {
        throw new UsageError(`--cut-off: "${cutOff}" is not a time in the form HH:MM (24-hour clock, for example 17:00)`);
      }
    }
    switch (command) {
      case 'procedures': {
        allowOnly(command, values, ['json']);
        const procedures = policy.procedures();
        if (values.json) {
          printJson(output, { calendar: policy.calendar.id, calendarVersion: policy.calendar.version, procedures });
        } else {
          const calendar = policy.calendar;
          const computed =
            calendar.coversThrough > calendar.publishedThrough
              ? `; published by GOV.UK to ${calendar.publishedThrough}, computed from the fixed rules after that`
              : '';
          output.stdout(
            `${procedures.map(procedureTable).join('\n\n')}\n\n` +
              'Working days: Monday to Friday, not England and Wales bank holidays ' +
              `(calendar ${calendar.version}, covering ${calendar.coversFrom} to ${calendar.coversThrough}${computed}).\n` +
              'Counting: "within N working days of receipt" ends on the Nth working day after the day of receipt, whatever day that is; ' +
              'months "beginning with" a day end the day before the same date in the later month, months "from" or "after" a day end on it.\n',
          );
        }
        return 0;
      }
      case 'deadline': {
        allowOnly(command, values, ['procedure', 'stage', 'received', 'extended', 'time-limit', 'cut-off']);
        const timeLimit = values['time-limit'];
        printJson(
          output,
          policy.deadline({
            procedure: required(values, 'procedure'),
            stage: required(values, 'stage'),
            received: instant(policy, 'received', required(values, 'received')),
            extended: values.extended ?? false,
            ...(timeLimit === undefined ? {} : { timeLimit }),
            ...(cutOff === undefined ? {} : { cutOff }),
          }),
        );
        return 0;
      }
      case 'acknowledgement': {
        allowOnly(command, values, ['procedure', 'received', 'cut-off']);
        printJson(
          output,
          policy.acknowledgementDeadline({
            procedure: required(values, 'procedure'),
            received: instant(policy, 'received', required(values, 'received')),
            ...(cutOff === undefined ? {} : { cutOff }),
          }),
        );
        return 0;
      }
      case 'next': {
        allowOnly(command, values, ['procedure', 'stage', 'first-notice', 'social-care']);
        const firstNoticeOn = optionalDate('first-notice', values['first-notice']);
        printJson(
          output,
          policy.nextStep({
            procedure: required(values, 'procedure'),
            stage: required(values, 'stage'),
            ...(firstNoticeOn === undefined ? {} : { firstNoticeOn }),
            ...(values['social-care'] === undefined ? {} : { coversSocialCare: values['social-care'] }),
          }),
        );
        return 0;
      }
      case 'can-escalate': {
        allowOnly(command, values, [
          'procedure',
          'stage',
          'now',
          'responded',
          'stage-started',
          'extended',
          'agreed-response-by',
          'first-notice',
          'social-care',
          'cut-off',
        ]);
        const firstNoticeOn = optionalDate('first-notice', values['first-notice']);
        const agreedResponseBy = optionalDate('agreed-response-by', values['agreed-response-by']);
        const responded = values.responded;
        const started = values['stage-started'];
        printJson(
          output,
          policy.decideEscalation({
            procedure: required(values, 'procedure'),
            stage: required(values, 'stage'),
            now: instant(policy, 'now', required(values, 'now')),
            respondedAt: responded === undefined ? null : instant(policy, 'responded', responded),
            extended: values.extended ?? false,
            ...(started === undefined ? {} : { stageStartedAt: instant(policy, 'stage-started', started) }),
            ...(agreedResponseBy === undefined ? {} : { agreedResponseBy }),
            ...(firstNoticeOn === undefined ? {} : { firstNoticeOn }),
            ...(values['social-care'] === undefined ? {} : { coversSocialCare: values['social-care'] }),
            ...(cutOff === undefined ? {} : { cutOff }),
          }),
        );
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}" (commands: procedures, deadline, acknowledgement, next, can-escalate, help)`);
    }
  } catch (error) {
    // The rulebook's named errors already say what is wrong in words; show the message alone.
    if (error instanceof Error && INPUT_ERRORS.some((type) => error instanceof type)) {
      output.stderr(`policy: ${error.message}\n`);
      return 2;
    }
    output.stderr(`policy: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = runPolicyCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
