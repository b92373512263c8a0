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
import { FixedStaffRoster } from '../../src/ports/staff-roster.js';
import { lodgeRequest } from '../helpers/cases.js';
import { TestClock } from '../helpers/conversation.js';
import { uniquePrefix } from '../helpers/redis.js';
import { RecordingLogger } from '../helpers/server.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { cardOf, type FakeTeams, NOT_STAFF, personalMessage, SECOND_STAFF, STAFF } from '../helpers/teams.js';

describe('staff’s Teams user ids, learned', () => {
  it('learns a member of staff’s id, never someone else’s or a malformed one', async () => {
    const ids = new MemoryStaffTeamsIds();
    const roster = new LearningRoster({
      roster: new FixedStaffRoster([STAFF.aadObjectId]),
      ids,
      keepMs: 60_000,
      clock: new TestClock(new Date()),
      log: new RecordingLogger(),
    });
    assert.equal((await roster.members())[0]?.teamsUserId, null);
    await roster.learn(NOT_STAFF.aadObjectId, NOT_STAFF.id);
    await roster.learn(STAFF.aadObjectId, 'javascript:alert(1)');
    assert.deepEqual([...(await ids.all())], []);
    await roster.learn(STAFF.aadObjectId.toUpperCase(), STAFF.id);
    assert.equal((await roster.members())[0]?.teamsUserId, STAFF.id);
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
      assert.deepEqual([...(await app.stores.staffTeamsIds.all())], [[STAFF.aadObjectId, STAFF.id]]);

      const second = await app.stores.cases.lodge(lodgeRequest({}));
      await app.notifier.notify({ kind: 'lodged', case: second.stored.case });
      const secondThread = (await app.stores.cases.get(second.stored.case.reference))?.case.teamsThread?.conversationId ?? assert.fail();
      assert.deepEqual(userIds(secondThread), [STAFF.id]);
      assert.ok(!userIds(secondThread).includes(SECOND_STAFF.id), 'not until they have used it');
    });
  });
});
