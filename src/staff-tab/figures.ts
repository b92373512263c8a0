/**
 * The figures a complaints manager publishes, for a period and a procedure, from the cases lodged
 * in it: received; acknowledged on time (where the procedure sets a time); at each stage,
 * responded, on time, extended, taken further, the responses' outcomes and the median working
 * days to respond; redirected, withdrawn and closed (and closed once the time to go further
 * passed); referred to an ombudsman, where staff recorded it; the period's cases still open, by age. Those the
 * regulations' annual reports require are marked with the provision. Pure.
 */
import { FINISHED_STATUSES, type ResponseOutcome } from '../cases/case.js';
import type { CaseFacts } from '../cases/case-facts.js';
import { dateInZone, type EscalationPolicy, isLocalDate, type LocalDate, parseLocalDate, workingDaysBetween } from '../policy/index.js';

/** Outcomes as counted: what staff recorded, or unrecorded for responses sent before it was asked. */
export type OutcomeCounts = Readonly<Record<ResponseOutcome | 'unrecorded', number>>;

export interface StageFigures {
  readonly stage: string;
  readonly stageName: string;
  /** Cases that reached the stage. */
  readonly reached: number;
  readonly responded: number;
  /** Responded by the stage's deadline as it stood (extended, where it was). */
  readonly respondedOnTime: number;
  readonly extended: number;
  /** Taken on to a later stage. */
  readonly escalated: number;
  readonly outcomes: OutcomeCounts;
  /** Median working days from when the stage's time began to count to its response; null with no responses. */
  readonly medianWorkingDaysToRespond: number | null;
}

export interface Figures {
  readonly from: string;
  readonly to: string;
  readonly procedure: string;
  readonly procedureName: string;
  readonly received: number;
  /** Where the procedure sets a time to acknowledge: how many were owed one, and how many had it on time. */
  readonly acknowledged: { readonly owed: number; readonly onTime: number } | null;
  readonly stages: readonly StageFigures[];
  readonly redirected: number;
  readonly withdrawn: number;
  readonly closed: number;
  /** Of those closed, closed because the time to take the complaint further passed without a request. */
  readonly closedAfterWindow: number;
  /** Where staff recorded one: how many went to an ombudsman, by the ombudsman's name. */
  readonly referredToOmbudsman: { readonly total: number; readonly byOmbudsman: readonly { readonly name: string; readonly count: number }[] };
  /** Received in each month of the period (London months), for the trend. */
  readonly monthly: readonly { readonly month: string; readonly received: number }[];
  /** The period's cases still open, by working days since they were lodged. */
  readonly openByAge: readonly { readonly band: string; readonly count: number }[];
  /** Figures the regulations require in the annual report, by field name, with the provision. */
  readonly required: Readonly<Record<string, string>>;
}

/** What each procedure's annual report must contain, by the figure's field. */
const REQUIRED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'nhs-health': {
    received: 'SI 2009/309 reg 18(2)(a): the number of complaints received',
    'outcomes.upheld': 'SI 2009/309 reg 18(2)(b): the number decided to be well-founded (upheld, and partly upheld)',
    'outcomes.partly-upheld': 'SI 2009/309 reg 18(2)(b): the number decided to be well-founded (upheld, and partly upheld)',
    referredToOmbudsman: 'SI 2009/309 reg 18(2)(c): the number the body was told were referred to the Health Service Commissioner',
  },
  // The Code names no fixed list: its report gives a quantitative analysis of performance (para
  // 8.1), and volume and outcomes reach the Member Responsible for Complaints (9.7).
  'la-corporate': {
    received: 'LGSCO Complaint Handling Code paras 8.1 and 9.7: the annual complaints performance report (how many)',
    respondedOnTime: 'LGSCO Complaint Handling Code para 8.1: performance against the timescales, stage by stage',
    extended: 'LGSCO Complaint Handling Code paras 6.4 and 8.1: extensions',
    'outcomes.upheld': 'LGSCO Complaint Handling Code para 9.7: outcomes',
    'outcomes.partly-upheld': 'LGSCO Complaint Handling Code para 9.7: outcomes',
    'outcomes.not-upheld': 'LGSCO Complaint Handling Code para 9.7: outcomes',
  },
  'la-childrens-services': {
    received: 'SI 2006/1738 reg 13: the annual report on the operation of the procedure (representations received)',
    respondedOnTime: 'SI 2006/1738 reg 13: compliance with the time limits, stage by stage',
    'outcomes.upheld': 'SI 2006/1738 reg 13: the outcome of representations',
  },
};

const AGE_BANDS: readonly { readonly band: string; readonly upTo: number }[] = [
  { band: 'up to 10 working days', upTo: 10 },
  { band: '11 to 20 working days', upTo: 20 },
  { band: '21 to 40 working days', upTo: 40 },
  { band: '41 to 65 working days', upTo: 65 },
  { band: 'more than 65 working days', upTo: Number.POSITIVE_INFINITY },
];

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? null) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** A two-argument function remembering its answers (for arguments that repeat a great deal). */
function memoised<A extends string, B extends string, R>(work: (a: A, b: B) => R): (a: A, b: B) => R {
  const known = new Map<string, R>();
  return (a, b) => {
    const key = `${a}\u0000${b}`;
    const found = known.get(key);
    if (found !== undefined) return found;
    const answer = work(a, b);
    known.set(key, answer);
    return answer;
  };
}

/** Figures for the cases (those lodged in the period under the procedure), as at `now`. */
export function figuresFor(
  cases: readonly CaseFacts[],
  query: { readonly from: string; readonly to: string; readonly procedure: string },
  policy: EscalationPolicy,
  now: Date,
): Figures {
  const zone = policy.calendar.timeZone;
  const today = dateInZone(now, zone);
  const mine = cases.filter((value) => value.procedure === query.procedure);
  // Worked out once per case, date or pair of dates: a year of a large council is a hundred
  // thousand cases, and reading a date in a zone or counting working days is not free.
  const lodgedOn = new Map(mine.map((value) => [value, dateInZone(new Date(value.lodgedAt), zone)]));
  const workingDays = memoised((from: LocalDate, to: LocalDate) => workingDaysBetween(policy.calendar, from, to));
  const positionOf = memoised((procedure: string, stage: string) => policy.stage(procedure, stage).position);
  const stages = policy.stages(query.procedure).map((stage): StageFigures => {
    const reached = mine.filter((value) => value.stage === stage.id || value.deadlines.some((deadline) => deadline.stage === stage.id));
    const responses = reached.flatMap((value) => value.responses.filter((response) => response.stage === stage.id).map((response) => ({ value, response })));
    const onTime = responses.filter(({ value, response }) => {
      const deadline = value.deadlines.filter((each) => each.stage === stage.id).at(-1);
      return deadline !== undefined && Date.parse(response.at) <= Date.parse(deadline.endsAt);
    });
    const days = responses.flatMap(({ value, response }) => {
      const deadline = value.deadlines.find((each) => each.stage === stage.id);
      return deadline ? [workingDays(deadline.countsFrom, dateInZone(new Date(response.at), zone))] : [];
    });
    const outcomes = { upheld: 0, 'partly-upheld': 0, 'not-upheld': 0, unrecorded: 0 };
    for (const { response } of responses) outcomes[response.outcome ?? 'unrecorded'] += 1;
    return {
      stage: stage.id,
      stageName: stage.name,
      reached: reached.length,
      responded: responses.length,
      respondedOnTime: onTime.length,
      extended: reached.filter((value) => value.deadlines.some((deadline) => deadline.stage === stage.id && deadline.extended)).length,
      escalated: reached.filter((value) => positionOf(value.procedure, value.stage) > stage.position).length,
      outcomes,
      medianWorkingDaysToRespond: median(days),
    };
  });
  const receivedByMonth = new Map<string, number>();
  for (const day of lodgedOn.values()) receivedByMonth.set(day.slice(0, 7), (receivedByMonth.get(day.slice(0, 7)) ?? 0) + 1);
  const ages = mine.filter((value) => !FINISHED_STATUSES.includes(value.status)).map((value) => workingDays(lodgedOn.get(value) ?? today, today));
  const owedAcknowledgement = mine.filter((value) => value.acknowledgement !== null);
  return {
    from: query.from,
    to: query.to,
    procedure: query.procedure,
    procedureName: policy.procedure(query.procedure).name,
    received: mine.length,
    acknowledged:
      owedAcknowledgement.length === 0
        ? null
        : {
            owed: owedAcknowledgement.length,
            onTime: owedAcknowledgement.filter(
              (value) =>
                value.acknowledgement?.acknowledgedAt && Date.parse(value.acknowledgement.acknowledgedAt) <= Date.parse(value.acknowledgement.due.endsAt),
            ).length,
          },
    stages,
    redirected: mine.filter((value) => value.status === 'redirected').length,
    withdrawn: mine.filter((value) => value.status === 'withdrawn').length,
    closed: mine.filter((value) => value.status === 'closed').length,
    closedAfterWindow: mine.filter((value) => value.status === 'closed' && value.closure === 'window-passed').length,
    referredToOmbudsman: {
      total: mine.filter((value) => value.referredTo !== null).length,
      byOmbudsman: policy.ombudsmenFor(query.procedure).map((ombudsman) => ({
        name: ombudsman.name,
        count: mine.filter((value) => value.referredTo === ombudsman.id).length,
      })),
    },
    monthly: monthsOf(query.from, query.to).map((month) => ({ month, received: receivedByMonth.get(month) ?? 0 })),
    openByAge: AGE_BANDS.map((band, index) => ({
      band: band.band,
      count: ages.filter((age) => age <= band.upTo && age > (AGE_BANDS[index - 1]?.upTo ?? -1)).length,
    })),
    required: REQUIRED[query.procedure] ?? {},
  };
}

/** The months (YYYY-MM) a period touches, first to last. */
function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = to.slice(0, 7);
  // At most a few years' worth: a longer period's trend is still drawn, month by month.
  for (let guard = 0; guard < 1200; guard += 1) {
    const current = `${String(year)}-${String(month).padStart(2, '0')}`;
    months.push(current);
    if (current >= last) break;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

/** A period as asked for: two dates, the first not after the second. */
export function periodOf(from: string, to: string): { readonly from: LocalDate; readonly to: LocalDate } | null {
  if (!isLocalDate(from) || !isLocalDate(to) || from > to) return null;
  return { from: parseLocalDate(from), to: parseLocalDate(to) };
}

/** A CSV field, quoted where needed, and never read as a formula by a spreadsheet. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV lines from rows of fields. */
export function csv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** The figures as CSV: one line per figure, with the provision requiring it where one does. */
export function figuresCsv(figures: Figures): string {
  const rows: (string | number | null)[][] = [['figure', 'stage', 'value', 'required by']];
  const required = (field: string): string => figures.required[field] ?? '';
  rows.push(['received', null, figures.received, required('received')]);
  if (figures.acknowledged) {
    rows.push(['acknowledgement owed', null, figures.acknowledged.owed, '']);
    rows.push(['acknowledged on time', null, figures.acknowledged.onTime, '']);
  }
  for (const stage of figures.stages) {
    rows.push(['reached', stage.stageName, stage.reached, '']);
    rows.push(['responded', stage.stageName, stage.responded, '']);
    rows.push(['responded on time', stage.stageName, stage.respondedOnTime, required('respondedOnTime')]);
    rows.push(['extended', stage.stageName, stage.extended, required('extended')]);
    rows.push(['taken further', stage.stageName, stage.escalated, '']);
    for (const [outcome, count] of Object.entries(stage.outcomes)) rows.push([`outcome: ${outcome}`, stage.stageName, count, required(`outcomes.${outcome}`)]);
    rows.push(['median working days to respond', stage.stageName, stage.medianWorkingDaysToRespond, '']);
  }
  rows.push(['redirected', null, figures.redirected, ''], ['withdrawn', null, figures.withdrawn, ''], ['closed', null, figures.closed, '']);
  rows.push(['closed after the time to take it further passed', null, figures.closedAfterWindow, '']);
  rows.push(['referred to an ombudsman (where known)', null, figures.referredToOmbudsman.total, required('referredToOmbudsman')]);
  for (const each of figures.referredToOmbudsman.byOmbudsman) rows.push([`referred to ${each.name}`, null, each.count, '']);
  for (const band of figures.openByAge) rows.push([`open, ${band.band}`, null, band.count, '']);
  for (const month of figures.monthly) rows.push([`received in ${month.month}`, null, month.received, '']);
  return csv(rows);
}
