import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { channelClaims, jwt, openIdServer, signingKey } from '../helpers/channel-tokens.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const APP_ID = 'test-app-0000';
const SERVICE_URL = 'https://smba.trafficmanager.net/uk/';
const ACTIVITY = {
  type: 'message',
  id: 'activity-1',
  text: 'hello',
  channelId: 'msteams',
  serviceUrl: SERVICE_URL,
  from: { id: 'user-1' },
  recipient: { id: `28:${APP_ID}` },
  conversation: { id: 'conversation-1' },
};

function post(server: TestServer, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

describe('POST /api/messages with Bot Framework credentials', function () {
  this.timeout(30_000);
  const trusted = signingKey('trusted-key');
  const stranger = signingKey('stranger-key');
  let metadata: Awaited<ReturnType<typeof openIdServer>>;
  let server: TestServer;
  const logic = sinon.spy(async () => {
    await Promise.resolve();
  });

  before(async () => {
    // Bot Framework prints each refused token to the console; the product structures that (see main.ts).
    sinon.stub(console, 'error');
    metadata = await openIdServer([trusted]);
    server = await startTestServer({ mode: 'required', appId: APP_ID, openIdMetadataUrl: metadata.url, logic });
  });
  after(async () => {
    sinon.restore();
    await server.close();
    await metadata.close();
  });
  beforeEach(() => {
    logic.resetHistory();
  });

  it('runs the bot for a request signed by the channel (the control for the refusals below)', async () => {
    const response = await post(server, JSON.stringify(ACTIVITY), { Authorization: `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL), trusted)}` });
    assert.equal(response.status, 200);
    assert.equal(logic.callCount, 1);
  });

  const now = Math.floor(Date.now() / 1000);
  const forged: readonly [string, () => Record<string, string>][] = [
    ['no Authorization header', () => ({})],
    ['a header that is not a bearer token', () => ({ Authorization: 'Basic dXNlcjpwYXNz' })],
    ['an unsigned token (alg: none)', () => ({ Authorization: `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL), null)}` })],
    ['a token signed with a key the channel does not publish', () => ({ Authorization: `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL), stranger)}` })],
    [
      'a token signed by an unknown key claiming a published key id',
      () => ({ Authorization: `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL), { ...stranger, kid: trusted.kid })}` }),
    ],
    ['a token for another bot (wrong audience)', () => ({ Authorization: `Bearer ${jwt(channelClaims('someone-elses-bot', SERVICE_URL), trusted)}` })],
    [
      'an expired token',
      () => ({ Authorization: `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, { iat: now - 7200, nbf: now - 7200, exp: now - 3600 }), trusted)}` }),
    ],
    [
      'a token from the wrong issuer',
      () => ({ Authorization: `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL, { iss: 'https://attacker.example' }), trusted)}` }),
    ],
    ['a token for another service URL', () => ({ Authorization: `Bearer ${jwt(channelClaims(APP_ID, 'https://attacker.example/'), trusted)}` })],
    [
      'a token with a tampered payload',
      () => {
        const [head, , signature] = jwt(channelClaims(APP_ID, SERVICE_URL), trusted).split('.');
        const tampered = Buffer.from(JSON.stringify(channelClaims(APP_ID, SERVICE_URL, { aud: APP_ID, exp: now + 99_999 }))).toString('base64url');
        return { Authorization: `Bearer ${head}.${tampered}.${signature}` };
      },
    ],
    ['garbage', () => ({ Authorization: 'Bearer not.a.jwt' })],
  ];
  for (const [name, headers] of forged) {
    it(`refuses ${name} with 401 and an empty body, never reaching the bot`, async () => {
      const response = await post(server, JSON.stringify(ACTIVITY), headers());
      assert.equal(response.status, 401);
      assert.equal(await response.text(), '');
      assert.equal(logic.callCount, 0);
    });
  }

  it('answers malformed JSON, non-activities and oversized bodies with 400 and 413, without internals', async () => {
    const auth = { Authorization: `Bearer ${jwt(channelClaims(APP_ID, SERVICE_URL), trusted)}` };
    const malformed = await post(server, '{"type": "message",', auth);
    assert.equal(malformed.status, 400);
    assert.deepEqual(await malformed.json(), { error: { code: 'BadArgument', message: 'The request body is not valid JSON' } });
    for (const body of ['[]', '"message"', '{"text":"no type"}', 'null', '{"type": 42}']) {
      const response = await post(server, body, auth);
      assert.equal(response.status, 400, body);
      assert.doesNotMatch(await response.text(), /at |Error|stack|node_modules/);
    }
    const huge = await post(server, JSON.stringify({ ...ACTIVITY, text: 'x'.repeat(100 * 1024) }), auth);
    assert.equal(huge.status, 413);
    assert.equal(logic.callCount, 0);
  });
});

describe('POST /api/messages without credentials', () => {
  it('refuses everything when not in local development', async () => {
    const logic = sinon.spy(async () => {
      await Promise.resolve();
    });
    const server = await startTestServer({ mode: 'closed', logic });
    try {
      const response = await post(server, JSON.stringify(ACTIVITY));
      assert.equal(response.status, 401);
      assert.equal(await response.text(), '');
      assert.equal(logic.callCount, 0);
    } finally {
      await server.close();
    }
  });

  it('runs the bot without authentication only in local development', async () => {
    const logic = sinon.spy(async () => {
      await Promise.resolve();
    });
    const server = await startTestServer({ mode: 'local-unauthenticated', logic });
    try {
      const response = await post(server, JSON.stringify({ ...ACTIVITY, channelId: 'emulator', serviceUrl: 'http://127.0.0.1:1/' }));
      assert.equal(response.status, 200);
      assert.equal(logic.callCount, 1);
    } finally {
      await server.close();
    }
  });
});
