import { strict as assert } from 'node:assert';
import type { Case } from '../../../src/cases/case.js';
import { assign } from '../../../src/cases/transitions/assign.js';
import { close } from '../../../src/cases/transitions/close.js';
import { messageFromComplainant } from '../../../src/cases/transitions/complainant-message.js';
import { decideLate } from '../../../src/cases/transitions/decide-late.js';
import { decideLateEscalation } from '../../../src/cases/transitions/decide-late-escalation.js';
import { decideStanding } from '../../../src/cases/transitions/decide-standing.js';
import { escalate } from '../../../src/cases/transitions/escalate.js';
import { extend } from '../../../src/cases/transitions/extend.js';
import { flag } from '../../../src/cases/transitions/flag.js';
import { keepMessage } from '../../../src/cases/transitions/keep-message.js';
import { keptMessagesShown } from '../../../src/cases/transitions/kept-messages-shown.js';
import { linkConversation } from '../../../src/cases/transitions/link-conversation.js';
import { lodge } from '../../../src/cases/transitions/lodge.js';
import { note } from '../../../src/cases/transitions/note.js';
import { recordAgreedResponse } from '../../../src/cases/transitions/record-agreed-response.js';
import { recordTeamsThread } from '../../../src/cases/transitions/record-teams-thread.js';
import { redirect } from '../../../src/cases/transitions/redirect.js';
import { requestEscalation } from '../../../src/cases/transitions/request-escalation.js';
import { reopen } from '../../../src/cases/transitions/reopen.js';
import { rectify } from '../../../src/cases/transitions/rectify.js';
import { erase } from '../../../src/cases/transitions/erase.js';
import { respond } from '../../../src/cases/transitions/respond.js';
import { messageFromStaff } from '../../../src/cases/transitions/staff-message.js';
import { isRefusal } from '../../../src/cases/transitions/transition.js';
import { newCase } from '../../helpers/cases.js';
import { d, policy } from '../../helpers/policy.js';
import { aCase, AFTER_RESPONSE, asJo, frozen, JO, LATE, nhsCase, responded } from './fixtures.js';

const pending = { decision: 'pending' } as const;

/** Each transition, on a case where it makes its change, and whether it is one staff make from the card. */
const TRANSITIONS: readonly [string, () => Case, (value: Case) => object, 'card' | 'other'][] = [
  ['assign', aCase, (value) => assign(value, asJo()), 'card'],
  ['respond', aCase, (value) => respond(value, { text: 'Our response.', outcome: 'partly-upheld' }, asJo()), 'card'],
  ['extend', aCase, (value) => extend(value, { reason: 'More time.' }, asJo()), 'card'],
  ['redirect', aCase, (value) => redirect(value, { to: 'NHS England', message: 'Contact them.' }, asJo()), 'card'],
  ['close', aCase, (value) => close(value, { message: 'Closed as agreed.' }, asJo()), 'card'],
  ['note', aCase, (value) => note(value, { text: 'A note.' }, asJo()), 'card'],
  ['reopen', () => aCase({ status: 'closed' }), (value) => reopen(value, { reason: 'Closed by mistake.', message: 'We will look again.' }, asJo()), 'card'],
  ['escalate', aCase, (value) => escalate(value, asJo(LATE)), 'card'],
  [
    'decide a late complaint',
    () => aCase({ flags: { safeguarding: null, late: { limitEndedOn: d('2025-05-01'), reason: null, ...pending }, standing: null, lateEscalation: null } }),
    (value) => decideLate(value, { decision: 'declined', message: 'Too late.' }, asJo()),
    'card',
  ],
  [
    'decide a late request to go further',
    () => ({
      ...responded(),
      flags: {
        safeguarding: null,
        late: null,
        standing: null,
        lateEscalation: { to: 'stage-2', windowClosedOn: d('2025-06-11'), requestedAt: AFTER_RESPONSE.toISOString(), whyLate: null, ...pending },
      },
    }),
    (value) => decideLateEscalation(value, { decision: 'accepted' }, asJo(AFTER_RESPONSE)),
    'card',
  ],
  [
    'decide who may complain',
    () => aCase({ flags: { safeguarding: null, late: null, standing: { check: 'sufficient-interest', ...pending }, lateEscalation: null } }),
    (value) => decideStanding(value, { decision: 'declined', message: 'No.' }, asJo()),
    'card',
  ],
  ['record an agreed response date', () => nhsCase(), (value) => recordAgreedResponse(value, { agreedOn: d('2025-09-01') }, asJo()), 'card'],
  ['flag', aCase, (value) => flag(value, { safeguarding: { raisedAt: LATE.toISOString(), notes: ['at risk'] } }, { now: LATE }), 'other'],
  [
    'request to go further',
    responded,
    (value) =>
      requestEscalation(
        value,
        { from: 'stage-1', to: 'stage-2', late: null, responseOverdue: false, reason: 'Why.', evidence: null, outcomeWanted: 'What.' },
        { policy, now: AFTER_RESPONSE },
      ),
    'other',
  ],
  ['message from the complainant', aCase, (value) => messageFromComplainant(value, { text: 'Hello.' }, { now: LATE }), 'other'],
  ['message from staff', aCase, (value) => messageFromStaff(value, { text: 'Hello.' }, { now: LATE, staff: JO }), 'other'],
  [
    'link a conversation',
    aCase,
    (value) =>
      linkConversation(
        value,
        { conversation: { channelId: 'webchat', serviceUrl: 'https://bot.example.org/', conversation: { id: 'c' }, bot: { id: 'b' }, user: { id: 'u' } } },
        { now: LATE },
      ),
    'other',
  ],
  [
    'kept messages shown',
    () => aCase({ undelivered: [{ id: 'a', at: LATE.toISOString(), text: 'Kept.' }] }),
    (value) => keptMessagesShown(value, { ids: ['a'] }, { now: LATE }),
    'other',
  ],
  ['correct details', aCase, (value) => rectify(value, { email: 'sam.t@example.org', reason: 'Typo.' }, asJo()), 'card'],
  [
    'erase',
    () => aCase({ status: 'closed' }),
    (value) => erase(value, [], { basis: 'request', reason: 'Asked in writing.' }, { now: LATE, actor: { kind: 'staff', ...JO } }),
    'card',
  ],
  ['keep a message', aCase, (value) => keepMessage(value, { id: 'a', text: 'Kept.' }, { now: LATE }), 'other'],
  [
    'record the Teams thread',
    aCase,
    (value) =>
      recordTeamsThread(
        value,
        { thread: { conversationId: 'c;messageid=1', rootActivityId: '1', serviceUrl: 'https://smba.example.org/', tenantId: 't', channelId: 'c' } },
        { now: LATE },
      ),
    'other',
  ],
];

describe('every transition', () => {
  for (const [what, before, run, kind] of TRANSITIONS) {
    it(`${what}: leaves the case it was given as it was, and decides the same way every time`, () => {
      const value = frozen(before());
      const first = run(value);
      assert.deepEqual(value, before(), 'the case given is unchanged');
      assert.ok(!isRefusal(first), 'the change is made');
      assert.deepEqual(run(before()), first, 'the same case, request and time give the same change');
      const { next } = first as { next: Case };
      assert.notEqual(next, value);
      assert.notEqual(next.flags, value.flags);
      assert.equal(next.updatedAt, (first as { event: { at: string } }).event.at, 'the case is stamped with the time of its change');
      if (kind === 'card') assert.deepEqual((first as { events: unknown[] }).events[0], { type: 'card-changed' }, 'a staff action brings the card up to date');
    });
  }

  it('lodge: leaves the case it was given as it was, and decides the same way every time', () => {
    const value = frozen(newCase());
    const first = lodge(value, { now: LATE });
    assert.deepEqual(value, newCase());
    assert.deepEqual(lodge(newCase(), { now: LATE }), first);
    assert.notEqual(first.case, value);
  });
});
