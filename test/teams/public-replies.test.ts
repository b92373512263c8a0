/**
 * Writing to the complainant from Teams is deliberate (issue 20): in a case's thread only a reply
 * that @mentions the bot alone is for the complainant, and it is held for a moment with Undo and
 * Send now, following edits and deletions of the Teams message; colleagues' talk is kept on the
 * case as discussion. Also: a double-clicked note or reply is kept once, a replay is "already
 * done", an over-long text is refused with its limit, and an unknown verb plainly. Driven by
 * activities shaped as Teams sends them, through the composed app on Redis; the cases have no
 * chat to reach, so what the complainant is sent is kept on the case, where the tests read it.
 */
import { strict as assert } from 'node:assert';
import type { Case } from '../../src/cases/case.js';
import type { CaseReference } from '../../src/cases/reference.js';
import type { App } from '../../src/server/compose.js';
import { lodgeRequest } from '../helpers/cases.js';
import { uniquePrefix } from '../helpers/redis.js';
import { type InvokeBody, startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import {
  cardAction,
  cardOf,
  type FakeTeams,
  NOT_STAFF,
  SECOND_STAFF,
  STAFF,
  threadDelete,
  threadEdit,
  threadReply,
  threadReplyMentioning,
} from '../helpers/teams.js';

/** How long replies are held in these tests. */
const HOLD_SECONDS = 2;

describe('replies to the complainant from Teams', function () {
  this.timeout(60_000);
  let app: App;
  let teams: FakeTeams;
  let running: TeamsTestApp;

  before(async () => {
    running = await startTeamsApp(uniquePrefix('public-replies'), { env: { PUBLIC_REPLY_HOLD_SECONDS: String(HOLD_SECONDS) } });
    ({ app, teams } = running);
  });
  after(async () => {
    await running.close();
  });

  async function post(activity: Record<string, unknown>): Promise<void> {
    assert.equal((await running.post(activity)).status, 200);
  }

  function invoke(activity: Record<string, unknown>): Promise<InvokeBody> {
    return running.invoke(activity);
  }

  async function caseWithCard(): Promise<{ reference: CaseReference; thread: string }> {
    const { stored } = await app.stores.cases.lodge(lodgeRequest({}));
    await app.notifier.notify({ kind: 'lodged', case: stored.case });
    const thread = (await app.stores.cases.get(stored.case.reference))?.case.teamsThread;
    assert.ok(thread, 'the card was posted and its thread recorded');
    return { reference: stored.case.reference, thread: thread.conversationId };
  }

  async function stored(reference: CaseReference): Promise<Case> {
    return (await app.stores.cases.get(reference))?.case ?? assert.fail('no case');
  }

  async function settled(): Promise<void> {
    const started = Date.now();
    while (!(await app.effects.idle())) {
      if (Date.now() - started > 15_000) assert.fail('the effects did not finish');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** What the complainant has been sent (kept on the case), after the hold and the effects are over. */
  async function sentAfterHold(reference: CaseReference): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, HOLD_SECONDS * 1000 + 700));
    await settled();
    return (await stored(reference)).undelivered.map((message) => message.text);
  }

  /** Bot replies in a thread, as text. */
  function botSaid(thread: string): string[] {
    return teams.calls.filter((call) => call.kind === 'reply' && call.conversationId === thread).map((call) => JSON.stringify(call.body.activity ?? {}));
  }

  it('keeps colleagues’ talk in the thread within the team, as discussion on the case', async () => {
    const target = await caseWithCard();
    await post(threadReplyMentioning(teams.url, target.thread, STAFF, SECOND_STAFF, 'can you take this one? She sounds upset.'));
    await post(threadReply(teams.url, target.thread, STAFF, 'Note - checked with the web team, do not tell her yet'));
    await post(threadReply(teams.url, target.thread, SECOND_STAFF, 'notes: rang the school'));
    await post(threadReply(teams.url, target.thread, SECOND_STAFF, 'Internal: this one is for legal'));
    // Addressed to the bot and a colleague: kept too, and its writer told how to write to the complainant.
    await post(threadReplyMentioning(teams.url, target.thread, STAFF, SECOND_STAFF, 'please call her back', { bot: true }));

    const history = await app.stores.cases.history(target.reference);
    const discussion = history.filter((event) => event.type === 'discussion').map((event) => JSON.stringify(event.details['text']));
    assert.equal(discussion.length, 5, 'each message is kept on the case');
    assert.ok(
      discussion.some((text) => text.includes('Ali Khan can you take this one')),
      'with the colleague’s name',
    );
    assert.deepEqual((await stored(target.reference)).heldReplies, []);
    assert.ok(botSaid(target.thread).some((text) => /mentions someone besides me/.test(text)));
    assert.deepEqual(await sentAfterHold(target.reference), [], 'none of it reached the complainant');
  });

  it('holds a reply addressed to the bot alone, with Undo and Send now, and sends it once when its time is up', async () => {
    const target = await caseWithCard();
    const reply = threadReply(teams.url, target.thread, STAFF, 'We have found the letter and will call you tomorrow.', { mention: true });
    await post(reply);
    await post(reply); // Teams delivering the same message twice
    const held = (await stored(target.reference)).heldReplies;
    assert.equal(held.length, 1);
    assert.equal(held[0]?.state, 'held');
    const card = teams.calls.filter((call) => call.conversationId === target.thread).map((call) => JSON.stringify(cardOf(call) ?? {}));
    assert.ok(
      card.some((text) => /"undo-reply"/.test(text) && /"send-reply-now"/.test(text)),
      'the thread shows it held',
    );
    assert.ok(!card.some((text) => /will call you tomorrow/.test(text)), 'its words are not in what the channel sees');
    const forStaff = await invoke(cardAction(teams.url, target.thread, SECOND_STAFF, 'held-reply', { reference: target.reference, replyId: reply.id }));
    assert.match(JSON.stringify(forStaff.value), /We have found the letter and will call you tomorrow\./, 'staff see them');
    assert.deepEqual((await stored(target.reference)).undelivered, [], 'not sent before its time');

    const sent = await sentAfterHold(target.reference);
    assert.equal(sent.length, 1);
    assert.match(sent[0] ?? '', /We have found the letter and will call you tomorrow\./);
    assert.equal((await stored(target.reference)).heldReplies[0]?.state, 'sent');
    assert.equal((await sentAfterHold(target.reference)).length, 1, 'and only once');
  });

  it('never sends a reply undone from its card, or deleted in the thread; sends an edited one as edited', async () => {
    const target = await caseWithCard();
    const undone = threadReply(teams.url, target.thread, STAFF, 'Your complaint is upheld.', { mention: true });
    await post(undone);
    const answer = await invoke(cardAction(teams.url, target.thread, STAFF, 'undo-reply', { reference: target.reference, replyId: undone.id }));
    assert.match(JSON.stringify(answer.value), /Undone/);

    const deleted = threadReply(teams.url, target.thread, STAFF, 'Wrong case, sorry.', { mention: true });
    await post(deleted);
    await post(threadDelete(teams.url, target.thread, STAFF, deleted.id));

    const edited = threadReply(teams.url, target.thread, SECOND_STAFF, 'We will call you on Monday.', { mention: true });
    await post(edited);
    await post(threadEdit(teams.url, target.thread, SECOND_STAFF, edited.id, 'We will call you on Tuesday.', { mention: true }));

    const sent = await sentAfterHold(target.reference);
    assert.equal(sent.length, 1, `only the edited reply went: ${JSON.stringify(sent)}`);
    assert.match(sent[0] ?? '', /on Tuesday/);
    assert.deepEqual(
      (await stored(target.reference)).heldReplies.map((each) => each.state),
      ['withdrawn', 'withdrawn', 'sent'],
    );

    // Too late to change: its writer is told, and the complainant gets nothing more.
    await post(threadEdit(teams.url, target.thread, SECOND_STAFF, edited.id, 'We will call you on Wednesday.', { mention: true }));
    assert.ok(botSaid(target.thread).some((text) => /already been sent to the complainant, so the change did not reach them/.test(text)));
    const late = await invoke(cardAction(teams.url, target.thread, STAFF, 'undo-reply', { reference: target.reference, replyId: edited.id }));
    assert.match(JSON.stringify(late.value), /already been sent/);
    assert.equal((await sentAfterHold(target.reference)).length, 1);
  });

  it('follows edits in the order they were made: back to earlier words, and one delivered after a later one', async () => {
    const target = await caseWithCard();
    const reply = threadReply(teams.url, target.thread, STAFF, 'Version one.', { mention: true });
    await post(reply);
    const start = Date.now();
    const edit = (text: string, second: number) => ({
      ...threadEdit(teams.url, target.thread, STAFF, reply.id, text, { mention: true }),
      timestamp: new Date(start + second * 1000).toISOString(),
    });
    await post(edit('Version two.', 1));
    await post(edit('Version one.', 2));
    await post(edit('Version two.', 3)); // back to words it had before: another change
    await post(edit('Version four.', 5));
    await post(edit('Version three.', 4)); // made before four, delivered after it
    assert.equal((await stored(target.reference)).heldReplies[0]?.text, 'Version four.');
    const sent = await sentAfterHold(target.reference);
    assert.equal(sent.length, 1);
    assert.match(sent[0] ?? '', /Version four\./);
  });

  it('sends at once on Send now, and the timer sends nothing more', async () => {
    const target = await caseWithCard();
    const reply = threadReply(teams.url, target.thread, STAFF, 'Thank you for your patience.', { mention: true });
    await post(reply);
    const now = cardAction(teams.url, target.thread, STAFF, 'send-reply-now', { reference: target.reference, replyId: reply.id });
    const answer = await invoke(now);
    assert.match(JSON.stringify(answer.value), /Sent now by Jo Bloggs/);
    await settled();
    assert.equal((await stored(target.reference)).undelivered.length, 1, 'sent before the hold is over');
    assert.match(JSON.stringify((await invoke(now)).value), /already done/, 'a replayed Send now');
    assert.equal((await sentAfterHold(target.reference)).length, 1);
  });

  it('holds a reply from the card too, once for a double click, and refuses a stranger’s undo or deletion', async () => {
    const target = await caseWithCard();
    const seen = (await stored(target.reference)).updatedAt;
    const data = { reference: target.reference, state: 'any', seen, 'reply:text': 'Could you send us the letter?' };
    const answers = await Promise.all([
      invoke(cardAction(teams.url, target.thread, STAFF, 'reply', data)),
      invoke(cardAction(teams.url, target.thread, STAFF, 'reply', data)),
    ]);
    assert.ok(answers.some((answer) => /held for a moment/.test(JSON.stringify(answer.value))));
    const held = (await stored(target.reference)).heldReplies;
    assert.equal(held.length, 1, 'a double click holds one reply');

    const replyId = held[0]?.id ?? assert.fail('no reply held');
    await invoke(cardAction(teams.url, target.thread, NOT_STAFF, 'undo-reply', { reference: target.reference, replyId }));
    await post(threadDelete(teams.url, target.thread, NOT_STAFF, replyId));
    assert.equal((await stored(target.reference)).heldReplies[0]?.state, 'held', 'someone not on the staff list changed nothing');
    assert.equal((await sentAfterHold(target.reference)).length, 1);
  });

  it('holds nothing, and so sends nothing, when Teams will not take the reply’s card with Undo', async () => {
    const target = await caseWithCard();
    teams.outage(Date.now() + 30_000, 500);
    await post(threadReply(teams.url, target.thread, STAFF, 'We will refund you in full.', { mention: true }));
    teams.outage(0, 500);
    assert.deepEqual((await stored(target.reference)).heldReplies, [], 'nothing held');
    assert.ok(!(await app.stores.cases.history(target.reference)).some((event) => event.type === 'reply-held'));
    assert.deepEqual(await sentAfterHold(target.reference), [], 'never sent');
    assert.ok(running.logger.lines.some((line) => line.event === 'staff.held-card-failed'));
  });

  it('never sends on a reply that quotes another message (Teams’ quote-reply), and says why', async () => {
    const target = await caseWithCard();
    const quoting = threadReply(teams.url, target.thread, STAFF, 'Yes, we will call you.', { mention: true });
    await post({ ...quoting, text: `<blockquote>Ali Khan: do not tell her yet</blockquote>${quoting.text}` });
    assert.deepEqual((await stored(target.reference)).heldReplies, []);
    assert.ok(botSaid(target.thread).some((text) => /quotes another message, so it was not sent/.test(text)));
    assert.deepEqual(await sentAfterHold(target.reference), []);
  });

  it('keeps a double-clicked note once, answers a replay “already done”, refuses an over-long text with its limit and an unknown verb plainly', async () => {
    const target = await caseWithCard();
    const { updatedAt: seen } = await stored(target.reference);
    const { decisionState } = await import('../../src/teams/cards/case-card.js');
    const state = decisionState(await stored(target.reference));
    const note = (text: string) => cardAction(teams.url, target.thread, STAFF, 'note', { reference: target.reference, state, seen, 'note:text': text });
    await Promise.all([invoke(note('Rang the family')), invoke(note('Rang the family'))]);
    const notes = () => app.stores.cases.history(target.reference).then((history) => history.filter((event) => event.type === 'note'));
    assert.equal((await notes()).length, 1, 'a double click notes once');

    const assign = cardAction(teams.url, target.thread, STAFF, 'assign', { reference: target.reference, state, seen });
    await invoke(assign);
    const replayed = await invoke(assign);
    assert.match(JSON.stringify(replayed.value), /already done/);
    assert.doesNotMatch(JSON.stringify(replayed.value), /Someone else changed/);

    const long = await invoke(note('x'.repeat(6000)));
    assert.equal(long.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(long.value), /at most 5,000 characters/);
    assert.equal((await notes()).length, 1, 'nothing was cut and kept');
    await post(threadReply(teams.url, target.thread, STAFF, `note: ${'y'.repeat(6000)}`, { mention: true }));
    assert.ok(botSaid(target.thread).some((text) => /the most that can be noted is 5,000/.test(text)));
    assert.equal((await notes()).length, 1);

    const unknown = await invoke(cardAction(teams.url, target.thread, STAFF, 'delete-everything', { reference: target.reference }));
    assert.equal(String(unknown.value), 'That is not an action this app knows, so nothing was changed.');
  });
});
