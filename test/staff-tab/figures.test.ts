/** The figures for a period and procedure, from cases built with the real policy: what each counts, and the CSV. */
import { strict as assert } from 'node:assert';
import { type Case, deadlineRecord } from '../../src/cases/case.js';
import { caseFactsOf } from '../../src/cases/case-facts.js';
import { generateReference } from '../../src/cases/reference.js';
import { csv, figuresCsv, figuresFor } from '../../src/staff-tab/figures.js';
import { newCase } from '../helpers/cases.js';
import { at, policy } from '../helpers/policy.js';

const STAFF = { kind: 'staff' as const, id: 'entra-jo', name: 'Jo Bloggs' };

function aCase(overrides: Partial<Omit<Case, 'reference'>>): Case {
  return { reference: generateReference(), ...newCase(overrides) };
}

describe('the figures', () => {
  const stage1 = deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-06-02T09:00:00Z') }));
  const stage2 = deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-2', received: at('2025-07-01T09:00:00Z') }));
  const inTime = aCase({ status: 'closed', responses: [{ stage: 'stage-1', at: '2025-06-05T10:00:00.000Z', text: 'Sorry.', by: STAFF, outcome: 'upheld' }] });
  const lateThenFurther = aCase({
    status: 'awaiting-response',
    stage: 'stage-2',
    deadlines: [stage1, stage2],
    responses: [{ stage: 'stage-1', at: '2025-06-30T10:00:00.000Z', text: 'No.', by: STAFF, outcome: 'not-upheld' }],
  });
  const extended = aCase({ deadlines: [{ ...stage1, extended: true }] });
  const nhs = aCase({ procedure: 'nhs-health', stage: 'local-resolution', route: 'provider' });
  const timedOut = aCase({
    status: 'closed',
    closure: 'window-passed',
    ombudsman: { id: 'lgsco', name: 'Local Government and Social Care Ombudsman', toldOn: '2025-07-10' as never, recordedBy: 'Jo Bloggs' },
  });
  const now = at('2025-07-15T12:00:00Z');

  it('counts what was received, answered on time, extended, taken further and found, stage by stage', () => {
    const figures = figuresFor(
      [inTime, lateThenFurther, extended, nhs, timedOut].map(caseFactsOf),
      { from: '2025-06-01', to: '2025-06-30', procedure: 'la-childrens-services' },
      policy,
      now,
    );
    assert.equal(figures.received, 4, 'only the procedure asked for');
    const [first, second] = figures.stages;
    assert.ok(first && second);
    assert.equal(first.stage, 'stage-1');
    assert.deepEqual(
      { reached: first.reached, responded: first.responded, onTime: first.respondedOnTime, extended: first.extended, escalated: first.escalated },
      { reached: 4, responded: 2, onTime: 1, extended: 1, escalated: 1 },
    );
    assert.deepEqual(first.outcomes, { upheld: 1, 'partly-upheld': 0, 'not-upheld': 1, unrecorded: 0 });
    // Received Monday 2 June, the day its time counts from: answered on the 5th (3 working days on) and the 30th (20).
    assert.equal(stage1.countsFrom, '2025-06-02');
    assert.equal(first.medianWorkingDaysToRespond, (3 + 20) / 2);
    assert.equal(second.reached, 1);
    assert.equal(second.responded, 0);
    assert.equal(second.medianWorkingDaysToRespond, null);
    assert.equal(figures.closed, 2);
    assert.equal(figures.closedAfterWindow, 1, 'closed because the time to go further passed');
    assert.deepEqual(figures.referredToOmbudsman, {
      total: 1,
      byOmbudsman: [{ name: 'Local Government and Social Care Ombudsman', count: 1 }],
    });
    assert.equal(
      figures.openByAge.reduce((sum, band) => sum + band.count, 0),
      2,
      'the two still open, by age',
    );
    assert.match(figures.required['received'] ?? '', /SI 2006\/1738 reg 13/);
    assert.deepEqual(figures.monthly, [{ month: '2025-06', received: 4 }]);
  });

  it('marks the NHS figures its regulations require', () => {
    const figures = figuresFor([nhs].map(caseFactsOf), { from: '2025-06-01', to: '2025-06-30', procedure: 'nhs-health' }, policy, now);
    assert.match(figures.required['received'] ?? '', /SI 2009\/309 reg 18\(2\)\(a\)/);
    assert.match(figures.required['outcomes.upheld'] ?? '', /well-founded/);
    assert.match(figures.required['referredToOmbudsman'] ?? '', /reg 18\(2\)\(c\)/);
    assert.ok(figures.acknowledged === null || figures.acknowledged.owed >= 0);
  });

  it('marks what the Complaint Handling Code asks a council to report, for its corporate complaints', () => {
    const council = aCase({ procedure: 'la-corporate', stage: 'stage-1', deadlines: [] });
    const figures = figuresFor([caseFactsOf(council)], { from: '2025-06-01', to: '2025-06-30', procedure: 'la-corporate' }, policy, now);
    assert.equal(figures.received, 1);
    assert.deepEqual(
      figures.stages.map((stage) => stage.stage),
      ['stage-1', 'stage-2'],
    );
    for (const field of ['received', 'respondedOnTime', 'extended', 'outcomes.upheld'])
      assert.match(figures.required[field] ?? '', /Complaint Handling Code para/, field);
  });

  it('writes CSV a spreadsheet reads as text, never as a formula', () => {
    assert.equal(csv([['a', 'b,c', 'say "hi"', '=HYPERLINK("x")', null, 3]]), 'a,"b,c","say ""hi""","\'=HYPERLINK(""x"")",,3\r\n');
    const text = figuresCsv(figuresFor([caseFactsOf(inTime)], { from: '2025-06-01', to: '2025-06-30', procedure: 'la-childrens-services' }, policy, now));
    assert.ok(text.startsWith('figure,stage,value,required by\r\nreceived,,1,'));
    assert.match(text, /responded on time,Stage 1[^,]*,1,/);
  });
});
