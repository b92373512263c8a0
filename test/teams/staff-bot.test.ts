/**
 * The staff bot through the composed app on Redis, driven by Teams-shaped activities: who may
 * act (a matrix of forged and wrong activities, all refused with nothing changed), stale cards
 * and double clicks, the independence rule, extensions, who may complain, moving a case on when
 * its response is late, agreed NHS response dates, a complainant who cannot be reached, Teams
 * throttling, and the personal chat and installation greeting. The app runs on the real clock,
 * so cases lodged in June 2025 are long overdue, and a case meant to be in time is lodged now.
 */
import { strict as assert } from 'node:assert';
import { type Case, deadlineRecord } from '../../src/cases/case.js';
import { updateCase } from '../../src/cases/case-store.js';
import { messageFromComplainant } from '../../src/cases/transitions/complainant-message.js';
import type { CaseReference } from '../../src/cases/reference.js';
import { addDays, dateInZone, formatLongDate, type Relationship } from '../../src/policy/index.js';
import type { App } from '../../src/server/compose.js';
import { decisionState } from '../../src/teams/cards/case-card.js';
import { lodgeRequest } from '../helpers/cases.js';
import { connect, newSession } from '../helpers/directline-client.js';
import { policy } from '../helpers/policy.js';
import { uniquePrefix } from '../helpers/redis.js';
import { type InvokeBody, startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import {
  botAdded,
  cardAction,
  cardOf,
  CHANNEL,
  type FakeTeams,
  NOT_STAFF,
  OTHER_CHANNEL,
  OTHER_TENANT,
  personalMessage,
  SECOND_STAFF,
  STAFF,
  stringsOf,
  TENANT,
  threadDelete,
  threadEdit,
  threadReply,
} from '../helpers/teams.js';

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
  after(async () => {
    await running.close();
  });

  function post(activity: Record<string, unknown>): Promise<Response> {
    return running.post(activity);
  }

  function invoke(activity: Record<string, unknown>): Promise<InvokeBody> {
    return running.invoke(activity);
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

  async function stored(reference: CaseReference): Promise<Case> {
    return (await app.stores.cases.get(reference))?.case ?? assert.fail('no case');
  }

  /** The card last posted or updated in a thread: what everyone in the channel sees (the summary). */
  function channelCard(thread: string): string {
    const call = teams.calls.filter((candidate) => (candidate.kind === 'create' || candidate.kind === 'update') && candidate.conversationId === thread).at(-1);
    return JSON.stringify(cardOf(call ?? assert.fail('no card in the thread')));
  }

  /** The full card a member of staff sees in its place (Teams refreshes it for them). */
  async function staffCard(target: { reference: CaseReference; thread: string }): Promise<string> {
    const answer = await invoke(cardAction(teams.url, target.thread, STAFF, 'refresh', { reference: target.reference }));
    assert.equal(answer.type, 'application/vnd.microsoft.card.adaptive');
    return JSON.stringify(answer.value);
  }

  /** Waits until the effects of what was saved are done (they run in the outbox's workers). */
  async function settled(): Promise<void> {
    const started = Date.now();
    while (!(await app.effects.idle())) {
      if (Date.now() - started > 15_000) assert.fail('the effects did not finish');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** What the complainant was sent (kept on the case: these cases have no chat to reach), once it has been. */
  async function toldComplainant(reference: CaseReference): Promise<string[]> {
    await settled();
    return (await stored(reference)).undelivered.map((message) => message.text);
  }

  /** Who is complaining for whom, flagged as lodging flags it. */
  function complainantFor(procedure: string, relationship: Relationship, child: boolean | null): Partial<Omit<Case, 'reference'>> {
    const standing = policy.assessStanding({ procedure, relationship, personAffectedIsChild: child });
    return {
      complainant: { name: 'Pat Taylor', relationship, relationshipDetail: relationship === 'relative' ? 'grandmother' : null },
      personAffected: { name: 'Alex', description: 'aged 9', child },
      flags: {
        safeguarding: null,
        late: null,
        standing: standing.status === 'needs-decision' ? { check: standing.check, decision: 'pending' } : null,
        lateEscalation: null,
      },
    };
  }

  /** An NHS complaint made by a parent for their child, received on 2 June 2025 (six months on, long past). */
  function nhsForAChild(): Partial<Omit<Case, 'reference'>> {
    const received = new Date('2025-06-02T09:00:00Z');
    return {
      procedure: 'nhs-health',
      stage: 'local-resolution',
      route: 'provider',
      deadlines: [deadlineRecord(policy.responseDeadline({ procedure: 'nhs-health', stage: 'local-resolution', stageStartedAt: received }))],
      ...complainantFor('nhs-health', 'parent', true),
    };
  }

  describe('who may act', () => {
    it('refuses every forged or wrong activity, and changes nothing', async () => {
      // A relative's complaint, overdue: accepting or declining who may complain, and moving it on, are all open to staff.
      const target = await caseWithCard(complainantFor('la-childrens-services', 'relative', true));
      const other = await caseWithCard();
      // An NHS complaint for a child: the representative check, and an agreed response date.
      const nhs = await caseWithCard(nhsForAChild());
      const data = async (): Promise<Record<string, unknown>> => ({ reference: target.reference, state: await state(target.reference) });
      const nhsData = async (): Promise<Record<string, unknown>> => ({ reference: nhs.reference, state: await state(nhs.reference) });
      const agreedOn = addDays(dateInZone(new Date(), 'Europe/London'), 30);
      const before = await version(target.reference);
      const beforeOther = await version(other.reference);
      const beforeNhs = await version(nhs.reference);
      const repliesBefore = teams.calls.filter((call) => call.kind === 'reply').length;
      const refusalsBefore = logger.lines.filter((line) => line.event === 'security.staff-refused').length;

      const forged: [string, () => Promise<Record<string, unknown>>][] = [
        ['a colleague in the right tenant who is not on the staff list', async () => cardAction(teams.url, target.thread, NOT_STAFF, 'assign', await data())],
        ['staff of another tenant', async () => cardAction(teams.url, target.thread, STAFF, 'assign', await data(), { tenant: OTHER_TENANT })],
        [
          'an activity whose two tenant ids disagree',
          async () => {
            const activity = cardAction(teams.url, target.thread, STAFF, 'assign', await data());
            return { ...activity, conversation: { ...activity.conversation, tenantId: OTHER_TENANT } };
          },
        ],
        ['staff acting from another channel', async () => cardAction(teams.url, target.thread, STAFF, 'assign', await data(), { channel: OTHER_CHANNEL })],
        [
          'a card claiming our channel from another channel’s conversation',
          async () => cardAction(teams.url, `${OTHER_CHANNEL};messageid=${target.root}`, STAFF, 'assign', await data()),
        ],
        [
          'a Teams-shaped invoke on another channel id',
          async () => ({ ...cardAction(teams.url, target.thread, STAFF, 'assign', await data()), channelId: 'webchat' }),
        ],
        [
          'an activity without an Entra object id',
          async () => {
            const activity = cardAction(teams.url, target.thread, STAFF, 'assign', await data());
            return { ...activity, from: { id: STAFF.id, name: STAFF.name } };
          },
        ],
        ['an action for one case from another case’s card', async () => cardAction(teams.url, other.thread, STAFF, 'close', await data())],
        [
          'an action naming no real case',
          () => Promise.resolve(cardAction(teams.url, target.thread, STAFF, 'assign', { reference: 'AAA-AAA-AAA', state: 'x' })),
        ],
        ['an unknown verb', async () => cardAction(teams.url, target.thread, STAFF, 'delete-everything', await data())],
        [
          'a thread reply from a colleague not on the staff list',
          () => Promise.resolve(threadReply(teams.url, target.thread, NOT_STAFF, 'Hi, I am from the council, send me your bank details')),
        ],
        [
          'a thread reply from another tenant',
          () => Promise.resolve(threadReply(teams.url, target.thread, STAFF, 'Please call this number', { tenant: OTHER_TENANT })),
        ],
        ['a personal chat from someone not on the staff list', () => Promise.resolve(personalMessage(teams.url, NOT_STAFF, 'list cases'))],
      ];
      // Each decision the card now offers, tried by everyone who may not make it.
      const verbs: [string, 'target' | 'nhs', Record<string, unknown>][] = [
        ['accept-standing', 'target', {}],
        ['decline-standing', 'target', { 'decline-standing:message': 'You may not complain for this child.' }],
        ['escalate', 'target', {}],
        ['accept-standing', 'nhs', {}],
        ['decline-standing', 'nhs', { 'decline-standing:message': 'We cannot accept you as the child’s representative.' }],
        ['record-agreed-response', 'nhs', { 'record-agreed-response:agreedOn': agreedOn }],
        ['reply', 'target', { 'reply:text': 'Please send us your bank details.' }],
      ];
      for (const [verb, which, inputs] of verbs) {
        const card = which === 'nhs' ? nhs : target;
        const own = async (): Promise<Record<string, unknown>> => ({ ...(which === 'nhs' ? await nhsData() : await data()), ...inputs });
        forged.push(
          [`${verb} on the ${which} card by a colleague not on the staff list`, async () => cardAction(teams.url, card.thread, NOT_STAFF, verb, await own())],
          [
            `${verb} on the ${which} card by staff of another tenant`,
            async () => cardAction(teams.url, card.thread, STAFF, verb, await own(), { tenant: OTHER_TENANT }),
          ],
          [
            `${verb} on the ${which} card from another channel`,
            async () => cardAction(teams.url, card.thread, STAFF, verb, await own(), { channel: OTHER_CHANNEL }),
          ],
          [`${verb} for the ${which} case from another case’s card`, async () => cardAction(teams.url, other.thread, STAFF, verb, await own())],
        );
      }
      // Reading: the full card, the whole history and the complainant's words, by anyone who may not (they get the summary at most).
      forged.push(
        [
          'Show details by a colleague not on the staff list',
          () => Promise.resolve(cardAction(teams.url, target.thread, NOT_STAFF, 'refresh', { reference: target.reference })),
        ],
        [
          'Show details by staff of another tenant',
          () => Promise.resolve(cardAction(teams.url, target.thread, STAFF, 'refresh', { reference: target.reference }, { tenant: OTHER_TENANT })),
        ],
        [
          'the whole history by a colleague not on the staff list',
          () => Promise.resolve(cardAction(teams.url, target.thread, NOT_STAFF, 'history', { reference: target.reference, page: '1' })),
        ],
        [
          'the complainant’s words by a colleague not on the staff list',
          () =>
            Promise.resolve(
              cardAction(teams.url, target.thread, NOT_STAFF, 'reveal', {
                reference: target.reference,
                what: 'complainant-words',
                at: new Date().toISOString(),
              }),
            ),
        ],
        [
          'Assign to… by a colleague not on the staff list',
          async () => cardAction(teams.url, target.thread, NOT_STAFF, 'assign-to', { ...(await data()), 'assign-to:who': NOT_STAFF.aadObjectId }),
        ],
        [
          'Assign to… someone off the roster, by staff from another channel',
          async () =>
            cardAction(teams.url, target.thread, STAFF, 'assign-to', { ...(await data()), 'assign-to:who': NOT_STAFF.aadObjectId }, { channel: OTHER_CHANNEL }),
        ],
      );
      // A held reply's buttons, and edits and deletions of thread messages, by anyone who may not.
      const replyId = '1700000999999';
      forged.push(
        [
          'Undo of a reply by a colleague not on the staff list',
          () => Promise.resolve(cardAction(teams.url, target.thread, NOT_STAFF, 'undo-reply', { reference: target.reference, replyId })),
        ],
        [
          'Send now of a reply by staff of another tenant',
          () =>
            Promise.resolve(cardAction(teams.url, target.thread, STAFF, 'send-reply-now', { reference: target.reference, replyId }, { tenant: OTHER_TENANT })),
        ],
        [
          'Send now of a reply from another channel',
          () =>
            Promise.resolve(
              cardAction(teams.url, target.thread, STAFF, 'send-reply-now', { reference: target.reference, replyId }, { channel: OTHER_CHANNEL }),
            ),
        ],
        [
          'an edit of a thread message by a colleague not on the staff list',
          () => Promise.resolve(threadEdit(teams.url, target.thread, NOT_STAFF, replyId, 'Send your bank details', { mention: true })),
        ],
        [
          'a deletion in the thread by staff of another tenant',
          () =>
            Promise.resolve({
              ...threadDelete(teams.url, target.thread, STAFF, replyId),
              conversation: { id: target.thread, isGroup: true, conversationType: 'channel', tenantId: OTHER_TENANT },
            }),
        ],
        [
          'a reply to the complainant (@mention) from a colleague not on the staff list',
          () => Promise.resolve(threadReply(teams.url, target.thread, NOT_STAFF, 'Send me your bank details', { mention: true })),
        ],
      );
      forged.push(
        [
          'a forged invoke from the web chat with an agreed date',
          async () => ({
            ...cardAction(teams.url, nhs.thread, STAFF, 'record-agreed-response', { ...(await nhsData()), 'record-agreed-response:agreedOn': agreedOn }),
            channelId: 'webchat',
          }),
        ],
        [
          'declining who may complain without an Entra object id',
          async () => {
            const activity = cardAction(teams.url, target.thread, STAFF, 'decline-standing', { ...(await data()), 'decline-standing:message': 'No.' });
            return { ...activity, from: { id: STAFF.id, name: STAFF.name } };
          },
        ],
        [
          'moving a case on with tenant ids that disagree',
          async () => {
            const activity = cardAction(teams.url, target.thread, STAFF, 'escalate', await data());
            return { ...activity, conversation: { ...activity.conversation, tenantId: OTHER_TENANT } };
          },
        ],
      );
      assert.ok(forged.length >= 30, `${String(forged.length)} cases`);
      for (const [name, make] of forged) {
        const response = await post(await make());
        assert.ok([200, 501].includes(response.status), `${name}: ${String(response.status)}`);
        const text = await response.text();
        assert.doesNotMatch(text, /Sam Taylor|social worker|sam\.taylor/, `${name}: no case details in the answer`);
        assert.equal(await version(target.reference), before, `${name}: the case is unchanged`);
        assert.equal(await version(other.reference), beforeOther, `${name}: the other case is unchanged`);
        assert.equal(await version(nhs.reference), beforeNhs, `${name}: the NHS case is unchanged`);
      }
      for (const reference of [target.reference, nhs.reference]) {
        const history = await app.stores.cases.history(reference);
        assert.ok(!history.some((event) => event.actor.kind === 'staff'), 'no staff event was recorded');
        assert.deepEqual(await toldComplainant(reference), [], 'the complainant was told nothing');
      }
      assert.equal((await stored(target.reference)).flags.standing?.decision, 'pending');
      assert.equal((await stored(target.reference)).stage, 'stage-1');
      assert.equal((await stored(nhs.reference)).deadlines.length, 1);
      // The only answers: the colleague told only staff can message complainants, the stranger pointed to the website.
      const answers = teams.calls
        .filter((call) => call.kind === 'reply')
        .slice(repliesBefore)
        .map((call) => String(call.body.activity?.['text']));
      // (To the colleague off the list who @mentioned the bot, and the stranger in a personal chat; one who did not mention it is left to talk.)
      assert.equal(answers.length, 2);
      for (const answer of answers) assert.match(answer, /^(Only members of the complaints team can message complainants|This app is for the complaints team)/);
      const refusals = logger.lines.filter((line) => line.event === 'security.staff-refused').slice(refusalsBefore);
      assert.ok(refusals.length >= 10, 'each refusal is in the security log');
      assert.ok(
        refusals.some(
          (line) => line.fields['sender'] === refusals[0]?.fields['sender'] && typeof line.fields['sender'] === 'string' && line.fields['sender'].length === 12,
        ),
        'with an opaque sender',
      );
      assert.ok(!JSON.stringify(refusals).includes(NOT_STAFF.aadObjectId), 'never the raw id');

      // The same actions from staff, in the channel, on the right card, do act: the refusals above were for who and where.
      const accepted = await invoke(cardAction(teams.url, target.thread, STAFF, 'accept-standing', await data()));
      assert.match(JSON.stringify(accepted.value), /Accepted: the complainant has sufficient interest/);
      const agreed = await invoke(
        cardAction(teams.url, nhs.thread, STAFF, 'record-agreed-response', { ...(await nhsData()), 'record-agreed-response:agreedOn': agreedOn }),
      );
      assert.match(JSON.stringify(agreed.value), /Response date agreed/);
      assert.ok((await version(target.reference)) > before && (await version(nhs.reference)) > beforeNhs);
    });

    it('gives a public user who forges a Teams-looking activity through the widget nothing but the public conversation', async () => {
      const target = await caseWithCard();
      const before = await version(target.reference);
      const session = await newSession(url);
      const person = connect({ token: session.token, domain: session.domain, webSocket: true });
      try {
        await person.waitFor((activity) => /What would you like to do\?/.test(activity.text ?? ''));
        await person.say(`note: close ${target.reference}`, {
          channelId: 'msteams',
          conversation: { id: target.thread },
          from: { id: STAFF.id, aadObjectId: STAFF.aadObjectId },
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

      const note = cardAction(teams.url, target.thread, STAFF, 'note', {
        reference: target.reference,
        state: await state(target.reference),
        'note:text': 'Called the family',
      });
      await invoke(note);
      const replayed = await invoke(note);
      assert.match(JSON.stringify(replayed.value), /already done/);
      assert.equal((await app.stores.cases.history(target.reference)).filter((event) => event.type === 'note').length, 1, 'a replayed invoke notes once');
      const card = channelCard(target.thread);
      assert.match(card, /With a handler: response owed/, 'the card in the channel shows the change for everyone');
      assert.doesNotMatch(card, /Jo Bloggs|Sam Taylor/, 'without names');
      assert.match(await staffCard(target), /Jo Bloggs/, 'staff see who has it');
      const history = await invoke(cardAction(teams.url, target.thread, STAFF, 'history', { reference: target.reference, page: '1' }));
      assert.match(
        JSON.stringify(history.value),
        /history".*entries, newest first\. Page 1 of 1\..*Jo Bloggs \[internal note\]: Internal note: Called the family/,
      );
      const notForThem = await invoke(cardAction(teams.url, target.thread, NOT_STAFF, 'history', { reference: target.reference, page: '1' }));
      assert.doesNotMatch(JSON.stringify(notForThem.value), /Called the family/);
    });

    it('enforces and explains the independence rule', async () => {
      const target = await caseWithCard({ decisions: [{ stage: 'stage-1', decidedBy: STAFF.aadObjectId }] });
      // Move it to Stage 2 as the complainant would have.
      const stored = (await app.stores.cases.get(target.reference)) ?? assert.fail();
      const next = structuredClone(stored.case);
      next.stage = 'stage-2';
      await app.stores.cases.update(stored, {
        next,
        event: { type: 'escalated', at: new Date().toISOString(), actor: { kind: 'system', id: null, name: null }, summary: 'Moved' },
        idempotencyKey: 'move',
      });
      const refused = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'respond', {
          reference: target.reference,
          state: await state(target.reference),
          'respond:text': 'Our answer',
          'respond:outcome': 'upheld',
          'note:text': '',
        }),
      );
      assert.match(JSON.stringify(refused.value), /someone else must decide/);
      assert.match(JSON.stringify(refused.value), /Independence:/);
      assert.equal((await app.stores.cases.get(target.reference))?.case.status, 'open');
      const closing = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'close', { reference: target.reference, state: await state(target.reference), 'close:message': '' }),
      );
      assert.match(JSON.stringify(closing.value), /someone else must decide/, 'closing is deciding too');
      const assigning = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'assign', { reference: target.reference, state: await state(target.reference) }),
      );
      assert.match(JSON.stringify(assigning.value), /someone else must decide/, 'taking it on is refused at once, not when deciding');
      assert.equal((await app.stores.cases.get(target.reference))?.case.handler, null);
      const allowed = await invoke(
        cardAction(teams.url, target.thread, SECOND_STAFF, 'respond', {
          reference: target.reference,
          state: await state(target.reference),
          'respond:text': 'Our answer',
          'respond:outcome': 'upheld',
          'note:text': '',
        }),
      );
      assert.match(JSON.stringify(allowed.value), /Response recorded/);
      assert.equal((await app.stores.cases.get(target.reference))?.case.status, 'responded');
    });

    it('extends a deadline only as far as the procedure allows, with the reason in the history', async () => {
      const target = await caseWithCard();
      const before = (await app.stores.cases.get(target.reference))?.case.deadlines.at(-1)?.due;
      const first = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'extend', {
          reference: target.reference,
          state: await state(target.reference),
          'extend:reason': 'Complex: three teams involved',
        }),
      );
      assert.match(JSON.stringify(first.value), /Extended to/);
      const extended = (await app.stores.cases.get(target.reference))?.case.deadlines.at(-1);
      assert.ok(extended?.extended && before && extended.due > before);
      const again = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'extend', { reference: target.reference, state: await state(target.reference), 'extend:reason': 'More' }),
      );
      assert.match(JSON.stringify(again.value), /already been extended/);
      const missing = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'extend', { reference: target.reference, state: await state(target.reference), 'extend:reason': '   ' }),
      );
      assert.equal(missing.type, 'application/vnd.microsoft.activity.message');
      assert.match(String(missing.value), /Please fill in the reason\./);
    });

    it('keeps a message for a complainant who cannot be reached, and shows it when they next look the case up', async () => {
      const target = await caseWithCard({
        conversations: [
          { channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'gone' }, bot: { id: 'bot' }, user: { id: 'someone' } },
        ],
      });
      const message = 'We tried to call you: please ring us back.';
      assert.equal((await post(threadReply(teams.url, target.thread, STAFF, message, { mention: true }))).status, 200);
      await settled();
      const kept = (await app.stores.cases.get(target.reference))?.case.undelivered ?? [];
      assert.equal(kept.length, 1);
      assert.ok(
        teams.calls.some(
          (call) => call.kind === 'reply' && call.conversationId === target.thread && /could not be reached/.test(String(call.body.activity?.['text'])),
        ),
      );

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

    it('tells the writer of a reply sent at once (no hold) that editing or deleting it here does not reach the complainant', async () => {
      const target = await caseWithCard();
      const reply = threadReply(teams.url, target.thread, STAFF, 'We will call you at noon.', { mention: true });
      assert.equal((await post(reply)).status, 200);
      await settled();
      assert.equal((await post(threadEdit(teams.url, target.thread, STAFF, reply.id, 'We will call you at one.', { mention: true }))).status, 200);
      assert.equal((await post(threadDelete(teams.url, target.thread, STAFF, reply.id))).status, 200);
      const said = teams.calls
        .filter((call) => call.kind === 'reply' && call.conversationId === target.thread)
        .map((call) => String(call.body.activity?.['text']));
      assert.ok(said.some((text) => /already been sent to the complainant, so the change did not reach them/.test(text)));
      assert.ok(said.some((text) => /already been sent to the complainant, so deleting it here does not take it back/.test(text)));
      // Colleagues' talk edited or deleted is nobody's business but theirs: nothing said.
      const talk = threadReply(teams.url, target.thread, STAFF, 'Ringing her now');
      assert.equal((await post(talk)).status, 200);
      const before = teams.calls.length;
      assert.equal((await post(threadDelete(teams.url, target.thread, STAFF, talk.id))).status, 200);
      assert.equal(teams.calls.length, before);
    });

    it('waits out Teams throttling rather than losing the card', async () => {
      teams.throttle(2);
      const target = await caseWithCard();
      assert.equal(teams.throttlesLeft(), 0, 'Teams did answer 429 twice');
      assert.ok(target.thread, 'and the card was posted all the same');
    });
  });

  describe('who may complain, late responses and agreed dates', () => {
    it('shows the sufficient-interest decision on the card of a complaint lodged by a relative, and accepts it', async () => {
      const target = await caseWithCard(complainantFor('la-childrens-services', 'relative', null));
      const posted = await staffCard(target);
      // Lodging a flagged case also tells the thread what to decide, in words.
      await app.notifier.notify({ kind: 'flagged', case: await stored(target.reference) });
      const notice = teams.calls
        .filter((call) => call.kind === 'reply' && call.conversationId === target.thread)
        .map((call) => JSON.stringify(call.body))
        .join('\n');
      assert.match(
        notice,
        /Who may complain: decide on the card whether the person has sufficient interest in the child’s welfare, before the complaint is considered\./,
      );
      assert.match(
        posted,
        /WHO MAY COMPLAIN: DECIDE FIRST\. Before the complaint is considered, decide whether the person has sufficient interest in the child’s welfare \(Children Act 1989 s26\(3\)/,
      );
      assert.match(posted, /"verb":"accept-standing"/);
      assert.match(posted, /"verb":"decline-standing"/);
      const shown = await state(target.reference);

      const accepted = await invoke(cardAction(teams.url, target.thread, STAFF, 'accept-standing', { reference: target.reference, state: shown }));
      assert.match(JSON.stringify(accepted.value), /Accepted: the complainant has sufficient interest in the child’s welfare\. The complaint goes ahead\./);
      assert.match(JSON.stringify(accepted.value), /Who may complain: accepted/);
      assert.doesNotMatch(JSON.stringify(accepted.value), /"verb":"(accept|decline)-standing"/);
      const after = await stored(target.reference);
      assert.equal(after.flags.standing?.decision, 'accepted');
      assert.equal(after.status, 'open', 'the complaint goes ahead');
      assert.ok(
        (await app.stores.cases.history(target.reference)).some((event) => event.actor.kind === 'staff' && /^Who may complain: accepted/.test(event.summary)),
        'in the history',
      );
      assert.deepEqual(await toldComplainant(target.reference), [], 'accepting tells the complainant nothing');
      assert.match(await staffCard(target), /Who may complain: accepted/, 'the full card shows it');
      assert.match(channelCard(target.thread), /"title":"Flags","value":"who may complain"}/, 'the channel’s summary no longer asks for the decision');

      const stale = await invoke(
        cardAction(teams.url, target.thread, SECOND_STAFF, 'decline-standing', {
          reference: target.reference,
          state: shown,
          'decline-standing:message': 'No.',
        }),
      );
      assert.match(JSON.stringify(stale.value), /Someone else changed this case/, 'a card shown before the decision is stale');
      const again = await invoke(
        cardAction(teams.url, target.thread, SECOND_STAFF, 'decline-standing', {
          reference: target.reference,
          state: await state(target.reference),
          'decline-standing:message': 'No.',
        }),
      );
      assert.match(JSON.stringify(again.value), /There is no decision about who may complain waiting/);
      assert.equal((await stored(target.reference)).flags.standing?.decision, 'accepted');
    });

    it('declines the representative for an NHS complaint for a child: the case closes and the complainant is told why', async () => {
      const target = await caseWithCard(nhsForAChild());
      assert.match(await staffCard(target), /decide whether there are reasonable grounds for someone else to complain for the child \(SI 2009\/309 reg 5/);
      const empty = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'decline-standing', {
          reference: target.reference,
          state: await state(target.reference),
          'decline-standing:message': '  ',
        }),
      );
      assert.equal(empty.type, 'application/vnd.microsoft.activity.message');
      assert.match(String(empty.value), /Please fill in what the complainant is told\./);

      const why = 'Alex is 16 and has told us they want to make the complaint themselves; we will contact them directly.';
      const declined = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'decline-standing', {
          reference: target.reference,
          state: await state(target.reference),
          'decline-standing:message': why,
        }),
      );
      assert.match(JSON.stringify(declined.value), /Declined and closed; the complainant has been told\./);
      assert.match(JSON.stringify(declined.value), /Who may complain: declined/);
      const after = await stored(target.reference);
      assert.equal(after.status, 'closed');
      assert.equal(after.flags.standing?.decision, 'declined');
      const told = await toldComplainant(target.reference);
      assert.equal(told.length, 1);
      assert.ok(told[0]?.includes(why), 'the complainant is sent the words staff wrote');
      assert.ok(
        teams.calls.some(
          (call) =>
            call.kind === 'reply' && call.conversationId === target.thread && /Jo Bloggs: Declined and closed/.test(String(call.body.activity?.['text'])),
        ),
        'and the thread says so',
      );
    });

    it('reopens a closed case from its card with a reason, puts back the decision that closed it, and tells the complainant when asked to', async () => {
      const target = await caseWithCard(nhsForAChild());
      assert.doesNotMatch(await staffCard(target), /"verb":"reopen"/, 'an open case offers no reopening');
      const declined = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'decline-standing', {
          reference: target.reference,
          state: await state(target.reference),
          'decline-standing:message': 'We will contact Alex directly.',
        }),
      );
      assert.match(JSON.stringify(declined.value), /"verb":"reopen"/, 'a closed case offers reopening');
      const noReason = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'reopen', { reference: target.reference, state: await state(target.reference), 'reopen:reason': ' ' }),
      );
      assert.match(String(noReason.value), /Please fill in the reason\./);
      assert.equal((await stored(target.reference)).status, 'closed');

      // The complainant writes to the closed case: the thread is alerted, with Reopen beside their words.
      await updateCase(app.stores.cases, target.reference, 'wrote-after-closing', (current) =>
        messageFromComplainant(current.case, { text: 'I have the power of attorney now, please look again.' }, { now: new Date() }),
      );
      await settled();
      const alert = teams.calls
        .filter((call) => call.kind === 'reply' && call.conversationId === target.thread)
        .map((call) => JSON.stringify(cardOf(call) ?? {}))
        .find((text) => /wrote about complaint [0-9A-Z-]{11} \(the case is closed\)/.test(text));
      assert.ok(alert, 'the thread is told they wrote');
      assert.doesNotMatch(alert, /power of attorney/, 'without their words, which are for staff only');
      const at = /"at":"([^"]+)"/.exec(alert)?.[1] ?? assert.fail('the line names the words');
      const shown = JSON.stringify(
        (await invoke(cardAction(teams.url, target.thread, STAFF, 'reveal', { reference: target.reference, what: 'complainant-words', at }))).value,
      );
      assert.match(shown, /I have the power of attorney now, please look again\./);
      assert.match(shown, /wrote about this closed case/);
      assert.match(shown, /"verb":"reopen"/);
      const hidden = JSON.stringify(
        (await invoke(cardAction(teams.url, target.thread, NOT_STAFF, 'reveal', { reference: target.reference, what: 'complainant-words', at }))).value,
      );
      assert.doesNotMatch(hidden, /power of attorney/, 'not for a colleague off the roster');

      const reopened = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'reopen', {
          reference: target.reference,
          state: await state(target.reference),
          'reopen:reason': 'Alex’s mother showed us she has a lasting power of attorney.',
          'reopen:message': 'We have looked again and will consider your complaint for Alex.',
        }),
      );
      assert.match(JSON.stringify(reopened.value), /Reopened\./);
      const after = await stored(target.reference);
      assert.equal(after.status, 'open');
      assert.equal(after.flags.standing?.decision, 'pending', 'who may complain is to be decided again');
      const history = await app.stores.cases.history(target.reference);
      assert.equal(history.at(-1)?.type, 'reopened');
      assert.equal(history.at(-1)?.details['reason'], 'Alex’s mother showed us she has a lasting power of attorney.');
      const told = await toldComplainant(target.reference);
      assert.ok(told.at(-1)?.includes('it has been opened again.\n\nWe have looked again and will consider your complaint for Alex.'));
      assert.match(JSON.stringify(reopened.value), /"verb":"accept-standing"/, 'the card offers the decision again');
    });

    it('moves an overdue Stage 1 case to Stage 2 at the complainant’s request, and refuses one still in time with the policy’s reason', async () => {
      const overdue = await caseWithCard();
      assert.match(await staffCard(overdue), /"title":"Move to Stage 2: Investigation \(response late\)","verb":"escalate"/);
      assert.match(await staffCard(overdue), /The response is late: at the complainant’s request the case may move to Stage 2: Investigation now/);
      const moved = await invoke(
        cardAction(teams.url, overdue.thread, STAFF, 'escalate', { reference: overdue.reference, state: await state(overdue.reference) }),
      );
      assert.match(
        JSON.stringify(moved.value),
        /The response at Stage 1: Local Resolution was late, so at the complainant’s request the case moved to Stage 2: Investigation; [^.]+ by [A-Z][a-z]+day \d+ [A-Z][a-z]+ \d{4}/,
      );
      const after = await stored(overdue.reference);
      assert.equal(after.stage, 'stage-2');
      assert.equal(after.status, 'open');
      assert.equal(after.deadlines.at(-1)?.stage, 'stage-2');
      const told = await toldComplainant(overdue.reference);
      assert.equal(told.length, 1);
      assert.match(
        told[0] ?? '',
        /^The response at Stage 1: Local Resolution was late, so as you asked, your complaint [0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3} has moved to \*\*Stage 2: Investigation\*\*/,
      );
      assert.ok(
        (await app.stores.cases.history(overdue.reference)).some((event) => event.type === 'escalated' && event.details['reason'] === 'response-overdue'),
      );

      // Lodged today: its Stage 1 response is due in ten working days.
      const inTime = await caseWithCard({
        deadlines: [deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: new Date() }))],
      });
      assert.doesNotMatch(await staffCard(inTime), /"verb":"escalate"/);
      const refused = await invoke(
        cardAction(teams.url, inTime.thread, STAFF, 'escalate', { reference: inTime.reference, state: await state(inTime.reference) }),
      );
      assert.match(
        JSON.stringify(refused.value),
        /Not moved\. What the complainant is told: You can ask to take your complaint to Stage 2: Investigation once you have had a response at this stage\. The response is due by /,
      );
      assert.equal((await stored(inTime.reference)).stage, 'stage-1');
      assert.deepEqual(await toldComplainant(inTime.reference), []);
    });

    it('records an agreed NHS response date and tells the complainant, and refuses a past date or a stage without one', async () => {
      const target = await caseWithCard(nhsForAChild());
      assert.match(await staffCard(target), /"id":"record-agreed-response:agreedOn"/);
      const past = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'record-agreed-response', {
          reference: target.reference,
          state: await state(target.reference),
          'record-agreed-response:agreedOn': '2025-01-01',
        }),
      );
      assert.match(
        JSON.stringify(past.value),
        /Wednesday 1 January 2025 has already passed \(today is [^)]+\)\. Record the date agreed with the complainant: today or later\./,
      );
      assert.equal((await stored(target.reference)).deadlines.length, 1, 'a past date changes nothing');
      const missing = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'record-agreed-response', { reference: target.reference, state: await state(target.reference) }),
      );
      assert.match(String(missing.value), /Please fill in the date\./);

      const agreedOn = addDays(dateInZone(new Date(), 'Europe/London'), 30);
      const recorded = await invoke(
        cardAction(teams.url, target.thread, STAFF, 'record-agreed-response', {
          reference: target.reference,
          state: await state(target.reference),
          'record-agreed-response:agreedOn': agreedOn,
        }),
      );
      const day = formatLongDate(agreedOn);
      assert.match(JSON.stringify(recorded.value), new RegExp(`Response date agreed: ${day} \\(SI 2009/309 reg 13`));
      assert.match(JSON.stringify(recorded.value), new RegExp(`Response agreed for ${day} \\(\\d+ working days left\\)`), 'the card counts to the agreed date');
      assert.doesNotMatch(JSON.stringify(recorded.value), /OVERDUE|PHSO\) now/, 'no longer late: the agreed date replaces the six months');
      const after = await stored(target.reference);
      assert.equal(after.deadlines.at(-1)?.timeLimit, 'agreed-response');
      assert.equal(after.deadlines.at(-1)?.due, agreedOn);
      assert.deepEqual(await toldComplainant(target.reference), [
        `About your complaint ${/[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/.exec(JSON.stringify(recorded.value))?.[0] ?? ''}: as agreed with you, you’ll have ` +
          `our response by **${day}**. If it isn’t ready by then, we’ll write to tell you why.`,
      ]);
      assert.ok((await app.stores.cases.history(target.reference)).some((event) => event.summary === `Response date agreed with the complainant: ${day}`));

      const childrens = await caseWithCard();
      const fixed = await invoke(
        cardAction(teams.url, childrens.thread, STAFF, 'record-agreed-response', {
          reference: childrens.reference,
          state: await state(childrens.reference),
          'record-agreed-response:agreedOn': agreedOn,
        }),
      );
      assert.match(
        JSON.stringify(fixed.value),
        /Stage 1: Local Resolution has fixed time limits: the procedure does not let a response date be agreed with the complainant\./,
      );
      assert.equal((await stored(childrens.reference)).deadlines.length, 1);
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
      const target = await caseWithCard({
        whatHappened: hostile,
        outcomeWanted: hostile,
        complainant: { name: hostile.slice(0, 100), relationship: 'self', relationshipDetail: null },
      });
      assert.doesNotMatch(channelCard(target.thread), /evil\.example/, 'nothing of theirs in what the channel sees');
      const card = JSON.parse(await staffCard(target)) as Record<string, unknown>;
      const carrying = stringsOf(card).filter((entry) => entry.value.includes('evil.example'));
      assert.ok(carrying.length >= 2);
      for (const entry of carrying) assert.equal(entry.type, 'TextRun');
    });
  });
});
