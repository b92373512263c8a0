/**
 * A case's facts for the figures: what they hold (nothing about anyone), and reading them back
 * checked, so a damaged entry is refused by name rather than miscounted.
 */
import { strict as assert } from 'node:assert';
import { caseFactsOf, readCaseFacts } from '../../src/cases/case-facts.js';
import { InvalidCaseData } from '../../src/cases/errors.js';
import { generateReference } from '../../src/cases/reference.js';
import { lodgeRequest } from '../helpers/cases.js';

describe('a case’s facts for the figures', () => {
  const value = { ...lodgeRequest().case, reference: generateReference() };

  it('read back as they were kept', () => {
    const facts = caseFactsOf(value);
    assert.deepEqual(readCaseFacts(JSON.stringify(facts)), facts);
    assert.equal(facts.deadlines[0]?.countsFrom, value.deadlines[0]?.countsFrom);
  });

  it('hold nothing about the people in it', () => {
    assert.doesNotMatch(JSON.stringify(caseFactsOf(value)), /Sam|Taylor|example\.org|7700|cancelled|visits/);
  });

  it('refuse anything damaged, by name', () => {
    const facts = caseFactsOf(value);
    const damaged: unknown[] = [
      '{not json',
      'null',
      [],
      { ...facts, status: 'lost' },
      { ...facts, deadlines: [{ ...facts.deadlines[0], countsFrom: '2025-02-30' }] },
      { ...facts, responses: [{ stage: 'stage-1', at: value.lodgedAt, outcome: 'vindicated' }] },
      { ...facts, acknowledgement: { due: {}, acknowledgedAt: null } },
      { ...facts, lodgedAt: 17 },
    ];
    for (const each of damaged) {
      assert.throws(() => readCaseFacts(typeof each === 'string' ? each : JSON.stringify(each)), InvalidCaseData, JSON.stringify(each).slice(0, 80));
    }
  });
});
