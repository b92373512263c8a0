/**
 * Reads what a case's cards show and builds them: the summary everyone in the channel sees (the
 * thread's root post, by the notifier and the staff bot) and the full card staff see in its
 * place (answers to their refreshes and actions), with the case's recent history.
 */
import type { Case, CaseEventType, StoredCase } from '../cases/case.js';
import type { CaseStore } from '../cases/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { StaffRoster } from '../ports/staff-roster.js';
import type { EscalationPolicy } from '../policy/index.js';
import { type AdaptiveCard, type CaseCardView, caseCard } from './cards/case-card.js';
import { caseSummaryCard } from './cards/case-summary-card.js';

/** History entries worth showing on the card. */
const SHOWN: ReadonlySet<CaseEventType> = new Set<CaseEventType>([
  'note',
  'discussion',
  'reply-held',
  'message-relayed',
  'responded',
  'assigned',
  'extended',
  'escalated',
  'escalation-requested',
  'redirected',
  'closed',
  'reopened',
  'flagged',
  'updated',
]);

/** How many recent entries the card lists. */
const RECENT = 6;

/** What building a card needs. */
export interface CaseViewDeps {
  readonly cases: CaseStore;
  readonly policy: EscalationPolicy;
  readonly clock: Clock;
  /** Who a case may be given to ("Assign to…"): the roster's members Teams has named. */
  readonly roster?: StaffRoster;
}

/** The card for a case as it now stands. */
export async function cardForCase(deps: CaseViewDeps, stored: StoredCase, notice?: CaseCardView['notice']): Promise<AdaptiveCard> {
  const history = await deps.cases.history(stored.case.reference);
  const recent = history.filter((event) => SHOWN.has(event.type) && !(event.type === 'updated' && event.actor.kind === 'system')).slice(-RECENT);
  const colleagues = deps.roster ? (await deps.roster.members()).flatMap((member) => (member.name ? [{ id: member.id, name: member.name }] : [])) : [];
  return caseCard({ case: stored.case, recent, policy: deps.policy, now: deps.clock.now(), colleagues, ...(notice ? { notice } : {}) });
}

/** The Teams user ids of staff whose view of a staff-only card Teams refreshes: the case's handler first, so they are among the 60 Teams allows. */
export async function staffTeamsIdsFor(roster: StaffRoster | undefined, value: Case | null): Promise<string[]> {
  const members = roster ? await roster.members() : [];
  const handler = value?.handler?.id;
  const ordered = [...members].sort((a, b) => Number(b.id === handler) - Number(a.id === handler));
  return ordered.flatMap((member) => (member.teamsUserId ? [member.teamsUserId] : []));
}

/** The summary card for a case's root post: no personal data, and the full card for staff in its place. */
export async function summaryForCase(deps: CaseViewDeps, stored: StoredCase): Promise<AdaptiveCard> {
  const staffTeamsIds = await staffTeamsIdsFor(deps.roster, stored.case);
  return caseSummaryCard({ case: stored.case, policy: deps.policy, now: deps.clock.now(), staffTeamsIds });
}

/** Words the complainant wrote to the case, found by when (their history entry's time, which their outbox event carries). */
export async function complainantWords(deps: Pick<CaseViewDeps, 'cases'>, stored: StoredCase, at: string): Promise<string | null> {
  const history = await deps.cases.history(stored.case.reference);
  const entry = history.find((event) => event.type === 'message-relayed' && event.actor.kind === 'complainant' && event.at === at);
  return typeof entry?.details['text'] === 'string' ? entry.details['text'] : null;
}
