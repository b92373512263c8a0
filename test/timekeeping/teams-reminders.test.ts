/** Reminders as staff see them in Teams: in the case's thread, with "Assign to me" while nobody has it, and to the assignee personally. */
import { strict as assert } from 'node:assert';
import { lodgeRequest } from '../helpers/cases.js';
import { at } from '../helpers/policy.js';
import { uniquePrefix } from '../helpers/redis.js';
import { cardAction, cardOf, STAFF, stringsOf } from '../helpers/teams.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';

async function eventually<T>(find: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('deadline reminders in Teams', function () {
  this.timeout(60_000);
  let running: TeamsTestApp | null = null;
  const clock = { time: at('2025-06-02T10:00:00+01:00'), now: (): Date => clock.time };

  afterEach(async () => {
    await running?.close();
    running = null;
  });

  it('offers an unassigned case to whoever reads its reminder, and then reminds the person who took it in their own chat', async () => {
    running = await startTeamsApp(uniquePrefix('teams-reminders'), { compose: { clock } });
    const { app, teams } = running;
    const { stored } = await app.stores.cases.lodge({ ...lodgeRequest(), events: [{ type: 'staff-alerted', alert: 'lodged' }] });
    const thread = await eventually(async () => (await app.stores.cases.get(stored.case.reference))?.case.teamsThread ?? undefined, 'the card to be posted');

    clock.time = at('2025-06-11T08:30:00+01:00');
    assert.equal((await app.timekeeper.sweep()).changed, 1);
    const reminder = await eventually(
      () => teams.calls.find((call) => call.kind === 'reply' && call.conversationId === thread.conversationId && cardOf(call)?.['actions'] !== undefined),
      'the reminder in the thread',
    );
    const card = cardOf(reminder);
    assert.ok(card);
    assert.ok(stringsOf(card).some((entry) => /due Monday 16 June 2025 \(in 3 working days\)\. Nobody is assigned/.test(entry.value)));
    const [assign] = card['actions'] as { verb: string; data: Record<string, unknown> }[];
    assert.equal(assign?.verb, 'assign');
    assert.ok(!teams.calls.some((call) => call.kind === 'personal'), 'nobody to tell personally yet');

    // Assigned from the reminder itself.
    const pressed = await running.post(cardAction(teams.url, thread.conversationId, STAFF, 'assign', assign.data));
    assert.equal(pressed.status, 200);
    const assigned = await app.stores.cases.get(stored.case.reference);
    assert.equal(assigned?.case.handler?.id, STAFF.aadObjectId);

    clock.time = at('2025-06-13T08:30:00+01:00');
    assert.equal((await app.timekeeper.sweep()).changed, 1);
    const opened = await eventually(() => teams.calls.find((call) => call.kind === 'personal'), 'a personal chat with the assignee');
    assert.deepEqual(opened.body['members'], [{ id: STAFF.aadObjectId, name: '' }]);
    const personal = await eventually(
      () => teams.calls.find((call) => call.kind === 'reply' && call.conversationId === opened.conversationId),
      'the reminder in their personal chat',
    );
    assert.match(String(personal.body.activity?.['text']), /in 1 working day\)\. Assigned to Jo Bloggs\. \(Complaint [A-Z0-9-]+\.\)$/);
  });
});
