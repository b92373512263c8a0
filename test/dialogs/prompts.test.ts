import { strict as assert } from 'node:assert';
import { play, TestConversation } from '../helpers/conversation.js';

/** The conversation's saved state as JSON text (the test adapter's conversation is "Convo1"). */
async function savedJson(person: TestConversation): Promise<string> {
  const key = 'webchat/conversations/Convo1/';
  return JSON.stringify((await person.storage.read([key]))[key]);
}

/** The options of the question open at the bottom of the saved dialog stack. */
function openQuestion(state: unknown): Record<string, unknown> {
  // The test client keeps the dialogs' state as "DialogState".
  let level = (state as { DialogState: { dialogStack: { state: Record<string, unknown> }[] } }).DialogState;
  for (;;) {
    const top = level.dialogStack.at(-1);
    const inner = top?.state['dialogs'] as typeof level | undefined;
    if (!inner) return top?.state['options'] as Record<string, unknown>;
    level = inner;
  }
}

describe('questions kept in conversation state', () => {
  it('keep only their words, buttons and help, and are asked with their buttons', async () => {
    const person = new TestConversation();
    await play(person, [['Hi', /^Hello/, 'What would you like to do? [Make a complaint | Check on my complaint | Take my complaint further]']]);
    const options = openQuestion(JSON.parse(await savedJson(person)));
    assert.deepEqual(Object.keys(options).sort(), ['prompt', 'validations']);
    assert.equal(options['prompt'], 'What would you like to do?');
    const validations = options['validations'] as { help: string; buttons: string[] };
    assert.match(validations.help, /^Choose "Make a complaint" to tell us about something new/);
    assert.deepEqual(validations.buttons, ['Make a complaint', 'Check on my complaint', 'Take my complaint further']);
    assert.doesNotMatch(await savedJson(person), /suggestedActions|imBack|instanceId/);
  });

  it('asks a yes-or-no question again in its retry words, with its buttons', async () => {
    await play(new TestConversation(), [
      ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
      ['2', /^Are you making/],
      ['myself', 'And what is your name?'],
      ['Sam', /^Please tell me what happened/],
      ['The social worker never called back about my daughter.', /^When did this happen/],
      ['3/4/2025', 'So that was Thursday 3 April 2025. Is that right? [Yes | No]'],
      ['yes', /^What would you like/],
      ['An apology', /^How can the team contact you/],
      ['sam@example.org', /I’ll ask for your email address/, /^Do you need anything/],
      ['No, thank you', /^An advocate can help you/],
      ['No, thank you', /^Before I send your complaint, please read this\..*\[Yes, I agree \| No\]$/s],
      ['banana', 'Sorry, I need a yes or no to that. Do you agree to us keeping and using your complaint in this way? [Yes, I agree | No]'],
    ]);
  });

  it('still asks a question saved the earlier way, as a whole message with its buttons', async () => {
    const person = new TestConversation();
    await play(person, [['Hi', /^Hello/, /^What would you like to do\?/]]);
    const key = 'webchat/conversations/Convo1/';
    const state = JSON.parse(await savedJson(person)) as Record<string, unknown>;
    const options = openQuestion(state);
    options['prompt'] = {
      type: 'message',
      inputHint: 'expectingInput',
      text: 'Saved the earlier way: what would you like to do?',
      suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Make a complaint', value: 'Make a complaint' }] },
    };
    options['validations'] = { help: 'Help saved the earlier way.' };
    await person.storage.write({ [key]: { ...state, eTag: '*' } });
    await play(person, [['help', 'Help saved the earlier way.', 'Saved the earlier way: what would you like to do? [Make a complaint]']]);
  });
});
