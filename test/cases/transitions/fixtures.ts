/** Cases, people and times the transition tests share, built with the shipped policy. */
import { type Case, deadlineRecord } from '../../../src/cases/case.js';
import { type CaseReference, checkCharacter, formatReference } from '../../../src/cases/reference.js';
import type { StaffContext } from '../../../src/cases/transitions/staff-change.js';
import { isRefusal, type Refusal } from '../../../src/cases/transitions/transition.js';
import { newCase } from '../../helpers/cases.js';
import { at, policy } from '../../helpers/policy.js';

/** A fixed reference, so the words the complainant is told can be checked whole. */
export const REFERENCE = `K7M4QXP2${checkCharacter('K7M4QXP2')}` as CaseReference;
/** The reference as the complainant reads it. */
export const SHOWN = formatReference(REFERENCE);

/** Friday 20 June 2025: the Stage 1 response (due Monday 16 June) is late. */
export const LATE = at('2025-06-20T10:00:00Z');
/** Thursday 12 June 2025: three days after Stage 1's response (see `responded`), in time to ask for Stage 2. */
export const AFTER_RESPONSE = at('2025-06-12T10:00:00Z');
/** Thursday 5 June 2025: the Stage 1 response is not yet due. */
export const IN_TIME = at('2025-06-05T10:00:00Z');

export const JO = { id: 'entra-jo', name: 'Jo Bloggs' };
export const SAM = { id: 'entra-sam', name: 'Sam Okafor' };

/** A children's services complaint at Stage 1, lodged on Monday 2 June 2025. */
export function aCase(overrides: Partial<Omit<Case, 'reference'>> = {}): Case {
  return { reference: REFERENCE, ...newCase(overrides) };
}

/** An NHS complaint at local resolution, received on Monday 2 June 2025. */
export function nhsCase(overrides: Partial<Omit<Case, 'reference'>> = {}): Case {
  const received = at('2025-06-02T09:00:00Z');
  return aCase({
    procedure: 'nhs-health',
    stage: 'local-resolution',
    route: 'provider',
    deadlines: [deadlineRecord(policy.responseDeadline({ procedure: 'nhs-health', stage: 'local-resolution', stageStartedAt: received }))],
    ...overrides,
  });
}

/** The same case after Stage 1's response, sent by `by` on 9 June 2025. */
export function responded(by = SAM): Case {
  return aCase({
    status: 'responded',
    handler: by,
    responses: [{ stage: 'stage-1', at: '2025-06-09T10:00:00.000Z', text: 'We are sorry.', by: { kind: 'staff', ...by }, outcome: 'not-upheld' }],
    decisions: [{ stage: 'stage-1', decidedBy: by.id }],
  });
}

/** Jo acting at `now`, for Anytown Council. */
export function asJo(now: Date = LATE, staff = JO): StaffContext {
  return { policy, now, staff, organisation: 'Anytown Council' };
}

/** Freezes a value all the way down, so a transition that changed its input would throw. */
export function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

/** The change a transition decided, failing the test if it refused. */
export function changed<T extends object>(result: T | Refusal): T {
  if (isRefusal(result)) throw new Error(`refused (${result.refused}): ${result.explanation}`);
  return result;
}

/** The refusal a transition returned, failing the test if it made the change. */
export function refused(result: object): Refusal {
  if (!isRefusal(result)) throw new Error('expected a refusal, but the change was made');
  return result;
}
