import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComponentDialog, TextPrompt, type WaterfallStep } from 'botbuilder-dialogs';
import sinon from 'sinon';
import { designVersion, VersionedWaterfallDialog } from '../../dialogs/versioning.js';
import { TEST_CONVERSATION_KEY, testBot } from '../helpers/bot.js';

const LODGING = [
  'Make a complaint',
  '2',
  'For myself',
  'Sam Taylor',
  'The social worker cancelled three visits and nobody called back.',
  '3/4/2025',
  'yes',
  'An apology',
  'sam@example.org',
  'no',
  'no',
  'Yes, I agree',
];

describe('the public bot', () => {
  it('greets a person as soon as the conversation opens', async () => {
    const bot = testBot();
    const replies = await bot.deliver({ type: 'conversationUpdate', membersAdded: [{ id: 'user1', name: 'User' }], id: 'join-1' });
    // The welcome and the question go out as one message (see merge-replies.ts).
    assert.equal(replies.length, 1);
    assert.match(
      replies[0]!,
      /^Hello\. I can help you[^]*\n\nWhat would you like to do\? \[Make a complaint \| Check on my complaint \| Take my complaint further\]$/,
    );
    assert.match((await bot.say('Make a complaint'))[0] ?? '', /^I’ll ask you some questions[^]*\n\nFirst, what is your complaint about/);
  });

  it('does not greet when only the bot joins', async () => {
    const bot = testBot();
    assert.deepEqual(await bot.deliver({ type: 'conversationUpdate', membersAdded: [{ id: 'bot', name: 'Bot' }], recipient: { id: 'bot', name: 'Bot' } }), []);
  });

  it('runs an activity delivered twice only once', async () => {
    const bot = testBot();
    assert.equal((await bot.say('Make a complaint', 'a-1')).length, 1);
    assert.deepEqual(await bot.say('Make a complaint', 'a-1'), [], 'the channel retried: nothing happens again');
    assert.match((await bot.say('2', 'a-2'))[0] ?? '', /^Are you making this complaint/);
  });

  it('makes one case when the final "Send complaint" arrives twice', async () => {
    const bot = testBot();
    for (const said of LODGING) await bot.say(said);
    const first = await bot.say('Send complaint', 'send-1');
    const again = await bot.say('Send complaint', 'send-1');
    assert.match(first[0] ?? '', /^Thank you\. Your complaint has been sent/);
    assert.deepEqual(again, []);
    assert.equal((await bot.cases.listByStatus('open')).length, 1);
    assert.equal(bot.notifier.notices.length, 1);
  });

  it('restarts politely a conversation saved under an earlier design of the dialogs', async () => {
    const bot = testBot();
    const earlier = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'conversation-state-earlier-design.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await bot.storage.write({ [TEST_CONVERSATION_KEY]: earlier });
    const replies = await bot.say('Sam Taylor', 'after-upgrade-1');
    assert.match(
      replies[0] ?? '',
      /^Sorry: this service has been updated since your last message, so I need to start again\. Anything you have already sent to us is safe[^]*\n\nWhat would you like to do\?/,
    );
    assert.equal(replies.length, 1);
    const state = (await bot.storage.read([TEST_CONVERSATION_KEY]))[TEST_CONVERSATION_KEY] as { memory?: { draft?: unknown } };
    assert.equal(state.memory?.draft, undefined, 'the half-written draft from the old design is dropped');
    assert.match((await bot.say('Make a complaint', 'after-upgrade-2'))[0] ?? '', /^I’ll ask you some questions/);
  });

  it('after an upgrade, says unsent answers were dropped and does not take the first message as a menu choice', async () => {
    const bot = testBot();
    const earlier = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'conversation-state-earlier-design.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    await bot.storage.write({ [TEST_CONVERSATION_KEY]: earlier });
    const replies = await bot.say('Make a complaint', 'after-upgrade-1');
    assert.equal(replies.length, 1);
    assert.match(replies[0] ?? '', /The complaint you were writing hadn’t been sent, so I’m afraid you’ll need to give those answers again\./);
    assert.match(replies[0] ?? '', /\n\nWhat would you like to do\?/, 'the message was an answer to an old question, so it is not acted on');
  });

  it('skips the dialogs’ per-turn work it has no use for, once the first turn has shown it how', async () => {
    const bot = testBot();
    // Unhandled on its way up from the open question, the "activityReceived" event ends at the root dialog.
    const seen = sinon.spy(bot.dialog, 'onDialogEvent');
    try {
      await bot.say('Make a complaint');
      assert.ok(bot.bot.shortcuts.learned, 'botbuilder-dialogs no longer keeps what dialog-shortcuts.ts reuses: see that file');
      seen.resetHistory();
      assert.match((await bot.say('2'))[0] ?? '', /^Are you making this complaint for yourself/);
      assert.deepEqual(
        seen.getCalls().map((call) => call.args[1].name),
        [],
      );
    } finally {
      seen.restore();
    }
  });

  it('stamps new conversations with the current design', async () => {
    const bot = testBot();
    await bot.say('Hi');
    const state = (await bot.storage.read([TEST_CONVERSATION_KEY]))[TEST_CONVERSATION_KEY] as { dialogState: { dialogStack: { state: { design: string } }[] } };
    assert.equal(state.dialogState.dialogStack[0]?.state.design, bot.dialog.version);
  });
});

describe('the design version', () => {
  /** A small dialog tree: a component holding a waterfall of a given version and number of steps. */
  function tree(version: number, steps: number, extraDialog = false): ComponentDialog {
    const root = new ComponentDialog('root');
    const step: WaterfallStep = (context) => context.endDialog();
    root.addDialog(
      new VersionedWaterfallDialog(
        'steps',
        version,
        Array.from({ length: steps }, () => step),
      ),
    );
    if (extraDialog) root.addDialog(new TextPrompt('extra'));
    return root;
  }

  it('is the same for the same design, however often it is built', () => {
    assert.equal(designVersion(tree(1, 3)), designVersion(tree(1, 3)));
    assert.match(designVersion(tree(1, 3)), /^[0-9a-f]{16}$/);
  });

  it('changes when a waterfall’s declared version, its number of steps, or the dialogs in the tree change', () => {
    const base = designVersion(tree(1, 3));
    assert.notEqual(designVersion(tree(2, 3)), base, 'declared version bumped');
    assert.notEqual(designVersion(tree(1, 4)), base, 'a step added without a bump');
    assert.notEqual(designVersion(tree(1, 3, true)), base, 'a dialog added');
  });
});
