import { strict as assert } from 'node:assert';
import {
  addressedToStaff,
  readYesNo,
  recogniseChoice,
  recogniseClosing,
  recogniseInterruption,
  recogniseMenuChoice,
  recogniseMenuRequest,
  suggestsRiskOfHarm,
} from '../../dialogs/recognisers.js';

describe('understanding short answers', () => {
  const YES_NO: readonly [string, boolean | null, string][] = [
    ['yes', true, ''],
    ['Yes.', true, ''],
    ['yep!', true, ''],
    ['Yes, please', true, ''],
    ['I agree', true, ''],
    ['👍', true, ''],
    ['yes it was', true, 'it was'],
    ['Yes, that is correct', true, 'that is correct'],
    ['yes yes', true, ''],
    ['no', false, ''],
    ['No thank you', false, ''],
    ['nope', false, ''],
    ['no, it was 4/4', false, 'it was 4/4'],
    ['yes no', null, 'yes no'],
    ['no yes', null, 'no yes'],
    ['yesterday', null, 'yesterday'],
    ['nothing', null, 'nothing'],
    ['noon', null, 'noon'],
    ['it was 4/4', null, 'it was 4/4'],
    ['', null, ''],
  ];
  for (const [said, answer, rest] of YES_NO) {
    it(`reads ${JSON.stringify(said)} as ${String(answer)}${rest ? `, then "${rest}"` : ''}`, () => {
      assert.deepEqual(readYesNo(said), { answer, rest });
    });
  }

  it('takes "?" and "help" as asking for help, but not an answer that mentions help', () => {
    assert.equal(recogniseInterruption('?'), 'help');
    assert.equal(recogniseInterruption('??'), 'help');
    assert.equal(recogniseInterruption('Help!'), 'help');
    assert.equal(recogniseInterruption('nobody would help him'), null);
    assert.equal(recogniseInterruption('call me'), null, 'an answer about how to be contacted, not a request for a person');
    assert.equal(recogniseInterruption('I want to talk to a person'), 'person');
  });

  it('never reads a property name as a menu choice', () => {
    for (const said of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) assert.equal(recogniseMenuChoice(said), null, said);
    assert.equal(recogniseMenuChoice('lodge'), 'lodge');
  });

  it('takes "start again" as restarting and "cancel" as stopping', () => {
    for (const said of ['start again', 'Start over.', 'please start again', 'go back to the start']) assert.equal(recogniseInterruption(said), 'restart', said);
    for (const said of ['cancel', 'stop', 'never mind']) assert.equal(recogniseInterruption(said), 'cancel', said);
  });

  it('reads a closing only when every word of it closes', () => {
    for (const said of ['no thats all thanks', 'thank you bye', 'That’s everything.', 'No, that’s all. Thanks!', 'ok cheers', 'bye x'])
      assert.ok(recogniseClosing(said), said);
    for (const said of ['thanks, but the visit was cancelled again', 'no the 10th', '', '👍', `${'no thanks '.repeat(20)}but`])
      assert.ok(!recogniseClosing(said), said);
  });

  it('reads requests for the menu’s things in plain words, but not an answer to staff', () => {
    assert.equal(recogniseMenuRequest('i want to make another complaint'), 'lodge');
    assert.equal(recogniseMenuRequest('where is my complaint up to'), 'status');
    assert.equal(recogniseMenuRequest('can I take this further'), 'escalate');
    for (const said of ['3', 'an update on the visits', 'the reference on the letter is wrong', 'the social worker has not called'])
      assert.equal(recogniseMenuRequest(said), null, said);
  });

  it('reads a message as for the team only when it says so', () => {
    for (const said of [
      'tell them I can’t do Tuesdays',
      'Please tell the team he is back at school',
      'Message for the team: thanks',
      'can you let my social worker know',
      'Dear team, the visit was fine',
    ])
      assert.ok(addressedToStaff(said), said);
    for (const said of ['can you tell me where it is up to', 'they told me to wait', 'the team never called']) assert.ok(!addressedToStaff(said), said);
  });
});

describe('noticing that someone may be at risk', () => {
  it('hears harm said in the active and the passive, and not ordinary complaints', () => {
    for (const said of [
      'my son is being hurt at home',
      'She was hit by her stepfather',
      'he gets beaten when he goes back',
      'My dad hits me',
      'they are hurting my daughter',
      'I was attacked outside the home',
      'I want to kill myself',
      'he is scared to go home',
    ]) {
      assert.ok(suggestsRiskOfHarm(said), said);
    }
    for (const said of ['The social worker cancelled three visits', 'Nobody called back', 'The website was hard to use', 'I was not told the date']) {
      assert.ok(!suggestsRiskOfHarm(said), said);
    }
  });
});

describe('reading a choice from the buttons', () => {
  const FRUIT = {
    apple: { label: 'An apple', words: /\bapples?\b/ },
    pear: { label: 'A ripe pear', words: /\bpears?\b/, spellings: ['pears'] },
  };
  const CHOICES: readonly [string, 'apple' | 'pear' | null][] = [
    ['An apple', 'apple'],
    ['a ripe pera', 'pear'],
    ['2', 'pear'],
    ['peras please', 'pear'],
    ['a pear, not an apple', 'pear'],
    ['no apples but a pear', 'pear'],
    ['apple not pear', 'apple'],
    ['apples are no good', null],
    ['not an apple', null],
    ['apple or pear', null],
    ['not sure, apple maybe', null],
    ['3', null],
    ['', null],
    [`${'a '.repeat(100)}apple`, null],
  ];
  for (const [said, choice] of CHOICES) {
    it(`reads ${JSON.stringify(said.slice(0, 30))} as ${String(choice)}`, () => {
      assert.equal(recogniseChoice(said, FRUIT), choice);
    });
  }
});
