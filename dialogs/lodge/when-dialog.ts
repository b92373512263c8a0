/**
 * When it happened, in the person's own words. Every date is read back in full ("Thursday
 * 3 April 2025") to be confirmed; a vague answer is narrowed down or recorded as approximate;
 * a date in the future or one that does not exist is queried; "not sure" is accepted. A date
 * past the procedure's time limit is never refused: the time limit is explained, the person is
 * asked why it is late, and the case is flagged for a decision.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import {
  compareDates, dateInZone, daysInMonth, formatLongDate, type LocalDate, localDate, monthName, parseLocalDate,
} from '../../src/policy/index.js';
import type { DateReading } from '../../src/ports/date-parser.js';
import { cleanAnswer } from '../../src/text/clean-text.js';
import type { ComplaintDraft } from '../draft.js';
import { ask, values } from '../prompts.js';
import type { ComplaintDialogPorts } from '../ports.js';
import { normalise, readYesNo } from '../recognisers.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';
import { excerpt } from '../wording.js';

export const WHEN_DIALOG = 'when';

/** What this dialog ends with. */
export interface WhenAnswer {
  readonly when: NonNullable<ComplaintDraft['when']>;
  readonly late: ComplaintDraft['late'];
}

/** Why the question is being asked (again), carried from one round to the next. */
interface Round {
  readonly procedure: string;
  readonly reason?: 'unreadable' | 'future' | 'impossible' | 'unknown' | 'no' | 'month' | 'year';
  readonly detail?: string;
  readonly month?: { year: number; month: number };
  readonly year?: number;
  readonly unknownOnce?: boolean;
  readonly misses?: number;
  /** Text already given (a correction typed instead of yes or no) to read without asking again. */
  readonly answer?: string;
}

type Candidate = NonNullable<ComplaintDraft['when']>;

const HELP = 'Tell me the date it happened, in any way you like: for example 3/4/2025 (that’s 3 April), "last Tuesday", "a fortnight ago" or "in March". If it went on over a while, give the date it started. If you can’t remember, type "not sure".';

/** Asks when it happened, and checks the answer against the time limit. */
export class WhenFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      new VersionedWaterfallDialog(WHEN_DIALOG, 1, [
        this.askWhen.bind(this),
        this.interpret.bind(this),
        this.checkConfirmation.bind(this),
        this.askBasisIfLate.bind(this),
        this.askWhyLate.bind(this),
        this.finish.bind(this),
      ]),
    ];
  }

  private today(): LocalDate {
    return dateInZone(this.ports.clock.now(), this.ports.policy.calendar.timeZone);
  }

  private round(step: WaterfallStepContext): Round {
    return step.options as Round;
  }

  private askWhen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const round = this.round(step);
    if (round.answer !== undefined) return step.next(round.answer);
    let text: string;
    switch (round.reason) {
      case undefined: text = 'When did this happen? You can write a date like 3/4/2025, or say something like "last Tuesday". If it went on over a while, tell me when it started.'; break;
      case 'unreadable': text = (round.misses ?? 0) >= 2
        ? 'I still can’t find a date in that, sorry. Try a date like 3/4/2025, or words like "last week" or "in March". If you can’t remember, type "not sure".'
        : 'Sorry, I couldn’t find a date in that. You can write a date like 3/4/2025 (that’s 3 April 2025), or words like "last Tuesday" or "in March".'; break;
      case 'future': text = `${round.detail ?? 'That date'} is in the future. When did it happen? (If you’re worried about something that hasn’t happened yet, you can contact the service desk.)`; break;
      case 'impossible': text = `Sorry, ${round.detail ?? 'that date doesn’t exist'}. Could you check the date?`; break;
      case 'unknown': text = 'That’s fine. Can you say roughly when? For example "last summer", "about two years ago" or "March 2024". If you really can’t say, type "not sure" again.'; break;
      case 'no': text = 'OK, when did it happen?'; break;
      case 'month': text = `Do you know which day in ${monthName(round.month?.month ?? 1)} ${round.month?.year ?? ''} it was? Tell me the day, or type "not sure" and I’ll note the month.`; break;
      case 'year': text = `Do you know which month in ${round.year ?? ''} it was? Tell me the month, or type "not sure" and I’ll note the year.`; break;
    }
    return ask(step, { text, help: HELP });
  }

  private async interpret(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const round = this.round(step);
    const said = cleanAnswer(String(step.result), 500);
    const reading = this.readInRound(said, round);

    if (round.month && (reading.kind === 'unknown')) {
      const { year, month } = round.month;
      return this.accept(step, { date: lastDayOfMonth(year, month, this.today()), basis: 'happened', certainty: 'approximate', said: `${monthName(month)} ${year}` },
        `That’s fine: I’ll note it as sometime in ${monthName(month)} ${year}.`);
    }
    if (round.year !== undefined && reading.kind === 'unknown') {
      return this.accept(step, { date: lastDayOfMonth(round.year, 12, this.today()), basis: 'happened', certainty: 'approximate', said: `sometime in ${round.year}` },
        `That’s fine: I’ll note it as sometime in ${round.year}.`);
    }

    switch (reading.kind) {
      case 'date': {
        const candidate: Candidate = { date: reading.date, basis: 'happened', certainty: reading.certainty, said };
        values(step)['candidate'] = candidate;
        const when = reading.certainty === 'approximate' ? `around ${formatLongDate(reading.date)}` : formatLongDate(reading.date);
        return ask(step, {
          text: `So that was ${when}. Is that right?`,
          help: 'Say yes if the date is right (or close enough, if you weren’t sure of the exact day). Say no to give it again, or just type the right date.',
          buttons: ['Yes', 'No'],
        });
      }
      case 'month': return step.replaceDialog(WHEN_DIALOG, { procedure: round.procedure, reason: 'month', month: { year: reading.year, month: reading.month } } satisfies Round);
      case 'year': return step.replaceDialog(WHEN_DIALOG, { procedure: round.procedure, reason: 'year', year: reading.year } satisfies Round);
      case 'future': return step.replaceDialog(WHEN_DIALOG, { ...narrowing(round), reason: 'future', detail: formatLongDate(reading.date) } satisfies Round);
      case 'impossible': return step.replaceDialog(WHEN_DIALOG, { ...narrowing(round), reason: 'impossible', detail: reading.problem } satisfies Round);
      case 'unknown':
        if (round.unknownOnce) return this.accept(step, { date: null, basis: 'happened', certainty: 'unknown', said }, 'That’s fine: I’ll note that you’re not sure when it happened. The team can ask you about it.');
        return step.replaceDialog(WHEN_DIALOG, { procedure: round.procedure, reason: 'unknown', unknownOnce: true } satisfies Round);
      case 'unreadable': {
        const misses = (round.misses ?? 0) + 1;
        if (misses >= 4) {
          return this.accept(step, { date: null, basis: 'happened', certainty: 'unknown', said },
            `Let’s not worry about the exact date. I’ll note what you said ("${excerpt(said, 80)}"), and the team can ask you about it.`);
        }
        return step.replaceDialog(WHEN_DIALOG, { ...narrowing(round), reason: 'unreadable', misses, unknownOnce: round.unknownOnce ?? false } satisfies Round);
      }
    }
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
  private async accept(step: WaterfallStepContext, candidate: Candidate, noted: string): Promise<DialogTurnResult> {
    values(step)['candidate'] = candidate;
    values(step)['confirmed'] = true;
    await step.context.sendActivity(noted);
    return step.next();
  }

  private checkConfirmation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const round = this.round(step);
    if (values(step)['confirmed'] === true) return step.next();
    const candidate = values(step)['candidate'] as Candidate;
    const { answer, rest } = readYesNo(String(step.result));
    // "No, it was 4/4", or "yes, the 5th actually": the words after yes or no may be the right date.
    const correction = rest === '' ? null : this.correction(rest, candidate);
    const corrects = correction !== null && correction.kind !== 'unreadable' && correction.kind !== 'unknown'
      && !(correction.kind === 'date' && correction.date === candidate.date);
    if (answer === true && !corrects) return step.next();
    if (answer === false && !corrects) return step.replaceDialog(WHEN_DIALOG, { procedure: round.procedure, reason: 'no' } satisfies Round);
    // Neither yes nor no: most likely the right date, typed straight away.
    // A corrected day is passed on as a full date, since it only made sense beside the one it corrects.
    const next = correction?.kind === 'date' && corrects ? correction.date.split('-').reverse().join('/') : corrects ? rest : String(step.result);
    return step.replaceDialog(WHEN_DIALOG, { ...narrowing(round), answer: next } satisfies Round);
  }

  /** Words after a yes or no read as a date: a whole one, or a day in the candidate's month. */
  private correction(rest: string, candidate: Candidate): DateReading {
    const reading = this.ports.dates.read(rest, this.ports.clock.now());
    const day = dayOnly(rest);
    if (reading.kind !== 'unreadable' || day === null || !candidate.date) return reading;
    const [year, month] = candidate.date.split('-').map(Number) as [number, number];
    return dayIn(year, month, day, this.today());
  }

  private askBasisIfLate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const candidate = values(step)['candidate'] as Candidate;
    if (!candidate.date || this.assess(step, candidate).status !== 'late') return step.next();
    return ask(step, {
      text: candidate.certainty === 'exact'
        ? `Was ${formatLongDate(parseLocalDate(candidate.date))} when it happened, or when you first found out about it?`
        : 'Is that when it happened, or when you first found out about it?',
      help: 'Some time limits count from when you first knew about a problem, not when it happened, so this can make a difference.',
      buttons: ['When it happened', 'When I found out'],
    });
  }

  private async askWhyLate(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const candidate = values(step)['candidate'] as Candidate;
    if (!candidate.date) return step.next();
    if (typeof step.result === 'string' && /\b(found out|find out|knew|learn\w*|discover\w*|realis\w*|first)\b/.test(normalise(step.result))) {
      candidate.basis = 'first-knew';
    }
    const timeliness = this.assess(step, candidate);
    if (timeliness.status !== 'late') return step.next();
    values(step)['limitEndedOn'] = timeliness.limitEndsOn;
    await step.context.sendActivity(`${timeliness.explanation} You can still go ahead.`);
    return ask(step, {
      text: 'Could you tell me briefly why you’re making the complaint now? For example, you’ve only just found out, you were unwell, or you were trying to sort it out another way first.',
      help: 'The team use your reason to decide whether your complaint can still be looked at. There are no wrong answers: just say what happened. If you’d rather not say, type "skip".',
    });
  }

  private finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const candidate = values(step)['candidate'] as Candidate;
    const limitEndedOn = values(step)['limitEndedOn'] as LocalDate | undefined;
    const reason = typeof step.result === 'string' && limitEndedOn ? cleanAnswer(step.result, 2000) : null;
    const late = limitEndedOn ? { limitEndedOn, reason: reason && !/^(skip|no|n\/a)$/i.test(reason) ? reason : null } : null;
    return step.endDialog({ when: candidate, late } satisfies WhenAnswer);
  }

  private assess(step: WaterfallStepContext, candidate: Candidate) {
    const date = candidate.date ? parseLocalDate(candidate.date) : undefined;
    return this.ports.policy.assessTimeliness({
      procedure: this.round(step).procedure,
      ...(date && candidate.basis === 'happened' ? { happenedOn: date } : {}),
      ...(date && candidate.basis === 'first-knew' ? { firstKnewOn: date } : {}),
      receivedAt: this.ports.clock.now(),
    });
  }
}

/** The last day of a month, or today if that is earlier: the most generous reading of "sometime in". */
function lastDayOfMonth(year: number, month: number, today: LocalDate): LocalDate {
  const last = localDate(year, month, daysInMonth(year, month));
  return compareDates(last, today) > 0 ? today : last;
}

/** The month or year a round is narrowing down, to carry into the next round. */
function narrowing(round: Round): Pick<Round, 'procedure' | 'month' | 'year'> {
  return { procedure: round.procedure, ...(round.month ? { month: round.month } : {}), ...(round.year === undefined ? {} : { year: round.year }) };
}

/** A day of the month on its own ("the 14th", "on the 5th actually"), or null. */
function dayOnly(said: string): number | null {
  const day = /^(?:(?:it\s+was|on|about|around|maybe|actually)\s+)*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+(?:i\s+think|actually|really))?[.!]?$/i.exec(normalise(said))?.[1];
  return day === undefined ? null : Number(day);
}

/** A day in a given month, checked: it exists, and it is not in the future. */
function dayIn(year: number, month: number, day: number, today: LocalDate): DateReading {
  if (day < 1 || day > daysInMonth(year, month)) return { kind: 'impossible', problem: `${monthName(month)} ${year} has no day ${day}` };
  const date = localDate(year, month, day);
  return compareDates(date, today) > 0 ? { kind: 'future', date } : { kind: 'date', date, certainty: 'exact' };
}
