import { strict as assert } from 'node:assert';
import type { Case } from '../../../src/cases/case.js';
import { assign } from '../../../src/cases/transitions/assign.js';
import { close } from '../../../src/cases/transitions/close.js';
import { decideLate } from '../../../src/cases/transitions/decide-late.js';
import { decideLateEscalation } from '../../../src/cases/transitions/decide-late-escalation.js';
import { decideStanding } from '../../../src/cases/transitions/decide-standing.js';
import { escalate } from '../../../src/cases/transitions/escalate.js';
import { extend } from '../../../src/cases/transitions/extend.js';
import { recordAgreedResponse } from '../../../src/cases/transitions/record-agreed-response.js';
import { redirect } from '../../../src/cases/transitions/redirect.js';
import { respond } from '../../../src/cases/transitions/respond.js';
import type { StaffContext, StaffTransitionResult } from '../../../src/cases/transitions/staff-change.js';
import type { RefusalReason } from '../../../src/cases/transitions/transition.js';
import { d } from '../../helpers/policy.js';
import { aCase, AFTER_RESPONSE, asJo, IN_TIME, JO, LATE, nhsCase, refused, responded, SAM } from './fixtures.js';

/** Every staff change but a note, as one call each. */
const STAFF_CHANGES: readonly [string, (value: Case, context: StaffContext) => StaffTransitionResult][] = [
  ['assign', (value, context) => assign(value, context)],
  ['respond', (value, context) => respond(value, { text: 'Our response.', outcome: 'partly-upheld' }, context)],
  ['extend', (value, context) => extend(value, { reason: 'More time.' }, context)],
  ['redirect', (value, context) => redirect(value, { to: 'NHS England', message: 'Contact them.' }, context)],
  ['close', (value, context) => close(value, { message: null }, context)],
  ['escalate', (value, context) => escalate(value, context)],
  ['decide a late complaint', (value, context) => decideLate(value, { decision: 'accepted' }, context)],
  ['decide a late request to go further', (value, context) => decideLateEscalation(value, { decision: 'accepted' }, context)],
  ['decide who may complain', (value, context) => decideStanding(value, { decision: 'accepted' }, context)],
  ['record an agreed response date', (value, context) => recordAgreedResponse(value, { agreedOn: d('2025-09-01') }, context)],
];

/** A late request for `to`, waiting for a decision, on a case answered by Sam. */
function requestFor(to: string, stage = 'stage-1'): Case {
  const value = { ...responded(), stage };
  value.flags.lateEscalation = { to, windowClosedOn: d('2025-06-11'), requestedAt: AFTER_RESPONSE.toISOString(), whyLate: null, decision: 'pending' };
  return value;
}

const extended = (): Case => {
  const value = aCase();
  value.deadlines = value.deadlines.map((deadline) => ({ ...deadline, extended: true }));
  return value;
};

const TABLE: readonly [string, () => StaffTransitionResult, RefusalReason, RegExp][] = [
  [
    'assigning a case waiting on the complainant',
    () => assign(responded(), asJo(AFTER_RESPONSE)),
    'awaiting-complainant',
    /wait to hear whether the complainant is satisfied/,
  ],
  ['assigning a case to whoever has it', () => assign(aCase({ handler: JO }), asJo()), 'already-assigned', /^This case is already assigned to you\.$/],
  [
    'responding twice at a stage',
    () => respond(responded(), { text: 'Again.', outcome: 'partly-upheld' }, asJo(AFTER_RESPONSE)),
    'already-responded',
    /already been sent at this stage/,
  ],
  [
    'responding at Stage 2 having decided Stage 1',
    () =>
      respond(aCase({ stage: 'stage-2', decisions: [{ stage: 'stage-1', decidedBy: SAM.id }] }), { text: 'Ours.', outcome: 'partly-upheld' }, asJo(LATE, SAM)),
    'not-independent',
    /^You decided Stage 1: Local Resolution of this complaint, so someone else must decide Stage 2: Investigation\..*\(.+\)$/,
  ],
  [
    'closing at Stage 2 having decided Stage 1',
    () => close(aCase({ stage: 'stage-2', decisions: [{ stage: 'stage-1', decidedBy: SAM.id }] }), { message: null }, asJo(LATE, SAM)),
    'not-independent',
    /someone else must decide Stage 2/,
  ],
  [
    'redirecting at Stage 2 having decided Stage 1',
    () => redirect(aCase({ stage: 'stage-2', decisions: [{ stage: 'stage-1', decidedBy: SAM.id }] }), { to: 'X', message: 'Y' }, asJo(LATE, SAM)),
    'not-independent',
    /someone else must decide Stage 2/,
  ],
  [
    'extending with no deadline at the stage',
    () => extend(aCase({ deadlines: [] }), { reason: 'More time.' }, asJo()),
    'no-running-deadline',
    /no running deadline/,
  ],
  ['extending twice', () => extend(extended(), { reason: 'More time.' }, asJo()), 'already-extended', /already been extended/],
  [
    'extending where the procedure does not allow it',
    () => extend(nhsCase(), { reason: 'More time.' }, asJo()),
    'extension-not-allowed',
    /^The procedure does not allow .+'s time limit to be extended\.$/,
  ],
  [
    'escalating a case still in time, unanswered',
    () => escalate(aCase(), asJo(IN_TIME)),
    'escalation-not-allowed',
    /^Not moved\. What the complainant is told: /,
  ],
  [
    'escalating with a late request waiting',
    () => escalate(requestFor('stage-2'), asJo(AFTER_RESPONSE)),
    'late-escalation-pending',
    /accept or decline it instead/,
  ],
  [
    'deciding a late complaint with none waiting',
    () => decideLate(aCase(), { decision: 'accepted' }, asJo()),
    'no-late-decision',
    /no late-complaint decision/,
  ],
  [
    'deciding a late request with none waiting',
    () => decideLateEscalation(responded(), { decision: 'accepted' }, asJo()),
    'no-late-escalation',
    /no late request/,
  ],
  [
    'deciding a late request for Stage 2 having decided Stage 1',
    () => decideLateEscalation(requestFor('stage-2'), { decision: 'declined', message: 'No.' }, asJo(AFTER_RESPONSE, SAM)),
    'not-independent',
    /someone else must decide Stage 2/,
  ],
  [
    'accepting a late request at the final stage',
    () => decideLateEscalation(requestFor('stage-3', 'stage-3'), { decision: 'accepted' }, asJo(AFTER_RESPONSE)),
    'final-stage',
    /^This is the final stage\. If the complainant is still unhappy, they can go to .+\.$/,
  ],
  [
    'deciding who may complain with nothing waiting',
    () => decideStanding(aCase(), { decision: 'accepted' }, asJo()),
    'no-standing-decision',
    /no decision about who/,
  ],
  [
    'agreeing a response date once the response is sent',
    () => recordAgreedResponse(nhsCase({ status: 'responded' }), { agreedOn: d('2025-09-01') }, asJo()),
    'response-not-owed',
    /no response date to agree/,
  ],
  [
    'agreeing a response date where the limits are fixed',
    () => recordAgreedResponse(aCase(), { agreedOn: d('2025-09-01') }, asJo()),
    'agreed-response-not-allowed',
    /^Stage 1: Local Resolution has fixed time limits/,
  ],
  [
    'agreeing a response date already past',
    () => recordAgreedResponse(nhsCase(), { agreedOn: d('2025-06-19') }, asJo(LATE)),
    'agreed-date-passed',
    /^Thursday 19 June 2025 has already passed \(today is Friday 20 June 2025\)\. Record the date agreed with the complainant: today or later\.$/,
  ],
];

describe('changes staff may not make', () => {
  for (const [what, run, reason, explanation] of TABLE) {
    it(`refuses ${what}, saying why`, () => {
      const refusal = refused(run());
      assert.equal(refusal.refused, reason);
      assert.match(refusal.explanation, explanation);
    });
  }

  for (const status of ['closed', 'redirected', 'withdrawn'] as const) {
    it(`refuses every change but a note on a ${status} case`, () => {
      for (const [what, run] of STAFF_CHANGES) {
        const refusal = refused(run(aCase({ status }), asJo()));
        assert.equal(refusal.refused, 'case-closed', what);
        assert.equal(refusal.explanation, `This case is ${status}; it can take internal notes only.`, what);
      }
    });
  }
});
