import { strict as assert } from 'node:assert';
import { type Exchange, play, TestConversation } from '../helpers/conversation.js';

const TO_PROCEDURE: readonly Exchange[] = [['Make a complaint', /^Hello/, /^I’ll ask/, /^First, what is your complaint about/]];
const TO_WHAT_HAPPENED: readonly Exchange[] = [...TO_PROCEDURE,
  ['2', /^Are you making/], ['myself', 'And what is your name?'], ['Sam', /^Please tell me what happened/]];

describe('at any question', () => {
  it('"help" explains the question that is open, then asks it again', async () => {
    await play(new TestConversation(), [
      ['Hi', /^Hello/, /^What would you like to do/],
      ['help', /^Choose "Make a complaint" to tell us about something new/, /^What would you like to do/],
      ['Make a complaint', /^I’ll ask/, /^First/],
      ['help', /^I need to know which service your complaint is about/, /^First, what is your complaint about/],
      ['2', /^Are you making/], ['myself', 'And what is your name?'],
      ['what do you mean?', /^Your name, so the team know who they’re writing to/, 'And what is your name?'],
      ['Sam', /^Please tell me what happened/],
      ['HELP', /^Describe what happened in your own words/, /^Please tell me what happened/],
    ]);
  });

  it('"cancel" stops cleanly, forgets the answers, and offers the menu', async () => {
    const person = new TestConversation();
    await play(person, [...TO_WHAT_HAPPENED,
      ['cancel', 'OK, I’ve stopped. Nothing has been sent, and I haven’t kept your answers.', /^Is there anything else/],
      ['Make a complaint', /^I’ll ask you some questions/, /^First, what is your complaint about/],
      ['start again', /^OK, I’ve stopped\./, /^Is there anything else/],
    ]);
    assert.deepEqual(await person.cases.listByStatus('open'), []);
  });

  it('"talk to a person" gives the service desk, and keeps the person’s place', async () => {
    await play(new TestConversation(), [...TO_WHAT_HAPPENED,
      ['I want to speak to a person', /^You can speak to someone at the service desk: call 0300 123 4567 \(Monday to Friday, 9am to 5pm\) or email complaints@example\.gov\.uk/, /^Please tell me what happened/],
      ['The social worker never called back about my daughter.', /^When did this happen/],
    ]);
  });

  it('does not mistake an answer that mentions help for a request for help', async () => {
    await play(new TestConversation(), [...TO_WHAT_HAPPENED,
      ['Nobody would help my son when he asked for help at the centre.', /^When did this happen/],
    ]);
  });

  it('says at once what to do when someone may be at risk, takes the answer, and flags the complaint', async () => {
    const person = new TestConversation();
    await play(person, [...TO_WHAT_HAPPENED,
      ['My son’s carer hit him and now he is scared to go home.', /^It sounds as though someone may be at risk of harm\. \*\*If anyone is in immediate danger, call 999 now\.\*\*.*0300 123 0000.*0808 800 5000.*0300 123 1111.*116 123.*I’ve flagged what you said/s, /^When did this happen/],
      ['last Tuesday', /^So that was/], ['yes', /^What would you like/], ['For him to be safe', /^How can/],
      ['sam@example.org', /email/, /^Do you need/], ['no', /^An advocate/], ['no', /^Before I send/], ['yes', /^Here’s your complaint/],
      ['Send complaint', /What you told us about someone’s safety has been passed to the team as urgent\./, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.equal(saved?.flags.safeguarding?.note, 'My son’s carer hit him and now he is scared to go home.');
    assert.deepEqual(person.notifier.notices.map((notice) => notice.kind), ['lodged', 'flagged']);
  });

  it('gives the same urgent help at the menu, before anything else', async () => {
    await play(new TestConversation(), [
      ['I want to kill myself', /^It sounds as though someone may be at risk of harm.*116 123/s, /^Hello/, /^What would you like to do/],
    ]);
  });
});
