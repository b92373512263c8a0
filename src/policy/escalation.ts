/**
 * What comes after a stage, and whether a complainant may ask for it now. Every refusal says
 * why in words a person can act on, because the person reading it is often upset and always
 * entitled to know what they can still do.
 */
import { type LocalDate, compareDates, formatLongDate } from './calendar/local-date.js';
import type { WorkingDayCalendar } from './calendar/working-days.js';
import { dateInZone } from './calendar/zoned-time.js';
import { type Deadline, computeDeadline, computeStageResponseDeadline, windowClosesOn } from './deadlines.js';
import { AgreedResponseNotAllowed } from './errors.js';
import type { Citation, Counting, OmbudsmanDefinition, ProcedureDefinition, StageDefinition, TimeLimitDefinition, TimeUnit } from './definition-schema.js';
import { findProcedure, findStage, responseTimeLimit, type Rulebook } from './rulebook.js';
import { type StageSummary, summariseStage } from './stages.js';
import { amountText } from './wording.js';

/** An ombudsman's contact details. */
export type OmbudsmanContact = Pick<OmbudsmanDefinition, 'id' | 'name' | 'shortName' | 'remit' | 'website' | 'phone'>;

/**
 * Where the case stands at its last stage, which decides what the ombudsman advice says.
 * `delayed`: the response is not yet due, but a step before it is late (the Review Panel has not
 * met in time), so the procedure is already running late.
 */
export type ResponseStatus = 'responded' | 'awaiting' | 'overdue' | 'delayed';

/** A step before a stage's response whose day has passed while the case still waits for it: the Review Panel's meeting or its report. */
export interface LateStep {
  readonly timeLimit: string;
  readonly kind: TimeLimitDefinition['kind'];
  readonly description: string;
  readonly due: LocalDate;
  readonly dueText: string;
  readonly citation: Citation;
}

/** Where to go after the final stage, and until when. */
export interface OmbudsmanAdvice {
  readonly ombudsman: OmbudsmanContact;
  /** A second ombudsman who can investigate jointly, and whether that applies (null: not known). */
  readonly joint: { readonly ombudsman: OmbudsmanContact; readonly when: string; readonly applies: boolean | null; readonly citation: Citation } | null;
  /** When the ombudsman will look: normally after the local procedure, sooner when the body is late. */
  readonly timing: {
    readonly now: boolean;
    readonly rule: string;
    readonly whenLate: string;
    readonly citation: Citation;
  };
  /** A referral the complaint needs first (an MP, for the PHSO's parliamentary jurisdiction), or null. */
  readonly referral: { readonly by: string; readonly rule: string; readonly citation: Citation } | null;
  readonly window: {
    readonly description: string;
    readonly amount: number;
    readonly unit: TimeUnit;
    readonly counting: Counting;
    /** The last day to complain, when we know when the person first knew of the matter. */
    readonly closesOn: LocalDate | null;
    readonly closesOnText: string | null;
    /** Whether that day has passed (null without a date or a "now"). */
    readonly passed: boolean | null;
    readonly mayBeWaived: boolean;
    readonly citation: Citation;
  };
  readonly explanation: string;
}

/** The step after a stage: another stage, or the ombudsman. */
export type NextStep =
  | {
      readonly kind: 'stage';
      readonly stage: StageSummary;
      /** `forwarding`: staff pass it on and the clock continues; `escalation-request`: the complainant asks and a new clock starts. */
      readonly how: 'forwarding' | 'escalation-request';
      readonly requestWithin: {
        readonly amount: number;
        readonly unit: TimeUnit;
        readonly counting: Counting;
        readonly text: string;
        readonly description: string;
        readonly citation: Citation;
      } | null;
      /** Whether the complainant may also ask for it when the previous stage's response is overdue, and the rule. */
      readonly whenPreviousResponseOverdue: { readonly rule: string; readonly citation: Citation } | null;
    }
  | { readonly kind: 'ombudsman'; readonly advice: OmbudsmanAdvice };

/** How precisely we know when the person first had notice of the matter. */
export type FirstNoticeCertainty = 'exact' | 'approximate' | 'unknown';

/** What we know about a complainant's situation when advising on the ombudsman. */
export interface OmbudsmanFacts {
  readonly procedure: string;
  /**
   * When the person first knew about the matter (the ombudsman's window counts from it). For an
   * approximate answer, the earliest day it could have been: the window is one the complainant
   * must meet, so the date told must be the earliest the law could end it.
   */
  readonly firstNoticeOn?: LocalDate;
  /**
   * How well that day is known. `approximate` with `firstNoticeOn`: it is the earliest reading,
   * and the advice says so. `approximate` or `unknown` without it: no day could be read safely,
   * and the advice says we cannot give the date rather than inventing one. Absent: as `exact`.
   */
  readonly firstNoticeCertainty?: FirstNoticeCertainty;
  /** Whether the complaint also concerns social care (for joint PHSO/LGSCO working). */
  readonly coversSocialCare?: boolean;
  /** Now, to say whether the window has passed. */
  readonly now?: Date;
  /** Whether the last stage's response has come, is awaited, or is late (unknown: as after a response). */
  readonly responseStatus?: ResponseStatus;
}

/** Facts needed to decide whether a case may be escalated now. */
export interface EscalationFacts {
  readonly procedure: string;
  readonly stage: string;
  readonly now: Date;
  /** When the current stage's clock started (to say when its response is due). */
  readonly stageStartedAt?: Date;
  /** When the current stage's response was sent; absent or null if none yet. */
  readonly respondedAt?: Date | null;
  /** Whether the current stage's time limit was extended. */
  readonly extended?: boolean;
  /**
   * A response date agreed with the complainant (SI 2009/309 reg 13(3)), which replaces the
   * procedure's own date for saying whether the response is late. Only where the stage's rules
   * provide for one: elsewhere `decideEscalation` throws `AgreedResponseNotAllowed`.
   */
  readonly agreedResponseBy?: LocalDate;
  /**
   * The step of the stage the case is still waiting for, when it comes before the response (the
   * Review Panel's meeting, then its report), with the day it is due as recorded. Absent: the
   * stage's first step, counted from `stageStartedAt`, as when the stage began.
   */
  readonly awaitedStep?: { readonly timeLimit: string; readonly due: LocalDate };
  /** As in `OmbudsmanFacts`: the earliest day the person could have first had notice. */
  readonly firstNoticeOn?: LocalDate;
  readonly firstNoticeCertainty?: FirstNoticeCertainty;
  readonly coversSocialCare?: boolean;
  readonly cutOff?: string;
}

/** Whether escalation is allowed now, and if not, why and what the person can do. */
export type EscalationDecision =
  | {
      readonly allowed: true;
      /** `responded`: after the stage's response; `response-overdue`: the response is late, which never blocks the next step. */
      readonly reason: 'responded' | 'response-overdue';
      readonly from: StageSummary;
      readonly to: StageSummary;
      /** The last day to ask, where the procedure sets one. */
      readonly requestWindow: { readonly closesOn: LocalDate; readonly closesOnText: string; readonly description: string; readonly citation: Citation } | null;
      /** The rule that lets a late response be passed over, when that is why it is allowed. */
      readonly citation: Citation | null;
      readonly explanation: string;
    }
  | {
      readonly allowed: false;
      readonly reason: 'final-stage';
      readonly explanation: string;
      readonly ombudsman: OmbudsmanAdvice;
      /** When the final stage's own response is due, if it has not come yet. */
      readonly responseDue: Deadline | null;
      readonly overdue: boolean;
      /** A step before the response that is late while the response itself is not yet due. */
      readonly lateStep: LateStep | null;
    }
  | {
      readonly allowed: false;
      readonly reason: 'no-response-yet';
      readonly explanation: string;
      readonly responseDue: Deadline | null;
      readonly overdue: boolean;
      readonly lateStep: LateStep | null;
    }
  | {
      readonly allowed: false;
      readonly reason: 'window-passed';
      readonly explanation: string;
      /** The stage asked for, which the organisation may still agree to. */
      readonly from: StageSummary;
      readonly to: StageSummary;
      readonly windowClosedOn: LocalDate;
      readonly lateRequestPossible: true;
    };

function contact(ombudsman: OmbudsmanDefinition): OmbudsmanContact {
  const { id, name, shortName, remit, website, phone } = ombudsman;
  return { id, name, shortName, remit, website, phone };
}

function directoryEntry(rulebook: Rulebook, id: string): OmbudsmanDefinition {
  const entry = rulebook.ombudsmen.get(id);
  // createRulebook checks every reference, so a miss here is a programming error.
  if (!entry) throw new Error(`Ombudsman "${id}" missing from a checked rulebook`);
  return entry;
}

/**
 * Advice on the ombudsman for a procedure: who, how to reach them, whether they will look now,
 * any referral needed first, and when the window closes. What it says about timing follows the
 * case: after a response, the ombudsman is the next step; while a response is awaited, they
 * normally expect it first; once it is late, the person need not wait (LGA 1974 s26(5), HSCA 1993
 * s4(5)).
 */
export function ombudsmanAdvice(rulebook: Rulebook, calendar: WorkingDayCalendar, facts: OmbudsmanFacts): OmbudsmanAdvice {
  const procedure = findProcedure(rulebook, facts.procedure);
  const route = procedure.ombudsman;
  const primary = contact(directoryEntry(rulebook, route.ombudsman));
  const joint = route.joint
    ? {
        ombudsman: contact(directoryEntry(rulebook, route.joint.with)),
        when: route.joint.when,
        applies: facts.coversSocialCare ?? null,
        citation: route.joint.citation,
      }
    : null;
  const closesOn = facts.firstNoticeOn
    ? windowClosesOn(calendar, facts.firstNoticeOn, route.window.amount, route.window.unit, route.window.counting).due
    : null;
  const passed = closesOn && facts.now ? compareDates(dateInZone(facts.now, calendar.timeZone), closesOn) > 0 : null;
  const status = facts.responseStatus ?? 'responded';
  const who = `the ${primary.name} (${primary.shortName})`;
  const reach = `The ${primary.shortName} ${primary.remit}. Website: ${primary.website}. Phone: ${primary.phone}.`;

  const sentences: string[] = [];
  if (status === 'responded') {
    sentences.push(`If you are still not satisfied, you can ask ${who} to look at your complaint. ${reach}`);
  } else if (status === 'overdue') {
    sentences.push(`You do not have to wait for the response: ${route.localProcessFirst.whenLate} You can ask ${who} to look at your complaint now. ${reach}`);
  } else if (status === 'delayed') {
    // The response is not late yet, so the ombudsman's own test (a reasonable opportunity to
    // respond) is theirs to apply: say they may be asked now, not that they will look.
    sentences.push(
      `${route.localProcessFirst.rule} But the procedure is already running late, so you do not have to wait for the response: you can ask ${who} to ` +
        `look at your complaint now, and they will decide whether to look at it before the procedure has finished. ${reach}`,
    );
  } else {
    sentences.push(
      `${route.localProcessFirst.rule} So wait for the response first; if you are still not satisfied with it, you can then ask ${who} to look at your ` +
        `complaint. If the response is late, you do not have to wait for it. ${reach}`,
    );
  }
  if (route.referral) sentences.push(route.referral.rule);
  if (joint && joint.applies !== false) {
    const lead = joint.applies ? 'Because your complaint' : 'If your complaint';
    sentences.push(
      `${lead} is about both health and social care, the ${primary.shortName} and the ${joint.ombudsman.name} (${joint.ombudsman.shortName}, ` +
        `${joint.ombudsman.website}, ${joint.ombudsman.phone}) can investigate it together.`,
    );
  }
  const certainty = facts.firstNoticeCertainty ?? 'exact';
  if (closesOn && facts.firstNoticeOn && certainty !== 'exact') {
    const verb = passed ? 'was' : 'is';
    sentences.push(
      `The usual time limit is ${route.window.description}. You gave us an approximate date, so to be safe we count from the earliest day it could ` +
        `have been, ${formatLongDate(facts.firstNoticeOn)}: for you that ${verb} ${formatLongDate(closesOn)}.`,
    );
  } else if (closesOn) {
    const verb = passed ? 'was' : 'is';
    sentences.push(`The usual time limit is ${route.window.description}: for you that ${verb} ${formatLongDate(closesOn)}.`);
  } else if (certainty !== 'exact') {
    // Any date we made up could be later than the law's; better no date than one they rely on.
    sentences.push(
      `The usual time limit is ${route.window.description}. We can’t work out that date for you, because we don’t know exactly when you first had ` +
        `notice; it may be sooner than you think, so contact them as soon as you can.`,
    );
  } else {
    sentences.push(`The usual time limit is ${route.window.description}.`);
  }
  if (route.window.mayBeWaived) {
    sentences.push(
      passed
        ? 'That date has passed, but the ombudsman can still decide to look at a later complaint, so it is worth contacting them and explaining why.'
        : 'The ombudsman can sometimes accept a complaint made later, if there is a good reason.',
    );
  }
  return {
    ombudsman: primary,
    joint,
    timing: {
      now: status !== 'awaiting',
      rule: route.localProcessFirst.rule,
      whenLate: route.localProcessFirst.whenLate,
      citation: route.localProcessFirst.citation,
    },
    referral: route.referral ?? null,
    window: {
      description: route.window.description,
      amount: route.window.amount,
      unit: route.window.unit,
      counting: route.window.counting,
      closesOn,
      closesOnText: closesOn ? formatLongDate(closesOn) : null,
      passed,
      mayBeWaived: route.window.mayBeWaived,
      citation: route.window.citation,
    },
    explanation: sentences.join(' '),
  };
}

/** The step after a stage: the next stage (and how it is reached), or the ombudsman after the final one. */
export function nextStep(rulebook: Rulebook, calendar: WorkingDayCalendar, facts: OmbudsmanFacts & { readonly stage: string }): NextStep {
  const procedure = findProcedure(rulebook, facts.procedure);
  const { index } = findStage(procedure, facts.stage);
  const next = procedure.stages[index + 1];
  if (!next) return { kind: 'ombudsman', advice: ombudsmanAdvice(rulebook, calendar, facts) };
  const window = next.entry.requestWithin;
  return {
    kind: 'stage',
    stage: summariseStage(procedure, next),
    how: next.entry.by === 'forwarding' ? 'forwarding' : 'escalation-request',
    requestWithin: window
      ? {
          amount: window.amount,
          unit: window.unit,
          counting: window.counting,
          description: window.description,
          citation: window.citation,
          text: `within ${amountText(window.amount, window.unit)} of the previous stage's response`,
        }
      : null,
    whenPreviousResponseOverdue: next.entry.whenPreviousResponseOverdue ?? null,
  };
}

/** The first later stage a complainant can ask to move to (stages reached by forwarding are staff steps). */
function escalationTarget(procedure: ProcedureDefinition, index: number): StageDefinition | undefined {
  return procedure.stages.slice(index + 1).find((stage) => stage.entry.by === 'escalation-request');
}

/** The stage's response date in words, and what it means that it has or has not passed. */
function responseDueText(procedure: ProcedureDefinition, responseDue: Deadline | null, agreed: LocalDate | undefined, overdue: boolean): string {
  if (agreed !== undefined) {
    return overdue
      ? ` The response was agreed for ${formatLongDate(agreed)} and is late. We are sorry.`
      : ` The response was agreed for ${formatLongDate(agreed)}.`;
  }
  if (responseDue?.kind === 'explanation-duty') {
    // No fixed response date (SI 2009/309 reg 14): only a duty to explain a delay.
    return overdue
      ? ` There has been no response within ${amountText(responseDue.rule.amount, responseDue.rule.unit)}, so they must write to tell you why. We are ` +
          `sorry for the wait.`
      : ` If you have not had a response by ${responseDue.dueText}, they must write to tell you why.`;
  }
  if (responseDue && overdue) {
    return (
      ` The response was due by ${responseDue.dueText} and is late. We are sorry. You can contact us to ask what is ` +
      `happening${procedure.overseenBy ? `, or ask the ${procedure.overseenBy.role} to look into the delay` : ''}.`
    );
  }
  return responseDue ? ` The response is due by ${responseDue.dueText}.` : '';
}

/**
 * The step before the stage's response that the case waits for, if its day has passed: recorded
 * (`awaitedStep`), or else the stage's first step counted from its start.
 */
function lateStepBefore(
  rulebook: Rulebook,
  calendar: WorkingDayCalendar,
  procedure: ProcedureDefinition,
  stage: StageDefinition,
  facts: EscalationFacts,
  today: LocalDate,
): LateStep | null {
  let awaited = facts.awaitedStep ?? null;
  if (!awaited && facts.stageStartedAt) {
    const first = computeDeadline(rulebook, calendar, {
      procedure: procedure.id,
      stage: stage.id,
      received: facts.stageStartedAt,
      ...(facts.cutOff === undefined ? {} : { cutOff: facts.cutOff }),
    });
    awaited = { timeLimit: first.timeLimit, due: first.due };
  }
  if (!awaited || awaited.timeLimit === responseTimeLimit(procedure, stage).id || compareDates(today, awaited.due) <= 0) return null;
  // A record from an older rulebook may name a step it no longer has: then there is nothing to name.
  const limit = stage.timeLimits.find((candidate) => candidate.id === awaited.timeLimit);
  if (!limit) return null;
  return {
    timeLimit: limit.id,
    kind: limit.kind,
    description: limit.description,
    due: awaited.due,
    dueText: formatLongDate(awaited.due),
    citation: limit.citation,
  };
}

/** A step before a response as people call it, to begin a sentence, named as what it is (a meeting is not "the response"): "The panel meeting". */
export function lateStepName(step: Pick<LateStep, 'kind' | 'description'>): string {
  if (step.kind === 'meeting') return 'The panel meeting';
  if (step.kind === 'report') return 'The panel’s report';
  return `A step before the response (${step.description})`;
}

/** A late step before the response, with an apology and what the person can do about the delay. */
function lateStepText(procedure: ProcedureDefinition, step: LateStep): string {
  return (
    ` ${lateStepName(step)} was due by ${step.dueText} and is late. We are sorry. You can contact us to ask what is happening` +
    `${procedure.overseenBy ? `, or ask the ${procedure.overseenBy.role} to look into the delay` : ''}.`
  );
}

/**
 * Whether the complainant may escalate now. Allowed after the stage's response (within any window
 * to ask), or without it once it is overdue where the next stage's rule says so. Refusals are one
 * of: already at the final stage (with the ombudsman's details, whether they will look now, and
 * the window), no response yet and none overdue (with when it is due), or the time to ask has
 * passed (with the date it closed and how to ask anyway). Throws `AgreedResponseNotAllowed` for an
 * agreed response date at a stage whose time limits are fixed.
 */
export function decideEscalation(rulebook: Rulebook, calendar: WorkingDayCalendar, facts: EscalationFacts): EscalationDecision {
  const procedure = findProcedure(rulebook, facts.procedure);
  const { stage, index } = findStage(procedure, facts.stage);
  // A date agreed where the law fixes the time limit would hide a response the law says is late.
  if (facts.agreedResponseBy !== undefined && !stage.agreedResponse) throw new AgreedResponseNotAllowed(procedure.id, stage.id);
  const from = summariseStage(procedure, stage);
  const target = escalationTarget(procedure, index);
  const responded = facts.respondedAt ?? null;
  const today = dateInZone(facts.now, calendar.timeZone);

  const responseDue =
    !responded && facts.stageStartedAt
      ? computeStageResponseDeadline(rulebook, calendar, {
          procedure: procedure.id,
          stage: stage.id,
          stageStartedAt: facts.stageStartedAt,
          extended: facts.extended ?? false,
          ...(facts.cutOff === undefined ? {} : { cutOff: facts.cutOff }),
        })
      : null;
  const agreed = responded ? undefined : facts.agreedResponseBy;
  const dueOn = agreed ?? responseDue?.due ?? null;
  const overdue = dueOn !== null && compareDates(today, dueOn) > 0;
  // Once an earlier step is late, the response's date (counted as if that step were on time) is
  // no longer one to give; the late step is what the person needs to hear about.
  const lateStep = responded || agreed !== undefined || overdue ? null : lateStepBefore(rulebook, calendar, procedure, stage, facts, today);
  const whenDue = lateStep ? lateStepText(procedure, lateStep) : responseDueText(procedure, responseDue, agreed, overdue);

  if (!target) {
    const responseStatus: ResponseStatus = responded ? 'responded' : overdue ? 'overdue' : lateStep ? 'delayed' : 'awaiting';
    const advice = ombudsmanAdvice(rulebook, calendar, { ...facts, responseStatus });
    const waiting = responded ? '' : whenDue;
    return {
      allowed: false,
      reason: 'final-stage',
      explanation:
        `${stage.name} is the last stage of ${procedure.referredToAs}, so your complaint cannot be taken further inside the ` +
        `organisation.${waiting} ${advice.explanation}`,
      ombudsman: advice,
      responseDue,
      overdue,
      lateStep,
    };
  }

  if (!responded) {
    const onOverdue = target === procedure.stages[index + 1] ? target.entry.whenPreviousResponseOverdue : undefined;
    if (overdue && onOverdue) {
      return {
        allowed: true,
        reason: 'response-overdue',
        from,
        to: summariseStage(procedure, target),
        requestWindow: null,
        citation: onOverdue.citation,
        explanation: `${whenDue.trim()} You do not have to wait for it: you can ask for your complaint to go to ${target.name} now. ${target.description}`,
      };
    }
    const forwardedTo = procedure.stages[index + 1];
    const intake =
      forwardedTo && forwardedTo !== target ? ` Your complaint is with the ${stage.handler.role}, who will pass it to the ${forwardedTo.handler.role}.` : '';
    const ifLate = onOverdue ? ` If the response is late, you can ask for ${target.name} without waiting for it.` : '';
    return {
      allowed: false,
      reason: 'no-response-yet',
      explanation: `You can ask to take your complaint to ${target.name} once you have had a response at this stage.${intake}${whenDue}${ifLate}`,
      responseDue,
      overdue,
      lateStep,
    };
  }

  const window = target.entry.requestWithin;
  if (window) {
    // From the London date the response was sent: the earliest the window could start, and never
    // moved by a cut-off, so the date we tell is never later than the law's.
    const closesOn = windowClosesOn(calendar, dateInZone(responded, calendar.timeZone), window.amount, window.unit, window.counting).due;
    if (compareDates(today, closesOn) > 0) {
      return {
        allowed: false,
        reason: 'window-passed',
        explanation:
          `The time to ask for ${target.name} was ${amountText(window.amount, window.unit)} from the response you had, and it ended on ` +
          `${formatLongDate(closesOn)}. You can still ask: tell us why you could not ask sooner, and ` +
          `${procedure.overseenBy ? `the ${procedure.overseenBy.role}` : 'the organisation'} will decide whether to accept your request.`,
        from,
        to: summariseStage(procedure, target),
        windowClosedOn: closesOn,
        lateRequestPossible: true,
      };
    }
    return {
      allowed: true,
      reason: 'responded',
      from,
      to: summariseStage(procedure, target),
      requestWindow: { closesOn, closesOnText: formatLongDate(closesOn), description: window.description, citation: window.citation },
      citation: null,
      explanation:
        `You can ask for ${target.name} until ${formatLongDate(closesOn)} (${amountText(window.amount, window.unit)} from the day the ` +
        `response was sent). ${target.description}`,
    };
  }
  return {
    allowed: true,
    reason: 'responded',
    from,
    to: summariseStage(procedure, target),
    requestWindow: null,
    citation: null,
    explanation: `You can ask for your complaint to go to ${target.name}. ${target.description}`,
  };
}
