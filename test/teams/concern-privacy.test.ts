/**
 * A safeguarding concern raised in the public chat before there is a case (issue 20): the post in
 * the channel, which everyone in the team reads, says there is one and when, never what was said
 * (it may name a child); staff see the words in its place or with "Show", read from Redis where
 * they were kept; anyone else pressing "Show" gets the post again.
 */
import { strict as assert } from 'node:assert';
import type { App } from '../../src/server/compose.js';
import { concernId } from '../../src/outbox/urgent-concern.js';
import { productClient, TEST_SECRET, testRedisUrl, uniquePrefix } from '../helpers/redis.js';
import { type InvokeBody, startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { RedisKeys } from '../../src/storage/redis/keys.js';
import { cardAction, cardOf, type FakeTeams, NOT_STAFF, personalMessage, STAFF } from '../helpers/teams.js';

const WORDS = 'My daughter Amy Smith is hit by her stepfather at 12 Elm Road';

describe('a safeguarding concern before there is a case, in Teams', function () {
  this.timeout(30_000);
  let app: App;
  let teams: FakeTeams;
  let running: TeamsTestApp;

  before(async () => {
    running = await startTeamsApp(uniquePrefix('concern-privacy'));
    ({ app, teams } = running);
  });
  after(async () => {
    await running.close();
  });

  function invoke(activity: Record<string, unknown>): Promise<InvokeBody> {
    return running.invoke(activity);
  }

  it('posts that there is a concern without the words; staff see them, others see the post again', async () => {
    // Staff have used the bot, so their Teams id is known for the post's refresh.
    assert.equal((await running.post(personalMessage(teams.url, STAFF, 'my cases'))).status, 200);
    const raisedAt = '2026-12-03T10:00:00.000Z';
    const id = concernId('webchat-conversation-1', raisedAt, WORDS);
    await app.notifier.notify({ kind: 'safeguarding-concern', case: null, id, note: WORDS, raisedAt, conversation: null });

    const call = teams.calls.filter((each) => each.kind === 'create').at(-1) ?? assert.fail('nothing posted');
    const posted = cardOf(call) ?? assert.fail('no card');
    const json = JSON.stringify(posted);
    assert.match(json, /SAFEGUARDING CONCERN/);
    assert.doesNotMatch(json, /Amy|Elm Road|stepfather/, 'what was said is not in what everyone receives');
    const refresh = posted['refresh'] as { action: { verb: string; data: { id: string } }; userIds: string[] };
    assert.deepEqual(refresh.userIds, [STAFF.id], 'staff see the words in its place');
    assert.deepEqual({ verb: refresh.action.verb, id: refresh.action.data.id }, { verb: 'concern', id });

    const shown = await invoke(cardAction(teams.url, call.conversationId, STAFF, 'concern', { id }));
    assert.equal(shown.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(JSON.stringify(shown.value), /Amy Smith is hit by her stepfather/);

    const other = await invoke(cardAction(teams.url, call.conversationId, NOT_STAFF, 'concern', { id }));
    assert.equal(other.type, 'application/vnd.microsoft.card.adaptive', 'the post again, not an error');
    assert.match(JSON.stringify(other.value), /SAFEGUARDING CONCERN/);
    assert.doesNotMatch(JSON.stringify(other.value), /Amy|Elm Road/);
  });

  it('answers "Show" for an unknown or malformed concern plainly, showing nothing', async () => {
    const thread = teams.calls.find((each) => each.kind === 'create')?.conversationId ?? assert.fail('no post');
    for (const id of ['concern.ffffffffffffffffffffffffffffffff', '../../etc', 42, null]) {
      const answer = await invoke(cardAction(teams.url, thread, STAFF, 'concern', { id }));
      assert.match(JSON.stringify(answer.value), /no longer kept/);
    }
  });

  it('keeps the words once, whatever is kept again under the same id', async () => {
    const id = concernId('webchat-conversation-2', '2026-12-03T11:00:00.000Z', 'first words');
    await app.stores.concernNotes.keep({ id, note: 'first words', raisedAt: '2026-12-03T11:00:00.000Z' });
    await app.stores.concernNotes.keep({ id, note: 'other words', raisedAt: '2026-12-03T11:00:00.000Z' });
    assert.equal((await app.stores.concernNotes.find(id))?.note, 'first words');
  });

  it('keeps the words as long as complaint records are kept (RECORDS_KEPT_FOR, 6 years here), then lets them go', async () => {
    const id = concernId('webchat-conversation-3', '2026-12-03T11:00:00.000Z', 'words kept for a while');
    await app.stores.concernNotes.keep({ id, note: 'words kept for a while', raisedAt: '2026-12-03T11:00:00.000Z' });
    const client = await productClient({ url: testRedisUrl() });
    try {
      const ttl = await client.pttl(new RedisKeys(running.prefix, 16, TEST_SECRET).concernNote(id));
      const sixYears = 6 * 365.25 * 86_400_000;
      assert.ok(Math.abs(ttl - sixYears) < 3 * 86_400_000, `expires in about six years (${String(ttl)} ms)`);
    } finally {
      client.disconnect();
    }
  });
});
