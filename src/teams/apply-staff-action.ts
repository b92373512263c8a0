/**
 * Making a case card's decision, wherever it was asked for (the card in Teams, the staff tab):
 * refused when the case's decisions changed since the asker saw it, "already done" for the same
 * action again, otherwise the transition's decision applied with its idempotency key. The caller
 * says what happened in its own way, from the one answer this gives.
 */
import type { StoredCase } from '../cases/case.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import { decisionState } from './cards/case-card.js';
import { type ActionContext, type ActionOutcome, type ChangingAction, decideStaffAction } from './staff-actions.js';

/** What became of an action, with the case as it is after it. */
export type AppliedAction =
  | { readonly kind: 'done'; readonly latest: StoredCase; readonly outcome: Extract<ActionOutcome, { ok: true }> }
  /** The same action was made before (a replay, a double click). */
  | { readonly kind: 'already'; readonly latest: StoredCase }
  /** Someone changed the case's decisions since the asker saw it. */
  | { readonly kind: 'stale'; readonly latest: StoredCase }
  /** The case changed while the action was being made. */
  | { readonly kind: 'raced'; readonly latest: StoredCase }
  | { readonly kind: 'refused'; readonly latest: StoredCase; readonly explanation: string };

/** Said about an action that was not done, or was done before. */
export const NOT_DONE: Readonly<Record<Exclude<AppliedAction['kind'], 'done' | 'refused'>, string>> = {
  already: 'That was already done.',
  stale: 'Someone else changed this case since this card was shown. Here it is now; nothing was changed. Check, then try again.',
  raced: 'This case changed just now, before your action could be made. Here it is now; nothing was changed.',
};

/** The tone a notice about it takes. */
export function toneOf(applied: AppliedAction): 'good' | 'warning' | 'attention' {
  return applied.kind === 'done' || applied.kind === 'already' ? 'good' : applied.kind === 'refused' ? 'attention' : 'warning';
}

/** Applies an action seen on a card showing decision state `action.state`. */
export async function applyStaffAction(
  cases: CaseStore,
  stored: StoredCase,
  action: ChangingAction,
  context: ActionContext,
  key: string,
): Promise<AppliedAction> {
  const reference = stored.case.reference;
  if (action.state !== decisionState(stored.case)) {
    // The same action again (a replay, a double click): it was this person's, and it is done.
    return { kind: (await cases.wasApplied(reference, key)) ? 'already' : 'stale', latest: stored };
  }
  const decided: { outcome: ActionOutcome | null } = { outcome: null };
  const result = await updateCase(cases, reference, key, (current) => {
    if (decisionState(current.case) !== action.state) return null;
    const outcome = decideStaffAction(current.case, action, context);
    decided.outcome = outcome;
    return outcome.ok ? { next: outcome.next, event: outcome.event, events: outcome.events } : null;
  });
  const fresh = result?.stored ?? (await cases.get(reference)) ?? stored;
  const outcome = decided.outcome;
  if (outcome && !outcome.ok) return { kind: 'refused', latest: fresh, explanation: outcome.explanation };
  if (!result || !outcome) return { kind: 'raced', latest: fresh };
  if (!result.applied) return { kind: 'already', latest: fresh };
  return { kind: 'done', latest: (await cases.get(reference)) ?? fresh, outcome };
}
