import { strict as assert } from 'node:assert';
import type { StoredCase } from '../../src/cases/case.js';
import { updateCase } from '../../src/cases/case-store.js';
import { type CaseReference, formatReference } from '../../src/cases/reference.js';
import { lodgeRequest } from '../helpers/cases.js';
import { erase } from '../../src/cases/transitions/erase.js';
import { isRefusal } from '../../src/cases/transitions/transition.js';
import { type Exchange, play, TestConversation } from '../helpers/conversation.js';

/** The standard case, found in the chat with its reference and email; the clock at 10:00. */
async function foundCase(person: TestConversation): Promise<CaseReference> {
  const { stored } = await person.cases.lodge(lodgeRequest());
  await play(person, [
    ['Check on my complaint', /^Hello/, /^What is your complaint reference/],
    [stored.case.reference, /^Thank you/],
    ['sam.taylor@example.org', /^Your complaint/, /^Is there anything else/],
  ]);
  return stored.case.reference;
}

/** A closed case, found in the chat with its reference and email. */
async function foundClosedCase(person: TestConversation): Promise<StoredCase> {
  const { stored } = await person.cases.lodge(lodgeRequest({ case: { status: 'closed' } }));
  await play(person, [
    ['Check on my complaint', /^Hello/, /^What is your complaint reference/],
    [stored.case.reference, /^Thank you/],
    ['sam.taylor@example.org', /^Your complaint/, /^Is there anything else/],
  ]);
  return stored;
}

/** What reached staff from the complainant, from the case's history. */
async function relayed(person: TestConversation, reference: CaseReference): Promise<unknown[]> {
  const history = await person.cases.history(reference);
  return history.filter((event) => event.type === 'message-relayed' && event.actor.kind === 'complainant').map((event) => event.details['text']);
}

/** A member of staff writes in the case's thread at `at`, as the Teams side records it (and delivers it to the chat). */
async function staffWrites(person: TestConversation, reference: CaseReference, at: string, text: string): Promise<void> {
  person.clock.set(at);
  await updateCase(person.cases, reference, `staff-${at}:relay`, (current) => ({
    next: { ...structuredClone(current.case), updatedAt: person.clock.now().toISOString() },
    event: {
      type: 'message-relayed',
      at: person.clock.now().toISOString(),
      actor: { kind: 'staff', id: 'staff-1', name: 'Jo Bloggs' },
      summary: 'Message to the complainant',
      details: { text },
    },
  }));
}

const GOODBYE = /^Thank you for getting in touch\. Goodbye for now: the team dealing with your complaint [0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3} will reply here/;
const PASSED_ON = /^Thank you\. I’ve passed that to the team dealing with your complaint/;

/** A children's services complaint written in the chat, up to "Send complaint". */
const UP_TO_SENDING: readonly Exchange[] = [
  ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
  ['2', /^Are you making/],
  ['myself', 'And what is your name?'],
  ['Sam', /^Please tell me what happened/],
  ['The social worker cancelled three visits and nobody called back.', /^When did this happen/],
  ['3/4/2025', /Is that right\?/],
  ['yes', /^What would you like/],
  ['An apology', /^How can/],
  ['sam@example.org', /email/, /^Do you need/],
  ['no', /^An advocate/],
  ['no', /^Before I send/],
  ['yes', /^Here’s your complaint/],
];

describe('what the person writes once a complaint is made or found', () => {
  for (const closing of ['no thats all thanks', 'thank you bye', 'that’s everything', 'No, that’s all. Thanks!']) {
    it(`says goodbye to "${closing}", passes nothing on, and does not ask again`, async () => {
      const person = new TestConversation();
      const reference = await foundCase(person);
      await play(person, [[closing, GOODBYE]]);
      assert.deepEqual(await relayed(person, reference), []);
      assert.deepEqual(
        person.notifier.notices.filter((notice) => notice.kind === 'message-from-complainant'),
        [],
      );
      // The goodbye leaves nothing open: what they write next is read as ever.
      await play(person, [['where is my complaint up to', /^What is your complaint reference/]]);
    });
  }

  it('says goodbye after a complaint is made in the chat too', async () => {
    const person = new TestConversation();
    await play(person, [
      ...UP_TO_SENDING,
      ['Send complaint', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
      ['no thats all thanks', GOODBYE],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    assert.deepEqual(await relayed(person, reference!), []);
  });

  it('shows the reference and response date again when "Send complaint" is pressed again (its confirmation lost), and passes nothing on', async () => {
    const person = new TestConversation();
    await play(person, UP_TO_SENDING);
    const [confirmation, menu] = await person.say('Send complaint');
    assert.match(confirmation ?? '', /^Thank you\. Your complaint has been sent\..*Your reference is .*You should have a response by \*\*/s);
    assert.match(menu ?? '', /^Is there anything else/);
    for (const again of ['Send complaint', 'send']) {
      assert.deepEqual(await person.say(again), [confirmation, menu], again);
    }
    const [reference, ...others] = await person.cases.listByStatus('open');
    assert.deepEqual(others, []);
    assert.deepEqual(await relayed(person, reference!), []);
  });

  it('says goodbye at the menu when no complaint was made or found, too', async () => {
    await play(new TestConversation(), [
      ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
      ['cancel', /^OK, I’ve stopped/, /^Is there anything else/],
      ['no thanks', 'Thank you for getting in touch. Goodbye for now. If you need anything else, just type it here.'],
      ['help', /^I can help you make a complaint/, /^Is there anything else/],
    ]);
  });

  const REQUESTS: readonly Exchange[] = [
    ['i want to make another complaint', /^I’ll ask you some questions/, /^First, what is your complaint about/],
    ['where is my complaint up to', /^What is your complaint reference/],
    ['can I take this further', /^What is your complaint reference/],
  ];
  for (const [request, ...expected] of REQUESTS) {
    it(`starts what "${request}" asks for, and passes nothing on`, async () => {
      const person = new TestConversation();
      const reference = await foundCase(person);
      await play(person, [[request, ...expected]]);
      assert.deepEqual(await relayed(person, reference), []);
    });
  }

  it('asks before passing on anything else, sends it once on "Send", and nothing on "Don’t send"', async () => {
    const person = new TestConversation();
    const reference = await foundCase(person);
    const message = 'The new social worker has not been in touch. **Still** waiting.';
    await play(person, [
      [message, `Shall I send this to the team dealing with ${formatReference(reference)}? [Send | Don’t send]`],
      ['Send', PASSED_ON, /^Is there anything else/],
      ['Send', /^There’s nothing waiting to be sent/, /^Is there anything else/],
    ]);
    assert.deepEqual(await relayed(person, reference), [message], 'their words, exactly, once');
    const notices = person.notifier.notices.filter((notice) => notice.kind === 'message-from-complainant');
    assert.deepEqual(
      notices.map((notice) => notice.message),
      [message],
    );

    await play(person, [
      ['hello?', /^Shall I send this to the team/],
      ['Don’t send', 'OK, I haven’t sent it.', /^Is there anything else/],
      ['is anyone there', /^Shall I send this to the team/],
      ['where is my complaint up to', 'I haven’t sent your earlier message.', /^What is your complaint reference/],
    ]);
    assert.deepEqual(await relayed(person, reference), [message]);
  });

  it('passes on at once a message that says it is for the team', async () => {
    const person = new TestConversation();
    const reference = await foundCase(person);
    const messages = ['tell them I can’t do Tuesdays', 'Please tell the team my son is back at school.', 'Message for the team: the visit on Friday went well'];
    for (const message of messages) await play(person, [[message, PASSED_ON, /^Is there anything else/]]);
    assert.deepEqual(await relayed(person, reference), messages);
  });

  it('tells someone writing to a closed complaint that it is closed and the team will decide whether to reopen it', async () => {
    const person = new TestConversation();
    const stored = await foundClosedCase(person);
    await play(person, [
      [
        'Message for the team: nothing has changed since you closed it',
        /^Thank you\. Your complaint [0-9A-Z-]{11} is closed, so nobody is dealing with it now, but I’ve passed your message to the complaints team\. They’ll read it and decide whether to reopen your complaint/,
        /^Is there anything else/,
      ],
    ]);
    assert.deepEqual(await relayed(person, stored.case.reference), ['Message for the team: nothing has changed since you closed it']);
  });

  it('tells someone whose complaint’s records were erased that nothing could be passed on, and stops writing to it', async () => {
    const person = new TestConversation();
    const stored = await foundClosedCase(person);
    const current = (await person.cases.get(stored.case.reference)) ?? assert.fail('no case');
    const decided = erase(
      current.case,
      await person.cases.history(stored.case.reference),
      { basis: 'request', reason: 'Asked by letter' },
      {
        now: person.clock.now(),
        actor: { kind: 'staff', id: 'staff-1', name: 'Jo Bloggs' },
      },
    );
    assert.ok(!isRefusal(decided));
    await person.cases.erase(current, { ...decided, idempotencyKey: 'erase' });
    await play(person, [
      [
        'Message for the team: please look again',
        /^The records of complaint [0-9A-Z-]{11} have been erased, so I couldn’t pass your message on/,
        /^Is there anything else/,
      ],
    ]);
    assert.deepEqual(await relayed(person, stored.case.reference), []);
    assert.equal((await person.cases.history(stored.case.reference)).at(-1)?.type, 'erased', 'nothing was added to it');
  });

  it('tells someone writing about a complaint passed to another organisation that it is with them, never that it may be reopened', async () => {
    const person = new TestConversation();
    const { stored } = await person.cases.lodge(lodgeRequest({ case: { status: 'redirected' } }));
    await play(person, [
      ['Check on my complaint', /^Hello/, /^What is your complaint reference/],
      [stored.case.reference, /^Thank you/],
      ['sam.taylor@example.org', /^Your complaint/, /^Is there anything else/],
      [
        'Message for the team: who do I contact now?',
        /^Thank you\. Your complaint [0-9A-Z-]{11} was passed to another organisation, the right one to deal with it [^]*so it is with them now, not us\. I’ve passed your message to our complaints team, who will reply/,
        /^Is there anything else/,
      ],
    ]);
    assert.deepEqual(await relayed(person, stored.case.reference), ['Message for the team: who do I contact now?']);
  });

  it('takes what is written just after a staff message as the reply to it, and asks again once the moment has passed', async () => {
    const person = new TestConversation();
    const reference = await foundCase(person);
    await staffWrites(person, reference, '2025-06-02T10:05:00+01:00', 'Which dates were the visits cancelled? And may we ring you?');
    person.clock.set('2025-06-02T10:20:00+01:00');
    await play(person, [
      ['3', PASSED_ON, /^Is there anything else/],
      ['The 10th and 17th', PASSED_ON, /^Is there anything else/],
      ['no thanks', PASSED_ON, /^Is there anything else/],
    ]);
    assert.deepEqual(await relayed(person, reference), ['3', 'The 10th and 17th', 'no thanks']);
    person.clock.set('2025-06-02T12:30:00+01:00');
    await play(person, [
      ['Also the visit on Friday was cancelled', /^Shall I send this to the team/],
      ['Send', PASSED_ON, /^Is there anything else/],
    ]);
    assert.equal((await relayed(person, reference)).length, 4);
  });

  it('does not take a message as a reply to staff when the bot has asked something of its own since', async () => {
    const person = new TestConversation();
    const reference = await foundCase(person);
    await staffWrites(person, reference, '2025-06-02T10:05:00+01:00', 'Could you ring us?');
    person.clock.set('2025-06-02T10:10:00+01:00');
    await play(person, [
      ['where is my complaint up to', /^What is your complaint reference/],
      [reference, /^Thank you/],
      ['sam.taylor@example.org', /^Your complaint/, /^Is there anything else/],
      ['ok the 10th then', /^Shall I send this to the team/],
    ]);
    assert.deepEqual(await relayed(person, reference), []);
  });

  it('shows a staff message kept for them first, and asks about what they wrote before seeing it', async () => {
    const person = new TestConversation();
    const reference = await foundCase(person);
    const kept = '**A message from the complaints team:**\n\nPlease ring us on Monday.\n\nYou can reply here.';
    await staffWrites(person, reference, '2025-06-02T10:05:00+01:00', 'Please ring us on Monday.');
    await updateCase(person.cases, reference, 'staff-kept', (current) => ({
      next: { ...structuredClone(current.case), undelivered: [{ id: 'staff-1:relay', at: '2025-06-02T09:05:00Z', text: kept }] },
      event: {
        type: 'message-relayed',
        at: '2025-06-02T09:05:00Z',
        actor: { kind: 'system', id: null, name: null },
        summary: 'Could not reach the complainant’s chat: kept for their next visit',
      },
    }));
    await play(person, [
      ['Any news?', kept, /^Shall I send this to the team/],
      ['Don’t send', 'OK, I haven’t sent it.', /^Is there anything else/],
    ]);
    assert.deepEqual((await person.cases.get(reference))?.case.undelivered, []);
    assert.deepEqual(await relayed(person, reference), []);
  });
});
