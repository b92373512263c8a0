/**
 * Channels redeliver an activity they think was lost (Azure Bot Service retries after 15 s).
 * Through the whole composed bot on Redis: the same activity twice is answered once; a new one
 * is answered again. The bot's replies go to a small connector service that records them.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/config.js';
import { composeApp, type App } from '../../src/server/compose.js';
import { RecordingLogger } from '../helpers/server.js';
import { productClient, removeKeys, TEST_SECRET, testRedisUrl, uniquePrefix, TEST_DATA_KEYS } from '../helpers/redis.js';

/** A Bot Connector stand-in: records every activity the bot sends. */
async function recordingConnector(): Promise<{ url: string; replies: { text?: string }[]; close(): Promise<void> }> {
  const replies: { text?: string }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && /\/v3\/conversations\/[^/]+\/activities/.test(request.url ?? '')) {
        replies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: string });
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ id: `reply-${String(replies.length)}` }));
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`,
    replies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('An activity delivered twice', function () {
  this.timeout(30_000);
  const prefix = uniquePrefix('redelivery');
  let app: App;
  let url: string;
  let connector: Awaited<ReturnType<typeof recordingConnector>>;

  before(async () => {
    connector = await recordingConnector();
    const config = loadConfig({
      LOCAL_DEVELOPMENT: 'true',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      CASE_SECRET: TEST_SECRET,
      DATA_KEYS: TEST_DATA_KEYS,
      TIMELINE_SWEEP_SECONDS: '0',
      DIGEST_AT: 'off',
    });
    app = await composeApp(config, { logger: new RecordingLogger(), warn: () => undefined });
    await new Promise<void>((resolve) => {
      app.built.server.listen(0, '127.0.0.1', resolve);
    });
    url = `http://127.0.0.1:${String((app.built.server.server.address() as AddressInfo).port)}`;
  });
  after(async () => {
    app.built.server.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      app.built.server.close(() => {
        resolve();
      });
    });
    await app.close();
    await connector.close();
    const client = await productClient();
    try {
      await removeKeys(client, prefix);
    } finally {
      client.disconnect();
    }
  });

  function deliver(id: string, text: string): Promise<Response> {
    return fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id,
        text,
        channelId: 'emulator',
        serviceUrl: connector.url,
        locale: 'en-GB',
        from: { id: 'person-1', role: 'user' },
        recipient: { id: 'bot' },
        conversation: { id: 'redelivered-conversation' },
      }),
    });
  }

  it('is answered once, and the next activity is answered as usual', async () => {
    assert.equal((await deliver('activity-1', 'hello')).status, 200);
    const answered = connector.replies.length;
    assert.ok(answered > 0, 'the first delivery is answered');

    assert.equal((await deliver('activity-1', 'hello')).status, 200, 'the redelivery is acknowledged');
    assert.equal(connector.replies.length, answered, 'and not answered again');

    assert.equal((await deliver('activity-2', 'help')).status, 200);
    assert.ok(connector.replies.length > answered, 'a new activity is answered');
  });
});
