/**
 * The staff roster as a Teams team's membership (TEAMS_STAFF_TEAM_ID, issue 20): the team's
 * members act (guests never), with TEAMS_STAFF_IDS too; the membership is read page by page
 * through the Teams API, kept for a while, read again after it, and kept through an outage.
 */
import { strict as assert } from 'node:assert';
import type { App } from '../../src/server/compose.js';
import { rosterFrom, type TeamMember, TeamStaffRoster } from '../../src/teams/team-roster.js';
import { RecordingLogger } from '../helpers/server.js';
import { lodgeRequest } from '../helpers/cases.js';
import { TestClock } from '../helpers/conversation.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { cardAction, type FakeTeams, NOT_STAFF, SECOND_STAFF, STAFF } from '../helpers/teams.js';

const TEAM = '19:service-desk-team@thread.tacv2';
const GUEST = { aadObjectId: 'cccccccc-0000-0000-0000-000000000007', id: '29:guest', name: 'A Guest' };

function member(person: { aadObjectId: string; id: string; name: string }, role: string | null = 'user'): TeamMember {
  return { teamsUserId: person.id, aadObjectId: person.aadObjectId, name: person.name, role };
}

describe('the staff roster from a Teams team', () => {
  it('is the team’s members who are not guests, and the configured ids, named from the team where they are in it', () => {
    const roster = rosterFrom(
      [member(STAFF), member(GUEST, 'guest'), member(SECOND_STAFF)],
      [SECOND_STAFF.aadObjectId.toUpperCase(), 'dddddddd-0000-0000-0000-000000000001'],
    );
    assert.deepEqual(
      roster.map((each) => [each.id, each.name, each.teamsUserId]),
      [
        [STAFF.aadObjectId, STAFF.name, STAFF.id],
        [SECOND_STAFF.aadObjectId, SECOND_STAFF.name, SECOND_STAFF.id],
        ['dddddddd-0000-0000-0000-000000000001', null, null],
      ],
    );
    assert.ok(
      rosterFrom([member(GUEST, 'guest')], [GUEST.aadObjectId]).some((each) => each.id === GUEST.aadObjectId),
      'a guest listed by id is staff',
    );
  });

  it('keeps the membership for a while, reads it again after, and keeps the last one through an outage', async () => {
    const clock = new TestClock(new Date('2026-12-03T10:00:00Z'));
    const log = new RecordingLogger();
    const team: { members: TeamMember[]; down: boolean; reads: number } = { members: [member(STAFF), member(NOT_STAFF)], down: false, reads: 0 };
    const roster = new TeamStaffRoster({
      teamId: TEAM,
      ids: [],
      read: () => {
        team.reads += 1;
        return team.down ? Promise.reject(new Error('Teams is down')) : Promise.resolve(team.members);
      },
      keepMs: 10 * 60_000,
      clock,
      log,
    });
    const ids = async () => (await roster.members()).map((each) => each.id);
    assert.deepEqual(await Promise.all([ids(), ids()]), [
      [STAFF.aadObjectId, NOT_STAFF.aadObjectId],
      [STAFF.aadObjectId, NOT_STAFF.aadObjectId],
    ]);
    assert.equal(team.reads, 1, 'one read for both');
    team.members = [member(STAFF)];
    clock.set('2026-12-03T10:09:00Z');
    assert.ok((await ids()).includes(NOT_STAFF.aadObjectId), 'kept for ten minutes');
    clock.set('2026-12-03T10:11:00Z');
    assert.deepEqual(await ids(), [STAFF.aadObjectId], 'removed from the team, no longer staff');
    team.down = true;
    clock.set('2026-12-03T10:30:00Z');
    assert.deepEqual(await ids(), [STAFF.aadObjectId], 'the last membership read stands in an outage');
    assert.ok(log.lines.some((line) => line.event === 'teams.roster-unread'));
    const reads = team.reads;
    clock.set('2026-12-03T10:30:10Z');
    await ids();
    assert.equal(team.reads, reads, 'not read again at every activity while Teams is down');
  });

  describe('through the app', function () {
    this.timeout(30_000);
    let app: App;
    let teams: FakeTeams;
    let running: TeamsTestApp;

    before(async () => {
      running = await startTeamsApp(uniquePrefix('team-roster'), { env: { TEAMS_STAFF_IDS: '', TEAMS_STAFF_TEAM_ID: TEAM } });
      ({ app, teams } = running);
      // More than a page: the bot follows the pages.
      teams.setTeam(TEAM, [
        { id: STAFF.id, name: STAFF.name, aadObjectId: STAFF.aadObjectId },
        { id: GUEST.id, name: GUEST.name, aadObjectId: GUEST.aadObjectId, userRole: 'guest' },
        { id: '29:someone', name: 'Someone Else', aadObjectId: 'eeeeeeee-0000-0000-0000-000000000003' },
        { id: NOT_STAFF.id, name: NOT_STAFF.name, aadObjectId: NOT_STAFF.aadObjectId },
      ]);
    });
    after(async () => {
      await running.close();
    });

    it('lets a member of the team act, not a guest or someone outside it, reading the team once', async () => {
      const { stored } = await app.stores.cases.lodge(lodgeRequest({}));
      await app.notifier.notify({ kind: 'lodged', case: stored.case });
      const thread = (await app.stores.cases.get(stored.case.reference))?.case.teamsThread ?? assert.fail('no thread');
      const { decisionState } = await import('../../src/teams/cards/case-card.js');
      const data = async () => ({
        reference: stored.case.reference,
        state: decisionState((await app.stores.cases.get(stored.case.reference))?.case ?? assert.fail()),
      });

      for (const outsider of [GUEST, SECOND_STAFF]) {
        const refused = await running.post(cardAction(teams.url, thread.conversationId, outsider, 'assign', await data()));
        assert.match(await refused.text(), /Only the complaints team can act/);
      }
      const assigned = await running.post(cardAction(teams.url, thread.conversationId, NOT_STAFF, 'assign', await data()));
      assert.match(await assigned.text(), /Assigned to A Colleague/);
      assert.equal((await app.stores.cases.get(stored.case.reference))?.case.handler?.id, NOT_STAFF.aadObjectId);
      const reads = teams.calls.filter((call) => call.kind === 'members');
      assert.equal(reads.length, 2, 'one read of the team, in two pages');
    });
  });
});
