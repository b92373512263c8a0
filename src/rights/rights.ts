/**
 * The rights people have over what the complaints service holds about them, as staff act on them
 * from a case card or the command line: subject access, rectification and erasure, and the
 * retention sweep that anonymises finished cases once RECORDS_KEPT_FOR has passed. Each action,
 * done or refused, is written to the rights audit.
 */
import type { Actor, StoredCase } from '../cases/case.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import { readContactDetails } from '../cases/contact-details.js';
import { CaseConflict, StorageUnavailable } from '../cases/errors.js';
import { contactDetailsOf } from '../cases/indexing.js';
import { type CaseReference, formatReference } from '../cases/reference.js';
import { normaliseSecondFactor } from '../cases/second-factor.js';
import { erase } from '../cases/transitions/erase.js';
import { rectify, type RectifyRequest } from '../cases/transitions/rectify.js';
import type { StaffContext } from '../cases/transitions/staff-change.js';
import { isRefusal, type Refusal, SYSTEM } from '../cases/transitions/transition.js';
import { checkedReason } from '../cases/transitions/rights-reason.js';
import type { EscalationPolicy } from '../policy/index.js';
import type { RightsAudit, RightsAuditEntry } from './rights-audit.js';
import { type FoundBy, type HeldCase, subjectAccessExport, type SubjectAccessExport } from './subject-access.js';
import { type Retention, retentionCutoff } from './retention.js';

/** Who acts, and from where. */
export interface RightsActor {
  readonly staff: { readonly id: string; readonly name: string };
  readonly via: 'card' | 'tab' | 'cli';
}

export interface RightsDeps {
  readonly cases: CaseStore;
  readonly audit: RightsAudit;
  readonly policy: EscalationPolicy;
  readonly organisation: string;
  readonly retention: Retention;
  readonly now?: () => Date;
}

/** Whom to find for a subject access request: a case reference, or an email or phone number. */
export type SubjectQuery = { readonly reference: CaseReference } | { readonly contact: string };

/** A subject access export made, or why none could be. */
export type SubjectAccessResult = (SubjectAccessExport & { readonly found: number }) | Refusal;

/** What a correction or erasure did. */
export type RightsOutcome = { readonly done: string } | Refusal;

/** How many finished cases one retention sweep erases at most (the next sweep takes the rest). */
const SWEEP_LIMIT = 500;

export class Rights {
  private readonly now: () => Date;

  constructor(private readonly deps: RightsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private async audit(entry: Omit<RightsAuditEntry, 'at' | 'foundBy' | 'cases' | 'fields' | 'reason'> & Partial<RightsAuditEntry>): Promise<void> {
    await this.deps.audit.record({ at: this.now().toISOString(), foundBy: null, cases: null, fields: null, reason: null, ...entry });
  }

  private static staffActor(by: RightsActor): RightsAuditEntry['by'] {
    return { kind: 'staff', id: by.staff.id, name: by.staff.name };
  }

  /**
   * Everything held about the person a query names. By contact detail, only cases that hold
   * that very detail now are included, so nobody else's case can come back from a stale index
   * entry or a detail written another way.
   */
  async subjectAccess(query: SubjectQuery, by: RightsActor): Promise<SubjectAccessResult> {
    let foundBy: FoundBy = 'reference';
    let found: StoredCase[];
    if ('reference' in query) {
      const stored = await this.deps.cases.get(query.reference);
      found = stored ? [stored] : [];
    } else {
      const read = readContactDetails(query.contact);
      const detail = read.email ?? read.phone;
      if (detail === null || (read.email !== null && read.phone !== null)) {
        return { refused: 'invalid-detail', explanation: 'Please give one email address or one UK phone number to search by.' };
      }
      foundBy = read.email !== null ? 'email' : 'phone';
      const wanted = normaliseSecondFactor(detail);
      const references = await this.deps.cases.findByContact(detail);
      const candidates = await Promise.all(references.map((reference) => this.deps.cases.get(reference)));
      found = candidates.filter(
        (stored): stored is StoredCase => stored !== null && contactDetailsOf(stored.case).some((held) => normaliseSecondFactor(held) === wanted),
      );
    }
    const held: HeldCase[] = await Promise.all(found.map(async (stored) => ({ stored, history: await this.deps.cases.history(stored.case.reference) })));
    const made = subjectAccessExport(held, { organisation: this.deps.organisation, preparedAt: this.now(), foundBy });
    await this.audit({
      action: 'subject-access',
      reference: 'reference' in query ? formatReference(query.reference) : null,
      foundBy,
      cases: held.length,
      by: Rights.staffActor(by),
      via: by.via,
      outcome: 'done',
    });
    return { ...made, found: held.length };
  }

  /** Corrects a name or contact detail, under an idempotency key (a repeated click corrects once). */
  async rectify(reference: CaseReference, request: RectifyRequest, by: RightsActor, idempotencyKey: string): Promise<RightsOutcome> {
    const context: Pick<StaffContext, 'policy' | 'now' | 'staff'> = { policy: this.deps.policy, now: this.now(), staff: by.staff };
    // Filled in by the decision (run again if someone else changed the case first).
    const decided: { outcome: RightsOutcome | null; fields: string[] | null } = { outcome: null, fields: null };
    const result = await updateCase(this.deps.cases, reference, idempotencyKey, (current) => {
      const change = rectify(current.case, request, context);
      if (isRefusal(change)) {
        decided.outcome = change;
        return null;
      }
      decided.outcome = { done: change.done };
      decided.fields = [...change.fields];
      return change;
    });
    const settled: RightsOutcome = decided.outcome ?? { refused: 'nothing-to-correct', explanation: 'There is no case with that reference.' };
    await this.audit({
      action: 'rectification',
      reference: formatReference(reference),
      by: Rights.staffActor(by),
      via: by.via,
      outcome: isRefusal(settled) ? 'refused' : result?.applied === false ? 'already-done' : 'done',
      fields: decided.fields,
      reason: auditReason(request.reason),
    });
    return settled;
  }

  /** Erases a finished case's personal data at the person's request. */
  async eraseOnRequest(reference: CaseReference, reason: string, by: RightsActor, idempotencyKey: string): Promise<RightsOutcome> {
    const actor: Actor = { kind: 'staff', id: by.staff.id, name: by.staff.name };
    const outcome = await this.eraseCase(reference, { basis: 'request', reason }, actor, idempotencyKey);
    await this.audit({
      action: 'erasure',
      reference: formatReference(reference),
      by: Rights.staffActor(by),
      via: by.via,
      outcome: outcome.kind,
      reason: auditReason(reason),
    });
    return outcome.result;
  }

  private async eraseCase(
    reference: CaseReference,
    request: Parameters<typeof erase>[2],
    actor: Actor,
    idempotencyKey: string,
  ): Promise<{ readonly kind: RightsAuditEntry['outcome']; readonly result: RightsOutcome }> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.deps.cases.get(reference);
      if (!current) return { kind: 'refused', result: { refused: 'already-erased', explanation: 'There is no case with that reference.' } };
      if (await this.deps.cases.wasApplied(reference, idempotencyKey)) return { kind: 'already-done', result: { done: 'Already erased.' } };
      const history = await this.deps.cases.history(reference);
      const decided = erase(current.case, history, request, { now: this.now(), actor });
      if (isRefusal(decided)) return { kind: 'refused', result: decided };
      try {
        const { applied } = await this.deps.cases.erase(current, { ...decided, idempotencyKey });
        return { kind: applied ? 'done' : 'already-done', result: { done: decided.done } };
      } catch (error) {
        if (!(error instanceof CaseConflict) || attempt >= 20) throw error;
      }
    }
  }

  /**
   * Anonymises every finished case whose records have been kept for RECORDS_KEPT_FOR (up to
   * `SWEEP_LIMIT` a run; the job engine runs it on a schedule). Returns how many were erased.
   */
  async sweepRetention(): Promise<{ readonly erased: number; readonly refused: number; readonly failed: number }> {
    const now = this.now();
    const due = await this.deps.cases.finishedBefore(retentionCutoff(now, this.deps.retention), { limit: SWEEP_LIMIT });
    let erased = 0;
    let refused = 0;
    let failed = 0;
    for (const reference of due) {
      const reason = `Kept for ${this.deps.retention.text} after the complaint finished (RECORDS_KEPT_FOR)`;
      let outcome;
      try {
        outcome = await this.eraseCase(reference, { basis: 'retention', reason }, SYSTEM, `retention:${reference}`);
      } catch (error) {
        // One case that cannot be done now (a damaged record, a run of conflicts) must not hold up the rest: the next run tries it again.
        if (error instanceof StorageUnavailable) throw error;
        failed += 1;
        continue;
      }
      if (outcome.kind === 'done') erased += 1;
      if (outcome.kind === 'refused') refused += 1;
      await this.audit({
        action: 'retention',
        reference: formatReference(reference),
        by: { kind: 'system', id: null, name: null },
        via: 'schedule',
        outcome: outcome.kind,
        reason,
      });
    }
    return { erased, refused, failed };
  }
}

/** A reason as the audit keeps it: none when it could not be kept (empty, too long, or holding contact details). */
function auditReason(text: string): string | null {
  const checked = checkedReason(text);
  return isRefusal(checked) ? null : checked.reason;
}
