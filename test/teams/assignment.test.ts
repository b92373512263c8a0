/**
 * Giving a case to someone (issue 20): "Assign to…" a colleague named from the roster, who is
 * told in a personal chat; taking a case a colleague has needs a deliberate "Take over", and
 * they are told; the independence rule is checked for whoever is given the case; someone not on
 * the roster cannot be given it. Through the composed app on Redis, with the roster a Teams team.
 */
import { strict as assert } from 'node:assert';
import type { CaseReference } from '../../src/cases/reference.js';
import type { App } from '../../src/server/compose.js';
import { type AdaptiveCard, decisionState } from '../../src/teams/cards/case-card.js';
import { problemsWith } from '../helpers/adaptive-cards.js';
import { lodgeRequest } from '../helpers/cases.js';
import { uniquePrefix } from '../helpers/redis.js';
import { type InvokeBody, startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { cardAction, cardOf, type FakeTeams, NOT_STAFF, SECOND_STAFF, STAFF } from '../helpers/teams.js';

const TEAM = '19:service-desk-team@thread.tacv2';
const THIRD = { aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000003', id: '29:staff-three', name: 'Sam Okafor' };

describe('giving a case to someone, from its card', function () {
  this.timeout(30_000);
  let app: App;
  let teams: FakeTeams;
  let running: TeamsTestApp;

  before(async () => {
    running = await startTeamsApp(uniquePrefix('assignment'), { env: { TEAMS_STAFF_IDS: '', TEAMS_STAFF_TEAM_ID: TEAM } });
    ({ app, teams } = running);
    teams.setTeam(
      TEAM,
      [STAFF, SECOND_STAFF, THIRD].map((person) => ({ id: person.id, name: person.name, aadObjectId: person.aadObjectId })),
    );
  });
  after(async () => {
    await running.close();
  });

  function invoke(activity: Record<string, unknown>): Promise<InvokeBody> {
    return running.invoke(activity);
  }

  async function settled(): Promise<void> {
    const started = Date.now();
    while (!(await app.effects.idle())) {
      if (Date.now() - started > 15_000) assert.fail('the effects did not finish');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function caseWithCard(overrides: Parameters<typeof lodgeRequest>[0] = {}): Promise<{ reference: CaseReference; thread: string }> {
    const { stored } = await app.stores.cases.lodge(lodgeRequest(overrides));
    await app.notifier.notify({ kind: 'lodged', case: stored.case });
    const thread = (await app.stores.cases.get(stored.case.reference))?.case.teamsThread ?? assert.fail('no thread');
    return { reference: stored.case.reference, thread: thread.conversationId };
  }

  async function data(reference: CaseReference): Promise<Record<string, unknown>> {
    return { reference, state: decisionState((await app.stores.cases.get(reference))?.case ?? assert.fail('no case')) };
  }

  /** What a member of staff was told in their personal chat with the bot. */
  function toldPersonally(person: { aadObjectId: string }): string[] {
    const chat = `a:personal-${person.aadObjectId}`;
    return teams.calls.filter((call) => call.kind === 'reply' && call.conversationId === chat).map((call) => String(call.body.activity?.['text']));
  }

  it('lists the roster’s colleagues by name, gives the case to one, who is told; taking it back needs Take over, and they are told', async () => {
    const target = await caseWithCard();
    const summary = cardOf(teams.calls.find((call) => call.kind === 'create' && call.conversationId === target.thread) ?? assert.fail('no card'));
    // Teams refreshes the channel's summary to the full card for each member of staff, by their Teams user id.
    assert.deepEqual((summary?.['refresh'] as { userIds: string[] }).userIds, [STAFF.id, SECOND_STAFF.id, THIRD.id]);
    const card = (await invoke(cardAction(teams.url, target.thread, STAFF, 'refresh', { reference: target.reference }))).value as AdaptiveCard;
    assert.deepEqual(problemsWith(card), []);
    const text = JSON.stringify(card);
    assert.match(text, /"title":"Assign to…"/);
    for (const person of [STAFF, SECOND_STAFF, THIRD]) assert.ok(text.includes(`{"title":"${person.name}","value":"${person.aadObjectId}"}`), person.name);

    const given = await invoke(
      cardAction(teams.url, target.thread, STAFF, 'assign-to', { ...(await data(target.reference)), 'assign-to:who': SECOND_STAFF.aadObjectId }),
    );
    assert.match(JSON.stringify(given.value), /Assigned to Ali Khan by Jo Bloggs/);
    assert.equal((await app.stores.cases.get(target.reference))?.case.handler?.id, SECOND_STAFF.aadObjectId);
    await settled();
    assert.ok(toldPersonally(SECOND_STAFF).some((line) => /Jo Bloggs has given you complaint [0-9A-Z-]{11}\./.test(line)));

    // "Assign to me" does not take a colleague's case without a word.
    const plain = await invoke(cardAction(teams.url, target.thread, THIRD, 'assign', await data(target.reference)));
    assert.match(JSON.stringify(plain.value), /Ali Khan has this case\. To take it from them, use “Take over”/);
    assert.match(JSON.stringify(plain.value), /"title":"Take over from Ali Khan"/);
    assert.equal((await app.stores.cases.get(target.reference))?.case.handler?.id, SECOND_STAFF.aadObjectId);

    const taken = await invoke(cardAction(teams.url, target.thread, THIRD, 'assign', { ...(await data(target.reference)), takeOver: 'yes' }));
    assert.match(JSON.stringify(taken.value), /Taken over from Ali Khan by Sam Okafor/);
    assert.equal((await app.stores.cases.get(target.reference))?.case.handler?.id, THIRD.aadObjectId);
    await settled();
    assert.ok(toldPersonally(SECOND_STAFF).some((line) => /Sam Okafor has taken over complaint [0-9A-Z-]{11} from you\./.test(line)));
  });

  it('refuses to give a case to someone not on the roster, or barred from deciding its stage', async () => {
    const target = await caseWithCard({ case: { decisions: [{ stage: 'stage-1', decidedBy: SECOND_STAFF.aadObjectId }] } });
    const stranger = await invoke(
      cardAction(teams.url, target.thread, STAFF, 'assign-to', { ...(await data(target.reference)), 'assign-to:who': NOT_STAFF.aadObjectId }),
    );
    assert.match(JSON.stringify(stranger.value), /not on the complaints team’s roster/);
    // Stage 1 decided by Ali: the case moves to Stage 2, which Ali may not decide.
    const stored = (await app.stores.cases.get(target.reference)) ?? assert.fail();
    await app.stores.cases.update(stored, {
      next: { ...structuredClone(stored.case), stage: 'stage-2' },
      event: { type: 'escalated', at: new Date().toISOString(), actor: { kind: 'system', id: null, name: null }, summary: 'Moved' },
      idempotencyKey: 'move-to-stage-2',
    });
    const barred = await invoke(
      cardAction(teams.url, target.thread, STAFF, 'assign-to', { ...(await data(target.reference)), 'assign-to:who': SECOND_STAFF.aadObjectId }),
    );
    assert.match(JSON.stringify(barred.value), /Ali Khan may not be given this case: .*someone else must decide/);
    assert.equal((await app.stores.cases.get(target.reference))?.case.handler, null);
  });
});
