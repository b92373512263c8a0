/**
 * What the escalation policy says about one case: who handles its stage, when the stage's clock
 * started, when it was answered, and whether it may go further now. Shared by the public
 * conversation and the staff cards, so both say the same.
 */
import type { Case, DeadlineRecord } from './case.js';
import { currentDeadline } from './indexing.js';
import {
  compareDates,
  dateInZone,
  type EscalationDecision,
  type EscalationFacts,
  type EscalationPolicy,
  instantOfWallTime,
  isWorkingDay,
  type LocalDate,
  parseLocalDate,
} from '../policy/index.js';

/** Who handles the case's stage: the route it took (NHS provider or commissioner) where the stage has several. */
export function handlerRole(value: Case, policy: EscalationPolicy): string {
  const handler = policy.stage(value.procedure, value.stage).handler;
  return handler.routes?.find((route) => route.id === value.route)?.role ?? handler.role;
}

/** The first deadline recorded for the case's current stage: when its clock started (later records are extensions or an agreed date). */
function stageDeadline(value: Case): DeadlineRecord | null {
  return value.deadlines.find((deadline) => deadline.stage === value.stage) ?? null;
}

/**
 * When the current stage's clock started, to the day (9am London on its day 0). Records made
 * before counts started on the day of receipt itself moved a weekend or bank-holiday receipt to
 * the next working day; such a record is read from the day it was received, as the law counts.
 */
export function stageStartedAt(value: Case, policy: EscalationPolicy): Date | undefined {
  const deadline = stageDeadline(value);
  if (!deadline) return undefined;
  const received = parseLocalDate(deadline.receivedOn);
  const movedForAWeekend = deadline.countsFrom !== deadline.receivedOn && !isWorkingDay(policy.calendar, received);
  return instantOfWallTime(movedForAWeekend ? received : parseLocalDate(deadline.countsFrom), 9 * 3600, policy.calendar.timeZone);
}

/** The response date agreed with the complainant at the current stage, if staff recorded one. */
export function agreedResponseBy(value: Case): LocalDate | undefined {
  const deadline = currentDeadline(value);
  return deadline?.timeLimit === AGREED_RESPONSE ? parseLocalDate(deadline.due) : undefined;
}

/** The time-limit id of a response date agreed with the complainant, as the policy records it. */
export const AGREED_RESPONSE = 'agreed-response';

/**
 * The date a recorded deadline falls on, as the law counts it. A record made before counts
 * started on the day of receipt itself (a weekend receipt moved to Monday) promised a day later
 * than the law allows; it is recounted from the day the stage started, as the policy reads it,
 * so the card never shows a later date than the one the policy judges lateness by.
 */
export function dueOn(value: Case, policy: EscalationPolicy, record: DeadlineRecord): LocalDate {
  const recorded = parseLocalDate(record.due);
  const first = value.deadlines.find((deadline) => deadline.stage === value.stage);
  const started = stageStartedAt(value, policy);
  if (!first || !started || record.stage !== value.stage || dateInZone(started, policy.calendar.timeZone) === first.countsFrom) return recorded;
  const limit = policy.stage(value.procedure, value.stage).timeLimits.find((candidate) => candidate.id === record.timeLimit);
  if (limit?.counts !== 'from-stage-start') return recorded;
  const recounted = policy.deadline({ procedure: value.procedure, stage: value.stage, timeLimit: limit.id, received: started, extended: record.extended }).due;
  return compareDates(recounted, recorded) < 0 ? recounted : recorded;
}

/** When the current stage's response was sent, if it has been. */
function respondedAt(value: Case): Date | null {
  const responses = value.responses.filter((response) => response.stage === value.stage);
  const last = responses[responses.length - 1];
  return last ? new Date(last.at) : null;
}

/**
 * When the person first had notice, for the ombudsman's window: a window they must meet, so read
 * at the earliest day their answer could mean ("summer 2025": 1 June), never the latest. Whether
 * the complaint itself was in time is the opposite question, judged once, when it is made, on the
 * latest day (see `WhenFlow`'s assessment and `Case['when'].date`); this does not change that.
 */
function firstNotice(value: Case): Pick<EscalationFacts, 'firstNoticeOn' | 'firstNoticeCertainty'> {
  const { when } = value;
  if (when.certainty === 'exact' && when.date) return { firstNoticeOn: parseLocalDate(when.date), firstNoticeCertainty: 'exact' };
  if (when.certainty === 'approximate' && when.earliest) return { firstNoticeOn: parseLocalDate(when.earliest), firstNoticeCertainty: 'approximate' };
  // Only known to be before a day, or a case saved before ranges were kept: no day is safe to count from.
  return { firstNoticeCertainty: when.certainty === 'unknown' ? 'unknown' : 'approximate' };
}

/** What the policy says about escalating this case now. */
export function escalationDecision(value: Case, policy: EscalationPolicy, now: Date): EscalationDecision {
  const started = stageStartedAt(value, policy);
  const agreed = agreedResponseBy(value);
  // What the case is waiting for as recorded (a Review Panel's meeting, say), so the policy names
  // the same late step as the status does, on the same day.
  const current = currentDeadline(value);
  const awaited = current && !agreed ? { timeLimit: current.timeLimit, due: dueOn(value, policy, current) } : null;
  return policy.decideEscalation({
    procedure: value.procedure,
    stage: value.stage,
    now,
    respondedAt: respondedAt(value),
    extended: value.deadlines.some((deadline) => deadline.stage === value.stage && deadline.extended),
    ...(started ? { stageStartedAt: started } : {}),
    ...(agreed ? { agreedResponseBy: agreed } : {}),
    ...(awaited ? { awaitedStep: awaited } : {}),
    ...firstNotice(value),
  });
}
