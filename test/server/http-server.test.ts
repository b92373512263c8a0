import { strict as assert } from 'node:assert';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { AzureTokenBroker } from '../../src/directline/azure-token-broker.js';
import { escapeHtml, renderPage } from '../../src/web/web-assets.js';
import { SERVICE } from '../helpers/conversation.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const nothing = (): Promise<void> => Promise.resolve();

describe('the HTTP server', () => {
  let server: TestServer;
  let ready = true;
  before(async () => {
    server = await startTestServer({
      mode: 'closed',
      logic: nothing,
      ready: () => Promise.resolve(ready),
      embedOrigins: 'https://www.example.gov.uk',
      sessionsBurst: 3,
    });
  });
  after(async () => {
    await server.close();
  });

  it('says it is alive, and whether storage answers', async () => {
    assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' });
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    ready = false;
    const down = await fetch(`${server.url}/readyz`);
    assert.equal(down.status, 503);
    assert.deepEqual(await down.json(), { status: 'storage unavailable' });
    ready = true;
  });

  it('serves the widget page with the organisation’s details and a strict content security policy', async () => {
    const response = await fetch(server.url);
    assert.equal(response.status, 200);
    const page = await response.text();
    assert.match(page, /<html lang="en-GB">/);
    assert.ok(page.includes(escapeHtml(SERVICE.serviceDesk.phone)));
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.match(policy, /frame-ancestors 'self'/);
    assert.doesNotMatch(policy, /unsafe-eval/);
    assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    const frame = await fetch(`${server.url}/widget/frame.html`);
    assert.match(
      frame.headers.get('content-security-policy') ?? '',
      /frame-ancestors https:\/\/www\.example\.gov\.uk/,
      'the frame may be embedded by the configured sites',
    );
    assert.equal(frame.headers.get('x-frame-options'), null);
  });

  it('sends nosniff and the other security headers on 404 and 405 answers too, and no HSTS on plain http', async () => {
    for (const response of [await fetch(`${server.url}/no-such-page`), await fetch(`${server.url}/healthz`, { method: 'DELETE' })]) {
      assert.ok([404, 405].includes(response.status), String(response.status));
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(response.headers.get('strict-transport-security'), null);
    }
  });

  it('tells browsers to keep to https (HSTS) when the service’s address is https', async () => {
    const secure = await startTestServer({ mode: 'closed', logic: nothing, publicUrl: 'https://complaints.example.gov.uk' });
    try {
      for (const path of ['/', '/no-such-page']) {
        assert.equal((await fetch(`${secure.url}${path}`)).headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', path);
      }
    } finally {
      await secure.close();
    }
  });

  it('serves Web Chat from the installed package, compressed and cacheable', async () => {
    const response = await fetch(`${server.url}/widget/webchat.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    const etag = response.headers.get('etag');
    assert.ok(etag);
    assert.match((await response.text()).slice(0, 2000), /\S/);
    const again = await fetch(`${server.url}/widget/webchat.js`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=3600');
    // The pages name each file with its version, and a file asked for by its version is kept for a year.
    const page = await (await fetch(`${server.url}/`)).text();
    const versioned = /src="(\/widget\/start\.js\?v=[\w-]+)" data-webchat="(\/widget\/webchat\.js\?v=[\w-]+)" data-app="(\/widget\/app\.js\?v=[\w-]+)"/.exec(
      page,
    );
    assert.ok(versioned, 'the page loads start.js, which loads Web Chat and app.js by version');
    assert.match(page, /<link rel="preload" as="script" href="\/widget\/webchat\.js\?v=/);
    for (const path of versioned.slice(1)) {
      const file = await fetch(`${server.url}${path}`);
      assert.equal(file.status, 200, path);
      assert.equal(file.headers.get('cache-control'), 'public, max-age=31536000, immutable', path);
    }
    assert.equal((await fetch(`${server.url}/widget/webchat.js?v=an-older-version`)).headers.get('cache-control'), 'public, max-age=3600');
  });

  it('answers unknown paths and methods with an empty 404 or 405', async () => {
    const missing = await fetch(`${server.url}/<script>alert(1)</script>`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), '');
    const wrong = await fetch(`${server.url}/healthz`, { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(await wrong.text(), '');
  });

  it('limits how many new chats one address can start', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await fetch(`${server.url}/api/directline/token`, { method: 'POST' })).status);
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
    assert.ok(
      statuses.slice(3).every((status) => status === 429),
      statuses.join(','),
    );
  });
});

describe('the widget page template', () => {
  it('escapes every value it is given', () => {
    const page = renderPage('<p>{{organisation}}</p><a title="{{serviceDeskEmail}}">', {
      ...SERVICE,
      organisation: '<script>"x"</script>',
      serviceDesk: { ...SERVICE.serviceDesk, email: '" onmouseover="alert(1)' },
    });
    assert.equal(page, '<p>&#60;script&#62;&#34;x&#34;&#60;/script&#62;</p><a title="&#34; onmouseover=&#34;alert(1)">');
    assert.throws(() => renderPage('{{unknown}}', SERVICE), /unknown value/);
  });
});

describe('the widget in Azure mode', () => {
  it('gets a user-bound token from Direct Line with the secret, which never reaches the browser', async () => {
    const seen: { authorization?: string; body: string }[] = [];
    const azure = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        seen.push({ ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}), body });
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ conversationId: 'azure-conversation', token: 'azure-user-token', expires_in: 1800 }));
      });
    });
    await new Promise<void>((resolve) => {
      azure.listen(0, '127.0.0.1', resolve);
    });
    const domain = `http://127.0.0.1:${(azure.address() as AddressInfo).port}/v3/directline`;
    const server = await startTestServer({ mode: 'closed', logic: nothing, azure: new AzureTokenBroker('the-direct-line-secret', domain) });
    try {
      const response = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
      const text = await response.text();
      const session = JSON.parse(text) as { token: string; conversationId: string; userId: string; domain: string };
      assert.equal(session.token, 'azure-user-token');
      assert.equal(session.domain, domain);
      assert.ok(!text.includes('the-direct-line-secret'));
      assert.equal(seen[0]?.authorization, 'Bearer the-direct-line-secret');
      assert.equal((JSON.parse(seen[0].body) as { user: { id: string } }).user.id, session.userId, 'the token is bound to a user id the server chose');
      const page = await fetch(server.url);
      assert.match(page.headers.get('content-security-policy') ?? '', new RegExp(`connect-src 'self' http://127\\.0\\.0\\.1:\\d+ wss://127\\.0\\.0\\.1:\\d+`));
      assert.equal((await fetch(`${server.url}/v3/directline/tokens/refresh`, { method: 'POST' })).status, 404, 'no self-hosted Direct Line in Azure mode');
    } finally {
      await server.close();
      await new Promise<void>((resolve) => {
        azure.close(() => {
          resolve();
        });
      });
    }
  });

  it('says plainly when Azure cannot be reached', async () => {
    const server = await startTestServer({ mode: 'closed', logic: nothing, azure: new AzureTokenBroker('secret', 'http://127.0.0.1:1/v3/directline') });
    try {
      const response = await fetch(`${server.url}/api/directline/token`, { method: 'POST' });
      assert.equal(response.status, 502);
      assert.deepEqual(await response.json(), {
        error: { code: 'ServiceUnavailable', message: 'The chat service could not be reached; please try again shortly' },
      });
    } finally {
      await server.close();
    }
  });
});

// The compressed copy is what most browsers get: check it is the same file.
describe('compressed assets', () => {
  it('decompress to the same bytes', async () => {
    const server = await startTestServer({ mode: 'closed', logic: nothing });
    try {
      const plain = Buffer.from(await (await fetch(`${server.url}/widget/app.js`, { headers: { 'Accept-Encoding': 'identity' } })).arrayBuffer());
      // fetch would decompress it for us; read the bytes as sent.
      const raw = await new Promise<Buffer>((resolve, reject) => {
        get(`${server.url}/widget/app.js`, { headers: { 'Accept-Encoding': 'gzip' } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            resolve(Buffer.concat(chunks));
          });
        }).on('error', reject);
      });
      assert.deepEqual(gunzipSync(raw), plain);
    } finally {
      await server.close();
    }
  });
});
