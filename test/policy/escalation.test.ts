import { strict as assert } from 'node:assert';
import { AgreedResponseNotAllowed, type EscalationDecision, type NextStep } from '../../src/policy/index.js';
import { at, d, policy } from '../helpers/policy.js';

function nextStageOf(step: NextStep): string {
  if (step.kind !== 'stage') throw new Error(`expected a stage, got the ombudsman ${step.advice.ombudsman.id}`);
  return step.stage.id;
}

function refusal(decision: EscalationDecision): Extract<EscalationDecision, { allowed: false }> {
  if (decision.allowed) throw new Error(`expected a refusal, got permission to go to ${decision.to.id}`);
  return decision;
}

describe('next steps and escalation', () => {
  describe('the next step after each stage', () => {
    it('walks NHS Choices one level at a time, from the Service Desk to the PHSO', () => {
      const path = ['service-desk', 'sme-response', 'stage-one', 'stage-two', 'stage-three', 'stage-four'];
      for (let index = 0; index < path.length - 1; index += 1) {
        assert.equal(nextStageOf(policy.nextStep({ procedure: 'nhs-choices', stage: path[index]! })), path[index + 1]);
      }
      const forward = policy.nextStep({ procedure: 'nhs-choices', stage: 'service-desk' });
      assert.equal(forward.kind === 'stage' && forward.how, 'forwarding');
      const last = policy.nextStep({ procedure: 'nhs-choices', stage: 'stage-four' });
      assert.equal(last.kind, 'ombudsman');
      assert.equal(last.advice.ombudsman.shortName, 'PHSO');
    });

    it('gives the children’s services request window for Stages 2 and 3', () => {
      const step = policy.nextStep({ procedure: 'la-childrens-services', stage: 'stage-1' });
      assert.equal(nextStageOf(step), 'stage-2');
      assert.equal(step.kind === 'stage' && step.requestWithin?.amount, 20);
      assert.equal(step.kind === 'stage' && step.how, 'escalation-request');
    });

    it('sends children’s services complaints to the LGSCO, with the date the 12 months run out', () => {
      const step = policy.nextStep({ procedure: 'la-childrens-services', stage: 'stage-3', firstNoticeOn: d('2025-04-03') });
      assert.equal(step.kind, 'ombudsman');
      assert.equal(step.advice.ombudsman.id, 'lgsco');
      // "12 months beginning with the day ... first had notice" (LGA 1974 s26B): they end the day before the anniversary.
      assert.equal(step.advice.window.closesOn, '2026-04-02');
      assert.equal(step.advice.window.closesOnText, 'Thursday 2 April 2026');
      assert.equal(step.advice.window.counting, 'beginning-with');
      assert.equal(step.advice.window.mayBeWaived, true);
      assert.equal(step.advice.window.citation.source, 'law');
      assert.match(step.advice.explanation, /lgo\.org\.uk.*0300 061 0614/);
    });

    it('counts a window from 29 February to the last day of February, whichever the convention', () => {
      assert.equal(policy.ombudsmanAdvice({ procedure: 'nhs-health', firstNoticeOn: d('2024-02-29') }).window.closesOn, '2025-02-28');
      assert.equal(policy.ombudsmanAdvice({ procedure: 'la-childrens-services', firstNoticeOn: d('2024-02-29') }).window.closesOn, '2025-02-28');
    });

    it('ends the PHSO’s year “after the day” of notice on its anniversary, and the LGSCO’s 12 months “beginning with” it the day before', () => {
      assert.equal(policy.ombudsmanAdvice({ procedure: 'nhs-health', firstNoticeOn: d('2024-03-01') }).window.closesOn, '2025-03-01');
      assert.equal(policy.ombudsmanAdvice({ procedure: 'la-childrens-services', firstNoticeOn: d('2024-03-01') }).window.closesOn, '2025-02-28');
      assert.equal(policy.ombudsmanAdvice({ procedure: 'la-childrens-services', firstNoticeOn: d('2025-01-01') }).window.closesOn, '2025-12-31');
    });

    it('says that NHS website complaints go to the PHSO directly, under its health jurisdiction, with no MP referral', () => {
      const advice = policy.ombudsmanAdvice({ procedure: 'nhs-choices' });
      assert.equal(advice.referral, null);
      assert.doesNotMatch(advice.explanation, /MP|Member of Parliament/);
      const discrepancy = policy.procedure('nhs-choices').discrepancies?.find((entry) => /health jurisdiction/.test(entry.lawSays));
      assert.match(discrepancy?.citation.reference ?? '', /Health Service Commissioners Act 1993 s2; Parliamentary Commissioner Act 1967 s5\(1\)/);
    });

    it('never says “when you first became aware”: the Acts count from when the person first had notice', () => {
      for (const procedure of policy.procedures()) assert.match(procedure.ombudsman.window, /first had notice/, procedure.id);
    });

    it('offers joint PHSO and LGSCO working for EHC plan complaints that cover social care', () => {
      const joint = policy.ombudsmanAdvice({ procedure: 'nhs-health', coversSocialCare: true });
      assert.equal(joint.joint?.ombudsman.id, 'lgsco');
      assert.equal(joint.joint.applies, true);
      assert.match(joint.explanation, /Because your complaint is about both health and social care/);
      const healthOnly = policy.ombudsmanAdvice({ procedure: 'nhs-health', coversSocialCare: false });
      assert.equal(healthOnly.joint?.applies, false);
      assert.doesNotMatch(healthOnly.explanation, /LGSCO/);
      assert.match(policy.ombudsmanAdvice({ procedure: 'nhs-health' }).explanation, /If your complaint is about both/);
    });

    it('says when the ombudsman’s window has passed, and that it may still be waived', () => {
      const advice = policy.ombudsmanAdvice({ procedure: 'la-childrens-services', firstNoticeOn: d('2023-01-10'), now: at('2025-01-01T12:00:00Z') });
      assert.equal(advice.window.passed, true);
      assert.match(advice.explanation, /That date has passed, but the ombudsman can still decide/);
    });
  });

  describe('the ombudsman’s window when the person was not sure of the date', () => {
    it('counts an approximate first notice from the earliest day it could have been, and says so', () => {
      // "Summer 2025": 12 months beginning with 1 June 2025 end on 31 May 2026, three months before those from 31 August would.
      const advice = policy.ombudsmanAdvice({ procedure: 'la-childrens-services', firstNoticeOn: d('2025-06-01'), firstNoticeCertainty: 'approximate' });
      assert.equal(advice.window.closesOn, '2026-05-31');
      assert.match(
        advice.explanation,
        /You gave us an approximate date, so to be safe we count from the earliest day it could have been, Sunday 1 June 2025: for you that is Sunday 31 May 2026\./,
      );
    });

    it('gives no date it cannot be sure of, and says why, when the earliest day is not known', () => {
      for (const firstNoticeCertainty of ['approximate', 'unknown'] as const) {
        const advice = policy.ombudsmanAdvice({ procedure: 'nhs-health', firstNoticeCertainty });
        assert.equal(advice.window.closesOn, null, firstNoticeCertainty);
        assert.match(advice.explanation, /We can’t work out that date for you, because we don’t know exactly when you first had notice/, firstNoticeCertainty);
        assert.doesNotMatch(advice.explanation, /for you that/, firstNoticeCertainty);
      }
    });
  });

  describe('whether escalation is allowed now', () => {
    it('refuses at the final stage and names the ombudsman and how to reach them', () => {
      const decision = refusal(
        policy.decideEscalation({
          procedure: 'nhs-choices',
          stage: 'stage-four',
          now: at('2025-09-01T10:00:00+01:00'),
          respondedAt: at('2025-08-20T10:00:00+01:00'),
          firstNoticeOn: d('2025-03-01'),
        }),
      );
      assert.equal(decision.reason, 'final-stage');
      assert.match(decision.explanation, /^Stage Four is the last stage of the NHS Choices complaints process, so your complaint cannot be taken further/);
      assert.match(decision.explanation, /Parliamentary and Health Service Ombudsman.*0345 015 4033/);
      assert.equal(decision.reason, 'final-stage');
      assert.equal(decision.ombudsman.window.closesOn, '2026-03-01');
    });

    it('refuses before a response, saying when it is due', () => {
      const decision = refusal(
        policy.decideEscalation({
          procedure: 'nhs-choices',
          stage: 'stage-one',
          now: at('2025-06-20T10:00:00+01:00'),
          stageStartedAt: at('2025-06-02T10:00:00+01:00'),
        }),
      );
      assert.equal(decision.reason, 'no-response-yet');
      assert.equal(decision.responseDue?.due, '2025-07-14');
      assert.equal(decision.overdue, false);
      assert.match(decision.explanation, /once you have had a response.*due by Monday 14 July 2025/);
    });

    it('lets the complainant ask for Stage 2 when the Stage 1 response is overdue, with an apology', () => {
      const decision = policy.decideEscalation({
        procedure: 'la-childrens-services',
        stage: 'stage-1',
        now: at('2025-06-20T10:00:00+01:00'),
        stageStartedAt: at('2025-06-02T10:00:00+01:00'),
      });
      assert.ok(decision.allowed && decision.reason === 'response-overdue');
      assert.equal(decision.to.id, 'stage-2');
      assert.equal(decision.requestWindow, null);
      assert.match(decision.citation?.reference ?? '', /regs 14 and 17/);
      assert.match(
        decision.explanation,
        /^The response was due by Monday 16 June 2025 and is late\. We are sorry\..*You do not have to wait for it: you can ask for your complaint to go to Stage 2: Investigation now\./,
      );
    });

    it('lets the complainant ask for a Review Panel when the Stage 2 response is overdue, but not a day before', () => {
      const base = { procedure: 'la-childrens-services', stage: 'stage-2', stageStartedAt: at('2025-06-02T10:00:00+01:00') } as const;
      const onTheDay = refusal(policy.decideEscalation({ ...base, now: at('2025-07-07T16:00:00+01:00') }));
      assert.equal(onTheDay.reason, 'no-response-yet');
      assert.match(onTheDay.explanation, /If the response is late, you can ask for Stage 3: Review Panel without waiting for it\./);
      const dayAfter = policy.decideEscalation({ ...base, now: at('2025-07-08T09:00:00+01:00') });
      assert.ok(dayAfter.allowed && dayAfter.reason === 'response-overdue' && dayAfter.to.id === 'stage-3');
      // An extension to 65 working days moves the point at which it is late.
      const extended = refusal(policy.decideEscalation({ ...base, extended: true, now: at('2025-07-08T09:00:00+01:00') }));
      assert.equal(extended.reason, 'no-response-yet');
    });

    it('uses the extended deadline when the stage was extended', () => {
      const decision = refusal(
        policy.decideEscalation({
          procedure: 'la-childrens-services',
          stage: 'stage-1',
          now: at('2025-06-20T10:00:00+01:00'),
          stageStartedAt: at('2025-06-02T10:00:00+01:00'),
          extended: true,
        }),
      );
      assert.ok(decision.reason === 'no-response-yet' && !decision.overdue && decision.responseDue?.due === '2025-06-30');
    });

    it('explains that an NHS Choices complaint goes from the Service Desk to the expert first', () => {
      const decision = refusal(policy.decideEscalation({ procedure: 'nhs-choices', stage: 'service-desk', now: at('2025-06-03T10:00:00+01:00') }));
      assert.equal(decision.reason, 'no-response-yet');
      assert.match(decision.explanation, /with the Service Desk, who will pass it to the Subject Matter Expert/);
    });

    it('allows escalation after a response, to the next stage the complainant can ask for', () => {
      const decision = policy.decideEscalation({
        procedure: 'nhs-choices',
        stage: 'sme-response',
        now: at('2025-07-01T10:00:00+01:00'),
        respondedAt: at('2025-06-30T10:00:00+01:00'),
      });
      assert.ok(decision.allowed);
      assert.equal(decision.to.id, 'stage-one');
      assert.equal(decision.to.handler.role, 'Product Lead');
      assert.equal(decision.requestWindow, null);
    });

    it('allows a Stage 2 request up to the end of the 20th working day after the Stage 1 response (London time)', () => {
      const base = { procedure: 'la-childrens-services', stage: 'stage-1', respondedAt: at('2025-06-02T15:00:00+01:00') } as const;
      const lastEvening = policy.decideEscalation({ ...base, now: at('2025-06-30T23:30:00+01:00') });
      assert.ok(lastEvening.allowed);
      assert.equal(lastEvening.to.id, 'stage-2');
      assert.equal(lastEvening.requestWindow?.closesOn, '2025-06-30');
      const afterMidnight = refusal(policy.decideEscalation({ ...base, now: at('2025-06-30T23:30:00Z') }));
      assert.equal(afterMidnight.reason, 'window-passed');
      assert.equal(afterMidnight.windowClosedOn, '2025-06-30');
      assert.equal(afterMidnight.lateRequestPossible, true);
      assert.match(afterMidnight.explanation, /ended on Monday 30 June 2025.*tell us why.*Complaints Manager will decide/);
    });

    it('counts the window to ask from the day the response was sent, even a Saturday, never from a later day', () => {
      const decision = policy.decideEscalation({
        procedure: 'la-childrens-services',
        stage: 'stage-1',
        respondedAt: at('2025-06-07T11:00:00+01:00'),
        now: at('2025-06-09T10:00:00+01:00'),
        cutOff: '10:00',
      });
      assert.ok(decision.allowed);
      // Saturday is day 0, Monday 9 June day 1 ... Friday 4 July day 20; the organisation's cut-off does not move a window the complainant must meet.
      assert.equal(decision.requestWindow?.closesOn, '2025-07-04');
      assert.match(decision.explanation, /until Friday 4 July 2025 \(20 working days from the day the response was sent\)/);
    });

    it('says when the final stage’s own response is due, and apologises when it is late', () => {
      const waiting = refusal(
        policy.decideEscalation({
          procedure: 'la-childrens-services',
          stage: 'stage-3',
          now: at('2025-07-01T10:00:00+01:00'),
          stageStartedAt: at('2025-06-02T10:00:00+01:00'),
        }),
      );
      assert.equal(waiting.reason, 'final-stage');
      assert.equal(waiting.responseDue?.due, '2025-08-11');
      assert.equal(waiting.overdue, false);
      assert.match(waiting.explanation, /The response is due by Monday 11 August 2025/);
      const late = refusal(
        policy.decideEscalation({
          procedure: 'la-childrens-services',
          stage: 'stage-3',
          now: at('2025-08-12T10:00:00+01:00'),
          stageStartedAt: at('2025-06-02T10:00:00+01:00'),
        }),
      );
      assert.equal(late.reason, 'final-stage');
      assert.equal(late.overdue, true);
      assert.match(
        late.explanation,
        /is late\. We are sorry\..*Complaints Manager.*You do not have to wait for the response: the LGSCO can look at a complaint once the council has had a reasonable opportunity/,
      );
      assert.equal(late.ombudsman.timing.now, true);
      assert.doesNotMatch(late.explanation, /once you have had the response|wait for the response first/i);
      assert.match(waiting.explanation, /normally expects the council’s own complaints procedure to have finished first.*wait for the response first/);
      assert.equal(waiting.ombudsman.timing.now, false);
    });

    it('at the Review Panel, names a late meeting as the meeting while the council’s response is not yet due, and does not say to wait', () => {
      // Stage 3 began Monday 2 June 2025: the panel meets by Monday 14 July, and the council responds by Monday 11 August.
      const facts = { procedure: 'la-childrens-services', stage: 'stage-3', stageStartedAt: at('2025-06-02T10:00:00+01:00') } as const;
      const onTheDay = refusal(policy.decideEscalation({ ...facts, now: at('2025-07-14T16:00:00+01:00') }));
      assert.ok(onTheDay.reason === 'final-stage');
      assert.equal(onTheDay.lateStep, null);
      const late = refusal(policy.decideEscalation({ ...facts, now: at('2025-07-21T10:00:00+01:00') }));
      assert.ok(late.reason === 'final-stage');
      assert.equal(late.overdue, false, 'the council’s response itself is not yet due');
      assert.deepEqual([late.lateStep?.kind, late.lateStep?.due], ['meeting', '2025-07-14']);
      assert.match(
        late.explanation,
        /^Stage 3: Review Panel is the last stage.*The panel meeting was due by Monday 14 July 2025 and is late\. We are sorry\..*Complaints Manager/,
      );
      assert.match(
        late.explanation,
        /already running late, so you do not have to wait for the response: you can ask the Local Government and Social Care Ombudsman/,
      );
      assert.doesNotMatch(late.explanation, /The response is due by|wait for the response first|once you have had the response/i);
      assert.equal(late.ombudsman.timing.now, true);
      // A meeting recorded as due later (as the case records it) is not late on the same day.
      const recorded = refusal(
        policy.decideEscalation({ ...facts, now: at('2025-07-21T10:00:00+01:00'), awaitedStep: { timeLimit: 'panel-meeting', due: d('2025-07-25') } }),
      );
      assert.ok(recorded.reason === 'final-stage');
      assert.equal(recorded.lateStep, null);
    });

    it('refuses a response date agreed at a stage whose time limits are fixed, rather than let it hide a late response', () => {
      // Stage 1 began Monday 2 June 2025: its response was due Monday 16 June, so on 1 July it is late, whatever was "agreed".
      assert.throws(
        () =>
          policy.decideEscalation({
            procedure: 'la-childrens-services',
            stage: 'stage-1',
            now: at('2025-07-01T09:00:00+01:00'),
            stageStartedAt: at('2025-06-02T10:00:00+01:00'),
            agreedResponseBy: d('2025-07-31'),
          }),
        (error: unknown) => error instanceof AgreedResponseNotAllowed && error.procedureId === 'la-childrens-services' && error.stageId === 'stage-1',
      );
    });

    it('treats the single NHS local resolution stage as final', () => {
      const decision = refusal(
        policy.decideEscalation({ procedure: 'nhs-health', stage: 'local-resolution', now: at('2025-06-20T10:00:00+01:00'), coversSocialCare: true }),
      );
      assert.equal(decision.reason, 'final-stage');
      assert.match(decision.explanation, /The PHSO normally expects the NHS organisation’s own complaints procedure to have finished first/);
      // Six months commencing on 2 June 2025 end on 1 December 2025.
      const waiting = refusal(
        policy.decideEscalation({
          procedure: 'nhs-health',
          stage: 'local-resolution',
          now: at('2025-06-20T10:00:00+01:00'),
          stageStartedAt: at('2025-06-02T10:00:00+01:00'),
        }),
      );
      assert.match(waiting.explanation, /If you have not had a response by Monday 1 December 2025, they must write to tell you why\./);
      assert.doesNotMatch(waiting.explanation, /response is due by/);
      assert.match(decision.explanation, /PHSO and the Local Government and Social Care Ombudsman/);
    });

    it('tells an NHS complainant with no response after six months that the PHSO may look now, without contradiction', () => {
      const late = refusal(
        policy.decideEscalation({
          procedure: 'nhs-health',
          stage: 'local-resolution',
          now: at('2025-12-02T10:00:00Z'),
          stageStartedAt: at('2025-06-02T10:00:00+01:00'),
        }),
      );
      assert.ok(late.reason === 'final-stage');
      assert.equal(late.overdue, true);
      assert.match(
        late.explanation,
        /no response within 6 months, so they must write to tell you why.*You do not have to wait for the response: the PHSO can look at a complaint once the NHS organisation has had a reasonable opportunity/,
      );
      assert.match(late.explanation, /You can ask the Parliamentary and Health Service Ombudsman \(PHSO\) to look at your complaint now/);
      assert.doesNotMatch(late.explanation, /once you have had the response|wait for the response first/i);
      assert.match(late.ombudsman.timing.citation.reference, /Health Service Commissioners Act 1993 s4\(5\)/);
    });

    it('follows a response date agreed with the NHS complainant: late the day after it, even within six months', () => {
      const base = {
        procedure: 'nhs-health',
        stage: 'local-resolution',
        stageStartedAt: at('2025-06-02T10:00:00+01:00'),
        agreedResponseBy: d('2025-08-29'),
      } as const;
      const before = refusal(policy.decideEscalation({ ...base, now: at('2025-08-29T16:00:00+01:00') }));
      assert.ok(before.reason === 'final-stage');
      assert.equal(before.overdue, false);
      assert.match(before.explanation, /The response was agreed for Friday 29 August 2025\./);
      const after = refusal(policy.decideEscalation({ ...base, now: at('2025-09-01T09:00:00+01:00') }));
      assert.ok(after.reason === 'final-stage');
      assert.equal(after.overdue, true);
      assert.match(after.explanation, /agreed for Friday 29 August 2025 and is late.*You do not have to wait for the response/);
    });
  });
});
