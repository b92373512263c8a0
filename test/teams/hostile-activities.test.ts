/**
 * Activities no Teams client sends but anyone holding a token could (issue 20): parts missing,
 * null or of the wrong type. Each gets an answer (never a server error, never a crash), changes
 * no case, and the bot goes on serving the next real activity.
 */
import { strict as assert } from 'node:assert';
import type { App } from '../../src/server/compose.js';
import { lodgeRequest } from '../helpers/cases.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { cardAction, type FakeTeams, personalMessage, STAFF, threadDelete, threadEdit, threadReply } from '../helpers/teams.js';

describe('malformed Teams activities', function () {
  this.timeout(60_000);
  let app: App;
  let teams: FakeTeams;
  let running: TeamsTestApp;

  before(async () => {
    running = await startTeamsApp(uniquePrefix('hostile-activities'));
    ({ app, teams } = running);
  });
  after(async () => {
    await running.close();
  });

  it('answers each without a server error and changes nothing', async () => {
    const { stored } = await app.stores.cases.lodge(lodgeRequest({}));
    await app.notifier.notify({ kind: 'lodged', case: stored.case });
    const thread = (await app.stores.cases.get(stored.case.reference))?.case.teamsThread?.conversationId ?? assert.fail('no thread');
    const before = (await app.stores.cases.get(stored.case.reference))?.version;
    const reply = threadReply(teams.url, thread, STAFF, 'Hello', { mention: true });
    const action = cardAction(teams.url, thread, STAFF, 'note', { reference: stored.case.reference, state: 'x', text: 'hi' });
    const variants: [string, Record<string, unknown>][] = [
      ['a message without a conversation', { ...reply, conversation: undefined }],
      ['a message with a null conversation', { ...reply, conversation: null }],
      ['a message whose conversation id is a number', { ...reply, conversation: { ...reply.conversation, id: 42 } }],
      ['a message whose entities are not a list', { ...reply, entities: { type: 'mention' } }],
      ['a message whose entities hold nulls and junk', { ...reply, entities: [null, 7, 'mention', { type: 'mention', mentioned: null }, { type: 'mention' }] }],
      ['a message whose text is a number', { ...reply, text: 12345 }],
      ['a message whose text is an object', { ...reply, text: { toString: 'x' } }],
      ['a message without a sender', { ...reply, from: undefined }],
      ['a message whose sender is null', { ...reply, from: null }],
      ['a message whose channel data is null', { ...reply, channelData: null }],
      ['a message whose channel data is a string', { ...reply, channelData: 'msteams' }],
      ['an edit without an id', { ...threadEdit(teams.url, thread, STAFF, 'x', 'Changed', { mention: true }), id: undefined }],
      ['a deletion whose id is an object', { ...threadDelete(teams.url, thread, STAFF, 'x'), id: { $gt: '' } }],
      ['an invoke without a value', { ...action, value: undefined }],
      ['an invoke whose value is a string', { ...action, value: 'note' }],
      ['an invoke whose action is null', { ...action, value: { action: null } }],
      ['an invoke whose data is a list', { ...action, value: { action: { type: 'Action.Execute', verb: 'note', data: ['a'] } } }],
      ['an invoke whose verb is an object', { ...action, value: { action: { type: 'Action.Execute', verb: { verb: 'note' }, data: {} } } }],
      ['an invoke without a conversation', { ...action, conversation: undefined }],
      ['a personal message without a conversation', { ...personalMessage(teams.url, STAFF, 'my cases'), conversation: undefined }],
      ['an unknown activity type', { ...reply, type: 'handoff' }],
    ];
    for (const [name, activity] of variants) {
      const response = await running.post(activity);
      assert.ok(response.status < 500, `${name}: ${String(response.status)}`);
      await response.body?.cancel();
      assert.equal((await app.stores.cases.get(stored.case.reference))?.version, before, name);
      const failed = running.logger.lines.filter((line) => line.level === 'error').map((line) => `${line.event} ${JSON.stringify(line.fields)}`);
      assert.deepEqual(failed, [], `${name}: no turn failed`);
    }
    // Still serving: a real reply is taken as ever.
    assert.equal((await running.post(threadReply(teams.url, thread, STAFF, 'note: still here', { mention: true }))).status, 200);
    const history = await app.stores.cases.history(stored.case.reference);
    assert.ok(history.some((event) => event.type === 'note' && event.details['text'] === 'still here'));
  });
});
