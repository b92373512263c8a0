/**
 * A case's status in plain words: where it is, who has it, when the response is due (or that it
 * is late, with an apology and what to do), the last response, and what the person can do next.
 * A pure function of the case, the policy and the time, so the chat and any other channel say
 * the same.
 *
 * What is due is named by its kind (a Review Panel meeting is not "the response"), and a date
 * agreed with the complainant is said as agreed. A late response never leaves the person only
 * waiting: where the next stage can be asked for now, or the ombudsman can look now, they are
 * told so, and never also told to wait for the response first.
 */
import type { Case } from '../../src/cases/case.js';
import { currentDeadline } from '../../src/cases/indexing.js';
import { formatReference } from '../../src/cases/reference.js';
import { compareDates, dateInZone, type EscalationPolicy, formatLongDate, type LocalDate, parseLocalDate, workingDaysBetween } from '../../src/policy/index.js';
import type { ServiceDetails } from '../../src/ports/service-details.js';
import { AGREED_RESPONSE, dueOn, escalationDecision, handlerRole } from '../../src/cases/case-policy.js';
import type { DeadlineRecord } from '../../src/cases/case.js';
import { excerpt, literal, PROCEDURE_TOPIC, workingDays } from '../wording.js';

/** The status message for a case. */
export function statusMessage(value: Case, policy: EscalationPolicy, now: Date, service: ServiceDetails): string {
  const stage = policy.stage(value.procedure, value.stage);
  const today = dateInZone(now, policy.calendar.timeZone);
  const role = handlerRole(value, policy);
  const lines = [`Your complaint **${formatReference(value.reference)}** is about ${PROCEDURE_TOPIC[value.procedure] ?? value.procedure}.`];
  lines.push(`**Where it is:** ${stage.name}. ${stage.description}`);
  lines.push(
    value.handler
      ? `**Who is handling it:** ${literal(value.handler.name)} (${role}).`
      : `**Who is handling it:** it is waiting to be picked up by the ${role}.`,
  );

  if (value.status === 'closed') lines.push('This complaint is **closed**.');
  if (value.status === 'withdrawn') lines.push('This complaint was **withdrawn**.');
  if (value.status === 'redirected')
    lines.push('This complaint was **passed to another organisation**, the right one to deal with it; you should have been told which.');

  const deadline = currentDeadline(value);
  const owed = value.status === 'open' || value.status === 'awaiting-response' || value.status === 'escalation-requested';
  if (owed && value.acknowledgement && !value.acknowledgement.acknowledgedAt) {
    lines.push(`You should get an acknowledgement by ${formatLongDate(parseLocalDate(value.acknowledgement.due.due))}.`);
  }
  // As the law counts it: a record made under the old count is never shown a day late.
  const dueDate = deadline ? dueOn(value, policy, deadline) : null;
  const overdue = owed && dueDate !== null && compareDates(today, dueDate) > 0;
  if (owed && deadline && dueDate) {
    const due = dueDate;
    if (deadline.kind === 'explanation-duty') {
      lines.push(
        overdue
          ? `There’s no fixed date for the response, but it has been more than six months, so they must write to explain why it is taking longer. If ` +
              `you haven’t heard, contact the service desk on ${service.serviceDesk.phone}.`
          : `There’s no fixed date for the response, but if you haven’t had one by ${formatLongDate(due)}, they must write to tell you why.`,
      );
    } else if (overdue) {
      lines.push(
        `**${lateWhat(deadline, due)} and is late. I’m sorry.** You can ask what is happening by contacting the service desk on ` +
          `${service.serviceDesk.phone} (${service.serviceDesk.hours}) or ${service.serviceDesk.email}.`,
      );
    } else {
      const left = workingDaysBetween(policy.calendar, today, due);
      const fromToday = left === 0 ? 'today' : `${workingDays(left)} from today`;
      lines.push(
        deadline.timeLimit === AGREED_RESPONSE
          ? `**The response was agreed for ${formatLongDate(due)}** (${fromToday}).`
          : `**${dueWhat(deadline)}:** ${formatLongDate(due)} (${fromToday}).`,
      );
    }
  }
  if (value.flags.standing?.decision === 'pending')
    lines.push('Before looking into it, the team are checking who can make this complaint, and will let you know.');
  if (value.flags.late?.decision === 'pending')
    lines.push('Because of the time limit for complaints, a manager is deciding whether it can be looked at, and will let you know.');
  const lateRequest = value.flags.lateEscalation;
  if (lateRequest?.decision === 'pending') {
    lines.push(
      `You asked for ${policy.stage(value.procedure, lateRequest.to).name} after the time to ask had passed, so the team are deciding whether to accept ` +
        `your request. They will let you know.`,
    );
  } else if (lateRequest?.decision === 'declined' && value.stage !== lateRequest.to) {
    lines.push(`Your late request for ${policy.stage(value.procedure, lateRequest.to).name} was not accepted.`);
  }

  const last = value.responses[value.responses.length - 1];
  if (last) lines.push(`**Last response**, on ${formatLongDate(dateInZone(new Date(last.at), policy.calendar.timeZone))}: "${excerpt(last.text, 300)}"`);

  if ((value.status === 'responded' || value.status === 'closed') && lateRequest?.decision !== 'pending') {
    const decision = escalationDecision(value, policy, now);
    lines.push(
      decision.allowed
        ? `**What you can do next:** if the response hasn’t put things right, you can ask for your complaint to go to ` +
            `${decision.to.name}${decision.requestWindow ? ` until ${decision.requestWindow.closesOnText}` : ''}. Type "take my complaint further" to do that.`
        : `**What you can do next:** ${decision.explanation}`,
    );
  } else if (owed) {
    lines.push(whatNext(value, policy, now, deadline, overdue, lateRequest?.decision === 'pending'));
  }
  return lines.join('\n\n');
}

/** What was due and has passed, by its kind: "The Review Panel was due to meet by Monday 13 October 2025". */
function lateWhat(deadline: DeadlineRecord, dueDate: LocalDate): string {
  const due = formatLongDate(dueDate);
  if (deadline.timeLimit === AGREED_RESPONSE) return `The response was agreed for ${due}`;
  switch (deadline.kind) {
    case 'meeting':
      return `The Review Panel was due to meet by ${due}`;
    case 'report':
      return `The panel’s report was due by ${due}`;
    default:
      return `The response was due by ${due}`;
  }
}

/** What is due next, by its kind, as a label for its date. */
function dueWhat(deadline: DeadlineRecord): string {
  switch (deadline.kind) {
    case 'meeting':
      return 'The Review Panel will meet by';
    case 'report':
      return 'The panel’s report is due by';
    default:
      return 'We’ll respond by';
  }
}

/**
 * What happens next while a response is owed. When it is late, what the policy lets the person
 * do now: ask for the next stage without waiting, or go to the ombudsman now at the last stage.
 */
function whatNext(value: Case, policy: EscalationPolicy, now: Date, deadline: DeadlineRecord | null, overdue: boolean, lateRequestPending: boolean): string {
  const decision = lateRequestPending ? null : escalationDecision(value, policy, now);
  // Once the next stage has been asked for, it is not offered again; the ombudsman still is at the last stage.
  if (value.status !== 'escalation-requested' && decision?.allowed && decision.reason === 'response-overdue') {
    return (
      `**What you can do next:** you don’t have to wait for the late response. You can ask for your complaint to go to ${decision.to.name} now: ` +
      `type "take my complaint further" to do that.`
    );
  }
  // At the last stage there is nowhere to come back to: a late response, or a late meeting before
  // it, leads to the ombudsman.
  if (decision && !decision.allowed && decision.reason === 'final-stage' && (decision.overdue || decision.lateStep)) {
    return `**What you can do next:** ${decision.ombudsman.explanation.replace(/^You /, 'you ')}`;
  }
  if (overdue) {
    return (
      '**What happens next:** the team should send the response as soon as they can. If you’re not happy with it, you can come back here to take ' +
      'your complaint further.'
    );
  }
  const when =
    deadline?.kind === 'response' ? 'by the date above' : deadline?.kind === 'explanation-duty' ? 'in writing' : 'after the panel has met and sent its report';
  return `**What happens next:** you’ll get the response ${when}. If you’re not happy with it, you can come back here to take your complaint further.`;
}
