/**
 * What making a complaint says back to the person: the read-back of their answers before it is
 * sent, the confirmation once it is, and the words that depend on their answers. Pure functions
 * of the draft or the case and the rulebook; the questions and their order are in
 * `lodge-complaint-flow.ts`.
 */
import type { Case } from '../../src/cases/case.js';
import { amountText, type EscalationPolicy, formatLongDate, type ProcedureDefinition } from '../../src/policy/index.js';
import { advocacyOffer, type ChangeablePart, type ComplaintDraft } from '../draft.js';
import { excerpt, literal, PROCEDURE_TOPIC, referenceInWords } from '../wording.js';
import { whenInSummary } from './when-wording.js';

/** The parts that can be changed from the summary, as the person sees them. */
export const PART_LABELS: Readonly<Record<ChangeablePart, string>> = {
  procedure: 'What it’s about',
  who: 'Who it’s for',
  whatHappened: 'What happened',
  when: 'When',
  outcomeWanted: 'What you’d like',
  contact: 'Contact details',
  needs: 'Help you need',
};

/** How someone makes a complaint for another person, as the read-back says it: "made by you, Sam, as their parent". */
const ACTING_AS: Readonly<Record<Case['complainant']['relationship'], string>> = {
  self: 'for yourself',
  parent: 'as their parent',
  'foster-carer': 'as their foster carer',
  'parental-responsibility': 'as someone with parental responsibility for them',
  relative: 'as a relative or carer',
  carer: 'as their carer',
  advocate: 'as their advocate',
  representative: 'as their representative',
  other: 'on their behalf',
};

/** The read-back of every answer, numbered as the parts are when choosing one to change. */
export function complaintSummary(draft: ComplaintDraft, policy: EscalationPolicy): string {
  const who = draft.who;
  const lines = [
    `1. **What it’s about:** ${PROCEDURE_TOPIC[draft.procedure ?? ''] ?? ''}${routeWords(draft, policy)}`,
    // Names exactly as typed (never re-capitalised), and said as who the complaint is for and who makes it.
    `2. **Who it’s for:** ${who ? whoInSummary(who) : ''}`,
    `3. **What happened:** ${excerpt(draft.whatHappened ?? '')}`,
    `4. **When:** ${draft.when ? whenInSummary(draft.when) : ''}`,
    `5. **What you’d like:** ${excerpt(draft.outcomeWanted ?? '')}`,
    `6. **Contact details:** ${contactInSummary(draft)}`,
    `7. **Help you need:** ${draft.adjustments ? excerpt(draft.adjustments, 200) : 'none'}${advocacyInSummary(draft, policy)}`,
  ];
  return lines.join('\n');
}

/** Who the complaint is for and who makes it, names exactly as typed (never re-capitalised). */
function whoInSummary(who: NonNullable<ComplaintDraft['who']>): string {
  if (who.relationship === 'self') return `yourself, ${literal(who.complainantName)}`;
  const forWhom = `${who.personAffected?.name ? literal(who.personAffected.name) : 'someone else'}${who.personAffected?.child ? ' (under 18)' : ''}`;
  return `${forWhom}; made by you, ${literal(who.complainantName)}, ${ACTING_AS[who.relationship]}`;
}

/** The contact details given, and the preference. */
function contactInSummary(draft: ComplaintDraft): string {
  if (draft.secondFactor === 'code') return 'none given: the team will reply in this chat, and you have an access code';
  const details = [draft.contact?.email, draft.contact?.phone].filter((detail): detail is string => Boolean(detail)).map(literal);
  const preferred = draft.contact?.preferred === 'chat' ? 'this chat' : (draft.contact?.preferred ?? '');
  return `${details.join(', ')} (you’d prefer ${preferred})`;
}

/** What the summary says about advocacy, after the adjustments. */
function advocacyInSummary(draft: ComplaintDraft, policy: EscalationPolicy): string {
  if (draft.advocacy === 'has-advocate') return '; you have an advocate';
  if (draft.advocacy !== 'requested') return '';
  return advocacyOffer(draft, policy) === 'arranged' ? '; you’d like an advocate' : '; you’d like to be put in touch with an advocacy service';
}

/** What unlocks the case later, in the confirmation's words. */
function unlockedBy(value: Case, accessCode: string | undefined): string {
  if (accessCode) return `your access code **${accessCode}**`;
  if (value.contact.email && value.contact.phone) return 'your email address or your phone number';
  return `your ${value.contact.email ? 'email address' : 'phone number'}`;
}

/** Where the complaint goes, for procedures where the person chose (NHS provider or commissioner). */
function routeWords(draft: ComplaintDraft, policy: EscalationPolicy): string {
  if (!draft.procedure || !draft.route) return '';
  const route = policy.stages(draft.procedure)[0]?.handler.routes?.find((candidate) => candidate.id === draft.route);
  return route ? `, sent to the ${route.role}` : '';
}

/** What the person is told once their complaint is saved. */
export function lodgedConfirmation(value: Case, now: Date, accessCode: string | undefined, policy: EscalationPolicy, cutOff: string | undefined): string {
  const stage = policy.stage(value.procedure, value.stage);
  const deadline = value.deadlines[value.deadlines.length - 1];
  const due = deadline ? formatLongDate(deadline.due) : null;
  // Counts run from the day it was received, whatever day that is; only the organisation's own
  // cut-off (a local choice, named as one) can move it to the next day.
  const start = policy.deadline({ procedure: value.procedure, stage: value.stage, received: now, ...(cutOff ? { cutOff } : {}) }).start;
  const period = deadline ? amountText(deadline.amount, deadline.unit) : '';
  const counted = start.moved
    ? `${period} after ${formatLongDate(start.countsFrom)}. Your complaint arrived on ${formatLongDate(start.receivedOn)}, but ${start.moved.detail}, ` +
      `so we count it as received the next day.`
    : `${period} after the day we received it, ${formatLongDate(start.receivedOn)}.`;
  const parts = [
    `Thank you. Your complaint has been sent.\n\nYour reference is ${referenceInWords(value.reference)}. ` +
      `Please keep it safe: with ${unlockedBy(value, accessCode)}, it lets you check on your complaint here.`,
    `What happens next: ${stage.description}`,
  ];
  // Under the Complaint Handling Code this confirmation is the acknowledgement: the complaint is logged at Stage 1 today.
  if (value.acknowledgement?.acknowledgedAt) parts.push(`This message acknowledges your complaint: it is logged at ${stage.name} under this reference.`);
  else if (value.acknowledgement) parts.push(`You should get an acknowledgement by ${formatLongDate(value.acknowledgement.due.due)}.`);
  if (deadline?.kind === 'explanation-duty') {
    parts.push(`There’s no fixed date for the full response, but if you haven’t had one by ${due ?? ''}, they must write to tell you why.`);
  } else if (due && deadline) {
    parts.push(`You should have a response by **${due}**: that’s ${counted}`);
  }
  if (value.flags.standing) parts.push('Before looking into your complaint, the team will first check who can make it, as I mentioned, and will let you know.');
  if (value.flags.late) parts.push('Because of the time limit, a manager will first decide whether your complaint can be looked at, and will let you know.');
  if (value.flags.safeguarding) parts.push('What you told us about someone’s safety has been passed to the team as urgent.');
  return parts.join('\n\n');
}

/**
 * The offer of an advocacy service to someone the body need not arrange one for: never a
 * promise, and, where a child is affected, what the council must do for them.
 */
export function advocacyInvitation(advocacy: NonNullable<ProcedureDefinition['advocacy']>, draft: ComplaintDraft): string {
  const forChild =
    advocacy.childrensDuty && draft.who?.relationship !== 'self'
      ? '\n\nIf the child or young person wants to have their say, the council must arrange an advocate for them, free. Just let the team know.'
      : '';
  return `${capitalise(advocacy.name)} is ${advocacy.description}. We can’t promise you an advocate, but would you like us to put you in touch?${forChild}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
