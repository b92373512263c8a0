/**
 * What each outbox event does, whichever queue engine runs it: staff events go to the staff
 * notifier (Teams cards and thread messages), one at a time per case and in order; complainant
 * events go to their chat (kept for their next visit when it cannot be reached) and, by their
 * preference, by email or text. Every part is recorded as done by the event's id, so a job run
 * again after a failure or a crash does only what was not done.
 */
import type { OutboxEvent } from '../cases/outbox-event.js';
import type { CaseStore } from '../cases/case-store.js';
import type { CaseNotice, CaseNotifier } from '../ports/case-notifier.js';
import type { Clock } from '../ports/clock.js';
import type { ConversationMessenger } from '../ports/conversation-messenger.js';
import type { EffectLedger } from '../ports/effect-ledger.js';
import type { Logger } from '../ports/logger.js';
import { sendToComplainant } from '../teams/relay.js';

/** What the effects are performed with. */
export interface EffectDeps {
  readonly cases: CaseStore;
  readonly staff: CaseNotifier;
  readonly chat: ConversationMessenger;
  readonly ledger: EffectLedger;
  readonly clock: Clock;
  readonly log: Logger;
}

/** A staff event cannot be done yet: an earlier one for its case is not done, or another worker has the case. */
export class EffectMustWait extends Error {
  override readonly name = 'EffectMustWait';
  constructor(readonly eventId: string) {
    super(`The effect of ${eventId} waits for its case's earlier effects`);
  }
}

/** How long one worker may hold a case's staff effects before another may take over. */
const LEASE_MS = 60_000;

/** What staff are told for a staff event, given the case as it now stands. */
function noticeFor(event: OutboxEvent, value: CaseNotice['case'] & object): CaseNotice | null {
  switch (event.type) {
    case 'staff-alerted':
      return { kind: event.alert, case: value };
    case 'complainant-wrote':
      return { kind: 'message-from-complainant', case: value, message: event.text };
    case 'card-changed':
      return { kind: 'changed', case: value };
    case 'complainant-told':
      return null;
  }
}

/**
 * Does a staff event once, in its case's order. Throws `EffectMustWait` when its turn has not
 * come, and whatever the notifier threw when it failed (the event stays first in line).
 */
export async function performStaffEffect(event: OutboxEvent, deps: EffectDeps, token: string): Promise<'done' | 'already-done'> {
  const claim = await deps.ledger.claimStaffEffect(event, token, LEASE_MS);
  if (claim === 'done') return 'already-done';
  if (claim === 'wait') throw new EffectMustWait(event.id);
  let done = false;
  try {
    const stored = await deps.cases.get(event.reference);
    const notice = stored ? noticeFor(event, stored.case) : null;
    if (notice) await deps.staff.notify(notice);
    done = true;
    return 'done';
  } finally {
    await deps.ledger.finishStaffEffect(event, token, done);
  }
}

/** Does a complainant event's parts that are not done yet: the chat message first. */
export async function performComplainantEffect(event: OutboxEvent, deps: EffectDeps): Promise<void> {
  if (event.type !== 'complainant-told') return;
  const stored = await deps.cases.get(event.reference);
  if (!stored) return;
  if (event.text !== null && !(await deps.ledger.isDone(event, 'chat'))) {
    const delivery = await sendToComplainant({ cases: deps.cases, messenger: deps.chat, clock: deps.clock, log: deps.log }, stored, event.id, event.text);
    await deps.ledger.markDone(event, 'chat', deps.clock.now().toISOString());
    deps.log.info('outbox.chat', { notice: event.notice, delivery });
  }
}
