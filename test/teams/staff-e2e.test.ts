/**
 * The staff side end to end, through the whole composed bot on Redis: a person lodges a
 * complaint in the widget (Microsoft's Direct Line client against the self-hosted endpoint);
 * its card appears as a new post in the service desk's channel; colleagues' talk in the card's
 * thread stays there, a reply to the person sent by mistake is undone while it is held, and the
 * right one reaches the person's chat; their answer comes back into the thread; an internal note stays in
 * Teams; staff assign, respond and move the case on from the card; the person hears each.
 */
import { strict as assert } from 'node:assert';
import { isCaseReference } from '../../src/cases/reference.js';
import type { App } from '../../src/server/compose.js';
import { connect, eventually, lodgeThroughWidget, newSession, sayAndWait } from '../helpers/directline-client.js';
import { countKeys, productClient, uniquePrefix } from '../helpers/redis.js';
import { cardAction, cardOf, CHANNEL, type FakeTeams, NOT_STAFF, SECOND_STAFF, STAFF, stringsOf, threadReply } from '../helpers/teams.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';

describe('staff in Teams, end to end', function () {
  this.timeout(60_000);
  let app: App;
  let url: string;
  let teams: FakeTeams;
  let logger: TeamsTestApp['logger'];
  let running: TeamsTestApp;

  before(async () => {
    // Replies are held a moment, as for real (30 s there), so one can be undone.
    running = await startTeamsApp(uniquePrefix('teams-e2e'), { env: { PUBLIC_REPLY_HOLD_SECONDS: '2' } });
    ({ app, url, teams, logger } = running);
  });
  after(async () => {
    await running.close();
  });

  function post(activity: Record<string, unknown>): Promise<Response> {
    return running.post(activity);
  }

  /** The latest card shown for the thread's root post (created, or updated since): what everyone in the channel sees. */
  function channelCard(thread: string): Record<string, unknown> {
    const calls = teams.calls.filter(
      (call) => (call.kind === 'create' && call.conversationId === thread) || (call.kind === 'update' && call.conversationId === thread),
    );
    const card = cardOf(calls.at(-1) ?? assert.fail('no card'));
    return card ?? assert.fail('no card in the last call');
  }

  /** The full card someone sees in its place when Teams refreshes it for them (staff), or what they get instead. */
  async function refreshedFor(person: typeof STAFF, thread: string, reference: string): Promise<Record<string, unknown>> {
    const response = await post(cardAction(teams.url, thread, person, 'refresh', { reference }));
    return ((await response.json()) as { value: Record<string, unknown> }).value;
  }

  /** The decision state the card's actions carry (what an Action.Execute sends back). */
  function stateOn(card: Record<string, unknown>): string {
    return /"state":"([^"]+)"/.exec(JSON.stringify(card))?.[1] ?? assert.fail('no state on the card');
  }

  it('takes a complaint from the widget to a Teams thread and back, with actions from the card', async () => {
    const session = await newSession(url);
    const person = connect({ token: session.token, domain: session.domain, webSocket: true });
    try {
      const reference = await lodgeThroughWidget(
        person,
        'The social worker cancelled three visits. **Urgent** [click](https://evil.example) <at>Everyone</at>',
      );

      // The card: a new post in the service desk's channel, with the complainant's words shown literally.
      const created = await eventually(() => teams.calls.find((call) => call.kind === 'create'), 'the case card to be posted');
      assert.equal((created.body.channelData as { channel: { id: string } }).channel.id, CHANNEL);
      const thread = created.conversationId;
      // The channel sees a summary; staff see the full card in its place, and their opening it is recorded.
      assert.doesNotMatch(JSON.stringify(channelCard(thread)), /social worker|evil\.example|Sam Taylor/);
      assert.doesNotMatch(
        JSON.stringify(await refreshedFor(NOT_STAFF, thread, reference)),
        /social worker|evil\.example/,
        'a colleague not on the roster sees the summary',
      );
      const card = await refreshedFor(STAFF, thread, reference);
      assert.equal(card['version'], '1.5');
      assert.match(JSON.stringify(card), /social worker cancelled three visits/);
      for (const entry of stringsOf(card).filter((item) => item.value.includes('evil.example')))
        assert.equal(entry.type, 'TextRun', 'the complainant’s words only in TextRuns');
      assert.ok((await app.stores.cases.history(reference)).some((event) => event.type === 'viewed' && event.summary === 'Full details opened by Jo Bloggs'));
      const stored = await app.stores.cases.get(reference);
      assert.equal(stored?.case.teamsThread?.conversationId, thread, 'the thread is recorded on the case');

      // Colleagues talking in the thread (no @mention) stay in the team.
      assert.equal((await post(threadReply(teams.url, thread, SECOND_STAFF, 'I know this family: shall I take it?'))).status, 200);
      // A reply to the person (an @mention of the bot) is held a moment: one sent by mistake is undone.
      const mistake = threadReply(teams.url, thread, STAFF, 'Your complaint about the housing repairs is upheld.', { mention: true });
      assert.equal((await post(mistake)).status, 200);
      await eventually(
        () => teams.calls.find((call) => call.kind === 'reply' && call.conversationId === thread && /"undo-reply"/.test(JSON.stringify(cardOf(call) ?? {}))),
        'the held reply’s card with Undo',
      );
      const undone = await post(cardAction(teams.url, thread, STAFF, 'undo-reply', { reference, replyId: mistake.id }));
      assert.match(JSON.stringify(await undone.json()), /Undone/);
      // The right one goes when its time is up, reaches the person's chat and is confirmed in the thread.
      const question = 'Could you tell us the dates of the cancelled visits?';
      assert.equal((await post(threadReply(teams.url, thread, STAFF, question, { mention: true }))).status, 200);
      await person.waitFor((activity) => (activity.text ?? '').includes(question));
      assert.ok(
        !person.received.some((activity) => /housing repairs|shall I take it/.test(activity.text ?? '')),
        'neither the undone reply nor the colleagues’ talk reached the person',
      );
      await eventually(
        () =>
          teams.calls.find(
            (call) => call.kind === 'reply' && call.conversationId === thread && /Sent to the complainant’s chat/.test(String(call.body.activity?.['text'])),
          ),
        'delivery to be confirmed in the thread',
      );

      // Their answer comes back into the thread: the channel sees that they wrote, staff see their words, literally.
      const answer = 'The 3rd, 10th and 17th of March _please_ call me';
      await sayAndWait(person, answer, /I’ve passed that to the team/);
      // A bare number or "an update…" answers staff; it does not choose from the menu.
      await sayAndWait(person, '3', /I’ve passed that to the team/);
      const lines = await eventually(() => {
        const found = teams.calls.filter(
          (call) => call.kind === 'reply' && call.conversationId === thread && /"verb":"reveal"/.test(JSON.stringify(call.body)),
        );
        return found.length >= 2 ? found : undefined;
      }, 'their answers in the thread');
      assert.ok(!lines.some((call) => JSON.stringify(call.body).includes('17th of March')), 'not their words, in what the channel sees');
      const at = /"at":"([^"]+)"/.exec(JSON.stringify(lines[0]?.body))?.[1] ?? assert.fail('the line names their words');
      const shown = await post(cardAction(teams.url, thread, STAFF, 'reveal', { reference, what: 'complainant-words', at }));
      const words = ((await shown.json()) as { value: Record<string, unknown> }).value;
      assert.ok(
        stringsOf(words).some((entry) => entry.type === 'TextRun' && entry.value === answer),
        'their words, literally, for staff',
      );

      // An internal note (with an @mention this time) stays in Teams.
      const received = person.received.length;
      assert.equal((await post(threadReply(teams.url, thread, STAFF, 'note: rang the team manager', { mention: true }))).status, 200);
      await eventually(
        () => teams.calls.find((call) => call.kind === 'reply' && /Internal note recorded/.test(String(call.body.activity?.['text']))),
        'the note to be acknowledged',
      );
      assert.ok(
        !person.received.slice(received).some((activity) => (activity.text ?? '').includes('rang the team manager')),
        'the note is not sent to the person',
      );
      const history = await app.stores.cases.history(reference);
      assert.ok(history.some((event) => event.type === 'note' && event.details['text'] === 'rang the team manager'));
      assert.ok(history.some((event) => event.type === 'message-relayed' && event.details['text'] === question));
      assert.ok(history.some((event) => event.type === 'message-relayed' && event.details['text'] === answer));

      // Actions from the card: assign, respond (the person hears it, with the follow-up), move on.
      const assign = await post(cardAction(teams.url, thread, STAFF, 'assign', { reference, state: stateOn(await refreshedFor(STAFF, thread, reference)) }));
      const assigned = (await assign.json()) as { statusCode: number; type: string; value: Record<string, unknown> };
      assert.equal(assigned.type, 'application/vnd.microsoft.card.adaptive');
      assert.match(JSON.stringify(assigned.value), /Assigned to Jo Bloggs/);
      assert.equal((await app.stores.cases.get(reference))?.case.status, 'awaiting-response');

      const response = 'We are sorry. The visits were cancelled because of staff illness; a new social worker starts on Monday.';
      const responded = await post(
        cardAction(teams.url, thread, STAFF, 'respond', {
          reference,
          state: stateOn(await refreshedFor(STAFF, thread, reference)),
          'respond:text': response,
          'respond:outcome': 'partly-upheld',
          'close:message': '',
        }),
      );
      assert.match(JSON.stringify(await responded.json()), /Response recorded and sent/);
      const relayed = await person.waitFor((activity) => (activity.text ?? '').includes(response));
      assert.match(relayed.text ?? '', /Are you satisfied with this response\?/);
      assert.match(relayed.text ?? '', /take my complaint further/);

      const escalated = await post(
        cardAction(teams.url, thread, SECOND_STAFF, 'escalate', { reference, state: stateOn(await refreshedFor(STAFF, thread, reference)) }),
      );
      assert.match(JSON.stringify(await escalated.json()), /Moved to Stage 2/);
      await person.waitFor((activity) => /has moved to \*\*Stage 2/.test(activity.text ?? ''));
      const after = (await app.stores.cases.get(reference)) ?? assert.fail('the case is gone');
      assert.equal(after.case.stage, 'stage-2');
      assert.equal(after.case.status, 'open');
      assert.equal(after.case.deadlines.at(-1)?.stage, 'stage-2');

      // All of it in Redis, and no personal data in the logs.
      const client = await productClient();
      try {
        assert.ok((await countKeys(client, running.prefix)) > 0);
        assert.equal(await client.get(`${running.prefix}:teams:thread:{${created.activityId ?? ''}}`), reference);
      } finally {
        client.disconnect();
      }
      const logs = JSON.stringify(logger.lines);
      for (const secret of ['Sam Taylor', 'sam@example.org', question, answer, response, reference])
        assert.ok(!logs.includes(secret), `logs do not contain ${secret}`);
      assert.ok(isCaseReference(reference));
    } finally {
      person.end();
    }
  });
});
