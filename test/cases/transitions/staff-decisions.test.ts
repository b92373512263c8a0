import { strict as assert } from 'node:assert';
import { deadlineRecord } from '../../../src/cases/case.js';
import { assign } from '../../../src/cases/transitions/assign.js';
import { close } from '../../../src/cases/transitions/close.js';
import { extend } from '../../../src/cases/transitions/extend.js';
import { note } from '../../../src/cases/transitions/note.js';
import { recordAgreedResponse } from '../../../src/cases/transitions/record-agreed-response.js';
import { redirect } from '../../../src/cases/transitions/redirect.js';
import { respond } from '../../../src/cases/transitions/respond.js';
import { at, d, policy } from '../../helpers/policy.js';
import { aCase, asJo, changed, IN_TIME, JO, LATE, nhsCase, SHOWN } from './fixtures.js';

const JO_ACTS = { kind: 'staff', id: JO.id, name: JO.name };

describe('staff decisions on a case', () => {
  it('assigning gives the case to whoever acted, waiting for their response, and acknowledges it', () => {
    const acknowledgement = {
      due: deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: at('2025-06-02T09:00:00Z') })),
      acknowledgedAt: null,
    };
    const result = changed(assign(aCase({ acknowledgement }), asJo(IN_TIME)));
    assert.deepEqual(result.next.handler, JO);
    assert.equal(result.next.status, 'awaiting-response');
    assert.equal(result.next.acknowledgement?.acknowledgedAt, IN_TIME.toISOString());
    assert.equal(result.next.updatedAt, IN_TIME.toISOString());
    assert.deepEqual(result.event, { type: 'assigned', at: IN_TIME.toISOString(), actor: JO_ACTS, summary: 'Assigned to Jo Bloggs', details: {} });
    assert.equal(result.done, 'Assigned to Jo Bloggs.');
  });

  it('a response is recorded as the stage’s decision by whoever sent it, and sent with what the complainant can do next', () => {
    const result = changed(
      respond(
        aCase({ handler: { id: 'entra-sam', name: 'Sam Okafor' } }),
        { text: 'We are sorry. Visits resume Monday.', outcome: 'partly-upheld' },
        asJo(IN_TIME),
      ),
    );
    assert.equal(result.next.status, 'responded');
    assert.deepEqual(result.next.handler, { id: 'entra-sam', name: 'Sam Okafor' }, 'the handler stays who it was');
    assert.deepEqual(result.next.responses, [
      { stage: 'stage-1', at: IN_TIME.toISOString(), text: 'We are sorry. Visits resume Monday.', by: JO_ACTS, outcome: 'partly-upheld' },
    ]);
    assert.deepEqual(result.next.decisions, [{ stage: 'stage-1', decidedBy: JO.id }]);
    assert.equal(result.event.summary, 'Response sent at Stage 1: Local Resolution (partly upheld)');
    assert.deepEqual(result.event.details, { text: 'We are sorry. Visits resume Monday.', outcome: 'partly-upheld' });
    const told = result.events.find((event) => event.type === 'complainant-told');
    assert.ok(told?.text);
    assert.ok(told.text.startsWith(`**The response to your complaint ${SHOWN}** (Stage 1: Local Resolution):\n\nWe are sorry. Visits resume Monday.\n\n`));
    assert.match(
      told.text,
      /If not, you can ask for your complaint to go to Stage 2: Investigation \(by [A-Z][a-z]+day \d+ [A-Z][a-z]+ 2025\): type "take my complaint further" here\.$/,
    );
  });

  it('a final response tells the complainant the ombudsman’s last day counted from the earliest day an approximate date could mean', () => {
    const finalStage = aCase({
      stage: 'stage-3',
      status: 'awaiting-response',
      // "Summer 2025", kept as the conversation keeps it: `date` is the latest day, for the complaint's own time limit.
      when: { date: d('2025-08-31'), earliest: d('2025-06-01'), latest: d('2025-08-31'), basis: 'first-knew', certainty: 'approximate', said: 'summer 2025' },
    });
    const told = changed(
      respond(finalStage, { text: 'The council accepts the panel’s findings.', outcome: 'partly-upheld' }, asJo(at('2025-11-10T10:00:00Z'))),
    ).events.find((event) => event.type === 'complainant-told');
    // 12 months beginning with Sunday 1 June 2025 end on Sunday 31 May 2026, not 30 August 2026.
    assert.match(told?.text ?? '', /for you that is Sunday 31 May 2026\./);
  });

  it('an extension adds the longer deadline, counted from the stage’s start, and tells the complainant the new date', () => {
    const result = changed(extend(aCase(), { reason: 'Waiting for the school’s records' }, asJo(IN_TIME)));
    const added = result.next.deadlines.at(-1);
    assert.equal(result.next.deadlines.length, 2);
    assert.equal(added?.due, '2025-06-30');
    assert.equal(added.extended, true);
    assert.deepEqual(result.event.details, { reason: 'Waiting for the school’s records', due: '2025-06-30', rule: 'within 20 working days' });
    assert.equal(result.done, 'Extended to Monday 30 June 2025 (within 20 working days).');
    assert.deepEqual(result.events[1], {
      type: 'complainant-told',
      notice: 'deadline-changed',
      text:
        `An update on your complaint ${SHOWN}: we need more time to respond properly, as the procedure allows. You’ll now have the response by ` +
        `**Monday 30 June 2025**. I’m sorry for the wait.`,
    });
  });

  it('redirecting ends the case here and tells the complainant which organisation, in staff’s words', () => {
    const result = changed(redirect(aCase(), { to: 'NHS England', message: 'Please contact NHS England on 0300 311 22 33.' }, asJo()));
    assert.equal(result.next.status, 'redirected');
    assert.deepEqual(result.event.details, { to: 'NHS England', text: 'Please contact NHS England on 0300 311 22 33.' });
    assert.equal(result.done, 'Redirected to NHS England; the complainant has been told.');
    assert.deepEqual(result.events[1], {
      type: 'complainant-told',
      notice: 'redirected',
      text: `About your complaint ${SHOWN}: Anytown Council is not the right organisation to deal with it.\n\nPlease contact NHS England on 0300 311 22 33.`,
    });
  });

  it('closing with words tells the complainant; closing without them tells nobody', () => {
    const said = changed(close(aCase(), { message: 'As agreed on the phone, we have arranged the visits.' }, asJo()));
    assert.equal(said.next.status, 'closed');
    assert.deepEqual(said.event.details, { text: 'As agreed on the phone, we have arranged the visits.' });
    assert.deepEqual(said.events[1], {
      type: 'complainant-told',
      notice: 'closed',
      text: `About your complaint ${SHOWN}: it has now been closed.\n\nAs agreed on the phone, we have arranged the visits.`,
    });
    const silent = changed(close(aCase(), { message: null }, asJo()));
    assert.equal(silent.next.status, 'closed');
    assert.deepEqual(silent.event.details, {});
    assert.deepEqual(silent.events, [{ type: 'card-changed' }]);
  });

  it('a note changes nothing but the history, even on a closed case', () => {
    const closed = aCase({ status: 'closed' });
    const result = note(closed, { text: 'Mother phoned to say thanks.' }, asJo());
    assert.deepEqual(result.next, { ...closed, updatedAt: LATE.toISOString() });
    assert.deepEqual(result.event, {
      type: 'note',
      at: LATE.toISOString(),
      actor: JO_ACTS,
      summary: 'Internal note',
      details: { text: 'Mother phoned to say thanks.' },
    });
    assert.equal(result.done, 'Note added (internal).');
  });

  it('a response date agreed with an NHS complainant becomes the deadline, noting the one it replaces', () => {
    const first = changed(recordAgreedResponse(nhsCase(), { agreedOn: d('2025-09-01') }, asJo()));
    assert.equal(first.next.deadlines.at(-1)?.due, '2025-09-01');
    assert.equal(first.event.summary, 'Response date agreed with the complainant: Monday 1 September 2025');
    assert.equal(first.event.details?.['replaces'], undefined);
    assert.match(first.done, /^Response date agreed: Monday 1 September 2025 \(SI 2009\/309 reg 13\(3\)/);
    assert.deepEqual(first.events[1], {
      type: 'complainant-told',
      notice: 'message',
      text:
        `About your complaint ${SHOWN}: as agreed with you, you’ll have our response by **Monday 1 September 2025**. If it isn’t ready by then, ` +
        `we’ll write to tell you why.`,
    });
    const second = changed(recordAgreedResponse(first.next, { agreedOn: d('2025-09-15') }, asJo()));
    assert.equal(second.event.details?.['replaces'], '2025-09-01');
  });
});
