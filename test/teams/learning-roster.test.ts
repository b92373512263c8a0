/**
 * Staff's Teams user ids learned from their own activities (issue 20): with a roster of Entra
 * object ids only, the summary's `refresh.userIds` names each member of staff once they have
 * done anything with the bot, so their view refreshes to the full card by itself; the ids are
 * kept in Redis, for the instance posting cards; only staff are learned, and only real ids.
 */
import { strict as assert } from 'node:assert';
import type { App } from '../../src/server/compose.js';
import { LearningRoster } from '../../src/teams/learning-roster.js';
import { MemoryStaffTeamsIds } from '../../src/storage/memory/memory-staff-teams-ids.js';
import { decodeLearned } from '../../src/teams/staff-teams-ids.js';
import { FixedStaffRoster } from '../../src/ports/staff-roster.js';
import { lodgeRequest } from '../helpers/cases.js';
import { TestClock } from '../helpers/conversation.js';
import { uniquePrefix } from '../helpers/redis.js';
import { RecordingLogger } from '../helpers/server.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { cardAction, cardOf, type FakeTeams, NOT_STAFF, personalMessage, SECOND_STAFF, STAFF } from '../helpers/teams.js';
import { decisionState } from '../../src/teams/cards/case-card.js';

/** A roster of STAFF's Entra object id alone, learning into memory. */
function learningRoster() {
  const ids = new MemoryStaffTeamsIds();
  const roster = new LearningRoster({
    roster: new FixedStaffRoster([STAFF.aadObjectId]),
    ids,
    keepMs: 60_000,
    clock: new TestClock(new Date()),
    log: new RecordingLogger(),
  });
  return { ids, roster };
}

describe('staff’s Teams user ids, learned', () => {
  it('learns a member of staff’s id, never someone else’s or a malformed one', async () => {
    const { ids, roster } = learningRoster();
    assert.equal((await roster.members())[0]?.teamsUserId, null);
    await roster.learn(NOT_STAFF.aadObjectId, NOT_STAFF.id);
    await roster.learn(STAFF.aadObjectId, 'javascript:alert(1)');
    assert.deepEqual([...(await ids.all())], []);
    await roster.learn(STAFF.aadObjectId.toUpperCase(), STAFF.id);
    assert.equal((await roster.members())[0]?.teamsUserId, STAFF.id);
  });

  it('learns a member of staff’s name too, one line and short, and reads ids kept in the earlier form', async () => {
    const { roster } = learningRoster();
    assert.equal((await roster.members())[0]?.name, null);
    await roster.learn(STAFF.aadObjectId, STAFF.id, `Jo\u202e\nBloggs ${'x'.repeat(300)}`);
    const name = (await roster.members())[0]?.name ?? assert.fail('no name learned');
    assert.match(name, /^Jo Bloggs x+$/);
    assert.equal(name.length, 200);
    assert.deepEqual(decodeLearned(STAFF.id), { teamsUserId: STAFF.id, name: null }, 'an id kept alone, as before');
    assert.equal(decodeLearned('{"id":"javascript:alert(1)","name":"x"}'), null);
    assert.equal(decodeLearned('not json'), null);
  });

  describe('through the app', function () {
    this.timeout(30_000);
    let app: App;
    let teams: FakeTeams;
    let running: TeamsTestApp;

    before(async () => {
      running = await startTeamsApp(uniquePrefix('learning-roster'));
      ({ app, teams } = running);
    });
    after(async () => {
      await running.close();
    });

    it('names staff in the summary’s refresh once they have used the bot, kept in Redis', async () => {
      const first = await app.stores.cases.lodge(lodgeRequest({}));
      await app.notifier.notify({ kind: 'lodged', case: first.stored.case });
      const userIds = (conversationId: string) =>
        (
          cardOf(teams.calls.filter((call) => call.kind === 'create' && call.conversationId === conversationId).at(-1) ?? assert.fail('no card'))?.[
            'refresh'
          ] as { userIds: string[] }
        ).userIds;
      const firstThread = (await app.stores.cases.get(first.stored.case.reference))?.case.teamsThread?.conversationId ?? assert.fail();
      assert.deepEqual(userIds(firstThread), [], 'nobody known yet: staff press Show details');

      assert.equal((await running.post(personalMessage(teams.url, STAFF, 'my cases'))).status, 200);
      assert.equal((await running.post(personalMessage(teams.url, NOT_STAFF, 'my cases'))).status, 200);
      assert.deepEqual([...(await app.stores.staffTeamsIds.all())], [[STAFF.aadObjectId, { teamsUserId: STAFF.id, name: STAFF.name }]]);

      const second = await app.stores.cases.lodge(lodgeRequest({}));
      await app.notifier.notify({ kind: 'lodged', case: second.stored.case });
      const secondThread = (await app.stores.cases.get(second.stored.case.reference))?.case.teamsThread?.conversationId ?? assert.fail();
      assert.deepEqual(userIds(secondThread), [STAFF.id]);
      assert.ok(!userIds(secondThread).includes(SECOND_STAFF.id), 'not until they have used it');
    });

    it('lets staff give a case to a colleague by name once Teams has given the app that name, and says why not before', async () => {
      const { stored } = await app.stores.cases.lodge(lodgeRequest({}));
      await app.notifier.notify({ kind: 'lodged', case: stored.case });
      const thread = (await app.stores.cases.get(stored.case.reference))?.case.teamsThread?.conversationId ?? assert.fail();
      const data = async () => ({
        reference: stored.case.reference,
        state: decisionState((await app.stores.cases.get(stored.case.reference))?.case ?? assert.fail()),
        'assign-to:who': SECOND_STAFF.aadObjectId,
      });
      const before = await running.invoke(cardAction(teams.url, thread, STAFF, 'assign-to', await data()));
      assert.match(JSON.stringify(before.value), /Teams has not given that colleague’s name to this app yet/);
      assert.doesNotMatch(JSON.stringify(before.value), /Ali Khan/, 'not listed to choose');

      assert.equal((await running.post(personalMessage(teams.url, SECOND_STAFF, 'my cases'))).status, 200);
      const card = await running.invoke(cardAction(teams.url, thread, STAFF, 'refresh', { reference: stored.case.reference }));
      assert.match(JSON.stringify(card.value), /"title":"Ali Khan"/, 'listed by name to choose');
      await running.invoke(cardAction(teams.url, thread, STAFF, 'assign-to', await data()));
      assert.deepEqual((await app.stores.cases.get(stored.case.reference))?.case.handler, { id: SECOND_STAFF.aadObjectId, name: SECOND_STAFF.name });
    });
  });
});
