/**
 * Reads what a case card shows (the case and its recent history) and builds the card. Shared by
 * the notifier (new and updated posts) and the staff bot (answers to card actions).
 */
import type { CaseEventType, StoredCase } from '../cases/case.js';
import type { CaseStore } from '../cases/case-store.js';
import type { Clock } from '../ports/clock.js';
import type { StaffRoster } from '../ports/staff-roster.js';
import type { EscalationPolicy } from '../policy/index.js';
import { type AdaptiveCard, type CaseCardView, caseCard } from './case-card.js';

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
