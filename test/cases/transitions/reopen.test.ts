import { strict as assert } from 'node:assert';
import { reopen } from '../../../src/cases/transitions/reopen.js';
import { d } from '../../helpers/policy.js';
import { aCase, asJo, changed, IN_TIME, JO, LATE, refused, responded, SHOWN } from './fixtures.js';

const JO_ACTS = { kind: 'staff', id: JO.id, name: JO.name };

describe('reopening a case', () => {
  it('puts a closed case back where it stood, with the same deadlines, and records why', () => {
    const closed = aCase({ status: 'closed' });
    const result = changed(reopen(closed, { reason: 'Closed by mistake: the mother had not agreed.', message: null }, asJo(IN_TIME)));
    assert.equal(result.next.status, 'open', 'nobody had picked it up');
    assert.deepEqual(result.next.deadlines, closed.deadlines, 'the law’s clock did not stop while it was closed');
    assert.deepEqual(result.event, {
      type: 'reopened',
      at: IN_TIME.toISOString(),
      actor: JO_ACTS,
      summary: 'Reopened: Closed by mistake: the mother had not agreed.',
      details: { reason: 'Closed by mistake: the mother had not agreed.' },
    });
    assert.equal(result.done, 'Reopened.');
    assert.deepEqual(result.events, [{ type: 'card-changed' }], 'without words for them, the complainant is not told');
  });

  it('returns a handled case to waiting for its response, and a responded one to waiting on the complainant', () => {
    assert.equal(changed(reopen(aCase({ status: 'closed', handler: JO }), { reason: 'r', message: null }, asJo(IN_TIME))).next.status, 'awaiting-response');
    assert.equal(changed(reopen({ ...responded(), status: 'closed' }, { reason: 'r', message: null }, asJo(IN_TIME))).next.status, 'responded');
    assert.equal(changed(reopen(aCase({ status: 'withdrawn' }), { reason: 'They changed their mind.', message: null }, asJo(IN_TIME))).next.status, 'open');
  });

  it('tells staff when the response it owes is already late', () => {
    const result = changed(reopen(aCase({ status: 'closed' }), { reason: 'r', message: null }, asJo(LATE)));
    assert.equal(result.done, 'Reopened. Its response was due by Monday 16 June 2025 and is now late.');
  });

  it('puts a decision that closed the case back to be made again', () => {
    const value = aCase({ status: 'closed' });
    value.flags.standing = { check: 'sufficient-interest', decision: 'declined' };
    value.flags.late = { limitEndedOn: d('2025-05-01'), reason: null, decision: 'declined' };
    const result = changed(reopen(value, { reason: 'The grandmother has a residence order.', message: null }, asJo(IN_TIME)));
    assert.equal(result.next.flags.standing?.decision, 'pending');
    assert.equal(result.next.flags.late?.decision, 'pending');
  });

  it('tells the complainant in staff’s words when staff give some', () => {
    const result = changed(reopen(aCase({ status: 'closed' }), { reason: 'New evidence.', message: 'We will look at this again.' }, asJo(IN_TIME)));
    assert.deepEqual(result.events[1], {
      type: 'complainant-told',
      notice: 'message',
      text: `About your complaint ${SHOWN}: it has been opened again.\n\nWe will look at this again.`,
    });
    assert.deepEqual(result.event.details, { reason: 'New evidence.', text: 'We will look at this again.' });
  });

  it('refuses an open case and a redirected one, saying why', () => {
    assert.equal(refused(reopen(aCase(), { reason: 'r', message: null }, asJo(IN_TIME))).refused, 'not-closed');
    const redirected = refused(reopen(aCase({ status: 'redirected' }), { reason: 'r', message: null }, asJo(IN_TIME)));
    assert.equal(redirected.refused, 'redirected-elsewhere');
    assert.match(redirected.explanation, /new complaint/);
  });
});
