/**
 * "My cases" in a personal chat with the bot: the cases assigned to the member of staff, the
 * overdue first (longest overdue at the top), then by the date the next response is due, then
 * those with nothing owed; each with its stage, its status in words and its deadline with the
 * working days left, as the case card says them. Ten to a page. Pure.
 */
import type { Case } from '../cases/case.js';
import { dueOn } from '../cases/case-policy.js';
import { currentDeadline } from '../cases/indexing.js';
import { formatReference } from '../cases/reference.js';
import { compareDates, type EscalationPolicy } from '../policy/index.js';
import { deadlineLine, STATUS_WORDS } from './cards/case-card.js';

/** Cases a page shows. */
export const MY_CASES_PAGE = 10;

/** Which page someone asked for: "my cases" (the first), "my cases 2", "page 3". */
export function pageAsked(text: string): number {
  const number = /\b(\d{1,4})\b/.exec(text)?.[1];
  return number ? Math.max(1, Number(number)) : 1;
}

/** The cases in the order they are listed: overdue first, then soonest due, then nothing owed. */
export function inListOrder(cases: readonly Case[], policy: EscalationPolicy, now: Date): Case[] {
  const facts = cases.map((value) => {
    const line = deadlineLine(value, policy, now);
    const deadline = currentDeadline(value);
    return { value, overdue: line?.overdue ?? false, due: line && deadline ? dueOn(value, policy, deadline) : null };
  });
  return facts
    .sort((a, b) => {
      if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
      if (a.due && b.due) return compareDates(a.due, b.due) || a.value.reference.localeCompare(b.value.reference);
      if (a.due || b.due) return a.due ? -1 : 1;
      return a.value.reference.localeCompare(b.value.reference);
    })
    .map((each) => each.value);
}

/** The message listing page `page` of someone's cases (Markdown). */
export function myCasesText(cases: readonly Case[], policy: EscalationPolicy, now: Date, page: number): string {
  if (cases.length === 0) return 'No cases are assigned to you. New complaints appear as cards in the complaints channel; use "Assign to me" there.';
  const pages = Math.ceil(cases.length / MY_CASES_PAGE);
  const shown = Math.min(Math.max(1, page), pages);
  const ordered = inListOrder(cases, policy, now).slice((shown - 1) * MY_CASES_PAGE, shown * MY_CASES_PAGE);
  const overdue = cases.filter((value) => deadlineLine(value, policy, now)?.overdue).length;
  const lines = ordered.map((value) => {
    const deadline = deadlineLine(value, policy, now);
    const stage = policy.stage(value.procedure, value.stage).name;
    return `- **${formatReference(value.reference)}**: ${stage}. ${STATUS_WORDS[value.status]}.${deadline ? ` ${deadline.text}.` : ''}`;
  });
  const heading =
    `Cases assigned to you: ${String(cases.length)}` +
    (overdue > 0 ? `, ${String(overdue)} overdue (listed first)` : '') +
    (pages > 1 ? `. Page ${String(shown)} of ${String(pages)}` : '') +
    '.';
  const footer =
    shown < pages
      ? `Say "my cases ${String(shown + 1)}" for the next page${pages > shown + 1 ? ` (there are ${String(pages)})` : ''}.`
      : 'Act on them from their cards in the complaints channel.';
  return `${heading}\n\n${lines.join('\n')}\n\n${footer}`;
}
