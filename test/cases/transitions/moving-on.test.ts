import { strict as assert } from 'node:assert';
import type { Case } from '../../../src/cases/case.js';
import { decideLateEscalation } from '../../../src/cases/transitions/decide-late-escalation.js';
import { escalate } from '../../../src/cases/transitions/escalate.js';
import { type EscalationRequest, requestEscalation } from '../../../src/cases/transitions/request-escalation.js';
import { d, policy } from '../../helpers/policy.js';
import { aCase, AFTER_RESPONSE, asJo, changed, LATE, refused, responded, SHOWN } from './fixtures.js';

const STAGE_2 = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-2', received: AFTER_RESPONSE });

/** Stage 1 answered, and a request for Stage 2 made after the time to ask, waiting for staff. */
function lateRequest(): Case {
  const value = responded();
  value.flags.lateEscalation = {
    to: 'stage-2',
    windowClosedOn: d('2025-06-11'),
    requestedAt: AFTER_RESPONSE.toISOString(),
    whyLate: 'I was in hospital',
    decision: 'pending',
  };
  return value;
}

const asked = (overrides: Partial<EscalationRequest> = {}): EscalationRequest => ({
  from: 'stage-1',
  to: 'stage-2',
  late: null,
  responseOverdue: false,
  reason: 'The response did not say when visits resume.',
  evidence: null,
  outcomeWanted: 'A date for the visits.',
  ...overrides,
});

describe('a case moving to its next stage', () => {
  describe('at the complainant’s request', () => {
    it('moves at once when asked in time, with the new stage’s deadline from today, waiting to be picked up', () => {
      const result = changed(requestEscalation(responded(), asked(), { policy, now: AFTER_RESPONSE }));
      assert.equal(result.next.stage, 'stage-2');
      assert.equal(result.next.status, 'escalation-requested');
      assert.equal(result.next.handler, null);
      assert.equal(result.next.deadlines.at(-1)?.due, STAGE_2.due);
      assert.deepEqual(result.event, {
        type: 'escalation-requested',
        at: AFTER_RESPONSE.toISOString(),
        actor: { kind: 'complainant', id: null, name: null },
        summary: 'Asked for Stage 2: Investigation',
        details: {
          from: 'stage-1',
          to: 'stage-2',
          reason: 'The response did not say when visits resume.',
          evidence: null,
          outcomeWanted: 'A date for the visits.',
        },
      });
      assert.deepEqual(result.events, [
        { type: 'staff-alerted', alert: 'escalation-requested' },
        { type: 'complainant-told', notice: 'deadline-changed', text: null },
      ]);
    });

    it('without waiting for a late response, says so in the history', () => {
      const result = changed(requestEscalation(aCase(), asked({ responseOverdue: true }), { policy, now: LATE }));
      assert.equal(result.next.stage, 'stage-2');
      assert.equal(result.event.summary, 'Asked for Stage 2: Investigation (the Stage 1: Local Resolution response was late)');
      assert.equal(result.event.details?.['responseOverdue'], true);
    });

    it('after the time to ask, keeps the request for staff to decide and leaves the case where it is', () => {
      const late = { windowClosedOn: d('2025-06-11'), whyLate: 'I was in hospital' };
      const result = changed(requestEscalation(responded(), asked({ late }), { policy, now: AFTER_RESPONSE }));
      assert.equal(result.next.stage, 'stage-1');
      assert.equal(result.next.status, 'responded');
      assert.equal(result.next.deadlines.length, 1);
      assert.deepEqual(result.next.flags.lateEscalation, { to: 'stage-2', ...late, requestedAt: AFTER_RESPONSE.toISOString(), decision: 'pending' });
      assert.equal(result.event.summary, 'Asked for Stage 2: Investigation (after the time to ask)');
      assert.deepEqual(result.event.details, {
        from: 'stage-1',
        to: 'stage-2',
        reason: 'The response did not say when visits resume.',
        evidence: null,
        outcomeWanted: 'A date for the visits.',
        late: true,
        windowClosedOn: '2025-06-11',
        whyLate: 'I was in hospital',
      });
      assert.deepEqual(result.events, [{ type: 'staff-alerted', alert: 'escalation-requested' }]);
    });

    it('after the time to ask, on a case closed as resolved when it ran out, opens it again at its answer for staff to decide', () => {
      const closed = { ...responded(), status: 'closed' as const };
      const result = changed(requestEscalation(closed, asked({ late: { windowClosedOn: d('2025-06-11'), whyLate: null } }), { policy, now: AFTER_RESPONSE }));
      assert.equal(result.next.status, 'responded');
      assert.equal(result.next.flags.lateEscalation?.decision, 'pending');
    });

    it('made again (a turn run twice) is found already made; on a case that has moved on, is refused', () => {
      const once = changed(requestEscalation(responded(), asked(), { policy, now: AFTER_RESPONSE }));
      assert.equal(refused(requestEscalation(once.next, asked(), { policy, now: AFTER_RESPONSE })).refused, 'already-requested');
      const lateOnce = changed(
        requestEscalation(responded(), asked({ late: { windowClosedOn: d('2025-06-11'), whyLate: null } }), { policy, now: AFTER_RESPONSE }),
      );
      assert.equal(
        refused(requestEscalation(lateOnce.next, asked({ late: { windowClosedOn: d('2025-06-11'), whyLate: null } }), { policy, now: AFTER_RESPONSE })).refused,
        'already-requested',
      );
      for (const movedOn of [aCase({ stage: 'stage-2' }), lateRequest(), aCase({ status: 'escalation-requested' })]) {
        assert.equal(refused(requestEscalation(movedOn, asked(), { policy, now: AFTER_RESPONSE })).refused, 'moved-on');
      }
    });
  });

  describe('by staff', () => {
    it('after the response, moves the case to the next stage, unassigned, and tells the complainant the new dates', () => {
      const result = changed(escalate(responded(), asJo(AFTER_RESPONSE)));
      assert.equal(result.next.stage, 'stage-2');
      assert.equal(result.next.status, 'open');
      assert.equal(result.next.handler, null);
      assert.equal(result.next.deadlines.at(-1)?.due, STAGE_2.due);
      assert.deepEqual(result.event.details, { from: 'stage-1', to: 'stage-2', due: STAGE_2.due });
      assert.equal(result.event.summary, 'Moved to Stage 2: Investigation');
      assert.equal(result.done, `Moved to Stage 2: Investigation; ${STAGE_2.rule.description} by ${STAGE_2.dueText}.`);
      const told = result.events[1];
      assert.equal(told?.type, 'complainant-told');
      assert.equal(told.notice, 'deadline-changed');
      assert.match(
        String(told.text),
        new RegExp(`^Your complaint ${SHOWN} has moved to \\*\\*Stage 2: Investigation\\*\\*, with the .+\\. The council's response`),
      );
    });

    it('with the response late, moves it at the complainant’s request and says why, with the rule’s citation', () => {
      const result = changed(escalate(aCase(), asJo(LATE)));
      assert.equal(result.next.stage, 'stage-2');
      assert.equal(result.event.summary, 'Moved to Stage 2: Investigation at the complainant’s request: the response at Stage 1: Local Resolution was late');
      assert.equal(result.event.details?.['reason'], 'response-overdue');
      assert.equal(typeof result.event.details['citation'], 'string');
      const told = result.events[1];
      assert.ok(
        told?.type === 'complainant-told' &&
          told.text?.startsWith(`The response at Stage 1: Local Resolution was late, so as you asked, your complaint ${SHOWN}`),
      );
    });

    it('accepting a late request moves the case to the stage asked for; declining tells the complainant and leaves it where it is', () => {
      const accepted = changed(decideLateEscalation(lateRequest(), { decision: 'accepted' }, asJo(AFTER_RESPONSE)));
      assert.equal(accepted.next.stage, 'stage-2');
      assert.equal(accepted.next.flags.lateEscalation?.decision, 'accepted');
      assert.equal(accepted.event.type, 'escalated');

      const declined = changed(
        decideLateEscalation(lateRequest(), { decision: 'declined', message: 'Your reason does not explain the delay.' }, asJo(AFTER_RESPONSE)),
      );
      assert.equal(declined.next.stage, 'stage-1');
      assert.equal(declined.next.status, 'responded');
      assert.equal(declined.next.flags.lateEscalation?.decision, 'declined');
      assert.equal(declined.event.summary, 'Late request for Stage 2: Investigation declined');
      assert.deepEqual(declined.events[1], {
        type: 'complainant-told',
        notice: 'message',
        text: `About your request to take complaint ${SHOWN} further:\n\nYour reason does not explain the delay.`,
      });
    });
  });
});
