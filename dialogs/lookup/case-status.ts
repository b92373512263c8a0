/**
 * A case's status in plain words: where it is, who has it, when the response is due (or that it
 * is late, with an apology and what to do), the last response, and what the person can do next.
 * A pure function of the case, the policy and the time, so the chat and any other channel say
 * the same.
 */
import type { Case } from '../../src/cases/case.js';
import { currentDeadline } from '../../src/cases/indexing.js';
import { formatReference } from '../../src/cases/reference.js';
import {
  compareDates, dateInZone, type EscalationPolicy, formatLongDate, parseLocalDate,
  workingDaysBetween,
} from '../../src/policy/index.js';
import type { ServiceDetails } from '../../src/ports/service-details.js';
import { escalationDecision, handlerRole } from '../../src/cases/case-policy.js';
import { excerpt, literal, PROCEDURE_TOPIC, workingDays } from '../wording.js';

/** The status message for a case. */
export function statusMessage(value: Case, policy: EscalationPolicy, now: Date, service: ServiceDetails): string {
  const stage = policy.stage(value.procedure, value.stage);
  const today = dateInZone(now, policy.calendar.timeZone);
  const role = handlerRole(value, policy);
  const lines = [`Your complaint **${formatReference(value.reference)}** is about ${PROCEDURE_TOPIC[value.procedure] ?? value.procedure}.`];
  lines.push(`**Where it is:** ${stage.name}. ${stage.description}`);
  lines.push(value.handler
    ? `**Who is handling it:** ${literal(value.handler.name)} (${role}).`
    : `**Who is handling it:** it is waiting to be picked up by the ${role}.`);

  if (value.status === 'closed') lines.push('This complaint is **closed**.');
  if (value.status === 'withdrawn') lines.push('This complaint was **withdrawn**.');
  if (value.status === 'redirected') lines.push('This complaint was **passed to another organisation**, the right one to deal with it; you should have been told which.');

  const deadline = currentDeadline(value);
  const owed = value.status === 'open' || value.status === 'awaiting-response' || value.status === 'escalation-requested';
  if (owed && value.acknowledgement && !value.acknowledgement.acknowledgedAt) {
    lines.push(`You should get an acknowledgement by ${formatLongDate(parseLocalDate(value.acknowledgement.due.due))}.`);
  }
  if (owed && deadline) {
    const due = parseLocalDate(deadline.due);
    if (deadline.kind === 'explanation-duty') {
      lines.push(compareDates(today, due) > 0
        ? `There’s no fixed date for the response, but it has been more than six months, so they must write to explain why it is taking longer. If you haven’t heard, contact the service desk on ${service.serviceDesk.phone}.`
        : `There’s no fixed date for the response, but if you haven’t had one by ${formatLongDate(due)}, they must write to tell you why.`);
    } else if (compareDates(today, due) > 0) {
      lines.push(`**The response was due by ${formatLongDate(due)} and is late. I’m sorry.** You can ask what is happening by contacting the service desk on ${service.serviceDesk.phone} (${service.serviceDesk.hours}) or ${service.serviceDesk.email}.`);
    } else {
      const left = workingDaysBetween(policy.calendar, today, due);
      const label = deadline.kind === 'meeting' ? 'The Review Panel will meet by' : deadline.kind === 'report' ? 'The panel’s report is due by' : 'We’ll respond by';
      lines.push(`**${label}:** ${formatLongDate(due)} (${left === 0 ? 'today' : `${workingDays(left)} from today`}).`);
    }
  }
  if (value.flags.late?.decision === 'pending') lines.push('Because of the time limit for complaints, a manager is deciding whether it can be looked at, and will let you know.');
  const lateRequest = value.flags.lateEscalation;
  if (lateRequest?.decision === 'pending') {
    lines.push(`You asked for ${policy.stage(value.procedure, lateRequest.to).name} after the time to ask had passed, so the team are deciding whether to accept your request. They will let you know.`);
  } else if (lateRequest?.decision === 'declined' && value.stage !== lateRequest.to) {
    lines.push(`Your late request for ${policy.stage(value.procedure, lateRequest.to).name} was not accepted.`);
  }

  const last = value.responses[value.responses.length - 1];
  if (last) lines.push(`**Last response**, on ${formatLongDate(dateInZone(new Date(last.at), policy.calendar.timeZone))}: "${excerpt(last.text, 300)}"`);

  if ((value.status === 'responded' || value.status === 'closed') && lateRequest?.decision !== 'pending') {
    const decision = escalationDecision(value, policy, now);
    lines.push(decision.allowed
      ? `**What you can do next:** if the response hasn’t put things right, you can ask for your complaint to go to ${decision.to.name}${decision.requestWindow ? ` until ${decision.requestWindow.closesOnText}` : ''}. Type "take my complaint further" to do that.`
      : `**What you can do next:** ${decision.explanation}`);
  } else if (owed) {
    lines.push('**What happens next:** you’ll get the response by the date above. If you’re not happy with it, you can come back here to take your complaint further.');
  }
  return lines.join('\n\n');
}
