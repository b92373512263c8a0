/**
 * What everyone in the channel sees of a case: the root post of its thread, without personal
 * data (no names, no contact details, no quotes; flags as words). Staff on the roster see the
 * full card in its place, as their own view (Universal Actions' user-specific views): Teams
 * refreshes the card for each of them as they open it (`refresh.userIds`, at most 60), and for
 * anyone else "Show details" asks for it, answered with the full card only if they are staff.
 */
import type { Case } from '../../cases/case.js';
import { formatReference } from '../../cases/reference.js';
import { dateInZone, type EscalationPolicy, formatLongDate } from '../../policy/index.js';
import { type AdaptiveCard, type Container, execute, textBlock } from './adaptive-card.js';
import { deadlineLine, STATUS_WORDS } from './case-card.js';

/** Teams refreshes a card by itself for at most this many users named in `refresh.userIds`. */
export const MAX_REFRESH_USERS = 60;

/** The case's flags as words (no quotes, no names). */
export function flagWords(value: Case): string[] {
  const words: string[] = [];
  if (value.flags.safeguarding) words.push('safeguarding concern: follow the safeguarding procedure');
  if (value.flags.late) words.push(`late complaint${value.flags.late.decision === 'pending' ? ': decision needed' : ''}`);
  if (value.flags.standing) words.push(`who may complain${value.flags.standing.decision === 'pending' ? ': decision needed first' : ''}`);
  if (value.flags.lateEscalation) words.push(`late request for the next stage${value.flags.lateEscalation.decision === 'pending' ? ': decision needed' : ''}`);
  return words;
}

/** What the summary is built from: the case, and the Teams user ids of staff, whose view of it Teams refreshes to the full card. */
export interface CaseSummaryView {
  readonly case: Case;
  readonly policy: EscalationPolicy;
  readonly now: Date;
  /** Teams user ids (29:...) of staff, the case's handler first; only the first 60 are named to Teams. */
  readonly staffTeamsIds: readonly string[];
}

/** The red band an overdue deadline gets. */
function overdueBand(text: string): Container {
  return { type: 'Container', style: 'attention', bleed: true, items: [textBlock(text, { weight: 'Bolder', color: 'Attention' })] };
}

export function caseSummaryCard(view: CaseSummaryView): AdaptiveCard {
  const { case: value, policy } = view;
  const deadline = deadlineLine(value, policy, view.now);
  const flags = flagWords(value);
  const refresh = execute('Show details', 'refresh', { reference: value.reference });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      textBlock(`Complaint ${formatReference(value.reference)}`, { size: 'Large', weight: 'Bolder' }),
      ...(deadline?.overdue ? [overdueBand(deadline.text)] : []),
      {
        type: 'FactSet',
        facts: [
          { title: 'Procedure', value: policy.procedure(value.procedure).name },
          { title: 'Stage', value: policy.stage(value.procedure, value.stage).name },
          { title: 'Status', value: STATUS_WORDS[value.status] },
          ...(deadline && !deadline.overdue ? [{ title: 'Deadline', value: deadline.text }] : []),
          { title: 'Lodged', value: formatLongDate(dateInZone(new Date(value.lodgedAt), policy.calendar.timeZone)) },
          ...(flags.length > 0 ? [{ title: 'Flags', value: flags.join('; ') }] : []),
        ],
      },
      textBlock('The complaint’s details are for the complaints team only: they see them here in place of this summary, or with “Show details”.', {
        isSubtle: true,
        size: 'Small',
      }),
    ],
    actions: [refresh],
    refresh: { action: refresh, userIds: [...new Set(view.staffTeamsIds)].slice(0, MAX_REFRESH_USERS) },
    msteams: { width: 'Full' },
  };
}
