/**
 * When it happened, in the person's own words. Every date is read back in full ("Thursday
 * 3 April 2025") to be confirmed; a vague answer is narrowed down, or kept at the precision it
 * was given as a range of days ("summer 2025 (June to August)"), never as an invented day;
 * "the other day" is asked about, with choices; a date in the future or one that does not exist
 * is queried; "not sure" is accepted. The time limit is checked against the latest day an
 * approximate answer could mean, the reading most favourable to the complainant. A date past
 * the procedure's time limit is never refused: the time limit is explained, the person is asked
 * why it is late, and the case is flagged for a decision.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import {
  addDays,
  compareDates,
  dateInZone,
  dateParts,
  daysInMonth,
  formatLongDate,
  isoWeekday,
  type LocalDate,
  localDate,
  monthName,
  parseLocalDate,
} from '../../src/policy/index.js';
import type { Approximation, DateReading } from '../../src/ports/date-parser.js';
import { cleanAnswer } from '../../src/text/clean-text.js';
import type { ComplaintDraft, DraftWhen } from '../draft.js';
import { ask, ChoicePrompt, values } from '../prompts.js';
import type { ComplaintDialogPorts } from '../ports.js';
import { type Choice, normalise, readYesNo } from '../recognisers.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';
import { excerpt } from '../wording.js';
import { describeApproximation } from './when-wording.js';

export const WHEN_DIALOG = 'when';

/** What this dialog ends with. */
export interface WhenAnswer {
  readonly when: NonNullable<ComplaintDraft['when']>;
  readonly late: ComplaintDraft['late'];
}

/** Whether a step's result is this dialog's answer (undefined when the question was not asked). */
export function isWhenAnswer(result: unknown): result is WhenAnswer {
  return typeof result === 'object' && result !== null && 'when' in result;
}

/** Why the question is being asked (again), carried from one round to the next. */
interface Round {
  readonly procedure: string;
  readonly reason?: 'unreadable' | 'future' | 'impossible' | 'unknown' | 'no' | 'month' | 'year' | 'recently' | 'longer';
  readonly detail?: string;
  readonly month?: { year: number; month: number };
  readonly year?: number;
  /** "Longer ago" than the choices offered for "the other day": before this day. */
  readonly before?: LocalDate;
  /** Their first answer, kept as their words when a choice narrows it down ("the other day"). */
  readonly said?: string;
  readonly unknownOnce?: boolean;
  readonly misses?: number;
  /** Text already given (a correction typed instead of yes or no) to read without asking again. */
  readonly answer?: string;
}

type Candidate = DraftWhen;

/**
 * What the questions keep between steps (saved with the conversation: keep the keys). The
 * candidate is kept by the step that reads the answer, before any step that reads it.
 */
interface WhenValues {
  candidate: Candidate;
  /** Taken without asking "is that right?". */
  confirmed?: boolean;
  /** Set when it is past the time limit: the last day of the limit. */
  limitEndedOn?: LocalDate;
}

function kept(step: WaterfallStepContext<Round>): WhenValues {
  return values<WhenValues>(step);
}

/** The choices for roughly when "the other day" was. */
const RECENT_CHOICES = ['This week', 'Last week', 'Earlier this month', 'Longer ago', 'Not sure'] as const;
type RecentChoice = (typeof RECENT_CHOICES)[number];

const BASIS_PROMPT = 'when-basis';

/**
 * What a date past the time limit is: the day it happened, or the day the person first found
 * out (some time limits count from that). Never assumed: the answer decides the wording of the
 * time limit and whether the complaint is flagged as late.
 */
const BASES = {
  happened: { label: 'When it happened', words: /\b(happened|happen|occurred|took place|on the day|the day itself|the actual day)\b/ },
  'first-knew': {
    label: 'When I found out',
    words: /\b(found out|find out|finding out|found|knew|learn\w*|discover\w*|realis\w*|realiz\w*|noticed|heard|was told|got told|told me)\b/,
  },
} as const satisfies Record<DraftWhen['basis'], Choice>;

/** How many days back "not sure" reaches, for something that happened "the other day". */
const RECENT_DAYS = 28;

const HELP =
  'Tell me the date it happened, in any way you like: for example 3/4/2025 (that’s 3 April), "last Tuesday", "a fortnight ago" or "in March". If it ' +
  'went on over a while, give the date it started. If you can’t remember, type "not sure".';

/** Asks when it happened, and checks the answer against the time limit. */
export class WhenFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];
  private readonly basis = new ChoicePrompt(BASIS_PROMPT, BASES);

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      // Version 3: whether the date is when it happened or when they found out is asked until the answer is clear, and the next step is given the choice.
      new VersionedWaterfallDialog<Round>(WHEN_DIALOG, 3, [
        this.askWhen.bind(this),
        this.interpret.bind(this),
        this.checkConfirmation.bind(this),
        this.askBasisIfLate.bind(this),
        this.askWhyLate.bind(this),
        this.finish.bind(this),
      ]),
      this.basis,
    ];
  }

  private today(): LocalDate {
    return dateInZone(this.ports.clock.now(), this.ports.policy.calendar.timeZone);
  }

  private askWhen(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const round = step.options;
    if (round.answer !== undefined) return step.next(round.answer);
    let text: string;
    switch (round.reason) {
      case undefined:
        text =
          'When did this happen? You can write a date like 3/4/2025, or say something like "last Tuesday". If it went on over a while, tell me when it ' +
          'started.';
        break;
      case 'unreadable':
        text =
          (round.misses ?? 0) >= 2
            ? 'I still can’t find a date in that, sorry. Try a date like 3/4/2025, or words like "last week" or "in March". If you can’t remember, type ' +
              '"not sure".'
            : 'Sorry, I couldn’t find a date in that. You can write a date like 3/4/2025 (that’s 3 April 2025), or words like "last Tuesday" or "in March".';
        break;
      case 'future':
        text =
          `${round.detail ?? 'That date'} is in the future. When did it happen? (If you’re worried about something that hasn’t happened yet, you ` +
          `can contact the service desk.)`;
        break;
      case 'impossible':
        text = `Sorry, ${round.detail ?? 'that date doesn’t exist'}. Could you check the date?`;
        break;
      case 'unknown':
        text =
          'That’s fine. Can you say roughly when? For example "last summer", "about two years ago" or "March 2024". If you really can’t say, type "not ' +
          'sure" again.';
        break;
      case 'no':
        text = 'OK, when did it happen?';
        break;
      case 'month':
        text =
          `Do you know which day in ${monthName(round.month?.month ?? 1)} ${round.month?.year ?? ''} it was? Tell me the day, or type "not sure" ` +
          `and I’ll note the month.`;
        break;
      case 'year':
        text = `Do you know which month in ${round.year ?? ''} it was? Tell me the month, or type "not sure" and I’ll note the year.`;
        break;
      case 'recently':
        return ask(step, {
          text: `${(round.misses ?? 0) > 0 ? 'Sorry, I didn’t catch that. ' : ''}Roughly when was that?`,
          help: 'Choose the nearest, and I’ll note it as roughly then. If you know the date, you can type it instead.',
          buttons: RECENT_CHOICES,
        });
      case 'longer':
        text = 'Can you say roughly when? For example "in September", "about two months ago" or "last spring". If you can’t say, type "not sure".';
        break;
    }
    return ask(step, { text, help: HELP });
  }

  private async interpret(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const round = step.options;
    const said = cleanAnswer(String(step.result), 500);
    if (round.reason === 'recently') {
      const choice = recentChoice(said);
      if (choice) return this.acceptRecent(step, choice, round);
    }
    const reading = this.readInRound(said, round);
    if (round.reason === 'recently' && reading.kind === 'unknown') return this.acceptRecent(step, 'Not sure', round);
    const today = this.today();

    if (round.month && reading.kind === 'unknown') {
      const { year, month } = round.month;
      const candidate = rangeCandidate(
        localDate(year, month, 1),
        lastDayOfMonth(year, month, today),
        { kind: 'month', year, month },
        `${monthName(month)} ${year}`,
      );
      return this.accept(step, candidate, `That’s fine: I’ll note it as ${candidate.readAs ?? ''}.`);
    }
    if (round.year !== undefined && reading.kind === 'unknown') {
      const candidate = rangeCandidate(
        localDate(round.year, 1, 1),
        lastDayOfMonth(round.year, 12, today),
        { kind: 'year', year: round.year },
        `sometime in ${round.year}`,
      );
      return this.accept(step, candidate, `That’s fine: I’ll note it as ${candidate.readAs ?? ''}.`);
    }
    if (round.before && reading.kind === 'unknown') {
      const candidate = rangeCandidate(null, addDays(round.before, -1), { kind: 'before', date: round.before }, round.said ?? said);
      return this.accept(step, candidate, `That’s fine: I’ll note it as ${candidate.readAs ?? ''}. The team can ask you about it.`);
    }

    switch (reading.kind) {
      case 'date':
      case 'range': {
        const candidate: Candidate =
          reading.kind === 'date'
            ? {
                date: reading.date,
                earliest: reading.date,
                latest: reading.date,
                basis: 'happened',
                certainty: 'exact',
                said,
                readAs: formatLongDate(reading.date),
              }
            : rangeCandidate(reading.earliest, reading.latest, reading.approximation, said);
        kept(step).candidate = candidate;
        return ask(step, {
          text: `So that was ${candidate.readAs ?? ''}. Is that right?`,
          help: 'Say yes if the date is right (or close enough, if you weren’t sure of the exact day). Say no to give it again, or just type the right date.',
          buttons: ['Yes', 'No'],
        });
      }
      case 'recently':
        if ((round.misses ?? 0) >= 3) return this.acceptUnknown(step, round.said ?? said);
        return step.replaceDialog(WHEN_DIALOG, {
          procedure: round.procedure,
          reason: 'recently',
          said: round.said ?? said,
          misses: round.reason === 'recently' ? (round.misses ?? 0) + 1 : 0,
        } satisfies Round);
      case 'month':
        return step.replaceDialog(WHEN_DIALOG, {
          procedure: round.procedure,
          reason: 'month',
          month: { year: reading.year, month: reading.month },
        } satisfies Round);
      case 'year':
        return step.replaceDialog(WHEN_DIALOG, { procedure: round.procedure, reason: 'year', year: reading.year } satisfies Round);
      case 'future':
        return step.replaceDialog(WHEN_DIALOG, { ...narrowing(round), reason: 'future', detail: formatLongDate(reading.date) } satisfies Round);
      case 'impossible':
        return step.replaceDialog(WHEN_DIALOG, { ...narrowing(round), reason: 'impossible', detail: reading.problem } satisfies Round);
      case 'unknown':
        if (round.unknownOnce) {
          return this.accept(
            step,
            { date: null, earliest: null, latest: null, basis: 'happened', certainty: 'unknown', said },
            'That’s fine: I’ll note that you’re not sure when it happened. The team can ask you about it.',
          );
        }
        return step.replaceDialog(WHEN_DIALOG, { procedure: round.procedure, reason: 'unknown', unknownOnce: true } satisfies Round);
      case 'unreadable': {
        const misses = (round.misses ?? 0) + 1;
        if (misses >= 4) return this.acceptUnknown(step, round.said ?? said);
        // Neither a choice nor a date, when asked roughly when "the other day" was: the choices again.
        const reason = round.reason === 'recently' ? 'recently' : 'unreadable';
        return step.replaceDialog(WHEN_DIALOG, { ...narrowing(round), reason, misses, unknownOnce: round.unknownOnce ?? false } satisfies Round);
      }
    }
  }

  /** Gives up on a date after several tries, keeping their words for the team. */
  private acceptUnknown(step: WaterfallStepContext<Round>, said: string): Promise<DialogTurnResult> {
    return this.accept(
      step,
      { date: null, earliest: null, latest: null, basis: 'happened', certainty: 'unknown', said },
      `Let’s not worry about the exact date. I’ll note what you said ("${excerpt(said, 80)}"), and the team can ask you about it.`,
    );
  }

  /**
   * Roughly when "the other day" was, from the choices: each is a range of days (weeks run
   * Monday to Sunday); "Longer ago" asks again, knowing it was before the choices offered.
   */
  private acceptRecent(step: WaterfallStepContext<Round>, choice: RecentChoice, round: Round): Promise<DialogTurnResult> {
    const today = this.today();
    const monday = addDays(today, 1 - isoWeekday(today));
    const { year, month } = dateParts(today);
    const firstOfMonth = localDate(year, month, 1);
    const said = round.said ?? choice;
    const between = (from: LocalDate, to: LocalDate) => rangeCandidate(from, to, { kind: 'between', from: { date: from }, to: { date: to } }, said);
    switch (choice) {
      case 'This week':
        return this.acceptRange(step, between(monday, today));
      case 'Last week':
        return this.acceptRange(step, between(addDays(monday, -7), addDays(monday, -1)));
      case 'Earlier this month':
        return this.acceptRange(step, between(firstOfMonth, today));
      case 'Not sure': {
        const candidate = between(addDays(today, 1 - RECENT_DAYS), today);
        return this.accept(step, candidate, `That’s fine: I’ll note it as recent, ${candidate.readAs ?? ''}.`);
      }
      case 'Longer ago': {
        const before = compareDates(firstOfMonth, addDays(monday, -7)) < 0 ? firstOfMonth : addDays(monday, -7);
        return step.replaceDialog(WHEN_DIALOG, { procedure: round.procedure, reason: 'longer', before, said } satisfies Round);
      }
    }
  }

  private acceptRange(step: WaterfallStepContext<Round>, candidate: Candidate): Promise<DialogTurnResult> {
    return this.accept(step, candidate, `Thank you: I’ll note it as ${candidate.readAs ?? ''}.`);
  }

  /**
   * Reads an answer in the light of the question: a day on its own ("the 14th") when a month
   * was given; a month or season without a year ("March") when a year was.
   */
  private readInRound(said: string, round: Round): DateReading {
    const now = this.ports.clock.now();
    const reading = this.ports.dates.read(said, now);
    if (reading.kind === 'unknown') return reading;
    if (round.month) {
      const { year, month } = round.month;
      const day = dayOnly(said);
      if (day !== null) return dayIn(year, month, day, this.today());
    }
    // An answer without a year, in a round about a year, is about that year ("March", "14 March").
    if (round.year !== undefined && !/\b\d{4}\b/.test(said)) {
      const inYear = this.ports.dates.read(`${said} ${round.year}`, now);
      if (inYear.kind !== 'unreadable') return inYear;
    }
    return reading;
  }

  /** Takes an answer without asking "is that right?" (nothing more precise to confirm), saying what was noted. */
  private async accept(step: WaterfallStepContext<Round>, candidate: Candidate, noted: string): Promise<DialogTurnResult> {
    kept(step).candidate = candidate;
    kept(step).confirmed = true;
    await step.context.sendActivity(noted);
    return step.next();
  }

  private checkConfirmation(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const round = step.options;
    if (kept(step).confirmed === true) return step.next();
    const candidate = kept(step).candidate;
    const { answer, rest } = readYesNo(String(step.result));
    // "No, it was 4/4", or "yes, the 5th actually": the words after yes or no may be the right date.
    const correction = rest === '' ? null : this.correction(rest, candidate);
    const corrects =
      correction !== null &&
      correction.kind !== 'unreadable' &&
      correction.kind !== 'unknown' &&
      !(correction.kind === 'date' && correction.date === candidate.date);
    if (answer === true && !corrects) return step.next();
    if (answer === false && !corrects) return step.replaceDialog(WHEN_DIALOG, { procedure: round.procedure, reason: 'no' } satisfies Round);
    // Neither yes nor no: most likely the right date, typed straight away.
    // A corrected day is passed on as a full date, since it only made sense beside the one it corrects.
    const next = correction?.kind === 'date' && corrects ? correction.date.split('-').reverse().join('/') : corrects ? rest : String(step.result);
    return step.replaceDialog(WHEN_DIALOG, { ...narrowing(round), answer: next } satisfies Round);
  }

  /** Words after a yes or no read as a date: a day in the candidate's month ("yes, the 5th actually"), or a whole one. */
  private correction(rest: string, candidate: Candidate): DateReading {
    const day = dayOnly(rest);
    const month = monthOf(candidate);
    if (day !== null && month) return dayIn(month.year, month.month, day, this.today());
    return this.ports.dates.read(rest, this.ports.clock.now());
  }

  private askBasisIfLate(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const candidate = kept(step).candidate;
    if (!candidate.date || this.assess(step, candidate).status !== 'late') return step.next();
    return ask(
      step,
      {
        text:
          candidate.certainty === 'exact'
            ? `Was ${formatLongDate(parseLocalDate(candidate.date))} when it happened, or when you first found out about it?`
            : 'Is that when it happened, or when you first found out about it?',
        help: 'Some time limits count from when you first knew about a problem, not when it happened, so this can make a difference.',
        buttons: this.basis.buttons,
        retry: 'Sorry, I couldn’t tell which you meant. Is the date you gave the day it happened, or the day you first found out about it?',
      },
      BASIS_PROMPT,
    );
  }

  private async askWhyLate(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const candidate = kept(step).candidate;
    if (!candidate.date) return step.next();
    // Nothing but a choice gets past the prompt; with no question asked (in time), the date stays when it happened.
    if (this.basis.isChoice(step.result)) candidate.basis = step.result;
    const timeliness = this.assess(step, candidate);
    if (timeliness.status !== 'late') return step.next();
    kept(step).limitEndedOn = timeliness.limitEndsOn;
    await step.context.sendActivity(`${timeliness.explanation} You can still go ahead.`);
    return ask(step, {
      text:
        'Could you tell me briefly why you’re making the complaint now? For example, you’ve only just found out, you were unwell, or you were ' +
        'trying to sort it out another way first.',
      help:
        'The team use your reason to decide whether your complaint can still be looked at. There are no wrong answers: just say what happened. If ' +
        'you’d rather not say, type "skip".',
    });
  }

  private finish(step: WaterfallStepContext<Round>): Promise<DialogTurnResult> {
    const candidate = kept(step).candidate;
    const limitEndedOn = kept(step).limitEndedOn;
    const reason = typeof step.result === 'string' && limitEndedOn ? cleanAnswer(step.result, 2000) : null;
    const late = limitEndedOn ? { limitEndedOn, reason: reason && !/^(skip|no|n\/a)$/i.test(reason) ? reason : null } : null;
    return step.endDialog({ when: candidate, late } satisfies WhenAnswer);
  }

  /** The time limit, counted from the day given or, for an approximate answer, the latest it could have been. */
  private assess(step: WaterfallStepContext<Round>, candidate: Candidate) {
    const date = candidate.date ? parseLocalDate(candidate.date) : undefined;
    const exact = candidate.certainty === 'exact';
    return this.ports.policy.assessTimeliness({
      procedure: step.options.procedure,
      ...(date && candidate.basis === 'happened' ? (exact ? { happenedOn: date } : { happenedBy: date }) : {}),
      ...(date && candidate.basis === 'first-knew' ? (exact ? { firstKnewOn: date } : { firstKnewBy: date }) : {}),
      receivedAt: this.ports.clock.now(),
    });
  }
}

/** The last day of a month, or today if that is earlier: the most generous reading of "sometime in". */
function lastDayOfMonth(year: number, month: number, today: LocalDate): LocalDate {
  const last = localDate(year, month, daysInMonth(year, month));
  return compareDates(last, today) > 0 ? today : last;
}

/**
 * An approximate answer as a candidate: counted from its latest day (see `Case['when']`), and
 * read back at the precision it was given.
 */
function rangeCandidate(earliest: LocalDate | null, latest: LocalDate, approximation: Approximation, said: string): Candidate {
  return { date: latest, earliest, latest, basis: 'happened', certainty: 'approximate', said, readAs: describeApproximation(approximation, latest) };
}

/** The month a candidate lies within, if it lies within one, for a day given on its own. */
function monthOf(candidate: Candidate): { year: number; month: number } | null {
  const first = candidate.earliest ?? null;
  const last = candidate.latest ?? candidate.date;
  if (!last || (first !== null && first.slice(0, 7) !== last.slice(0, 7))) return null;
  return dateParts(last);
}

/** Which of the choices for "the other day" an answer is, typed or pressed. */
function recentChoice(said: string): RecentChoice | null {
  const text = normalise(said).replace(/[.!]+$/, '');
  if (/^(?:it was )?this week$/.test(text)) return 'This week';
  if (/^(?:it was )?last week$/.test(text)) return 'Last week';
  if (/^(?:it was )?(?:earlier |sometime )?this month$/.test(text)) return 'Earlier this month';
  if (/^(?:it was )?(?:longer|longer ago|longer than that|before that|ages ago)$/.test(text)) return 'Longer ago';
  if (/^(?:i'?m )?(?:not sure|unsure|no idea|don'?t know|idk|can'?t remember)$/.test(text)) return 'Not sure';
  return null;
}

/** The month, year or bounds a round is narrowing down, to carry into the next round. */
function narrowing(round: Round): Pick<Round, 'procedure' | 'month' | 'year' | 'before' | 'said'> {
  return {
    procedure: round.procedure,
    ...(round.month ? { month: round.month } : {}),
    ...(round.year === undefined ? {} : { year: round.year }),
    ...(round.before ? { before: round.before } : {}),
    ...(round.said === undefined ? {} : { said: round.said }),
  };
}

/** A day of the month on its own ("the 14th", "on the 5th actually"), or null. */
function dayOnly(said: string): number | null {
  const day = /^(?:(?:it\s+was|on|about|around|maybe|actually)\s+)*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+(?:i\s+think|actually|really))?[.!]?$/i.exec(
    normalise(said),
  )?.[1];
  return day === undefined ? null : Number(day);
}

/** A day in a given month, checked: it exists, and it is not in the future. */
function dayIn(year: number, month: number, day: number, today: LocalDate): DateReading {
  if (day < 1 || day > daysInMonth(year, month)) return { kind: 'impossible', problem: `${monthName(month)} ${year} has no day ${day}` };
  const date = localDate(year, month, day);
  return compareDates(date, today) > 0 ? { kind: 'future', date } : { kind: 'date', date };
}
