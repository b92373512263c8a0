/**
 * "My cases" in a personal chat (issue 20): statuses in words, each deadline with the working
 * days left or how late it is, the overdue first (longest overdue at the top), then the soonest
 * due, then cases with nothing owed, ten to a page with the way to the next.
 */
import { strict as assert } from 'node:assert';
import { type Case, deadlineRecord } from '../../src/cases/case.js';
import { formatReference, generateReference } from '../../src/cases/reference.js';
import { MY_CASES_PAGE, myCasesText, pageAsked } from '../../src/teams/my-cases.js';
import { newCase } from '../helpers/cases.js';
import { policy } from '../helpers/policy.js';

const NOW = new Date('2026-12-03T10:00:00Z');

/** A Stage 1 children's services case received on `received`, with a handler. */
function caseReceived(received: string, overrides: Partial<Case> = {}): Case {
  const deadline = policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: new Date(received) });
  return {
    ...newCase({ status: 'awaiting-response', handler: { id: 'staff-1', name: 'Jo Bloggs' }, deadlines: [deadlineRecord(deadline)] }),
    reference: generateReference(),
    ...overrides,
  };
}

describe('“My cases” in a personal chat', () => {
  it('lists the overdue first, the longest overdue at the top, then the soonest due, then those with nothing owed', () => {
    const responded = caseReceived('2026-11-20T10:00:00Z', { status: 'responded' });
    const dueLater = caseReceived('2026-12-02T10:00:00Z');
    const dueSoon = caseReceived('2026-11-25T10:00:00Z');
    const longOverdue = caseReceived('2026-09-01T10:00:00Z');
    const overdue = caseReceived('2026-10-01T10:00:00Z');
    const text = myCasesText([responded, dueLater, dueSoon, overdue, longOverdue], policy, NOW, 1);
    const order = [longOverdue, overdue, dueSoon, dueLater, responded].map((value) => text.indexOf(formatReference(value.reference)));
    assert.ok(
      order.every((place, index) => place > 0 && (index === 0 || place > (order[index - 1] ?? 0))),
      text,
    );
    assert.match(text, /Cases assigned to you: 5, 2 overdue \(listed first\)\./);
    assert.match(text, /With a handler: response owed\. OVERDUE: response due \w+ \d+ \w+ 2026, \d+ working days ago\./);
    assert.match(text, /Response due \w+ \d+ December 2026 \(\d+ working days? left\)/);
    assert.match(text, /Responded: waiting to hear if the complainant is satisfied\.\n/);
    assert.doesNotMatch(text, /awaiting-response|escalation-requested/, 'no raw statuses');
  });

  it('shows ten to a page, and how to see the next', () => {
    const cases = Array.from({ length: 23 }, (_, index) => caseReceived(`2026-11-${String(10 + (index % 15)).padStart(2, '0')}T10:00:00Z`));
    const first = myCasesText(cases, policy, NOW, pageAsked('my cases'));
    assert.equal((first.match(/^- /gm) ?? []).length, MY_CASES_PAGE);
    assert.match(first, /Page 1 of 3\./);
    assert.match(first, /Say "my cases 2" for the next page \(there are 3\)\./);
    const last = myCasesText(cases, policy, NOW, pageAsked('my cases 3'));
    assert.equal((last.match(/^- /gm) ?? []).length, 3);
    assert.match(last, /Act on them from their cards/);
    const listed = [1, 2, 3].flatMap((page) => [...myCasesText(cases, policy, NOW, page).matchAll(/\*\*([0-9A-Z-]+)\*\*/g)].map((match) => match[1]));
    assert.equal(new Set(listed).size, 23, 'every case on exactly one page');
    assert.equal(myCasesText(cases, policy, NOW, 99), last, 'a page past the end shows the last');
  });

  it('says so when nothing is assigned', () => {
    assert.match(myCasesText([], policy, NOW, 1), /No cases are assigned to you/);
  });
});
