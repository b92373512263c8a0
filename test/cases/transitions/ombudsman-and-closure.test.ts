/**
 * What the yearly figures need recorded on a case: an ombudsman looking at it (as staff were
 * told), and how a closed case came to close (decided, or the time to go further passed).
 */
import { strict as assert } from 'node:assert';
import { close } from '../../../src/cases/transitions/close.js';
import { recordOmbudsman } from '../../../src/cases/transitions/record-ombudsman.js';
import { reopen } from '../../../src/cases/transitions/reopen.js';
import { d } from '../../helpers/policy.js';
import { aCase, asJo, changed, IN_TIME, nhsCase, refused, responded } from './fixtures.js';

describe('recording an ombudsman looking at the complaint', () => {
  it('records which ombudsman and the day the organisation was told, on the record and in the history', () => {
    const result = changed(recordOmbudsman(responded(), { ombudsman: 'lgsco', toldOn: d('2025-06-04') }, asJo(IN_TIME)));
    assert.deepEqual(result.next.ombudsman, { id: 'lgsco', name: 'Local Government and Social Care Ombudsman', toldOn: '2025-06-04', recordedBy: 'Jo Bloggs' });
    assert.equal(result.event.type, 'ombudsman');
    assert.match(
      result.event.summary,
      /^Local Government and Social Care Ombudsman is looking at the complaint \(the organisation was told on Wednesday 4 June 2025\)$/,
    );
    assert.deepEqual(result.events, [{ type: 'card-changed' }], 'the complainant is not told: they went to the ombudsman themselves');
    const again = changed(recordOmbudsman(result.next, { ombudsman: 'lgsco', toldOn: d('2025-06-03') }, asJo(IN_TIME)));
    assert.match(again.event.summary, /^Corrected: /);
    assert.equal(again.next.ombudsman?.toldOn, '2025-06-03');
  });

  it('takes either ombudsman for an NHS complaint that also concerns social care, and only those', () => {
    assert.equal(changed(recordOmbudsman(nhsCase(), { ombudsman: 'phso', toldOn: d('2025-06-05') }, asJo(IN_TIME))).next.ombudsman?.id, 'phso');
    assert.equal(changed(recordOmbudsman(nhsCase(), { ombudsman: 'lgsco', toldOn: d('2025-06-05') }, asJo(IN_TIME))).next.ombudsman?.id, 'lgsco');
    assert.equal(refused(recordOmbudsman(aCase(), { ombudsman: 'phso', toldOn: d('2025-06-05') }, asJo(IN_TIME))).refused, 'not-this-ombudsman');
  });

  it('refuses a day that has not come, or one before the complaint was made', () => {
    assert.equal(refused(recordOmbudsman(aCase(), { ombudsman: 'lgsco', toldOn: d('2025-06-06') }, asJo(IN_TIME))).refused, 'told-in-future');
    assert.equal(refused(recordOmbudsman(aCase(), { ombudsman: 'lgsco', toldOn: d('2025-06-01') }, asJo(IN_TIME))).refused, 'told-before-lodged');
    assert.equal(
      changed(recordOmbudsman(aCase(), { ombudsman: 'lgsco', toldOn: d('2025-06-02') }, asJo(IN_TIME))).next.ombudsman?.toldOn,
      '2025-06-02',
      'the day it was made is fine',
    );
  });
});

describe('how a closed case came to close', () => {
  it('is "decided" when staff close it, and forgotten when it is reopened', () => {
    const closed = changed(close(responded(), { message: null }, asJo(IN_TIME))).next;
    assert.equal(closed.closure, 'decided');
    assert.equal(changed(reopen(closed, { reason: 'Closed by mistake', message: null }, asJo(IN_TIME))).next.closure, null);
  });
});
