/** The transitions behind the rights: correcting details, and erasing them, with the refusals staff meet. */
import { strict as assert } from 'node:assert';
import type { Case, CaseEvent } from '../../../src/cases/case.js';
import { validCase } from '../../../src/cases/case-records.js';
import { erase, ERASED } from '../../../src/cases/transitions/erase.js';
import { rectify } from '../../../src/cases/transitions/rectify.js';
import { isRefusal } from '../../../src/cases/transitions/transition.js';
import { aCase, asJo, JO, LATE } from './fixtures.js';

const STAFF = { kind: 'staff' as const, ...JO };

function refusalOf(result: object): string {
  assert.ok(isRefusal(result), 'refused');
  return result.refused;
}

describe('correcting details (rectification)', () => {
  it('corrects a name, an email and a phone number, recording which and why, never the old values', () => {
    const result = rectify(
      aCase(),
      { name: 'Sam Taylor-Wood', email: ' sam.tw@example.org ', phone: '07700 900456', reason: 'Married name; new email and phone' },
      asJo(),
    );
    assert.ok(!isRefusal(result));
    assert.equal(result.next.complainant.name, 'Sam Taylor-Wood');
    assert.deepEqual(result.next.contact, { email: 'sam.tw@example.org', phone: '+447700900456', preferred: 'email' });
    assert.deepEqual(result.fields, ['name', 'email', 'phone']);
    assert.equal(result.event.type, 'rectified');
    assert.doesNotMatch(JSON.stringify(result.event), /Sam Taylor\b(?!-)|sam\.taylor|900123/);
    validCase(result.next);
  });

  it('moves the preference to the detail left when one is taken away', () => {
    const result = rectify(aCase(), { email: null, reason: 'The email was never theirs' }, asJo());
    assert.ok(!isRefusal(result));
    assert.deepEqual(result.next.contact, { email: null, phone: '+447700900123', preferred: 'phone' });
  });

  it('refuses a broken email, a number that is not a UK one, both details gone, no change, no reason, contact details in the reason', () => {
    assert.equal(refusalOf(rectify(aCase(), { email: 'sam@', reason: 'x' }, asJo())), 'invalid-detail');
    assert.equal(refusalOf(rectify(aCase(), { phone: '+33 1 23 45 67 89', reason: 'x' }, asJo())), 'invalid-detail');
    assert.equal(refusalOf(rectify(aCase(), { email: null, phone: null, reason: 'x' }, asJo())), 'no-contact-left');
    assert.equal(refusalOf(rectify(aCase(), { email: 'sam.taylor@example.org', reason: 'x' }, asJo())), 'nothing-to-correct');
    assert.equal(refusalOf(rectify(aCase(), { name: 'Sam T', reason: '   ' }, asJo())), 'no-reason');
    assert.equal(refusalOf(rectify(aCase(), { name: 'Sam T', reason: 'She rang from 07700 900999' }, asJo())), 'personal-data-in-reason');
    assert.equal(refusalOf(rectify(aCase(), { name: '', reason: 'x' }, asJo())), 'invalid-detail');
  });
});

describe('erasing the personal data in a case', () => {
  const history: CaseEvent[] = [
    {
      id: 'e1',
      type: 'lodged',
      at: '2025-06-02T09:00:00.000Z',
      actor: { kind: 'complainant', id: null, name: null },
      stage: 'stage-1',
      summary: 'Complaint lodged by Sam Taylor',
      details: { text: 'Sam’s words' },
    },
    {
      id: 'e2',
      type: 'note',
      at: '2025-06-03T09:00:00.000Z',
      actor: STAFF,
      stage: 'stage-1',
      summary: 'Internal note',
      details: { text: 'Spoke to Sam at home' },
    },
  ];
  const finished = (): Case =>
    aCase({
      status: 'closed',
      flags: { safeguarding: { raisedAt: LATE.toISOString(), notes: ['Alex is not safe at home'] }, late: null, standing: null, lateEscalation: null },
      responses: [{ stage: 'stage-1', at: LATE.toISOString(), text: 'Dear Sam Taylor, we are sorry.', by: STAFF, outcome: 'upheld' }],
      conversations: [{ channelId: 'webchat', serviceUrl: 'https://bot.example.org/', conversation: { id: 'c' }, bot: { id: 'b' }, user: { id: 'u' } }],
      needs: { adjustments: 'Large print please, I have sight loss', advocacy: 'requested' },
    });

  it('leaves an anonymous record: procedure, stage, dates and decisions, and the history as what happened when', () => {
    const result = erase(finished(), history, { basis: 'request', reason: 'Asked in writing' }, { now: LATE, actor: STAFF });
    assert.ok(!isRefusal(result));
    const kept = JSON.stringify([result.next, result.history]);
    for (const personal of ['Sam', 'sam.taylor', '900123', 'Alex', 'cancelled three visits', 'named contact', '20/5/2025', 'Large print', 'not safe']) {
      assert.ok(!kept.includes(personal), `"${personal}" is gone`);
    }
    assert.equal(result.next.whatHappened, ERASED);
    assert.deepEqual(result.next.erased, { at: LATE.toISOString(), basis: 'request' });
    assert.equal(result.next.procedure, 'la-childrens-services');
    assert.deepEqual(result.next.deadlines, finished().deadlines);
    assert.equal(result.next.flags.safeguarding?.raisedAt, LATE.toISOString(), 'that a concern was raised, and when, is kept');
    assert.deepEqual(
      result.history.map((event) => [event.id, event.type, event.at, event.summary, event.details]),
      [
        ['e1', 'lodged', '2025-06-02T09:00:00.000Z', 'Complaint lodged', {}],
        ['e2', 'note', '2025-06-03T09:00:00.000Z', 'Internal note', {}],
      ],
    );
    assert.deepEqual(result.event.details, { basis: 'request', reason: 'Asked in writing' });
    validCase(result.next);
  });

  it('refuses a complaint still being handled, one erased already, and a reason that would keep contact details', () => {
    assert.equal(refusalOf(erase(aCase(), history, { basis: 'request', reason: 'Asked' }, { now: LATE, actor: STAFF })), 'not-finished');
    const once = erase(finished(), history, { basis: 'request', reason: 'Asked' }, { now: LATE, actor: STAFF });
    assert.ok(!isRefusal(once));
    assert.equal(refusalOf(erase(once.next, once.history, { basis: 'request', reason: 'Asked' }, { now: LATE, actor: STAFF })), 'already-erased');
    assert.equal(
      refusalOf(erase(finished(), history, { basis: 'request', reason: 'Asked by sam@example.org' }, { now: LATE, actor: STAFF })),
      'personal-data-in-reason',
    );
    assert.equal(refusalOf(rectify(once.next, { name: 'Someone', reason: 'x' }, asJo())), 'already-erased');
  });
});
