/**
 * The daily digest as a card in the complaints channel: four counts, then the ten most urgent
 * cases, each a link to its thread (Teams' deep link to a channel message) where it has one.
 */
import type { DailyDigest, DigestEntry } from '../../timekeeping/digest.js';
import { formatLongDate, parseLocalDate } from '../../policy/index.js';
import { type AdaptiveCard, textBlock } from './adaptive-card.js';
import { threadLink } from '../thread-link.js';

/** Markdown's special characters in a reference or name, escaped (Adaptive Cards render a subset). */
function plain(text: string): string {
  return text.replace(/[[\]*_`\\<>]/g, '');
}

function line(entry: DigestEntry): string {
  const reference = entry.thread ? `[${plain(entry.reference)}](${threadLink(entry.thread)})` : plain(entry.reference);
  const due = entry.due ? `${entry.overdue ? 'OVERDUE, was due' : 'due'} ${formatLongDate(parseLocalDate(entry.due))}` : null;
  const parts = [plain(entry.what), due, entry.assigned ? null : 'not assigned', ...entry.decisions.map((decision) => `decide: ${decision}`)];
  return `${reference}: ${parts.filter(Boolean).join('; ')}`;
}

export function digestCard(digest: DailyDigest): AdaptiveCard {
  const { counts } = digest;
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: `Complaints today, ${formatLongDate(digest.date)}`, weight: 'Bolder', size: 'Medium', wrap: true },
      {
        type: 'FactSet',
        facts: [
          { title: 'Overdue', value: String(counts.overdue) },
          { title: 'Due this week', value: String(counts.dueThisWeek) },
          { title: 'Not assigned', value: String(counts.unassigned) },
          { title: 'Decisions waiting', value: String(counts.decisionsWaiting) },
        ],
      },
      ...(digest.partial ? [textBlock('There are more open cases than one digest reads: each count is at least this.', { isSubtle: true })] : []),
      digest.urgent.length > 0
        ? textBlock(`The ${String(digest.urgent.length)} most urgent:`, { weight: 'Bolder' })
        : textBlock('Nothing is overdue, due this week, unassigned or waiting for a decision.'),
      ...digest.urgent.map((entry) => textBlock(line(entry), { spacing: 'Small', ...(entry.overdue ? { color: 'Attention' as const } : {}) })),
    ],
  };
}
