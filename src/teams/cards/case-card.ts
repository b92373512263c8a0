/**
 * The case card staff see in Teams: an Adaptive Card (1.5, the highest Teams renders) built by
 * pure functions from the case, its recent history, the policy and the time. Everything staff
 * need to act is on it, and the actions are Universal Actions (`Action.Execute`), so the card
 * updates in place for everyone and refreshes itself to the current state when reopened.
 *
 * Text from the public is only ever put in `TextRun`s, which Teams shows literally: no Markdown,
 * links, mentions or images can be smuggled in through a complaint. Our own wording (reference,
 * stage names, dates) goes in TextBlocks and FactSets.
 */
import { createHash } from 'node:crypto';
import { type Case, type CaseEvent, FINISHED_STATUSES } from '../../cases/case.js';
import { AGREED_RESPONSE, agreedResponseBy, dueOn, escalationDecision, handlerRole } from '../../cases/case-policy.js';
import { currentDeadline } from '../../cases/indexing.js';
import { extensionToldWith } from '../../cases/transitions/extend.js';
import { formatReference } from '../../cases/reference.js';
import { standingQuestion } from '../case-standing.js';
import {
  type AdaptiveCard,
  CARD_VERSION,
  type CardAction,
  type CardElement,
  type InputChoiceSet,
  type InputDate,
  type InputText,
  type ShowCardAction,
  type TextRun,
  textBlock,
} from './adaptive-card.js';
import type { StaffAction } from '../staff-actions.js';
import { compareDates, dateInZone, type EscalationPolicy, formatLongDate, lateStepName, parseLocalDate, workingDaysBetween } from '../../policy/index.js';

/** The verbs of the card's actions (what `Action.Execute` sends back), as the action schema defines them. */
type Verb = StaffAction['verb'];

/**
 * What a decision on the case depends on: status, stage, handler, deadlines, flags' decisions,
 * responses. Actions carry it, so an action on a card that is out of date in any of these is
 * refused (and the card refreshed); a message or note arriving meanwhile does not count, so
 * staff do not lose what they were typing because the complainant wrote in.
 */
export function decisionState(value: Case): string {
  const facts = [
    value.status,
    value.stage,
    value.handler?.id ?? null,
    value.deadlines.length,
    value.responses.length,
    value.flags.late?.decision ?? null,
    value.flags.lateEscalation ? `${value.flags.lateEscalation.to}:${value.flags.lateEscalation.decision}` : null,
    // Only where there is one, so cards shown before cases carried it stay current.
    ...(value.flags.standing ? [`standing:${value.flags.standing.check}:${value.flags.standing.decision}`] : []),
    // The person's details, where corrected or erased: a correction made from an older card would overwrite a colleague's.
    ...(value.erased ? ['erased'] : []),
    `details:${createHash('sha256')
      .update(JSON.stringify([value.complainant.name, value.contact.email, value.contact.phone]))
      .digest('base64url')
      .slice(0, 8)}`,
  ];
  return createHash('sha256').update(JSON.stringify(facts)).digest('base64url').slice(0, 16);
}

/** What a case card is built from. */
export interface CaseCardView {
  readonly case: Case;
  /** The most recent history entries worth showing (notes, messages, actions), newest last. */
  readonly recent: readonly CaseEvent[];
  readonly policy: EscalationPolicy;
  readonly now: Date;
  /** A line for whoever just acted: what happened, or why nothing did. */
  readonly notice?: { readonly text: string; readonly tone: 'good' | 'warning' | 'attention' };
  /** Colleagues on the roster the case may be given to ("Assign to…"), by name. */
  readonly colleagues?: readonly { readonly id: string; readonly name: string }[];
}

/** The most colleagues "Assign to…" lists (a filtered list, so typing finds one). */
const MAX_COLLEAGUES = 200;

/**
 * How many characters of each piece of the complainant's text go on the card, tried in turn
 * until the card fits Teams' limit of about 28 KB (measured in UTF-8 bytes, with room to spare).
 */
const EXCERPTS = [1500, 600, 250, 100] as const;
const MAX_CARD_BYTES = 24_000;

/** A person's text, shortened for the card. Line breaks kept; control characters were cleaned at the door. */
/** Text cut to `max` characters, with an ellipsis where it was cut (the card's size limit). */
export function shorten(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/**
 * How we read when it happened, beside their words: the day, or for an approximate answer the
 * range of days it could have been, marked approximate (time limits count from its last day).
 */
function whenReading(when: Case['when']): string {
  const day = (date: string) => formatLongDate(parseLocalDate(date));
  if (when.certainty === 'unknown' || !when.date) return ' [date not known]';
  if (when.certainty === 'exact') return ` [read as ${day(when.date)}]`;
  if (when.latest === null) return ` [approximate: around ${day(when.date)}]`;
  if (when.earliest === null) return ` [approximate: on or before ${day(when.latest)}]`;
  if (when.earliest === when.latest) return ` [approximate: ${day(when.latest)}]`;
  return ` [approximate: between ${day(when.earliest)} and ${day(when.latest)}]`;
}

/** A heading and a person's words, shown literally. */
function literalText(label: string, text: string, max: number): CardElement[] {
  return [textBlock(label, { weight: 'Bolder', spacing: 'Medium' }), { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: shorten(text, max) }] }];
}

/** Each status in words, as staff read it. */
export const STATUS_WORDS: Readonly<Record<Case['status'], string>> = {
  open: 'New: waiting to be picked up',
  'awaiting-response': 'With a handler: response owed',
  responded: 'Responded: waiting to hear if the complainant is satisfied',
  'escalation-requested': 'Taken further by the complainant: waiting to be picked up at this stage',
  closed: 'Closed',
  redirected: 'Redirected to another organisation',
  withdrawn: 'Withdrawn by the complainant',
};

/** How the person complaining relates to the person affected, with their own words where given: "relative: grandmother". */
function relationshipInWords(complainant: Case['complainant']): string {
  return complainant.relationshipDetail ? `${complainant.relationship}: ${complainant.relationshipDetail}` : complainant.relationship;
}

/** What the card adds to the adjustments about advocacy. */
const ADVOCACY_NOTE: Readonly<Record<Case['needs']['advocacy'], string>> = {
  requested: ' | Asked for an advocate',
  'has-advocate': ' | Has an advocate',
  'not-needed': '',
  'not-offered': '',
};

/** Whether anything is still owed on the case. */
function owed(value: Case): boolean {
  return value.status === 'open' || value.status === 'awaiting-response' || value.status === 'escalation-requested';
}

/**
 * What a late response lets the complainant do now, as the policy decides: ask for the next
 * stage, or (at the last stage, or under the NHS regulations) go to the ombudsman without
 * waiting. Null while nothing is late.
 */
function whenLate(value: Case, policy: EscalationPolicy, now: Date): string | null {
  if (!owed(value)) return null;
  const decision = escalationDecision(value, policy, now);
  if (decision.allowed && decision.reason === 'response-overdue') {
    return (
      `The response is late: at the complainant’s request the case may move to ${decision.to.name} ` +
      `now${decision.citation ? ` (${decision.citation.reference})` : ''}.`
    );
  }
  if (!decision.allowed && decision.reason === 'final-stage' && (decision.overdue || decision.lateStep) && decision.ombudsman.timing.now) {
    const { ombudsman, timing } = decision.ombudsman;
    // The complainant is told the same: a late meeting before the response is named as the meeting.
    const step = decision.lateStep ? lateStepName(decision.lateStep) : null;
    const late = step ? `${step} is late` : 'The response is late';
    return (
      `${late}: the complainant may go to the ${ombudsman.name} (${ombudsman.shortName}) now, without waiting for ` +
      `${step ? 'the response' : 'it'} (${timing.citation.reference}).`
    );
  }
  return null;
}

/** The deadline in words, whether it has passed, and what a late response lets the complainant do. */
export function deadlineLine(value: Case, policy: EscalationPolicy, now: Date): { text: string; overdue: boolean; late: string | null } | null {
  const deadline = currentDeadline(value);
  if (!deadline || !owed(value)) return null;
  const today = dateInZone(now, policy.calendar.timeZone);
  const due = dueOn(value, policy, deadline);
  const late = whenLate(value, policy, now);
  const what =
    deadline.timeLimit === AGREED_RESPONSE
      ? 'Response agreed for'
      : deadline.kind === 'meeting'
        ? 'Panel meets by'
        : deadline.kind === 'report'
          ? 'Report due'
          : deadline.kind === 'explanation-duty'
            ? 'If no response, explain why by'
            : 'Response due';
  if (compareDates(today, due) > 0) {
    const days = workingDaysBetween(policy.calendar, due, today);
    return { text: `OVERDUE: ${what.toLowerCase()} ${formatLongDate(due)}, ${days} working ${days === 1 ? 'day' : 'days'} ago`, overdue: true, late };
  }
  const left = workingDaysBetween(policy.calendar, today, due);
  return {
    text:
      `${what} ${formatLongDate(due)} ` +
      `(${left === 0 ? 'today' : `${left} working ${left === 1 ? 'day' : 'days'} left`})${deadline.extended ? ', extended' : ''}`,
    overdue: false,
    late,
  };
}

/** Who decided earlier stages, and whom the independence rule therefore bars from this one. */
function independenceLines(value: Case, policy: EscalationPolicy): string[] {
  const lines: string[] = [];
  for (const decision of value.decisions) {
    if (decision.stage === value.stage) continue;
    const check = policy.checkIndependence({ procedure: value.procedure, stage: value.stage, decider: decision.decidedBy, earlier: value.decisions });
    if (!check.allowed) {
      const earlier = policy.stage(value.procedure, decision.stage).name;
      lines.push(
        `Whoever decided ${earlier} may not decide ${policy.stage(value.procedure, value.stage).name} (${check.citation.reference}). The card refuses a ` +
          `response from them.`,
      );
    }
  }
  return [...new Set(lines)];
}

/** The flags, in words staff cannot miss. */
function flagBlocks(value: Case, policy: EscalationPolicy, max: number): CardElement[] {
  const blocks: CardElement[] = [];
  const safeguarding = value.flags.safeguarding;
  if (safeguarding) {
    blocks.push({
      type: 'Container',
      style: 'attention',
      items: [
        textBlock('SAFEGUARDING: words suggesting someone may be at risk. Follow the safeguarding procedure now.', { weight: 'Bolder', color: 'Attention' }),
        {
          type: 'RichTextBlock',
          inlines: safeguarding.notes.map((note, index) => ({ type: 'TextRun', text: `${index === 0 ? '' : '\n'}“${shorten(note, Math.min(300, max))}”` })),
        },
      ],
    });
  }
  const late = value.flags.late;
  if (late) {
    blocks.push({
      type: 'Container',
      style: 'warning',
      items: [
        textBlock(`Late complaint: made after the time limit, which ended ${formatLongDate(parseLocalDate(late.limitEndedOn))}. Decision: ${late.decision}.`, {
          weight: 'Bolder',
        }),
      ],
    });
    if (late.reason) blocks.push(...literalText('Why it is late (their words)', late.reason, max));
  }
  const standing = value.flags.standing;
  if (standing) {
    // A flag is never hidden, even if the rulebook no longer words its check.
    const question = standingQuestion(value, policy);
    const cited = question ? `${question.decision} (${question.citation.reference})` : 'whether this person may complain for them';
    if (standing.decision === 'pending') {
      blocks.push({
        type: 'Container',
        style: 'warning',
        items: [
          textBlock(`WHO MAY COMPLAIN: DECIDE FIRST. Before the complaint is considered, decide ${cited}.`, { weight: 'Bolder', size: 'Medium' }),
          ...(question ? [textBlock(question.rule, { spacing: 'Small' })] : []),
          // Flagged because the complainant was not sure: staff need to know the age is the first question.
          ...(standing.check === 'representative-for-child' && value.personAffected?.child === null
            ? [textBlock('The complainant was not sure whether the person is under 18: check their age first.', { spacing: 'Small' })]
            : []),
        ],
      });
    } else {
      const outcome =
        standing.decision === 'accepted'
          ? `accepted: the complainant ${question?.accepted ?? 'may complain for them'}`
          : 'declined: the complainant was told, and the case closed';
      blocks.push({ type: 'Container', style: 'emphasis', items: [textBlock(`Who may complain: ${outcome}. Decided ${cited}.`, { weight: 'Bolder' })] });
    }
  }
  const lateEscalation = value.flags.lateEscalation;
  if (lateEscalation) {
    blocks.push({
      type: 'Container',
      style: 'warning',
      items: [
        textBlock(
          `Late request for ${policy.stage(value.procedure, lateEscalation.to).name}: the time to ask ended ` +
            `${formatLongDate(parseLocalDate(lateEscalation.windowClosedOn))}. Decision: ${lateEscalation.decision}.`,
          { weight: 'Bolder' },
        ),
      ],
    });
    if (lateEscalation.whyLate) blocks.push(...literalText('Why they asked late (their words)', lateEscalation.whyLate, max));
  }
  return blocks;
}

/** Recent history: internal notes, messages either way, and actions. */
const WHEN = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** One history entry as a line: when (London date and time), who, what, and its words (shortened to `max`). */
export function historyLine(event: CaseEvent, max: number): string {
  const when = WHEN.format(new Date(event.at));
  const who = event.actor.kind === 'complainant' ? 'Complainant' : event.actor.kind === 'staff' ? (event.actor.name ?? 'Staff') : 'System';
  const marker = event.type === 'note' ? ' [internal note]' : event.type === 'discussion' ? ' [team discussion]' : '';
  const body = typeof event.details['text'] === 'string' ? `: ${shorten(event.details['text'], max)}` : '';
  return `${when}, ${who}${marker}: ${event.summary}${body}`;
}

function historyBlocks(value: Case, recent: readonly CaseEvent[], max: number): CardElement[] {
  if (recent.length === 0) return [];
  const lines = recent.map((event, index): TextRun => ({ type: 'TextRun', text: `${index === 0 ? '' : '\n'}${historyLine(event, Math.min(400, max))}` }));
  return [
    textBlock('Recent activity', { weight: 'Bolder', spacing: 'Medium' }),
    { type: 'RichTextBlock', inlines: lines },
    {
      type: 'ActionSet',
      actions: [{ type: 'Action.Execute', title: 'Whole history', verb: 'history', data: { reference: value.reference, page: '1' } }],
    },
  ];
}

/** How to reach the complainant: their number and address (literally), with a call and an email button. */
function contactBlocks(value: Case, max: number): CardElement[] {
  const { phone, email, preferred } = value.contact;
  const blocks = [...literalText('Contact', [`prefers ${preferred === 'chat' ? 'this chat only' : preferred}`, phone, email].filter(Boolean).join('; '), max)];
  const actions: CardAction[] = [];
  // Only what a number can hold goes into tel:, and the address is encoded, so nothing they typed can make another link.
  const dialable = phone?.replace(/[^\d+]/g, '') ?? '';
  if (dialable.length >= 6) actions.push({ type: 'Action.OpenUrl', title: `Call ${dialable}`, url: `tel:${dialable}` });
  if (email) actions.push({ type: 'Action.OpenUrl', title: 'Email them', url: `mailto:${encodeURIComponent(email)}` });
  return actions.length > 0 ? [...blocks, { type: 'ActionSet', actions }] : blocks;
}

/**
 * The id of an action's input. Teams sends the values of every input on the card with an
 * Action.Execute, so each is named for its action ("respond:text") and ids never repeat.
 */
function inputId(verb: Verb, field: string): string {
  return `${verb}:${field}`;
}

/** An action whose inputs are shown in a sub-card, submitted with one Action.Execute. */
function withInputs(
  title: string,
  verb: Verb,
  data: Readonly<Record<string, string>>,
  inputs: readonly (InputText | InputChoiceSet | InputDate)[],
  submit: string,
): ShowCardAction {
  return {
    type: 'Action.ShowCard',
    title,
    card: {
      type: 'AdaptiveCard',
      version: CARD_VERSION,
      body: inputs.map((input) => ({ ...input, id: inputId(verb, input.id) })),
      actions: [{ type: 'Action.Execute', title: submit, verb, data }],
    },
  };
}

/** Hosts show at most five actions in a row: the rest go under "More actions", as often as needed. */
const MAX_ACTIONS = 5;

function fitted(list: readonly CardAction[]): CardAction[] {
  if (list.length <= MAX_ACTIONS) return [...list];
  return [
    ...list.slice(0, MAX_ACTIONS - 1),
    {
      type: 'Action.ShowCard',
      title: 'More actions',
      card: { type: 'AdaptiveCard', version: CARD_VERSION, body: [], actions: fitted(list.slice(MAX_ACTIONS - 1)) },
    },
  ];
}

function textInput(id: string, label: string, options: { maxLength: number; required: boolean; placeholder?: string }): InputText {
  return {
    type: 'Input.Text',
    id,
    label,
    isMultiline: options.maxLength > 300,
    maxLength: options.maxLength,
    isRequired: options.required,
    ...(options.required ? { errorMessage: `${label} is needed` } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
  };
}

/** Whether the current stage's response time may be extended under the procedure (and has not been). */
function canExtend(value: Case, policy: EscalationPolicy): boolean {
  const deadline = currentDeadline(value);
  if (!deadline || deadline.extended || !owed(value)) return false;
  const stage = policy.stage(value.procedure, value.stage);
  const limit = stage.timeLimits.find((candidate) => candidate.id === deadline.timeLimit);
  return limit !== undefined && limit.extendableTo !== null;
}

/** Whether staff may record a response date agreed with the complainant: the stage provides for one and the response is still owed. */
function canAgreeResponseDate(value: Case, policy: EscalationPolicy): boolean {
  return owed(value) && policy.stage(value.procedure, value.stage).agreedResponse !== null;
}

/** What every action on a case card carries (see `decisionState`; `seen` tells a double click from a repeat). */
function actionData(value: Case): Record<string, string> {
  return { reference: value.reference, state: decisionState(value), seen: value.updatedAt };
}

/** "Reopen" for a closed or withdrawn case, with its reason and what the complainant is told: on the card, and beside their words when they write to it. */
export function reopenAction(value: Case): ShowCardAction {
  return withInputs(
    'Reopen',
    'reopen',
    actionData(value),
    [
      textInput('reason', 'Why it is reopened (stays in Teams)', { maxLength: 2000, required: true }),
      textInput('message', 'What the complainant is told (optional)', { maxLength: 5000, required: false }),
    ],
    'Reopen the case',
  );
}

/**
 * Taking the case, or giving it: "Assign to me" when nobody has it, "Take over" (confirmed, and
 * its holder told) when someone does, and "Assign to…" a colleague on the roster by name.
 */
function assignActions(value: Case, data: Record<string, string>, colleagues: readonly { readonly id: string; readonly name: string }[]): CardAction[] {
  const list: CardAction[] = [];
  const holder = value.handler;
  if (!holder) list.push({ type: 'Action.Execute', title: 'Assign to me', verb: 'assign', data });
  else {
    list.push({
      type: 'Action.ShowCard',
      title: `Take over from ${holder.name}`,
      card: {
        type: 'AdaptiveCard',
        version: CARD_VERSION,
        body: [textBlock(`${holder.name} has this case. Take it over? They will be told.`, {})],
        actions: [{ type: 'Action.Execute', title: 'Take over', verb: 'assign', data: { ...data, takeOver: 'yes' } }],
      },
    });
  }
  const choices = colleagues
    .filter((colleague) => colleague.id !== holder?.id)
    .slice(0, MAX_COLLEAGUES)
    .map((colleague) => ({ title: colleague.name, value: colleague.id }));
  if (choices.length > 0) {
    list.push(
      withInputs(
        'Assign to…',
        'assign-to',
        data,
        [
          {
            type: 'Input.ChoiceSet',
            id: 'who',
            label: 'Colleague (they will be told)',
            style: 'filtered',
            isRequired: true,
            errorMessage: 'Choose a colleague',
            choices,
          },
        ],
        'Assign',
      ),
    );
  }
  return list;
}

/** Whether an extension of the running deadline tells the complainant its reason (the Complaint Handling Code). */
function extensionTellsReason(value: Case, policy: EscalationPolicy): boolean {
  const deadline = currentDeadline(value);
  return deadline !== null && extensionToldWith(value, deadline.timeLimit, policy).includes('reason');
}

/** Recording that an ombudsman is looking at the complaint (they write to the organisation when they take one on). */
function ombudsmanAction(value: Case, policy: EscalationPolicy, now: Date, data: Record<string, string>): CardAction {
  const ombudsmen = policy.ombudsmenFor(value.procedure);
  return withInputs(
    value.ombudsman ? 'Correct the ombudsman record' : 'Ombudsman involved',
    'ombudsman',
    data,
    [
      {
        type: 'Input.ChoiceSet',
        id: 'ombudsman',
        label: 'Which ombudsman is looking at it',
        style: 'expanded',
        isRequired: true,
        errorMessage: 'Choose the ombudsman',
        choices: ombudsmen.map((each) => ({ title: each.name, value: each.id })),
        ...(ombudsmen.length === 1 && ombudsmen[0] ? { value: ombudsmen[0].id } : {}),
      },
      {
        type: 'Input.Date',
        id: 'toldOn',
        label: 'The day they told us (their letter or email)',
        isRequired: true,
        errorMessage: 'The day they told us is needed',
        max: dateInZone(now, policy.calendar.timeZone),
      },
    ],
    'Record it',
  );
}

/**
 * The rights people have, last on the card (they are asked for rarely): the subject access
 * export, correcting a name or contact detail, and, once the complaint is finished, erasing its
 * personal data. An erased case keeps only its export (of what is left).
 */
function rightsActions(value: Case, data: Record<string, string>): CardAction[] {
  const list: CardAction[] = [{ type: 'Action.Execute', title: 'Subject access export', verb: 'subject-access', data: { reference: value.reference } }];
  if (value.erased) return list;
  list.push(
    withInputs(
      'Correct details',
      'correct-details',
      data,
      [
        textInput('name', 'Name as it should be (leave empty to keep)', { maxLength: 200, required: false }),
        textInput('email', 'Email as it should be (leave empty to keep)', { maxLength: 320, required: false }),
        textInput('phone', 'Phone as it should be (leave empty to keep)', { maxLength: 40, required: false }),
        textInput('reason', 'Why (kept in the audit: no names, emails or numbers)', { maxLength: 500, required: true }),
      ],
      'Correct',
    ),
  );
  if (FINISHED_STATUSES.includes(value.status)) {
    list.push(
      withInputs(
        'Erase personal data',
        'erase',
        data,
        [
          textInput('reason', 'Why: everything that identifies the person goes for good, an anonymous record stays (no names, emails or numbers here)', {
            maxLength: 500,
            required: true,
          }),
        ],
        'Erase for good',
      ),
    );
  }
  return list;
}

/** The actions on a case's card, as its card shows them (five to a row, the rest under "More actions"). */
function actions(value: Case, policy: EscalationPolicy, now: Date, colleagues: CaseCardView['colleagues'] = []): CardAction[] {
  return fitted(caseActions(value, policy, now, colleagues));
}

/** The actions that make sense for the case as it stands, in order (the card and the staff tab offer the same). */
export function caseActions(value: Case, policy: EscalationPolicy, now: Date, colleagues: CaseCardView['colleagues'] = []): CardAction[] {
  // An erased case takes nothing more: what is left can only be exported.
  if (value.erased) return rightsActions(value, actionData(value));
  const data = actionData(value);
  const list: CardAction[] = [];
  const open = value.status !== 'closed' && value.status !== 'redirected' && value.status !== 'withdrawn';
  if (open) {
    if (value.status !== 'responded') list.push(...assignActions(value, data, colleagues));
    // Who may complain comes before anything else is decided, so its decision comes first.
    if (value.flags.standing?.decision === 'pending') {
      list.push({ type: 'Action.Execute', title: 'Accept: may complain for them', verb: 'accept-standing', data });
      list.push(
        withInputs(
          'Decline: may not complain for them',
          'decline-standing',
          data,
          [textInput('message', 'What the complainant is told (why; the case is then closed)', { maxLength: 5000, required: true })],
          'Decline, close and tell them',
        ),
      );
    }
    if (value.status !== 'responded') {
      list.push(
        withInputs(
          'Send response',
          'respond',
          data,
          [
            textInput('text', 'Response to the complainant', {
              maxLength: 20_000,
              required: true,
              placeholder: 'This is sent to them as the response at this stage',
            }),
            {
              type: 'Input.ChoiceSet',
              id: 'outcome',
              label: 'What the response finds (counted in the yearly figures)',
              style: 'expanded',
              isRequired: true,
              errorMessage: 'Choose what the response finds',
              choices: [
                { title: 'Upheld', value: 'upheld' },
                { title: 'Partly upheld', value: 'partly-upheld' },
                { title: 'Not upheld', value: 'not-upheld' },
              ],
            },
          ],
          'Send response',
        ),
      );
    }
    if (canExtend(value, policy)) {
      list.push(
        withInputs(
          'Extend deadline',
          'extend',
          data,
          [
            textInput(
              'reason',
              extensionTellsReason(value, policy) ? 'Why the extension is needed (the complainant is told this)' : 'Why the extension is needed',
              { maxLength: 2000, required: true },
            ),
          ],
          'Extend',
        ),
      );
    }
    if (canAgreeResponseDate(value, policy)) {
      list.push(
        withInputs(
          agreedResponseBy(value) ? 'Change agreed response date' : 'Record agreed response date',
          'record-agreed-response',
          data,
          [
            {
              type: 'Input.Date',
              id: 'agreedOn',
              label: 'Response date agreed with the complainant',
              isRequired: true,
              errorMessage: 'The agreed date is needed',
              min: dateInZone(now, policy.calendar.timeZone),
            },
          ],
          'Record the date and tell them',
        ),
      );
    }
    const next = policy.nextStep({ procedure: value.procedure, stage: value.stage });
    const decision = escalationDecision(value, policy, now);
    if (next.kind === 'stage' && decision.allowed && value.flags.lateEscalation?.decision !== 'pending') {
      const title = decision.reason === 'response-overdue' ? `Move to ${next.stage.name} (response late)` : `Move to ${next.stage.name}`;
      list.push({ type: 'Action.Execute', title, verb: 'escalate', data });
    }
    if (value.flags.late?.decision === 'pending') {
      list.push({ type: 'Action.Execute', title: 'Consider the late complaint', verb: 'accept-late', data });
      list.push(
        withInputs(
          'Do not consider it',
          'decline-late',
          data,
          [textInput('message', 'What the complainant is told', { maxLength: 5000, required: true })],
          'Decline and tell them',
        ),
      );
    }
    if (value.flags.lateEscalation?.decision === 'pending') {
      list.push({ type: 'Action.Execute', title: 'Accept the late request', verb: 'accept-late-escalation', data });
      list.push(
        withInputs(
          'Decline the late request',
          'decline-late-escalation',
          data,
          [textInput('message', 'What the complainant is told', { maxLength: 5000, required: true })],
          'Decline and tell them',
        ),
      );
    }
    list.push(
      withInputs(
        'Redirect',
        'redirect',
        data,
        [
          textInput('to', 'The right organisation or team', { maxLength: 200, required: true }),
          textInput('message', 'What the complainant is told (how to reach them)', { maxLength: 5000, required: true }),
        ],
        'Redirect',
      ),
    );
    list.push(
      withInputs(
        'Close',
        'close',
        data,
        [textInput('message', 'What the complainant is told (optional)', { maxLength: 5000, required: false })],
        'Close the case',
      ),
    );
  } else if (value.status !== 'redirected') {
    list.push(reopenAction(value));
  }
  const reply = withInputs(
    'Reply to complainant',
    'reply',
    data,
    [textInput('text', 'Your message to the complainant (shown in their chat)', { maxLength: 5000, required: true })],
    'Send to complainant',
  );
  // Writing to the complainant is what staff do most: always in the first row, after the case's first step, never under "More actions".
  list.splice(Math.min(1, list.length), 0, reply);
  list.push(ombudsmanAction(value, policy, now, data));
  list.push(withInputs('Internal note', 'note', data, [textInput('text', 'Note (stays in Teams)', { maxLength: 5000, required: true })], 'Add note'));
  list.push(...rightsActions(value, data));
  // Refreshing needs no button: the card's refresh clause does it on opening, and Teams offers "Refresh card" in its menu.
  return list;
}

/** The card for a case, its people's words shortened as far as needed to fit. */
export function caseCard(view: CaseCardView): AdaptiveCard {
  let card = caseCardWithin(view, EXCERPTS[0]);
  for (const max of EXCERPTS.slice(1)) {
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= MAX_CARD_BYTES) break;
    card = caseCardWithin(view, max);
  }
  return card;
}

function caseCardWithin(view: CaseCardView, max: number): AdaptiveCard {
  const { case: value, policy } = view;
  const stage = policy.stage(value.procedure, value.stage);
  const procedure = policy.procedure(value.procedure);
  const deadline = deadlineLine(value, policy, view.now);
  const independence = independenceLines(value, policy);
  const body: CardElement[] = [];
  if (view.notice) {
    body.push({ type: 'Container', style: view.notice.tone, items: [textBlock(view.notice.text, { weight: 'Bolder' })] });
  }
  body.push(textBlock(`Complaint ${formatReference(value.reference)}`, { size: 'Large', weight: 'Bolder' }));
  if (deadline?.overdue) {
    body.push({
      type: 'Container',
      style: 'attention',
      bleed: true,
      items: [
        textBlock(deadline.text, { size: 'Medium', weight: 'Bolder', color: 'Attention' }),
        ...(deadline.late ? [textBlock(deadline.late, { weight: 'Bolder' })] : []),
      ],
    });
  } else if (deadline?.late) {
    body.push({ type: 'Container', style: 'warning', items: [textBlock(deadline.late, { weight: 'Bolder' })] });
  }
  body.push({
    type: 'FactSet',
    facts: [
      { title: 'Procedure', value: procedure.name },
      { title: 'Stage', value: `${stage.name} (${stage.position} of ${stage.of})` },
      {
        title: 'Handled by',
        value: `${handlerRole(value, policy)}${value.handler ? `: ${value.handler.name.replace(/[<>[\]*_`\\]/g, '')}` : ', not yet assigned'}`,
      },
      { title: 'Status', value: STATUS_WORDS[value.status] },
      ...(deadline && !deadline.overdue ? [{ title: 'Deadline', value: deadline.text }] : []),
      { title: 'Lodged', value: formatLongDate(dateInZone(new Date(value.lodgedAt), policy.calendar.timeZone)) },
    ],
  });
  body.push(...flagBlocks(value, policy, max));
  if (independence.length > 0) {
    body.push({ type: 'Container', style: 'emphasis', items: independence.map((line) => textBlock(`Independence: ${line}`, { isSubtle: false })) });
  }
  body.push(
    ...literalText(
      'Complainant',
      value.complainant.relationship === 'self' ? value.complainant.name : `${value.complainant.name} (${relationshipInWords(value.complainant)})`,
      max,
    ),
  );
  if (value.personAffected?.name || value.personAffected?.description) {
    body.push(...literalText('Person affected', [value.personAffected.name, value.personAffected.description].filter(Boolean).join(', '), max));
  }
  body.push(...literalText('What happened', value.whatHappened, max));
  if (value.when.said) body.push(...literalText('When (their words)', `${value.when.said}${whenReading(value.when)}`, max));
  if (value.outcomeWanted) body.push(...literalText('What they want', value.outcomeWanted, max));
  body.push(...literalText('Adjustments', `${value.needs.adjustments ?? 'None asked for'}${ADVOCACY_NOTE[value.needs.advocacy]}`, max));
  body.push(...contactBlocks(value, max));
  body.push(...historyBlocks(value, view.recent, max));
  body.push(
    textBlock(
      'To write to the complainant, use “Reply to complainant” or reply in this thread with an @mention of this app alone. Anything else said in ' +
        'this thread stays in the team (kept on the case as discussion).',
      { isSubtle: true, size: 'Small', spacing: 'Medium' },
    ),
  );
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    actions: actions(value, policy, view.now, view.colleagues),
    // Without userIds, Teams refreshes the card for everyone who opens it in a channel of up to
    // 60 members (a service desk); larger channels get "Refresh card" in the card's menu.
    refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { reference: value.reference } } },
    msteams: { width: 'Full' },
  };
}

export type { AdaptiveCard } from './adaptive-card.js';
