import { strict as assert } from 'node:assert';
import { isInFuture, UnknownStage } from '../../src/policy/index.js';
import { at, d, policy } from '../helpers/policy.js';

describe('late complaints', () => {
  it('flags a children’s services complaint made over a year later for a decision, never refusing it', () => {
    const result = policy.assessTimeliness({ procedure: 'la-childrens-services', happenedOn: d('2024-03-01'), receivedAt: at('2025-03-02T10:00:00Z') });
    assert.equal(result.status, 'late');
    assert.equal(result.limitEndsOn, '2025-03-01');
    assert.equal(result.handling, 'flag-for-decision');
    assert.match(result.explanation, /a manager will decide/);
  });

  it('counts an NHS complaint from when the person first knew, when that is later', () => {
    const result = policy.assessTimeliness({
      procedure: 'nhs-health',
      happenedOn: d('2024-03-01'),
      firstKnewOn: d('2024-09-01'),
      receivedAt: at('2025-03-02T10:00:00Z'),
    });
    assert.equal(result.status, 'on-time');
    assert.match(result.explanation, /the last day to complain is Monday 1 September 2025/);
  });

  it('counts a children’s services complaint from when the grounds arose, as reg 9 says', () => {
    const result = policy.assessTimeliness({
      procedure: 'la-childrens-services',
      happenedOn: d('2024-03-01'),
      firstKnewOn: d('2024-09-01'),
      receivedAt: at('2025-03-02T10:00:00Z'),
    });
    assert.equal(result.status, 'late');
    // Reg 9: both conditions, the first being that it was not reasonable to expect the complaint within the year.
    assert.match(
      result.explanation,
      /if it would not have been reasonable to expect the complaint to be made within the year, and it can still be considered effectively and fairly/,
    );
    assert.equal(
      policy.assessTimeliness({ procedure: 'la-childrens-services', firstKnewOn: d('2024-09-01'), receivedAt: at('2025-03-02T10:00:00Z') }).status,
      'on-time',
    );
  });

  it('accepts a complaint made on the last day', () => {
    const result = policy.assessTimeliness({ procedure: 'nhs-health', happenedOn: d('2024-03-01'), receivedAt: at('2025-03-01T23:30:00Z') });
    assert.equal(result.status, 'on-time');
  });

  it('applies no limit where the procedure sets none, and asks for a date where one is needed', () => {
    assert.equal(
      policy.assessTimeliness({ procedure: 'nhs-choices', happenedOn: d('2015-01-01'), receivedAt: at('2025-03-02T10:00:00Z') }).status,
      'no-time-limit',
    );
    assert.equal(policy.assessTimeliness({ procedure: 'nhs-health', receivedAt: at('2025-03-02T10:00:00Z') }).status, 'unknown');
  });

  it('counts an approximate date from the latest day it could have been, the reading most favourable to the complainant, and says so', () => {
    // "Summer 2024" (1 June to 31 August), complained about on 20 July 2025: late counted from
    // its first day, in time counted from its last.
    const received = at('2025-07-20T10:00:00Z');
    assert.equal(policy.assessTimeliness({ procedure: 'la-childrens-services', happenedOn: d('2024-06-01'), receivedAt: received }).status, 'late');
    const result = policy.assessTimeliness({ procedure: 'la-childrens-services', happenedBy: d('2024-08-31'), receivedAt: received });
    assert.equal(result.status, 'on-time');
    assert.deepEqual([result.countedFrom, result.limitEndsOn], ['2024-08-31', '2025-08-31']);
    assert.equal(
      result.explanation,
      'This is within the time limit (a complaint should be made within one year of the grounds for it arising); the last day to complain is Sunday 31 ' +
        'August 2025 (counting from Saturday 31 August 2024, the latest it could have been).',
    );
    const late = policy.assessTimeliness({ procedure: 'la-childrens-services', happenedBy: d('2024-05-31'), receivedAt: received });
    assert.equal(late.status, 'late');
    assert.match(
      late.explanation,
      /which for this complaint was by Saturday 31 May 2025 \(counting from Friday 31 May 2024, the latest it could have been\)\. It can still be looked at/,
    );
  });

  it('prefers a known day to a range, and takes the later of a range and a known day where the procedure counts from finding out', () => {
    const received = at('2025-07-20T10:00:00Z');
    const exact = policy.assessTimeliness({
      procedure: 'la-childrens-services',
      happenedOn: d('2024-06-01'),
      happenedBy: d('2024-08-31'),
      receivedAt: received,
    });
    assert.equal(exact.status, 'late');
    assert.doesNotMatch(exact.explanation, /latest it could have been/);
    const nhs = policy.assessTimeliness({ procedure: 'nhs-health', happenedOn: d('2023-03-01'), firstKnewBy: d('2024-08-31'), receivedAt: received });
    assert.equal(nhs.status, 'on-time');
    assert.match(nhs.explanation, /the last day to complain is Sunday 31 August 2025 \(counting from Saturday 31 August 2024, the latest it could have been\)/);
  });

  it('knows a date after today’s London date is in the future', () => {
    assert.equal(isInFuture(d('2025-06-07'), at('2025-06-06T23:30:00Z'), policy.calendar), false);
    assert.equal(isInFuture(d('2025-06-07'), at('2025-06-06T22:30:00Z'), policy.calendar), true);
  });
});

describe('independence of each stage', () => {
  it('stops the person who answered Stage One from answering Stage Two', () => {
    const earlier = [{ stage: 'stage-one', decidedBy: 'aad-123' }];
    const refused = policy.checkIndependence({ procedure: 'nhs-choices', stage: 'stage-two', decider: 'aad-123', earlier });
    assert.equal(refused.allowed, false);
    assert.equal(refused.conflictingStage, 'stage-one');
    assert.match(refused.explanation, /You decided Stage One of this complaint, so someone else must decide Stage Two/);
    // The rule is about the next stage; Stage Three has its own, more senior, decision-maker.
    assert.equal(policy.checkIndependence({ procedure: 'nhs-choices', stage: 'stage-three', decider: 'aad-123', earlier }).allowed, true);
    assert.equal(policy.checkIndependence({ procedure: 'nhs-choices', stage: 'stage-two', decider: 'aad-456', earlier }).allowed, true);
  });

  it('keeps the Stage 2 Independent Person off the Review Panel', () => {
    const refused = policy.checkIndependence({
      procedure: 'la-childrens-services',
      stage: 'stage-3',
      decider: 'ip-9',
      earlier: [{ stage: 'stage-2', decidedBy: 'ip-9' }],
    });
    assert.ok(!refused.allowed && /Independent Person from Stage 2 may not sit on the Review Panel/.test(refused.explanation));
  });

  it('does not bar a person from a stage they decided before it, only later ones', () => {
    assert.equal(
      policy.checkIndependence({ procedure: 'nhs-choices', stage: 'stage-one', decider: 'aad-1', earlier: [{ stage: 'stage-two', decidedBy: 'aad-1' }] })
        .allowed,
      true,
    );
  });

  it('names an unknown stage', () => {
    assert.throws(() => policy.checkIndependence({ procedure: 'nhs-choices', stage: 'stage-9', decider: 'x', earlier: [] }), UnknownStage);
  });
});
