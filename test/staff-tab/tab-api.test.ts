/**
 * The staff tab's API behind Teams single sign-on, on Redis: tokens signed by keys generated
 * here and published through a local OpenID metadata endpoint, as Entra publishes its own. Every
 * token that should not let its bearer in is refused with an empty 401 or 403 and nothing read;
 * a member of staff gets the queue's views, with nothing about the complainants in them.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey, SignJWT } from 'jose';
import type { Case } from '../../src/cases/case.js';
import { formatReference } from '../../src/cases/reference.js';
import type { App } from '../../src/server/compose.js';
import { lodgeRequest } from '../helpers/cases.js';
import { eventually } from '../helpers/directline-client.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startTeamsApp, type TeamsTestApp } from '../helpers/teams-app.js';
import { NOT_STAFF, OTHER_TENANT, STAFF, TENANT } from '../helpers/teams.js';

const CLIENT_ID = '0e5c3a2b-7d1f-4c8e-9a6b-5f4e3d2c1b0a';
const APP_ID_URI = `api://complaints.example.org/${CLIENT_ID}`;

/** Entra's OpenID metadata and keys, as a local endpoint serves them. */
async function localEntra(publicJwk: Record<string, unknown>): Promise<{ server: Server; metadataUrl: string }> {
  const server = createServer((request, response) => {
    const base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    const body =
      request.url === '/common/v2.0/.well-known/openid-configuration'
        ? { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', jwks_uri: `${base}/common/discovery/v2.0/keys` }
        : request.url === '/common/discovery/v2.0/keys'
          ? { keys: [publicJwk] }
          : null;
    response.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    response.end(body ? JSON.stringify(body) : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, metadataUrl: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/common/v2.0/.well-known/openid-configuration` };
}

describe('the staff tab’s API', function () {
  this.timeout(60_000);
  let running: TeamsTestApp;
  let app: App;
  let entra: Server;
  let key: CryptoKey;
  let otherKey: CryptoKey;

  /** A token as Entra issues it for the tab, with whatever a test changes. */
  function token(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; expiresIn?: string; kid?: string } = {}): Promise<string> {
    const { iss, aud, ...rest } = { iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: APP_ID_URI, ...claims } as Record<string, unknown>;
    return new SignJWT({ oid: STAFF.aadObjectId, tid: TENANT, name: STAFF.name, scp: 'access_as_user', ...rest })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'test-key' })
      .setIssuer(String(iss))
      .setAudience(String(aud))
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.key ?? key);
  }

  function get(path: string, bearer?: string): Promise<Response> {
    return fetch(`${running.url}${path}`, bearer ? { headers: { Authorization: `Bearer ${bearer}` } } : {});
  }

  before(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const local = await localEntra({ ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' });
    entra = local.server;
    running = await startTeamsApp(uniquePrefix('tab-api'), {
      env: { TAB_SSO_CLIENT_ID: CLIENT_ID, TAB_SSO_APP_ID_URI: APP_ID_URI, ENTRA_OPENID_METADATA_URL: local.metadataUrl },
    });
    app = running.app;
  });

  after(async () => {
    await running.close();
    await new Promise((resolve) => entra.close(resolve));
  });

  it('refuses, with an empty answer and nothing read, every token that should not let its bearer in', async () => {
    const widget = (await (await fetch(`${running.url}/api/directline/token`, { method: 'POST' })).json()) as { token: string };
    const past = Math.floor(Date.now() / 1000) - 7200;
    const expired = await new SignJWT({ oid: STAFF.aadObjectId, tid: TENANT })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(`https://login.microsoftonline.com/${TENANT}/v2.0`)
      .setAudience(APP_ID_URI)
      .setIssuedAt(past)
      .setExpirationTime(past + 3600)
      .sign(key);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ oid: STAFF.aadObjectId, tid: TENANT, aud: APP_ID_URI, iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, exp: past + 99_999 }),
    ).toString('base64url')}.`;
    const cases: [string, string | undefined, number][] = [
      ['no token', undefined, 401],
      ['not a token', 'hello', 401],
      ['expired', expired, 401],
      ['for another app', await token({ aud: 'api://elsewhere.example.org/other' }), 401],
      ['from another issuer', await token({ iss: 'https://evil.example.org/v2.0' }), 401],
      ['from another tenant', await token({ tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }), 401],
      ['signed by a key Entra never published', await token({}, { key: otherKey }), 401],
      ['unsigned (alg none)', unsigned, 401],
      ['the public widget’s token', widget.token, 401],
      ['a valid token for someone not on the roster', await token({ oid: NOT_STAFF.aadObjectId, name: NOT_STAFF.name }), 403],
    ];
    for (const [what, bearer, status] of cases) {
      for (const path of ['/api/tab/me', '/api/tab/queue?view=open']) {
        const answer = await get(path, bearer);
        assert.equal(answer.status, status, `${what}: ${path}`);
        assert.equal(await answer.text(), '', `${what}: nothing said`);
      }
    }
    // With single sign-on configured there is no development sign-in, whatever the mode.
    assert.equal((await get('/api/tab/dev/staff')).status, 404);
    assert.equal((await fetch(`${running.url}/api/tab/dev/token`, { method: 'POST', body: JSON.stringify({ id: STAFF.aadObjectId }) })).status, 404);
    const refused = running.logger.lines.filter((line) => line.event === 'tab.refused').map((line) => line.fields['reason']);
    for (const reason of ['missing', 'malformed', 'expired', 'audience', 'issuer', 'tenant', 'signature', 'not-staff'])
      assert.ok(refused.includes(reason), reason);
  });

  it('lets a member of staff in, with a v1 token as Teams gives by default, and says who they are', async () => {
    const v2 = await get('/api/tab/me', await token());
    assert.equal(v2.status, 200);
    const me = (await v2.json()) as { id: string; name: string; procedures: { id: string }[] };
    assert.deepEqual([me.id, me.name], [STAFF.aadObjectId, STAFF.name]);
    assert.ok(
      me.procedures.some((procedure) => procedure.id === 'nhs-health'),
      'and the procedures the figures can be asked for',
    );
    const v1 = await get('/api/tab/me', await token({ iss: `https://sts.windows.net/${TENANT}/`, aud: CLIENT_ID }));
    assert.equal(v1.status, 200);
  });

  it('lists the queue’s views, overdue first, with nothing about the complainants', async () => {
    const lodge = async (overrides: Partial<Omit<Case, 'reference'>>) =>
      (await app.stores.cases.lodge(lodgeRequest({ case: overrides }))).stored.case.reference;
    const mine = await lodge({ status: 'awaiting-response', handler: { id: STAFF.aadObjectId, name: STAFF.name } });
    const unassigned = await lodge({});
    const awaiting = await lodge({
      flags: { safeguarding: null, late: { limitEndedOn: '2025-01-01' as never, reason: null, decision: 'pending' }, standing: null, lateEscalation: null },
    });
    const closed = await lodge({ status: 'closed' });
    const bearer = await token();
    const view = async (query: string) => {
      const answer = await get(`/api/tab/queue?${query}`, bearer);
      assert.equal(answer.status, 200, query);
      return (await answer.json()) as {
        total: number;
        rows: { reference: string; overdue: boolean; handler: string | null; flags: string[]; statusWords: string }[];
      };
    };
    const shown = (reference: string) => `${reference.slice(0, 3)}-${reference.slice(3, 6)}-${reference.slice(6)}`;
    const references = (page: { rows: { reference: string }[] }) => page.rows.map((row) => row.reference);

    const mineView = await view('view=mine');
    assert.deepEqual(references(mineView), [shown(mine)]);
    assert.equal(mineView.rows[0]?.handler, STAFF.name);
    const unassignedView = await view('view=unassigned');
    assert.ok(references(unassignedView).includes(shown(unassigned)));
    assert.ok(!references(unassignedView).includes(shown(mine)));
    assert.ok(!references(unassignedView).includes(shown(closed)), 'closed cases are not in the queue');
    // The fixtures' deadlines fell in June 2025: every open one is overdue now.
    const overdue = await view('view=overdue');
    assert.ok(overdue.rows.every((row) => row.overdue));
    assert.ok(references(overdue).includes(shown(mine)));
    const decisions = await view('view=awaiting-decision');
    assert.deepEqual(references(decisions), [shown(awaiting)]);
    assert.deepEqual(decisions.rows[0]?.flags, ['late complaint']);
    const all = await view('view=open&procedure=la-childrens-services');
    assert.equal(all.total, 3);
    assert.doesNotMatch(JSON.stringify(all), /Sam Taylor|sam\.taylor|7700900123|cancelled three visits/);
    assert.equal((await get('/api/tab/queue?view=everything', bearer)).status, 400);
  });

  it('finds a case by reference, saying when a reference has a typing mistake, and by email or phone in the request’s body', async () => {
    const { stored } = await app.stores.cases.lodge(
      lodgeRequest({ secondFactor: 'robin.search@example.org', case: { contact: { email: 'robin.search@example.org', phone: null, preferred: 'email' } } }),
    );
    const reference = stored.case.reference;
    const shown = `${reference.slice(0, 3)}-${reference.slice(3, 6)}-${reference.slice(6)}`;
    const bearer = await token();
    const find = async (text: string) => {
      const answer = await fetch(`${running.url}/api/tab/search`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ text }),
      });
      assert.equal(answer.status, 200);
      return (await answer.json()) as { rows: { reference: string }[]; problem: string | null };
    };
    assert.deepEqual(
      (await find(shown.toLowerCase())).rows.map((row) => row.reference),
      [shown],
    );
    const last = reference.at(-1) === 'A' ? 'C' : 'A';
    const typo = await find(`${reference.slice(0, -1)}${last}`);
    assert.deepEqual(typo.rows, []);
    assert.match(typo.problem ?? '', /typing mistake/);
    assert.deepEqual(
      (await find('Robin.Search@EXAMPLE.org')).rows.map((row) => row.reference),
      [shown],
    );
    assert.deepEqual((await find('nobody@example.org')).rows, []);
  });

  it('shows a case in full, records the opening, and makes a decision through the card’s own transitions, refusing an out-of-date one', async () => {
    const { stored } = await app.stores.cases.lodge(lodgeRequest());
    const reference = stored.case.reference;
    const bearer = await token();
    const opened = await get(`/api/tab/cases/${reference}`, bearer);
    assert.equal(opened.status, 200);
    const full = (await opened.json()) as {
      whatHappened: string;
      contact: { email: string };
      deadlines: { rule: string; citation: string }[];
      actions: { verb?: string; title: string }[];
      state: string;
    };
    assert.match(full.whatHappened, /cancelled three visits/);
    assert.equal(full.contact.email, 'sam.taylor@example.org');
    assert.ok(full.deadlines[0]?.citation, 'each deadline says the rule behind it');
    assert.ok(full.actions.some((action) => action.title === 'Assign to me'));
    assert.equal((await app.stores.cases.history(reference)).at(-1)?.type, 'viewed');

    const act = (verb: string, state: string, inputs: Record<string, string> = {}, requestId = `req-${Math.random().toString(36).slice(2, 12)}`) =>
      fetch(`${running.url}/api/tab/cases/${reference}/actions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ verb, state, inputs, requestId }),
      });
    const assigned = await act('assign', full.state);
    assert.equal(assigned.status, 200);
    const body = (await assigned.json()) as { notice: { tone: string; text: string }; case: { row: { handler: string } } };
    assert.equal(body.notice.tone, 'good');
    assert.equal(body.case.row.handler, STAFF.name);
    assert.equal((await app.stores.cases.get(reference))?.case.handler?.id, STAFF.aadObjectId);
    const stale = (await (await act('note', full.state, { text: 'Spoke to the school' })).json()) as { notice: { tone: string; text: string } };
    assert.equal(stale.notice.tone, 'warning');
    assert.match(stale.notice.text, /Someone else changed this case/);
    assert.equal((await act('refresh', full.state)).status, 400);
    assert.equal((await act('shred', full.state)).status, 400);
    assert.equal((await get(`/api/tab/cases/K7M4QXP2A`, bearer)).status, 404);
    const outsider = await fetch(`${running.url}/api/tab/cases/${reference}/actions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await token({ oid: NOT_STAFF.aadObjectId })}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ verb: 'close', state: full.state, inputs: {}, requestId: 'outsider-1' }),
    });
    assert.equal(outsider.status, 403);
    assert.notEqual((await app.stores.cases.get(reference))?.case.status, 'closed');
  });

  it('writes to the complainant once per press, tells the thread, and takes the rights actions through the rights service', async () => {
    const { stored } = await app.stores.cases.lodge(lodgeRequest());
    const reference = stored.case.reference;
    const bearer = await token();
    const act = async (verb: string, inputs: Record<string, string>, requestId: string, state?: string) => {
      const current = (await (await get(`/api/tab/cases/${reference}`, bearer)).json()) as { state: string };
      const answer = await fetch(`${running.url}/api/tab/cases/${reference}/actions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ verb, state: state ?? current.state, inputs, requestId }),
      });
      assert.equal(answer.status, 200, verb);
      return (await answer.json()) as { notice: { tone: string; text: string }; exportLink?: string; case: { actions: { verb?: string; title: string }[] } };
    };
    const sent = await act('reply', { text: 'Could you send us the letter from the school?' }, 'reply-press-1');
    assert.equal(sent.notice.tone, 'good');
    assert.match(sent.notice.text, /Sent to the complainant/);
    const again = await act('reply', { text: 'Could you send us the letter from the school?' }, 'reply-press-1');
    assert.match(again.notice.text, /sent already/);
    const relayed = (await app.stores.cases.history(reference)).filter((event) => event.type === 'message-relayed');
    assert.equal(relayed.length, 1, 'one press, one message');
    assert.equal(relayed[0]?.details['text'], 'Could you send us the letter from the school?');
    await eventually(
      () => running.teams.calls.some((call) => JSON.stringify(call.body).includes(`${STAFF.name} wrote to the complainant from the staff tab`)),
      'the thread told that a message went from the tab',
    );
    assert.ok(
      !running.teams.calls.some((call) => JSON.stringify(call.body).includes('letter from the school')),
      'the words stay in the history, not in the channel',
    );
    const empty = await fetch(`${running.url}/api/tab/cases/${reference}/actions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ verb: 'reply', state: 'x', inputs: { text: '   ' }, requestId: 'reply-press-2' }),
    });
    assert.equal(empty.status, 400, 'an empty message is refused before anything is sent');

    const access = await act('subject-access', {}, 'access-1');
    assert.match(access.exportLink ?? '', /\/api\/rights\/exports\/[A-Za-z0-9_-]{20,}$/);
    const corrected = await act('correct-details', { email: 'sam.corrected@example.org', reason: 'Typo at lodging' }, 'correct-1');
    assert.equal(corrected.notice.tone, 'good');
    assert.equal((await app.stores.cases.get(reference))?.case.contact.email, 'sam.corrected@example.org');
    const stale = await act('correct-details', { email: 'someone.else@example.org', reason: 'Again' }, 'correct-2', stored.case.reference);
    assert.equal(stale.notice.tone, 'warning', 'a correction from an out-of-date view is refused');
    const erase = await act('erase', { reason: 'Asked by letter' }, 'erase-press-1');
    assert.equal(erase.notice.tone, 'attention', 'an open complaint is not erased');
    assert.equal((await app.stores.cases.get(reference))?.case.erased, null);
    const audit = await app.stores.rightsAudit.latest(10);
    assert.ok(audit.some((entry) => entry.action === 'rectification' && entry.via === 'tab' && entry.reference === formatReference(reference)));
  });

  it('gives the figures for a period and procedure, and the figures and a view of the queue as CSV files', async () => {
    const bearer = await token();
    const answer = await get('/api/tab/figures?from=2025-06-01&to=2025-06-30&procedure=la-childrens-services', bearer);
    assert.equal(answer.status, 200);
    const figures = (await answer.json()) as { received: number; stages: { stage: string }[]; required: Record<string, string> };
    assert.ok(figures.received >= 1, 'the fixtures’ cases were lodged on 2 June 2025');
    assert.equal(figures.stages[0]?.stage, 'stage-1');
    assert.match(figures.required['received'] ?? '', /reg 13/);
    for (const bad of [
      'from=2025-07-01&to=2025-06-01&procedure=la-childrens-services',
      'from=2025-06-01&to=2025-06-30&procedure=nonsense',
      'from=junk&to=2025-06-30&procedure=nhs-health',
    ]) {
      assert.equal((await get(`/api/tab/figures?${bad}`, bearer)).status, 400, bad);
    }
    const figuresCsv = await get('/api/tab/figures.csv?from=2025-06-01&to=2025-06-30&procedure=la-childrens-services', bearer);
    assert.equal(figuresCsv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(figuresCsv.headers.get('content-disposition') ?? '', /attachment; filename="complaint-figures.csv"/);
    assert.match(await figuresCsv.text(), /^figure,stage,value,required by\r\nreceived,,\d+,SI 2006\/1738 reg 13/);
    const queueCsv = await get('/api/tab/queue.csv?view=open', bearer);
    const lines = (await queueCsv.text()).trim().split('\r\n');
    assert.equal(lines[0], 'reference,procedure,stage,status,handler,owed,due,working days left,overdue,flags');
    assert.ok(lines.length > 1);
    assert.doesNotMatch(lines.join('\n'), /Sam Taylor|sam\.taylor/);
    assert.equal((await get('/api/tab/figures.csv?from=2025-06-01&to=2025-06-30&procedure=la-childrens-services')).status, 401);
    assert.equal((await get('/api/tab/queue.csv?view=open', await token({ oid: NOT_STAFF.aadObjectId }))).status, 403);
  });
});
