/** Valid cases and changes for store tests, built with the real policy module. */
import { randomUUID } from 'node:crypto';
import { type Case, deadlineRecord } from '../../src/cases/case.js';
import type { CaseChange, CaseStore, LodgeRequest } from '../../src/cases/case-store.js';
import type { StoredCase } from '../../src/cases/case.js';
import { parseLocalDate } from '../../src/policy/index.js';
import { policy } from './policy.js';

const RECEIVED = new Date('2025-06-02T09:00:00Z');

/** A complete, valid case (without its reference) about children's services, lodged on 2 June 2025. */
export function newCase(overrides: Partial<Omit<Case, 'reference'>> = {}): Omit<Case, 'reference'> {
  const deadline = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: RECEIVED });
  return {
    procedure: 'la-childrens-services',
    route: null,
    stage: 'stage-1',
    status: 'open',
    complainant: { name: 'Sam Taylor', relationship: 'parent', relationshipDetail: null },
    personAffected: { name: 'Alex', description: 'my son, aged 9', child: null },
    whatHappened: 'The social worker cancelled three visits without telling us and nobody called back.',
    outcomeWanted: 'An apology and a named contact.',
    when: {
      date: parseLocalDate('2025-05-20'),
      earliest: parseLocalDate('2025-05-20'),
      latest: parseLocalDate('2025-05-20'),
      basis: 'happened',
      certainty: 'exact',
      said: '20/5/2025',
    },
    contact: { email: 'sam.taylor@example.org', phone: '+447700900123', preferred: 'email' },
    needs: { adjustments: null, advocacy: 'not-needed' },
    consent: { privacyNoticeVersion: '2026-11', givenAt: RECEIVED.toISOString() },
    flags: { safeguarding: null, late: null, standing: null, lateEscalation: null },
    deadlines: [deadlineRecord(deadline)],
    acknowledgement: null,
    handler: null,
    decisions: [],
    responses: [],
    conversations: [],
    teamsThread: null,
    undelivered: [],
    heldReplies: [],
    timeline: { done: [] },
    complainantLastWroteAt: null,
    erased: null,
    closure: null,
    ombudsman: null,
    lodgedAt: RECEIVED.toISOString(),
    updatedAt: RECEIVED.toISOString(),
    ...overrides,
  };
}

/** A lodging request for `newCase`, with a submission key of its own unless one is given. */
export function lodgeRequest(options: { submissionKey?: string; secondFactor?: string; case?: Partial<Omit<Case, 'reference'>> } = {}): LodgeRequest {
  return {
    case: newCase(options.case),
    secondFactor: options.secondFactor ?? 'Sam.Taylor@Example.org',
    submissionKey: options.submissionKey ?? `webchat/${Math.random().toString(36).slice(2)}/activity-1`,
    event: { at: RECEIVED.toISOString(), actor: { kind: 'complainant', id: null, name: null }, summary: 'Complaint lodged in the web chat' },
  };
}

/** A change to a stored case: `edit` gets a copy to alter; the event is a staff note unless given. */
export function change(stored: StoredCase, edit: (value: Case) => void, options: { idempotencyKey?: string; summary?: string } = {}): CaseChange {
  return { ...changeWithoutKey(stored, edit, options), idempotencyKey: options.idempotencyKey ?? randomUUID() };
}

/** The same, for `updateCase`, which supplies the idempotency key itself. */
export function changeWithoutKey(stored: StoredCase, edit: (value: Case) => void, options: { summary?: string } = {}): Omit<CaseChange, 'idempotencyKey'> {
  const next = structuredClone(stored.case);
  edit(next);
  next.updatedAt = new Date(Date.parse(stored.case.updatedAt) + 1000).toISOString();
  return {
    next,
    event: { type: 'note', at: next.updatedAt, actor: { kind: 'staff', id: 'staff-1', name: 'A. Officer' }, summary: options.summary ?? 'Note added' },
  };
}

/** Closes a stored case (a staff note's change with the status closed), as the rights tests need one finished. */
export async function closeCase(store: CaseStore, stored: StoredCase): Promise<StoredCase> {
  const result = await store.update(
    stored,
    change(stored, (value) => {
      value.status = 'closed';
    }),
  );
  return result.stored;
}
