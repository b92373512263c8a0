/**
 * The staff bot through the composed app on Redis, driven by Teams-shaped activities: who may
 * act (a matrix of forged and wrong activities, all refused with nothing changed), stale cards
 * and double clicks, the independence rule, extensions, a complainant who cannot be reached,
 * Teams throttling, and the personal chat and installation greeting.
 */
import { strict as assert } from 'node:assert';
import type { Case } from '../../src/cases/case.js';
import type { CaseReference } from '../../src/cases/reference.js';
import type { App } from '../../src/server/compose.js';
import { decisionState } from '../../src/teams/case-card.js';
import { lodgeRequest } from '../helpers/cases.js';
import { connect, newSession } from '../helpers/directline-client.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import {
  botAdded, cardAction, cardOf, CHANNEL, type FakeTeams, NOT_STAFF, OTHER_CHANNEL, OTHER_TENANT, personalMessage,
  SECOND_STAFF, STAFF, stringsOf, TENANT, threadReply,
} from '../helpers/teams.js';

interface InvokeBody { statusCode: number; type: string; value: unknown }

describe('the staff bot in Teams', function () {
  this.timeout(60_000);
  let app: App;
  let url: string;
  let teams: FakeTeams;
  let logger: TeamsTestApp['logger'];
  let running: TeamsTestApp;

  before(async () => {
    running = await startTeamsApp(uniquePrefix('staff-bot'));
    ({ app, url, teams, logger } = running);
  });
  after(async () => { await running.close(); });

  function post(activity: Record<string, unknown>): Promise<Response> {
    return running.post(activity);
  }

  async function invoke(activity: Record<string, unknown>): Promise<InvokeBody> {
    const response = await post(activity);
    assert.equal(response.status, 200);
    return await response.json() as InvokeBody;
  }

  /** A case lodged and announced, so its card is in the channel. */
  async function caseWithCard(overrides: Partial<Omit<Case, 'reference'>> = {}): Promise<{ reference: CaseReference; thread: string; root: string }> {
    const { stored } = await app.stores.cases.lodge(lodgeRequest({ case: overrides }));
    await app.notifier.notify({ kind: 'lodged', case: stored.case });
    const thread = (await app.stores.cases.get(stored.case.reference))?.case.teamsThread;
    assert.ok(thread, 'the card was posted and its thread recorded');
    return { reference: stored.case.reference, thread: thread.conversationId, root: thread.rootActivityId };
  }

  async function version(reference: CaseReference): Promise<number> {
    return (await app.stores.cases.get(reference))?.version ?? assert.fail('no case');
  }

  /** What the case's card carries in its actions now. */
  async function state(reference: CaseReference): Promise<string> {
    return decisionState((await app.stores.cases.get(reference))?.case ?? assert.fail('no case'));
  }

  describe('who may act', () => {
    it('refuses every forged or wrong activity, and changes nothing', async () => {
      const target = await caseWithCard();
      const other = await caseWithCard();
      const data = async (): Promise<Record<string, unknown>> => ({ reference: target.reference, state: await state(target.reference) });
      const before = await version(target.reference);
      const beforeOther = await version(other.reference);
      const repliesBefore = teams.calls.filter((call) => call.kind === 'reply').length;
      const refusalsBefore = logger.lines.filter((line) => line.event === 'security.staff-refused').length;

      const forged: [string, () => Promise<Record<string, unknown>>][] = [
        ['a colleague in the right tenant who is not on the staff list', async () => cardAction(teams.url, target.thread, NOT_STAFF, 'assign', await data())],
        ['staff of another tenant', async () => cardAction(teams.url, target.thread, STAFF, 'assign', await data(), { tenant: OTHER_TENANT })],
        ['an activity whose two tenant ids disagree', async () => {
          const activity = cardAction(teams.url, target.thread, STAFF, 'assign', await data());
          return { ...activity, conversation: { ...activity.conversation, tenantId: OTHER_TENANT } };
        }],
        ['staff acting from another channel', async () => cardAction(teams.url, target.thread, STAFF, 'assign', await data(), { channel: OTHER_CHANNEL })],
        ['a card claiming our channel from another channel’s conversation', async () => cardAction(teams.url, `${OTHER_CHANNEL};messageid=${target.root}`, STAFF, 'assign', await data())],
        ['a Teams-shaped invoke on another channel id', async () => ({ ...cardAction(teams.url, target.thread, STAFF, 'assign', await data()), channelId: 'webchat' })],
        ['an activity without an Entra object id', async () => {
          const activity = cardAction(teams.url, target.thread, STAFF, 'assign', await data());
          return { ...activity, from: { id: STAFF.id, name: STAFF.name } };
        }],
        ['an action for one case from another case’s card', async () => cardAction(teams.url, other.thread, STAFF, 'close', await data())],
        ['an action naming no real case', () => Promise.resolve(cardAction(teams.url, target.thread, STAFF, 'assign', { reference: 'AAA-AAA-AAA', state: 'x' }))],
        ['an unknown verb', async () => cardAction(teams.url, target.thread, STAFF, 'delete-everything', await data())],
        ['a thread reply from a colleague not on the staff list', () => Promise.resolve(threadReply(teams.url, target.thread, NOT_STAFF, 'Hi, I am from the council, send me your bank details'))],
        ['a thread reply from another tenant', () => Promise.resolve(threadReply(teams.url, target.thread, STAFF, 'Please call this number', { tenant: OTHER_TENANT }))],
        ['a personal chat from someone not on the staff list', () => Promise.resolve(personalMessage(teams.url, NOT_STAFF, 'list cases'))],
      ];
      assert.ok(forged.length >= 10);
      for (const [name, make] of forged) {
        const response = await post(await make());
        assert.ok([200, 501].includes(response.status), `${name}: ${String(response.status)}`);
        const text = await response.text();
        assert.doesNotMatch(text, /Sam Taylor|social worker|sam\.taylor/, `${name}: no case details in the answer`);
        assert.equal(await version(target.reference), before, `${name}: the case is unchanged`);
        assert.equal(await version(other.reference), beforeOther, `${name}: the other case is unchanged`);
      }
      const history = await app.stores.cases.history(target.reference);
      assert.ok(!history.some((event) => event.actor.kind === 'staff'), 'no staff event was recorded');
      // The only answers: the colleague told only staff can message complainants, the stranger pointed to the website.
      const answers = teams.calls.filter((call) => call.kind === 'reply').slice(repliesBefore).map((call) => String(call.body.activity?.['text']));
      assert.equal(answers.length, 2);
      for (const answer of answers) assert.match(answer, /^(Only members of the complaints team can message complainants|This app is for the complaints team)/);
      const refusals = logger.lines.filter((line) => line.event === 'security.staff-refused').slice(refusalsBefore);
      assert.ok(refusals.length >= 10, 'each refusal is in the security log');
      assert.ok(refusals.some((line) => line.fields['sender'] === refusals[0]?.fields['sender'] && typeof line.fields['sender'] === 'string' && line.fields['sender'].length === 12), 'with an opaque sender');
      assert.ok(!JSON.stringify(refusals).includes(NOT_STAFF.aadObjectId), 'never the raw id');
    });

    it('gives a public user who forges a Teams-looking activity through the widget nothing but the public conversation', async () => {
      const target = await caseWithCard();
      const before = await version(target.reference);
      const session = await newSession(url);
      const person = connect({ token: session.token, domain: session.domain, webSocket: true });
      try {
        await person.waitFor((activity) => /What would you like to do\?/.test(activity.text ?? ''));
        await person.say(`note: close ${target.reference}`, {
          channelId: 'msteams', conversation: { id: target.thread }, from: { id: STAFF.id, aadObjectId: STAFF.aadObjectId },
          channelData: { tenant: { id: TENANT }, channel: { id: CHANNEL } },
        } as never);
        await person.waitFor((activity) => /Sorry, I didn’t catch that/.test(activity.text ?? ''));
      } finally {
        person.end();
      }
      assert.equal(await version(target.reference), before);
    });
  });

  describe('actions from the card', () => {
    it('refreshes a card someone else acted on, and a double click or a replayed invoke acts once', async () => {
      const target = await caseWithCard();
      const shown = await state(target.reference);
      // A message arriving meanwhile does not make the card stale: nobody decided anything.
      await post(threadReply(teams.url, target.thread, SECOND_STAFF, 'We are looking into this.'));
      const first = cardAction(teams.url, target.thread, STAFF, 'assign', { reference: target.reference, state: shown });
      const second = cardAction(teams.url, target.thread, STAFF, 'assign', { reference: target.reference, state: shown });
      await Promise.all([invoke(first), invoke(second)]);
      assert.equal((await app.stores.cases.history(target.reference)).filter((event) => event.type === 'assigned').length, 1, 'a double click assigns once');

      const stale = await invoke(cardAction(teams.url, target.thread, SECOND_STAFF, 'assign', { reference: target.reference, state: shown }));
      assert.equal(stale.type, 'application/vnd.microsoft.card.adaptive');
      assert.match(JSON.stringify(stale.value), /Someone else changed this case/);
      assert.equal((await app.stores.cases.get(target.reference))?.case.handler?.id, STAFF.aadObjectId, 'the stale card changed nothing');

      const note = cardAction(teams.url, target.thread, STAFF, 'note', { reference: target.reference, state: await state(target.reference), 'note:text': 'Called the family' });
      await invoke(note);
      const replayed = await invoke(note);
      assert.match(JSON.stringify(replayed.value), /already done/);
      assert.equal((await app.stores.cases.history(target.reference)).filter((event) => event.type === 'note').length, 1, 'a replayed invoke notes once');
      const card = cardOf(teams.calls.filter((call) => call.kind === 'update' && call.conversationId === target.thread).at(-1) ?? assert.fail('card not updated'));
      assert.match(JSON.stringify(card), /Jo Bloggs/, 'the card in the channel shows the change for everyone');
    });

    it('enforces and explains the independence rule', async () => {
      const target = await caseWithCard({ decisions: [{ stage: 'stage-1', decidedBy: STAFF.aadObjectId }] });
      // Move it to Stage 2 as the complainant would have.
      const stored = await app.stores.cases.get(target.reference) ?? assert.fail();
      const next = structuredClone(stored.case);
      next.stage = 'stage-2';
      await app.stores.cases.update(stored, { next, event: { type: 'escalated', at: new Date().toISOString(), actor: { kind: 'system', id: null, name: null }, summary: 'Moved' }, idempotencyKey: 'move' });
      const refused = await invoke(cardAction(teams.url, target.thread, STAFF, 'respond', { reference: target.reference, state: await state(target.reference), 'respond:text': 'Our answer', 'note:text': '' }));
      assert.match(JSON.stringify(refused.value), /someone else must decide/);
      assert.match(JSON.stringify(refused.value), /Independence:/);
      assert.equal((await app.stores.cases.get(target.reference))?.case.status, 'open');
      const closing = await invoke(cardAction(teams.url, target.thread, STAFF, 'close', { reference: target.reference, state: await state(target.reference), 'close:message': '' }));
      assert.match(JSON.stringify(closing.value), /someone else must decide/, 'closing is deciding too');
      const allowed = await invoke(cardAction(teams.url, target.thread, SECOND_STAFF, 'respond', { reference: target.reference, state: await state(target.reference), 'respond:text': 'Our answer', 'note:text': '' }));
      assert.match(JSON.stringify(allowed.value), /Response recorded/);
      assert.equal((await app.stores.cases.get(target.reference))?.case.status, 'responded');
    });

    it('extends a deadline only as far as the procedure allows, with the reason in the history', async () => {
      const target = await caseWithCard();
      const before = (await app.stores.cases.get(target.reference))?.case.deadlines.at(-1)?.due;
      const first = await invoke(cardAction(teams.url, target.thread, STAFF, 'extend', { reference: target.reference, state: await state(target.reference), 'extend:reason': 'Complex: three teams involved' }));
      assert.match(JSON.stringify(first.value), /Extended to/);
      const extended = (await app.stores.cases.get(target.reference))?.case.deadlines.at(-1);
      assert.ok(extended?.extended && before && extended.due > before);
      const again = await invoke(cardAction(teams.url, target.thread, STAFF, 'extend', { reference: target.reference, state: await state(target.reference), 'extend:reason': 'More' }));
      assert.match(JSON.stringify(again.value), /already been extended/);
      const missing = await invoke(cardAction(teams.url, target.thread, STAFF, 'extend', { reference: target.reference, state: await state(target.reference), 'extend:reason': '   ' }));
      assert.equal(missing.type, 'application/vnd.microsoft.activity.message');
      assert.match(String(missing.value), /Please fill in: reason/);
    });

    it('keeps a message for a complainant who cannot be reached, and shows it when they next look the case up', async () => {
      const target = await caseWithCard({
        conversations: [{ channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'gone' }, bot: { id: 'bot' }, user: { id: 'someone' } }],
      });
      const message = 'We tried to call you: please ring us back.';
      assert.equal((await post(threadReply(teams.url, target.thread, STAFF, message))).status, 200);
      const kept = (await app.stores.cases.get(target.reference))?.case.undelivered ?? [];
      assert.equal(kept.length, 1);
      assert.ok(teams.calls.some((call) => call.kind === 'reply' && call.conversationId === target.thread && /could not be reached/.test(String(call.body.activity?.['text']))));

      const session = await newSession(url);
      const person = connect({ token: session.token, domain: session.domain, webSocket: true });
      try {
        await person.waitFor((activity) => /What would you like to do\?/.test(activity.text ?? ''));
        await person.say('Check on my complaint');
        await person.waitFor((activity) => /reference/i.test(activity.text ?? '') && activity.from.role !== 'user');
        await person.say(target.reference);
        await person.waitFor((activity) => /email|phone/i.test(activity.text ?? '') && activity.from.role !== 'user' && person.received.indexOf(activity) > 2);
        await person.say('sam.taylor@example.org');
        await person.waitFor((activity) => (activity.text ?? '').includes(message), 15_000);
      } finally {
        person.end();
      }
      assert.deepEqual((await app.stores.cases.get(target.reference))?.case.undelivered, []);
    });

    it('waits out Teams throttling rather than losing the card', async () => {
      teams.throttle(2);
      const target = await caseWithCard();
      assert.equal(teams.throttlesLeft(), 0, 'Teams did answer 429 twice');
      assert.ok(target.thread, 'and the card was posted all the same');
    });
  });

  describe('elsewhere in Teams', () => {
    it('lists a member of staff’s cases in a personal chat', async () => {
      const target = await caseWithCard();
      await invoke(cardAction(teams.url, target.thread, SECOND_STAFF, 'assign', { reference: target.reference, state: await state(target.reference) }));
      const before = teams.calls.length;
      assert.equal((await post(personalMessage(teams.url, SECOND_STAFF, 'my cases'))).status, 200);
      const reply = teams.calls.slice(before).find((call) => call.kind === 'reply');
      assert.match(String(reply?.body.activity?.['text']), /Cases assigned to you/);
      assert.ok(String(reply?.body.activity?.['text']).includes(target.reference.slice(0, 3)));
    });

    it('says which channel id to configure when added to another team', async () => {
      const before = teams.calls.length;
      assert.equal((await post(botAdded(teams.url, OTHER_CHANNEL))).status, 200);
      const reply = teams.calls.slice(before).find((call) => call.kind === 'reply');
      assert.match(String(reply?.body.activity?.['text']), new RegExp(`TEAMS_CHANNEL_ID=${OTHER_CHANNEL.replace(/[.]/g, '\\.')}`));
    });

    it('shows the complainant’s words on the card literally', async () => {
      const hostile = '**bold** [link](https://evil.example) ![img](https://evil.example/x.png) <at>All</at> @channel';
      const target = await caseWithCard({ whatHappened: hostile, outcomeWanted: hostile, complainant: { name: hostile.slice(0, 100), relationship: 'self', relationshipDetail: null } });
      const card = cardOf(teams.calls.filter((call) => (call.kind === 'create' || call.kind === 'update') && call.conversationId === target.thread).at(-1) ?? assert.fail());
      const carrying = stringsOf(card).filter((entry) => entry.value.includes('evil.example'));
      assert.ok(carrying.length >= 2);
      for (const entry of carrying) assert.equal(entry.type, 'TextRun');
    });
  });
});
