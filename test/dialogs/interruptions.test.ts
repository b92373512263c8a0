import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { StorageUnavailable } from '../../src/cases/errors.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { type Exchange, play, TestConversation } from '../helpers/conversation.js';

const TO_PROCEDURE: readonly Exchange[] = [['Make a complaint', /^Hello/, /^I’ll ask/, /^First, what is your complaint about/]];
const TO_WHAT_HAPPENED: readonly Exchange[] = [
  ...TO_PROCEDURE,
  ['2', /^Are you making/],
  ['myself', 'And what is your name?'],
  ['Sam', /^Please tell me what happened/],
];

describe('at any question', () => {
  it('"help" explains the question that is open, then asks it again', async () => {
    await play(new TestConversation(), [
      ['Hi', /^Hello/, /^What would you like to do/],
      ['help', /^Choose "Make a complaint" to tell us about something new/, /^What would you like to do/],
      ['Make a complaint', /^I’ll ask/, /^First/],
      ['help', /^I need to know which service your complaint is about/, /^First, what is your complaint about/],
      ['2', /^Are you making/],
      ['myself', 'And what is your name?'],
      ['what do you mean?', /^Your name, so the team know who they’re writing to/, 'And what is your name?'],
      ['Sam', /^Please tell me what happened/],
      ['HELP', /^Describe what happened in your own words/, /^Please tell me what happened/],
      ['?', /^Describe what happened in your own words/, /^Please tell me what happened/],
    ]);
  });

  it('"cancel" stops cleanly, forgets the answers, and offers the menu', async () => {
    const person = new TestConversation();
    await play(person, [
      ...TO_WHAT_HAPPENED,
      ['cancel', 'OK, I’ve stopped. Nothing has been sent, and I haven’t kept your answers.', /^Is there anything else/],
      ['Make a complaint', /^I’ll ask you some questions/, /^First, what is your complaint about/],
      ['stop', /^OK, I’ve stopped\./, /^Is there anything else/],
    ]);
    assert.deepEqual(await person.cases.listByStatus('open'), []);
  });

  it('"start again" starts the complaint again from the first question, keeping none of the answers', async () => {
    const person = new TestConversation();
    await play(person, [
      ...TO_WHAT_HAPPENED,
      ['start again', 'OK, let’s start again from the first question. I haven’t kept the answers you gave.', /^First, what is your complaint about/],
    ]);
    assert.deepEqual(Object.keys((await person.memory()).draft ?? {}), ['id'], 'a new draft, with no answers in it');
    // Every question is asked again: who it is for was not kept.
    await play(person, [
      ['2', /^Are you making/],
      ['myself', 'And what is your name?'],
      ['Sam', /^Please tell me what happened/],
    ]);
    assert.deepEqual(await person.cases.listByStatus('open'), []);
  });

  it('"start again" keeps what was said about someone’s safety, for the complaint made next', async () => {
    const person = new TestConversation();
    await play(person, [
      ...TO_WHAT_HAPPENED,
      ['My daughter is in danger at home and the social worker has not visited.', /^It sounds as though someone may be at risk/, /^When did this happen/],
      [
        'start over',
        /^OK, let’s start again from the first question\. I haven’t kept the answers you gave\. What you told us about someone’s safety has still been passed on, and will go with your complaint\./,
        /^First, what is your complaint about/,
      ],
    ]);
    assert.deepEqual((await person.memory()).draft?.safeguarding?.notes, ['My daughter is in danger at home and the social worker has not visited.']);
  });

  it('"start again" while checking on or taking a complaint further asks for the reference again', async () => {
    const person = new TestConversation({ at: '2025-06-12T10:00:00+01:00' });
    const { stored: lodged } = await person.cases.lodge(lodgeRequest());
    const { stored } = await person.cases.update(
      lodged,
      change(lodged, (value) => {
        value.status = 'responded';
        value.responses.push({
          stage: value.stage,
          at: '2025-06-10T14:00:00Z',
          text: 'Our response.',
          by: { kind: 'staff', id: 'staff-1', name: 'Jo Bloggs' },
          outcome: 'not-upheld',
        });
      }),
    );
    await play(person, [
      ['Check on my complaint', /^Hello/, /^What is your complaint reference/],
      [stored.case.reference, /^Thank you\. To check it’s you/],
      ['start again', 'OK, let’s start again.', /^What is your complaint reference/],
      [stored.case.reference, /^Thank you\. To check it’s you/],
      ['sam.taylor@example.org', /^Your complaint/, /^Is there anything else/],
      ['Take my complaint further', /^What is your complaint reference/],
      [stored.case.reference, /^Thank you\. To check it’s you/],
      ['sam.taylor@example.org', /./, /^Why hasn’t the response put things right/],
      ['start again', 'OK, let’s start again.', /^What is your complaint reference/],
      ['cancel', /^OK, I’ve stopped\./, /^Is there anything else/],
    ]);
    assert.equal((await person.cases.get(stored.case.reference))?.case.status, 'responded', 'nothing was asked for');
  });

  it('"talk to a person" gives the service desk, and keeps the person’s place', async () => {
    await play(new TestConversation(), [
      ...TO_WHAT_HAPPENED,
      [
        'I want to speak to a person',
        /^You can speak to someone at the service desk: call 0300 123 4567 \(Monday to Friday, 9am to 5pm\) or email complaints@example\.gov\.uk/,
        /^Please tell me what happened/,
      ],
      ['The social worker never called back about my daughter.', /^When did this happen/],
    ]);
  });

  it('does not mistake an answer that mentions help for a request for help', async () => {
    await play(new TestConversation(), [...TO_WHAT_HAPPENED, ['Nobody would help my son when he asked for help at the centre.', /^When did this happen/]]);
  });

  it('says at once what to do when someone may be at risk, takes the answer, and flags the complaint', async () => {
    const person = new TestConversation();
    await play(person, [
      ...TO_WHAT_HAPPENED,
      [
        'My son’s carer hit him and now he is scared to go home.',
        /^It sounds as though someone may be at risk of harm\. \*\*If anyone is in immediate danger, call 999 now\.\*\*.*0300 123 0000.*0808 800 5000.*0300 123 1111.*116 123.*I’ve passed what you said to our team straight away.*It will also go with your complaint/s,
        /^When did this happen/,
      ],
      ['last Tuesday', /^So that was/],
      ['yes', /^What would you like/],
      ['For him to be safe', /^How can/],
      ['sam@example.org', /email/, /^Do you need/],
      ['no', /^An advocate/],
      ['no', /^Before I send/],
      ['yes', /^Here’s your complaint/],
      ['Send complaint', /What you told us about someone’s safety has been passed to the team as urgent\./, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.deepEqual(saved?.flags.safeguarding?.notes, ['My son’s carer hit him and now he is scared to go home.']);
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['safeguarding-concern', 'lodged', 'flagged'],
    );
  });

  it('gives the same urgent help at the menu, before anything else', async () => {
    await play(new TestConversation(), [
      ['I want to kill myself', /^It sounds as though someone may be at risk of harm.*116 123/s, /^Hello/, /^What would you like to do/],
    ]);
  });

  it('tells staff at once about a concern raised before any complaint, and carries it onto the complaint made next', async () => {
    const person = new TestConversation();
    await play(person, [
      [
        'I am scared to go home, he beats me',
        /^It sounds as though someone may be at risk of harm.*I’ve passed what you said to our team straight away/s,
        /^Hello/,
        /^What would you like to do/,
      ],
    ]);
    const [concern] = person.notifier.notices;
    assert.equal(concern?.kind, 'safeguarding-concern');
    assert.equal(concern.case, null);
    assert.equal(concern.note, 'I am scared to go home, he beats me');
    assert.equal(concern.conversation?.channelId, 'webchat', 'staff can see where to reach the person');
    await play(person, [
      ['Make a complaint', /^I’ll ask/, /^First/],
      ['2', /^Are you making/],
      ['myself', 'And what is your name?'],
      ['Sam', /^Please tell me/],
      [
        'My social worker stopped visiting and I was left alone for weeks.',
        /I’ve passed that on to our team as urgent too\. If anyone is in immediate danger, call 999\./,
        /^When did this happen/,
      ],
      ['last Tuesday', /^So that was/],
      ['yes', /^What would you like/],
      ['Help', /^Tell me what outcome/, /^What would you like/],
      ['Someone to visit', /^How can/],
      ['sam@example.org', /email/, /^Do you need/],
      ['no', /^An advocate/],
      ['no', /^Before I send/],
      ['yes', /^Here’s your complaint/],
      ['Send complaint', /What you told us about someone’s safety has been passed to the team as urgent\./, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.deepEqual(saved?.flags.safeguarding?.notes, [
      'I am scared to go home, he beats me',
      'My social worker stopped visiting and I was left alone for weeks.',
    ]);
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['safeguarding-concern', 'safeguarding-concern', 'lodged', 'flagged'],
    );
    assert.equal((await person.memory()).safeguarding, undefined, 'nothing is left over for the next complaint');
  });

  it('flags the person’s own case when they raise a concern while checking on it, or just before', async () => {
    const person = new TestConversation();
    const { stored } = await person.cases.lodge(lodgeRequest());
    await play(person, [
      ['Check on my complaint', /^Hello/, /^What is your complaint reference/],
      [stored.case.reference, /^Thank you/],
      ['my dad hits me', /^It sounds as though someone may be at risk/, /^Sorry, I couldn’t find a complaint with those details/],
      [stored.case.reference, /^Thank you/],
      ['sam.taylor@example.org', /^Your complaint/, /^Is there anything else/],
    ]);
    let saved = await person.cases.get(stored.case.reference);
    assert.deepEqual(saved?.case.flags.safeguarding?.notes, ['my dad hits me'], 'held until the case was found, then put on it');
    await play(person, [['I want to kill myself', /^I’ve passed that on to our team as urgent too/, /^Is there anything else/]]);
    saved = await person.cases.get(stored.case.reference);
    assert.deepEqual(saved?.case.flags.safeguarding?.notes, ['my dad hits me', 'I want to kill myself']);
    const history = await person.cases.history(stored.case.reference);
    assert.deepEqual(history.filter((event) => event.type === 'flagged').length, 2);
    const kinds = person.notifier.notices.map((notice) => [notice.kind, notice.case?.reference ?? null]);
    assert.deepEqual(kinds, [
      ['safeguarding-concern', null],
      ['flagged', stored.case.reference],
      ['safeguarding-concern', stored.case.reference],
      // The card is brought up to date with the new words, without a second alert.
      ['changed', stored.case.reference],
    ]);
  });

  it('keeps the complaint being written when "cancel" is not about it, and drops it when it is', async () => {
    const person = new TestConversation();
    await play(person, [...TO_WHAT_HAPPENED, ['cancel', /^OK, I’ve stopped\. Nothing has been sent/, /^Is there anything else/]]);
    assert.equal((await person.memory()).draft, undefined);
  });

  it('asks a question with buttons again after urgent help, so there is something below to carry on with', async () => {
    const preference = 'Thank you. How would you prefer the team to contact you? [By email | By phone | Here in this chat]';
    await play(new TestConversation(), [
      ...TO_WHAT_HAPPENED,
      ['The social worker cancelled three visits.', /^When did this happen/],
      ['3/4/2025', /^So that was Thursday 3 April 2025/],
      ['yes', /^What would you like to happen/],
      ['An apology', /^How can the team contact you/],
      ['sam@example.org or 07700 900123', preference],
      ['he is scared to go home', /^It sounds as though someone may be at risk/, preference],
      ['she was hit again last night', /^I’ve passed that on to our team as urgent too/, preference],
      ['By email', /^Thank you. When you check/, /^Do you need anything to help you take part/],
    ]);
  });

  it('keeps what was said about someone’s safety when the complaint is cancelled, and says so', async () => {
    const person = new TestConversation();
    await play(person, [
      ...TO_WHAT_HAPPENED,
      ['My daughter is in danger at home and the social worker has not visited.', /^It sounds as though someone may be at risk/, /^When did this happen/],
      [
        'cancel',
        'OK, I’ve stopped. Your complaint hasn’t been sent, and I haven’t kept your answers. What you told us about someone’s safety has still been passed on.',
        /^Is there anything else/,
      ],
    ]);
    const memory = await person.memory();
    assert.equal(memory.draft, undefined);
    assert.deepEqual(memory.safeguarding?.notes, ['My daughter is in danger at home and the social worker has not visited.']);
  });

  it('keeps a concern it could not keep for staff, says honestly that it failed, and tries again next turn', async () => {
    const person = new TestConversation();
    const raise = sinon.stub(person.ports.concerns, 'raiseConcern');
    raise.onFirstCall().rejects(new StorageUnavailable('concern'));
    raise.callThrough();
    await play(person, [
      ['I want to kill myself', /I couldn’t pass this on to our team just now, so please use the numbers above/s, /^Hello/, /^What would you like to do/],
    ]);
    assert.deepEqual(
      (await person.memory()).unsentConcerns?.map((concern) => concern.note),
      ['I want to kill myself'],
    );
    assert.equal(person.notifier.notices.length, 0);
    await play(person, [['Make a complaint', /^I’ll ask/, /^First/]]);
    assert.equal((await person.memory()).unsentConcerns, undefined);
    assert.equal(raise.callCount, 2);
    assert.equal(raise.firstCall.args[0].id, raise.secondCall.args[0].id, 'tried again as the same concern, so it is queued once');
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['safeguarding-concern'],
    );
  });

  it('keeps trying to tell staff when Teams fails, without the person having to come back', async () => {
    const person = new TestConversation();
    const notify = sinon.stub(person.notifier, 'notify');
    notify.onFirstCall().rejects(new Error('Teams is down'));
    notify.onSecondCall().rejects(new Error('Teams is down'));
    notify.callThrough();
    await play(person, [['I want to kill myself', /I’ve passed what you said to our team straight away/s, /^Hello/, /^What would you like to do/]]);
    assert.equal((await person.memory()).unsentConcerns, undefined, 'kept by the queue, not by the conversation');
    assert.equal(notify.callCount, 3);
    assert.equal(notify.thirdCall.args[0].kind, 'safeguarding-concern');
  });

  it('puts a concern raised while taking a case further on that case, not on an unsent draft', async () => {
    const person = new TestConversation();
    const { stored } = await person.cases.lodge(lodgeRequest());
    await play(person, [...TO_WHAT_HAPPENED, ['cancel', /^OK/, /^Is there anything else/]]);
    await person.editMemory((memory) => {
      memory.draft = { id: 'kept-after-a-failed-save', procedure: 'la-childrens-services' };
    });
    await play(person, [
      ['Check on my complaint', /^What is your complaint reference/],
      [stored.case.reference, /^Thank you/],
      ['sam.taylor@example.org', /^Your complaint/, /^Is there anything else/],
      ['Take my complaint further', /^What is your complaint reference/],
      ['my dad hits me', /^It sounds as though someone may be at risk/, /^A reference has nine letters|^That doesn’t look like one of our references/],
    ]);
    assert.deepEqual((await person.cases.get(stored.case.reference))?.case.flags.safeguarding?.notes, ['my dad hits me']);
    assert.equal((await person.memory()).draft?.safeguarding, undefined);
  });
});
