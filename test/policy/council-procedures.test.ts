/**
 * The two council procedures added as data (issue 23), with worked dates: council complaints
 * under the LGSCO's Complaint Handling Code, and adult social care under SI 2009/309 (its rules
 * shared with the NHS procedure, not copied). Dates are counted by hand in the comments.
 */
import { strict as assert } from 'node:assert';
import { builtInRulebookData, createEscalationPolicy, createRulebook, InvalidProcedureDefinition } from '../../src/policy/index.js';
import { deadlineRecord } from '../../src/cases/case.js';
import { generateReference } from '../../src/cases/reference.js';
import { extend } from '../../src/cases/transitions/extend.js';
import { isRefusal } from '../../src/cases/transitions/transition.js';
import { newCase } from '../helpers/cases.js';
import { at, d, policy } from '../helpers/policy.js';

/** Friday 4 December 2026, mid-morning London time. */
const FRIDAY = at('2026-12-04T10:00:00Z');

describe('council complaints under the Complaint Handling Code (la-corporate)', () => {
  it('acknowledges within 5 working days of receipt, and the service’s confirmation is that acknowledgement', () => {
    const acknowledgement = policy.acknowledgementDeadline({ procedure: 'la-corporate', received: FRIDAY });
    // 7, 8, 9, 10, 11 December.
    assert.ok(acknowledgement);
    assert.equal(acknowledgement.due, '2026-12-11');
    assert.match(acknowledgement.citation.reference, /Complaint Handling Code para 6\.2/);
    assert.equal(acknowledgement.citation.source, 'guidance');
    assert.equal(policy.procedure('la-corporate').acknowledgement?.acknowledgedBy, 'service');
    assert.equal(policy.procedure('nhs-health').acknowledgement?.acknowledgedBy, 'staff', 'an NHS body’s acknowledgement offers to discuss: staff give it');
  });

  it('answers Stage 1 within 10 working days of the acknowledgement: given on the day of receipt, or 5 working days later', () => {
    // Acknowledged on Friday 4 December: 7-11 and 14-18 December, so Friday 18 December.
    const sameDay = policy.deadline({ procedure: 'la-corporate', stage: 'stage-1', received: FRIDAY });
    assert.equal(sameDay.due, '2026-12-18');
    assert.equal(sameDay.kind, 'response');
    assert.match(sameDay.citation.quote ?? '', /within 10 working days of the complaint being acknowledged/);
    // Acknowledged on Friday 11 December: 14-18, 21-24 December, then 29 December (25 and 28 are bank holidays: Boxing Day falls on a Saturday).
    const later = policy.deadline({ procedure: 'la-corporate', stage: 'stage-1', received: at('2026-12-11T10:00:00Z') });
    assert.equal(later.due, '2026-12-29');
  });

  it('extends Stage 1 by at most 10 more working days, and refuses anything past that', () => {
    // 20 working days after Friday 4 December: 18 December is the 10th; 21-24 (14), 29-31 (17), 4-6 January (20).
    const extended = policy.deadline({ procedure: 'la-corporate', stage: 'stage-1', received: FRIDAY, extended: true });
    assert.equal(extended.due, '2027-01-06');
    assert.equal(extended.rule.amount, 20);
    assert.equal(extended.rule.standardAmount, 10);
    assert.match(extended.extensionCitation?.reference ?? '', /6\.4/);
    assert.equal(policy.stage('la-corporate', 'stage-1').timeLimits[0]?.extendableTo, 20);
    // On a case: the first extension goes to the limit; a second, past it, is refused.
    const value = {
      reference: generateReference(),
      ...newCase({
        procedure: 'la-corporate',
        stage: 'stage-1',
        lodgedAt: FRIDAY.toISOString(),
        deadlines: [deadlineRecord(policy.deadline({ procedure: 'la-corporate', stage: 'stage-1', received: FRIDAY }))],
      }),
    };
    const context = { policy, now: at('2026-12-10T10:00:00Z'), staff: { id: 'aad:jo', name: 'Jo' }, organisation: 'Anytown Council' };
    const once = extend(value, { reason: 'Waiting for the contractor’s records' }, context);
    assert.ok(!isRefusal(once));
    assert.equal(once.next.deadlines.at(-1)?.due, '2027-01-06');
    // The Code: the reason and the new date are told (para 5.5), with how to reach the Ombudsman (6.5).
    const told = once.events.find((event) => event.type === 'complainant-told');
    assert.match(
      told?.type === 'complainant-told' ? (told.text ?? '') : '',
      /\*\*Wednesday 6 January 2027\*\*.*Why: Waiting for the contractor’s records.*Local Government and Social Care Ombudsman: https:\/\/www\.lgo\.org\.uk/s,
    );
    const twice = extend(once.next, { reason: 'Still waiting' }, context);
    assert.ok(isRefusal(twice));
    assert.equal(twice.refused, 'already-extended');
  });

  it('takes Stage 2 at the complainant’s request, acknowledged on the day, and answers it within 20 working days (40 at most)', () => {
    const next = policy.nextStep({ procedure: 'la-corporate', stage: 'stage-1' });
    assert.equal(next.kind, 'stage');
    assert.equal(next.how, 'escalation-request');
    const asked = policy.decideEscalation({
      procedure: 'la-corporate',
      stage: 'stage-1',
      respondedAt: at('2026-12-16T15:00:00Z'),
      now: at('2026-12-17T09:00:00Z'),
    });
    assert.equal(asked.allowed, true);
    // Requested Thursday 17 December: 18, 21-24 (5), 29-31 (8), 4-8 January (13), 11-15 (18), 18-19 (20): Tuesday 19 January 2027.
    const stage2 = policy.responseDeadline({ procedure: 'la-corporate', stage: 'stage-2', stageStartedAt: at('2026-12-17T09:00:00Z') });
    assert.equal(stage2.due, '2027-01-19');
    const extended = policy.responseDeadline({ procedure: 'la-corporate', stage: 'stage-2', stageStartedAt: at('2026-12-17T09:00:00Z'), extended: true });
    assert.equal(extended.rule.amount, 40);
    const acknowledgement = policy.deadline({
      procedure: 'la-corporate',
      stage: 'stage-2',
      timeLimit: 'acknowledgement',
      received: at('2026-12-17T09:00:00Z'),
    });
    // 18, 21, 22, 23, 24 December.
    assert.equal(acknowledgement.due, '2026-12-24');
    assert.equal(policy.stage('la-corporate', 'stage-2').timeLimits.find((limit) => limit.id === 'acknowledgement')?.acknowledgedBy, 'service');
  });

  it('sends the complainant to the LGSCO after Stage 2, within 12 months beginning with the day they first had notice', () => {
    const after = policy.nextStep({ procedure: 'la-corporate', stage: 'stage-2', firstNoticeOn: d('2026-11-30') });
    assert.equal(after.kind, 'ombudsman');
    assert.equal(after.advice.ombudsman.id, 'lgsco');
    // 12 months beginning with 30 November 2026 end on 29 November 2027 (LGA 1974 s26B(2)).
    assert.equal(after.advice.window.closesOn, '2027-11-29');
  });

  it('does not let whoever decided Stage 1 decide Stage 2', () => {
    const refused = policy.checkIndependence({
      procedure: 'la-corporate',
      stage: 'stage-2',
      decider: 'aad:jo',
      earlier: [{ stage: 'stage-1', decidedBy: 'aad:jo' }],
    });
    assert.equal(refused.allowed, false);
    assert.equal(refused.conflictingStage, 'stage-1');
    assert.equal(
      policy.checkIndependence({ procedure: 'la-corporate', stage: 'stage-2', decider: 'aad:sam', earlier: [{ stage: 'stage-1', decidedBy: 'aad:jo' }] })
        .allowed,
      true,
    );
  });

  it('flags a complaint made more than 12 months after the issue for a decision, never refusing it', () => {
    const late = policy.assessTimeliness({ procedure: 'la-corporate', happenedOn: d('2025-10-01'), receivedAt: FRIDAY });
    assert.equal(late.status, 'late');
  });
});

describe('adult social care under SI 2009/309 (la-adult-social-care)', () => {
  it('shares the NHS procedure’s rules from the 2009 regulations, written once', () => {
    const adults = policy.procedure('la-adult-social-care');
    const nhs = policy.procedure('nhs-health');
    assert.deepEqual(adults.acknowledgement, nhs.acknowledgement);
    assert.deepEqual(adults.stages[0]?.timeLimits, nhs.stages[0]?.timeLimits);
    assert.deepEqual(adults.stages[0]?.agreedResponse, nhs.stages[0]?.agreedResponse);
    assert.deepEqual(adults.complaintTimeLimit, nhs.complaintTimeLimit);
    assert.equal(adults.ombudsman.ombudsman, 'lgsco', 'but its ombudsman is the LGSCO');
    assert.deepEqual(builtInRulebookData.shared && Object.keys(builtInRulebookData.shared).filter((name) => name.startsWith('si-2009-309')).length, 6);
  });

  it('acknowledges within 3 working days, offers to agree a response date, and must explain a delay after 6 months', () => {
    // 7, 8, 9 December.
    assert.equal(policy.acknowledgementDeadline({ procedure: 'la-adult-social-care', received: FRIDAY })?.due, '2026-12-09');
    const response = policy.responseDeadline({ procedure: 'la-adult-social-care', stage: 'council-response', stageStartedAt: FRIDAY });
    assert.equal(response.kind, 'explanation-duty');
    // 6 months beginning with 4 December 2026 end on 3 June 2027.
    assert.equal(response.due, '2027-06-03');
    const agreed = policy.agreedResponseDeadline({ procedure: 'la-adult-social-care', stage: 'council-response', agreedAt: FRIDAY, agreedOn: d('2027-01-29') });
    assert.equal(agreed.due, '2027-01-29');
  });
});

describe('rules shared between procedures', () => {
  it('refuses a procedure naming a shared rule that does not exist, or changing one other than through "with"', () => {
    const nhs = builtInRulebookData.procedures.find((each) => (each as { id: string }).id === 'nhs-health') as Record<string, unknown>;
    const broken = { ...nhs, id: 'broken', acknowledgement: { $shared: 'no-such-rule' } };
    assert.throws(
      () => createRulebook({ ...builtInRulebookData, procedures: [broken] }),
      (error: unknown) => error instanceof InvalidProcedureDefinition && /"no-such-rule" is not one of the shared rules/.test(error.message),
    );
    const meddled = { ...nhs, id: 'meddled', acknowledgement: { $shared: 'si-2009-309-acknowledgement', amount: 30 } };
    assert.throws(() => createRulebook({ ...builtInRulebookData, procedures: [meddled] }), /only "with" may change the shared rule/);
    const overlaid = { ...nhs, id: 'overlaid', acknowledgement: { $shared: 'si-2009-309-acknowledgement', with: { amount: 2 } } };
    const rulebook = createEscalationPolicy({ rulebook: { ...builtInRulebookData, procedures: [overlaid] } });
    assert.equal(rulebook.procedure('overlaid').acknowledgement?.amount, 2);
    assert.equal(policy.procedure('nhs-health').acknowledgement?.amount, 3, 'the shared rule itself unchanged');
  });
});
