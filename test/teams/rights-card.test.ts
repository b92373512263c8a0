/**
 * The rights people have, from a case card in Teams (recorded-shape activities, on Redis): the
 * subject access export through a one-time link, a correction, and erasure of a finished case,
 * each audited as done from a card; a stale card changes nothing.
 */
import { strict as assert } from 'node:assert';
import type { Case } from '../../src/cases/case.js';
import type { CaseReference } from '../../src/cases/reference.js';
import type { App } from '../../src/server/compose.js';
import { decisionState } from '../../src/teams/cards/case-card.js';
import { lodgeRequest } from '../helpers/cases.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { cardAction, cardOf, type FakeTeams, STAFF } from '../helpers/teams.js';

describe('the rights, from a case card', function () {
  this.timeout(60_000);
  let app: App;
  let url: string;
  let teams: FakeTeams;
  let running: TeamsTestApp;

  before(async () => {
    running = await startTeamsApp(uniquePrefix('rights-card'));
    ({ app, url, teams } = running);
  });
  after(async () => {
    await running.close();
  });

  async function caseWithCard(overrides: Partial<Omit<Case, 'reference'>> = {}): Promise<{ reference: CaseReference; thread: string }> {
    const { stored } = await app.stores.cases.lodge(lodgeRequest({ case: overrides }));
    await app.notifier.notify({ kind: 'lodged', case: stored.case });
    const thread = (await app.stores.cases.get(stored.case.reference))?.case.teamsThread;
    assert.ok(thread);
    return { reference: stored.case.reference, thread: thread.conversationId };
  }

  async function stored(reference: CaseReference): Promise<Case> {
    return (await app.stores.cases.get(reference))?.case ?? assert.fail('no case');
  }

  async function act(target: { reference: CaseReference; thread: string }, verb: string, inputs: Record<string, string> = {}) {
    const data = { reference: target.reference, state: decisionState(await stored(target.reference)), ...inputs };
    return running.invoke(cardAction(teams.url, target.thread, STAFF, verb, data));
  }

  it('offers the export and corrections on every case, and erasure only once it is finished', async () => {
    const open = await caseWithCard();
    const openCard = JSON.stringify((await running.invoke(cardAction(teams.url, open.thread, STAFF, 'refresh', { reference: open.reference }))).value);
    assert.match(openCard, /"verb":"subject-access"/);
    assert.match(openCard, /"verb":"correct-details"/);
    assert.doesNotMatch(openCard, /"verb":"erase"/);
    const closed = await caseWithCard({ status: 'closed' });
    const closedCard = JSON.stringify((await running.invoke(cardAction(teams.url, closed.thread, STAFF, 'refresh', { reference: closed.reference }))).value);
    assert.match(closedCard, /"verb":"erase"/);
  });

  it('gives the member of staff a link that opens the export once, and audits it', async () => {
    const target = await caseWithCard();
    const answer = await running.invoke(cardAction(teams.url, target.thread, STAFF, 'subject-access', { reference: target.reference }));
    const card = JSON.stringify(answer.value);
    assert.doesNotMatch(card, /Sam Taylor|sam\.taylor/, 'the card itself holds nothing personal');
    const link = /"url":"(http[^"]+\/api\/rights\/exports\/[A-Za-z0-9_-]{43})"/.exec(card)?.[1] ?? assert.fail('the card has the link');
    const local = `${url}${new URL(link).pathname}`;
    // Opening the link (as a mail or chat link checker would) only asks, and uses nothing up.
    for (let peek = 0; peek < 2; peek += 1) {
      const asked = await fetch(local);
      assert.equal(asked.status, 200);
      const page = await asked.text();
      assert.match(page, /<form method="post">/);
      assert.doesNotMatch(page, /Sam Taylor/);
    }
    const first = await fetch(local, { method: 'POST' });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.match(first.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const page = await first.text();
    assert.match(page, /Sam Taylor/);
    assert.match(page, /sam\.taylor@example\.org/);
    assert.match(page, /The same, as JSON/);
    const again = await fetch(local, { method: 'POST' });
    assert.equal(again.status, 404, 'the link works once');
    assert.equal((await fetch(`${url}/api/rights/exports/not-a-token`, { method: 'POST' })).status, 404);
    const entries = await app.stores.rightsAudit.latest(5);
    assert.deepEqual(
      entries.map((entry) => [entry.action, entry.via, entry.by.name, entry.foundBy]),
      [['subject-access', 'card', STAFF.name, 'reference']],
    );
  });

  it('corrects a contact detail from the card, and refuses a stale card', async () => {
    const target = await caseWithCard();
    const staleState = decisionState(await stored(target.reference));
    const corrected = await act(target, 'correct-details', { 'correct-details:email': 'sam.t@example.org', 'correct-details:reason': 'Typo at lodging' });
    assert.match(JSON.stringify(corrected.value), /Corrected: email\./);
    assert.equal((await stored(target.reference)).contact.email, 'sam.t@example.org');
    await app.stores.cases.update(
      { case: await stored(target.reference), version: (await app.stores.cases.get(target.reference))?.version ?? 0 },
      {
        next: { ...(await stored(target.reference)), status: 'awaiting-response' },
        event: { type: 'note', at: new Date().toISOString(), actor: { kind: 'system', id: null, name: null }, summary: 'Moved on' },
        idempotencyKey: 'moved-on',
      },
    );
    const stale = await running.invoke(
      cardAction(teams.url, target.thread, STAFF, 'correct-details', {
        reference: target.reference,
        state: staleState,
        'correct-details:name': 'Someone Else',
        'correct-details:reason': 'Asked',
      }),
    );
    assert.match(JSON.stringify(stale.value), /Someone else changed this case/);
    assert.equal((await stored(target.reference)).complainant.name, 'Sam Taylor');
    const refused = await act(target, 'correct-details', { 'correct-details:name': 'Sam T', 'correct-details:reason': 'She called from 07700 900999' });
    assert.match(JSON.stringify(refused.value), /leave out email addresses and phone numbers/);
  });

  it('erases a finished case from its card: the channel’s card and the record lose the person, and the audit keeps why', async () => {
    const target = await caseWithCard({ status: 'closed' });
    const early = await caseWithCard();
    const refused = await act(early, 'erase', { 'erase:reason': 'Asked by letter' });
    assert.match(JSON.stringify(refused.value), /still being handled/);
    const erased = await act(target, 'erase', { 'erase:reason': 'Asked by letter' });
    assert.match(JSON.stringify(erased.value), /were erased; an anonymous record of it is kept/);
    const after = await stored(target.reference);
    assert.equal(after.erased?.basis, 'request');
    assert.equal(after.complainant.name, '[erased]');
    const card = JSON.stringify((await running.invoke(cardAction(teams.url, target.thread, STAFF, 'refresh', { reference: target.reference }))).value);
    assert.deepEqual(
      [...card.matchAll(/"verb":"([a-z-]+)"/g)].map((match) => match[1]).filter((verb) => verb !== 'refresh'),
      ['subject-access'],
      'an erased case takes nothing more',
    );
    const channel = teams.calls.filter((call) => call.kind === 'update' && call.conversationId === target.thread).at(-1);
    assert.doesNotMatch(JSON.stringify(cardOf(channel ?? assert.fail('the channel card was updated'))), /Sam Taylor/);
    const erasures = (await app.stores.rightsAudit.latest(20)).filter((entry) => entry.action === 'erasure');
    assert.deepEqual(
      erasures.map((entry) => [entry.outcome, entry.via, entry.reason]),
      [
        ['refused', 'card', 'Asked by letter'],
        ['done', 'card', 'Asked by letter'],
      ],
    );
  });
});
