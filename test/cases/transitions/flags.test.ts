import { strict as assert } from 'node:assert';
import { SAFEGUARDING_NOTES } from '../../../src/cases/case.js';
import { decideLate } from '../../../src/cases/transitions/decide-late.js';
import { decideStanding } from '../../../src/cases/transitions/decide-standing.js';
import { flag } from '../../../src/cases/transitions/flag.js';
import { lodge } from '../../../src/cases/transitions/lodge.js';
import { newCase } from '../../helpers/cases.js';
import { d } from '../../helpers/policy.js';
import { aCase, asJo, changed, IN_TIME, LATE, SHOWN } from './fixtures.js';

const ACKNOWLEDGEMENT = { type: 'complainant-told', notice: 'acknowledgement', text: null } as const;
const LATE_FLAG = { limitEndedOn: d('2025-05-01'), reason: 'I was unwell', decision: 'pending' } as const;

describe('lodging and flags', () => {
  describe('lodging', () => {
    it('saves the case as made now, by the complainant, and acknowledges it by email or text', () => {
      const lodging = lodge(newCase(), { now: IN_TIME });
      assert.equal(lodging.case.lodgedAt, IN_TIME.toISOString());
      assert.equal(lodging.case.updatedAt, IN_TIME.toISOString());
      assert.deepEqual(lodging.event, {
        at: IN_TIME.toISOString(),
        actor: { kind: 'complainant', id: null, name: null },
        summary: 'Complaint made through the chat',
      });
      assert.deepEqual(lodging.events, [{ type: 'staff-alerted', alert: 'lodged' }, ACKNOWLEDGEMENT]);
    });

    const FLAGGED: readonly [string, Parameters<typeof newCase>[0]][] = [
      [
        'with words suggesting someone is at risk',
        { flags: { safeguarding: { raisedAt: IN_TIME.toISOString(), notes: ['he hits me'] }, late: null, standing: null, lateEscalation: null } },
      ],
      ['made after the time limit', { flags: { safeguarding: null, late: LATE_FLAG, standing: null, lateEscalation: null } }],
      [
        'with who may complain to decide',
        { flags: { safeguarding: null, late: null, standing: { check: 'sufficient-interest', decision: 'pending' }, lateEscalation: null } },
      ],
    ];
    for (const [what, overrides] of FLAGGED) {
      it(`alerts staff a second time, as flagged, for a complaint ${what}`, () => {
        assert.deepEqual(lodge(newCase(overrides), { now: IN_TIME }).events, [
          { type: 'staff-alerted', alert: 'lodged' },
          { type: 'staff-alerted', alert: 'flagged' },
          ACKNOWLEDGEMENT,
        ]);
      });
    }
  });

  describe('safeguarding', () => {
    it('adds what was said to the notes already on the case, keeping when the first was raised, and alerts staff', () => {
      const value = aCase({
        flags: { safeguarding: { raisedAt: '2025-06-02T09:00:00.000Z', notes: ['first'] }, late: null, standing: null, lateEscalation: null },
      });
      const result = flag(value, { safeguarding: { raisedAt: IN_TIME.toISOString(), notes: ['second', 'third'] } }, { now: IN_TIME });
      assert.deepEqual(result.next.flags.safeguarding, { raisedAt: '2025-06-02T09:00:00.000Z', notes: ['first', 'second', 'third'] });
      assert.deepEqual(result.event, {
        type: 'flagged',
        at: IN_TIME.toISOString(),
        actor: { kind: 'complainant', id: null, name: null },
        summary: 'Said something suggesting someone may be at risk of harm',
        details: { safeguarding: true },
      });
      assert.deepEqual(result.events, [{ type: 'staff-alerted', alert: 'flagged' }]);
    });

    it('starts the notes on an unflagged case, and keeps only the first ones once there are many', () => {
      const first = flag(aCase(), { safeguarding: { raisedAt: IN_TIME.toISOString(), notes: ['one'] } }, { now: IN_TIME });
      assert.deepEqual(first.next.flags.safeguarding, { raisedAt: IN_TIME.toISOString(), notes: ['one'] });
      const many = Array.from({ length: SAFEGUARDING_NOTES + 3 }, (_, index) => `note ${String(index + 1)}`);
      const full = flag(aCase(), { safeguarding: { raisedAt: IN_TIME.toISOString(), notes: many } }, { now: IN_TIME });
      assert.deepEqual(full.next.flags.safeguarding?.notes, many.slice(0, SAFEGUARDING_NOTES));
    });
  });

  describe('a late complaint', () => {
    const late = (): ReturnType<typeof aCase> => aCase({ flags: { safeguarding: null, late: LATE_FLAG, standing: null, lateEscalation: null } });

    it('accepted, goes ahead and nobody outside the card is told', () => {
      const result = changed(decideLate(late(), { decision: 'accepted' }, asJo()));
      assert.equal(result.next.flags.late?.decision, 'accepted');
      assert.equal(result.next.status, 'open');
      assert.equal(result.event.summary, 'Late complaint accepted for consideration');
      assert.deepEqual(result.events, [{ type: 'card-changed' }]);
    });

    it('declined, is closed and the complainant is told why', () => {
      const result = changed(decideLate(late(), { decision: 'declined', message: 'It is more than a year late.' }, asJo()));
      assert.equal(result.next.flags.late?.decision, 'declined');
      assert.equal(result.next.status, 'closed');
      assert.deepEqual(result.event.details, { text: 'It is more than a year late.' });
      assert.deepEqual(result.events, [
        { type: 'card-changed' },
        { type: 'complainant-told', notice: 'closed', text: `About your complaint ${SHOWN}:\n\nIt is more than a year late.` },
      ]);
    });
  });

  describe('who may complain', () => {
    const standing = (check: 'sufficient-interest' | 'representative-for-child'): ReturnType<typeof aCase> =>
      aCase({ flags: { safeguarding: null, late: null, standing: { check, decision: 'pending' }, lateEscalation: null } });

    it('accepted, records the procedure’s test and citation and the complaint goes ahead', () => {
      const result = changed(decideStanding(standing('sufficient-interest'), { decision: 'accepted' }, asJo(LATE)));
      assert.equal(result.next.flags.standing?.decision, 'accepted');
      assert.equal(result.next.status, 'open');
      assert.equal(result.event.summary, 'Who may complain: accepted (has sufficient interest in the child’s welfare)');
      assert.match(String(result.event.details?.['citation']), /^Children Act 1989 s26\(3\)\(e\)/);
      assert.equal(result.done, 'Accepted: the complainant has sufficient interest in the child’s welfare. The complaint goes ahead.');
    });

    it('accepted where the procedure names no such test, says so plainly', () => {
      const result = changed(decideStanding(standing('representative-for-child'), { decision: 'accepted' }, asJo(LATE)));
      assert.equal(result.event.summary, 'Who may complain: accepted');
      assert.deepEqual(result.event.details, { check: 'representative-for-child' });
      assert.equal(result.done, 'Accepted: the complainant may complain for them. The complaint goes ahead.');
    });

    it('declined, closes the case and tells the complainant why, in staff’s words', () => {
      const result = changed(decideStanding(standing('sufficient-interest'), { decision: 'declined', message: 'Alex’s parents have complained.' }, asJo()));
      assert.equal(result.next.status, 'closed');
      assert.equal(result.next.flags.standing?.decision, 'declined');
      assert.equal(result.event.summary, 'Who may complain: declined (has sufficient interest in the child’s welfare); closed');
      assert.deepEqual(result.events[1], {
        type: 'complainant-told',
        notice: 'closed',
        text: `About your complaint ${SHOWN}:\n\nAlex’s parents have complained.`,
      });
    });
  });
});
