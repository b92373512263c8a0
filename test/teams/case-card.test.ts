/**
 * Every card the staff side builds, checked with Microsoft's Adaptive Cards library: it parses
 * with no warnings at version 1.5 (what Teams renders), validates, and uses nothing newer; the
 * complainant's text only ever appears in TextRuns; overdue deadlines and flags stand out.
 */
import { strict as assert } from 'node:assert';
import * as AdaptiveCards from 'adaptivecards/dist/adaptivecards.js';
import type { Case } from '../../src/cases/case.js';
import { generateReference } from '../../src/cases/reference.js';
import { type AdaptiveCard, caseCard, concernCard, messageCard } from '../../src/teams/case-card.js';
import { newCase } from '../helpers/cases.js';
import { policy } from '../helpers/policy.js';
import { stringsOf } from '../helpers/teams.js';

const REFERENCE = generateReference();

/** Parses a card as Teams' renderer would, collecting every complaint the library makes. */
function problemsWith(card: AdaptiveCard): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1) problems.push(`parse: ${context.getEventAt(index).message}`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  if (parsed.version.major !== 1 || parsed.version.minor > 5) problems.push(`version ${parsed.version.toString()}`);
  // Nested cards (in Action.ShowCard) must not ask for more than Teams renders either.
  const nested = JSON.stringify(card).match(/"version":"(\d+)\.(\d+)"/g) ?? [];
  for (const version of nested) if (!/"1\.[0-5]"/.test(version)) problems.push(`nested ${version}`);
  return problems;
}

function aCase(overrides: Partial<Omit<Case, 'reference'>> = {}): Case {
  return { ...newCase(overrides), reference: REFERENCE };
}

const HOSTILE = '**bold** _it_ [link](https://evil.example) ![img](https://evil.example/x.png) <at>All</at> @channel <script>x</script>';

const STATES: readonly [string, Case, Date][] = [
  ['a new case', aCase(), new Date('2025-06-03T10:00:00Z')],
  ['an overdue case', aCase({ status: 'awaiting-response', handler: { id: 'staff-1', name: 'Jo Bloggs' } }), new Date('2025-09-01T10:00:00Z')],
  ['a case with every flag', aCase({
    flags: {
      safeguarding: { raisedAt: '2025-06-02T09:00:00Z', notes: ['he hits me', HOSTILE] },
      late: { limitEndedOn: '2025-05-01' as never, reason: HOSTILE, decision: 'pending' },
      standing: { check: 'sufficient-interest', decision: 'pending' },
      lateEscalation: { to: 'stage-2', windowClosedOn: '2025-07-01' as never, requestedAt: '2025-08-01T09:00:00Z', whyLate: HOSTILE, decision: 'pending' },
    },
    status: 'responded',
  }), new Date('2025-08-02T10:00:00Z')],
  ['a responded case', aCase({ status: 'responded', responses: [{ stage: 'stage-1', at: '2025-06-10T10:00:00Z', text: 'Our answer', by: { kind: 'staff', id: 's', name: 'Jo' } }] }), new Date('2025-06-11T10:00:00Z')],
  ['a case at the final stage with an independence conflict', aCase({ stage: 'stage-3', status: 'open', decisions: [{ stage: 'stage-2', decidedBy: 'staff-1' }] }), new Date('2025-06-11T10:00:00Z')],
  ['a closed case', aCase({ status: 'closed' }), new Date('2025-06-11T10:00:00Z')],
  ['a case full of hostile text', aCase({ whatHappened: HOSTILE.repeat(200), outcomeWanted: HOSTILE, complainant: { name: HOSTILE.slice(0, 150), relationship: 'other', relationshipDetail: HOSTILE.slice(0, 150) }, needs: { adjustments: HOSTILE, advocacy: 'requested' } }), new Date('2025-06-03T10:00:00Z')],
];

describe('case cards', () => {
  for (const [name, value, now] of STATES) {
    it(`builds a valid Adaptive Card 1.5 for ${name}`, () => {
      const card = caseCard({ case: value, recent: [], policy, now });
      assert.equal(card.version, '1.5');
      assert.deepEqual(problemsWith(card), []);
      assert.ok(Buffer.byteLength(JSON.stringify(card), 'utf8') < 28_000, 'within Teams’ card size limit');
      for (const entry of stringsOf(card).filter((item) => item.value.includes('evil.example') || item.value.includes('<at>'))) {
        assert.equal(entry.type, 'TextRun', `the complainant’s words only in TextRuns (found in ${entry.type}.${entry.key})`);
      }
      const executes = JSON.stringify(card).match(/"type":"Action\.Execute"/g) ?? [];
      assert.ok(executes.length > 0, 'actions are Universal Actions');
      assert.doesNotMatch(JSON.stringify(card), /Action\.Submit/);
    });
  }

  it('fits Teams’ size limit with every field full of non-ASCII text and a full history', () => {
    const long = (n: number): string => 'ŵ"“\\'.repeat(Math.ceil(n / 4)).slice(0, n);
    const value = aCase({
      whatHappened: long(50_000), outcomeWanted: long(10_000),
      complainant: { name: long(200), relationship: 'other', relationshipDetail: long(200) },
      personAffected: { name: long(200), description: long(500), child: true },
      when: { date: null, basis: 'happened', certainty: 'unknown', said: long(500) },
      needs: { adjustments: long(2000), advocacy: 'requested' },
      flags: {
        safeguarding: { raisedAt: '2025-06-02T09:00:00Z', notes: Array.from({ length: 10 }, () => long(1000)) },
        late: { limitEndedOn: '2025-05-01' as never, reason: long(2000), decision: 'pending' },
        standing: { check: 'sufficient-interest', decision: 'pending' },
        lateEscalation: { to: 'stage-2', windowClosedOn: '2025-07-01' as never, requestedAt: '2025-08-01T09:00:00Z', whyLate: long(2000), decision: 'pending' },
      },
    });
    const recent = Array.from({ length: 6 }, (_, index) => ({
      id: String(index), type: 'message-relayed' as const, at: '2025-06-03T10:00:00Z', stage: 'stage-1', summary: 'Message from the complainant',
      actor: { kind: 'complainant' as const, id: null, name: null }, details: { text: long(5000) },
    }));
    const card = caseCard({ case: value, recent, policy, now: new Date('2025-06-03T10:00:00Z') });
    assert.ok(Buffer.byteLength(JSON.stringify(card), 'utf8') <= 28_000, `${String(Buffer.byteLength(JSON.stringify(card), 'utf8'))} bytes`);
    assert.deepEqual(problemsWith(card), []);
  });

  it('makes an overdue deadline impossible to miss, and counts working days left otherwise', () => {
    const overdue = caseCard({ case: STATES[1]?.[1] ?? assert.fail(), recent: [], policy, now: new Date('2025-09-01T10:00:00Z') });
    assert.match(JSON.stringify(overdue), /"style":"attention".*OVERDUE: response due Monday 16 June 2025, \d+ working days ago/);
    const fresh = caseCard({ case: aCase(), recent: [], policy, now: new Date('2025-06-03T10:00:00Z') });
    assert.match(JSON.stringify(fresh), /Response due Monday 16 June 2025 \(9 working days left\)/);
  });

  it('offers only the actions the procedure and the case allow', () => {
    const open = JSON.stringify(caseCard({ case: aCase(), recent: [], policy, now: new Date('2025-06-03T10:00:00Z') }));
    for (const verb of ['assign', 'respond', 'extend', 'redirect', 'close', 'note', 'refresh']) assert.match(open, new RegExp(`"verb":"${verb}"`));
    assert.match(open, /"id":"respond:text"/);
    assert.doesNotMatch(open, /"verb":"escalate"/);
    const closed = JSON.stringify(caseCard({ case: aCase({ status: 'closed' }), recent: [], policy, now: new Date('2025-06-03T10:00:00Z') }));
    assert.doesNotMatch(closed, /"verb":"(assign|respond|extend|redirect|close)"/);
    assert.match(closed, /"verb":"note"/);
    const responded = JSON.stringify(caseCard({ case: STATES[3]?.[1] ?? assert.fail(), recent: [], policy, now: new Date('2025-06-11T10:00:00Z') }));
    assert.match(responded, /"title":"Move to Stage 2[^"]*","verb":"escalate"/);
    const independence = JSON.stringify(caseCard({ case: STATES[4]?.[1] ?? assert.fail(), recent: [], policy, now: new Date('2025-06-11T10:00:00Z') }));
    assert.match(independence, /Independence: Whoever decided Stage 2/);
  });

  it('builds valid message and concern cards that show words literally', () => {
    for (const card of [messageCard('The complainant wrote:', HOSTILE), concernCard(HOSTILE, '2025-06-02T09:00:00Z', policy)]) {
      assert.deepEqual(problemsWith(card), []);
      for (const entry of stringsOf(card).filter((item) => item.value.includes('evil.example'))) assert.equal(entry.type, 'TextRun');
    }
  });
});
