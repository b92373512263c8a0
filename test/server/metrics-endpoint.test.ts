/**
 * GET /metrics and /readyz's detail, through the whole composed bot: on Redis with METRICS_TOKEN
 * set (a Teams stand-in that refuses its first post, and one attempt per job, so a job fails
 * for good), and in memory without a token. Turns come from the widget and from a channel whose
 * connector refuses the bot's replies.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/config.js';
import type { EffectCounts } from '../../src/outbox/effect-runner.js';
import type { CaseNotice, CaseNotifier } from '../../src/ports/case-notifier.js';
import type { ComplainantMailer, ComplainantMessage } from '../../src/ports/complainant-mailer.js';
import { composeApp, type App } from '../../src/server/compose.js';
import { lodgeRequest } from '../helpers/cases.js';
import { newSession } from '../helpers/directline-client.js';
import { sample } from '../helpers/metrics.js';
import { productClient, RedisServerProcess, removeKeys, TEST_SECRET, testRedisUrl, uniquePrefix, TEST_DATA_KEYS } from '../helpers/redis.js';
import { RecordingLogger } from '../helpers/server.js';

const TOKEN = 'metrics-token-for-the-scraper-0001';

/** A Bot Connector stand-in that refuses every reply the bot sends, so the turn fails. */
async function refusingConnector(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(400, { 'Content-Type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Teams refusing the first card, then taking every one. */
class RefusesFirstCard implements CaseNotifier {
  private refused = false;
  notify(_notice: CaseNotice): Promise<void> {
    if (this.refused) return Promise.resolve();
    this.refused = true;
    return Promise.reject(new Error('Teams answered 500'));
  }
  deliveryStatus(): Promise<string | null> {
    return Promise.resolve(null);
  }
}

/** Email, kept in a list. */
class RecordingMailer implements ComplainantMailer {
  readonly kind = 'local';
  readonly channels = ['email'] as const;
  readonly sent: ComplainantMessage[] = [];
  send(message: ComplainantMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }
}

async function listen(app: App): Promise<string> {
  await new Promise<void>((resolve) => {
    app.built.server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${String((app.built.server.server.address() as AddressInfo).port)}`;
}

async function stop(app: App): Promise<void> {
  app.built.server.server.closeAllConnections();
  await new Promise<void>((resolve) => {
    app.built.server.close(() => {
      resolve();
    });
  });
  await app.drain();
  await app.close();
}

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Readiness {
  status: string;
  detail?: { failedJobs: number | null; queues: EffectCounts | null };
}

describe('GET /metrics and /readyz on Redis, with METRICS_TOKEN', function () {
  this.timeout(40_000);
  const prefix = uniquePrefix('metrics-endpoint');
  const mailer = new RecordingMailer();
  let app: App;
  let url: string;
  let connector: Awaited<ReturnType<typeof refusingConnector>>;

  before(async () => {
    connector = await refusingConnector();
    const config = loadConfig({
      LOCAL_DEVELOPMENT: 'true',
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      CASE_SECRET: TEST_SECRET,
      DATA_KEYS: TEST_DATA_KEYS,
      TIMELINE_SWEEP_SECONDS: '0',
      DIGEST_AT: 'off',
      METRICS_TOKEN: TOKEN,
    });
    app = await composeApp(config, {
      logger: new RecordingLogger(),
      warn: () => undefined,
      notifier: new RefusesFirstCard(),
      mailer: { mailer, warning: null },
      retry: { firstDelayMs: 10, maxDelayMs: 10, attempts: 1 },
    });
    url = await listen(app);
  });
  after(async () => {
    await stop(app);
    await connector.close();
    const client = await productClient();
    try {
      await removeKeys(client, prefix);
    } finally {
      client.disconnect();
    }
  });

  const scrape = async (): Promise<string> => {
    const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    return response.text();
  };

  it('answers only a scraper holding the token', async () => {
    for (const authorization of [undefined, 'Bearer not-the-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const response = await fetch(`${url}/metrics`, authorization ? { headers: { Authorization: authorization } } : {});
      assert.equal(response.status, 401, String(authorization));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.equal(await response.text(), '');
    }
    const response = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    assert.equal(sample(body, 'complaints_queue_jobs{queue="staff",state="failed"}'), 0, 'the queues are read at the scrape');
    assert.ok((sample(body, 'process_resident_memory_bytes') ?? 0) > 0);
  });

  it('counts the turns of each channel, and the turns that failed', async () => {
    // The widget: its greeting, then what the person says.
    const session = await newSession(url);
    const started = await fetch(`${session.domain}/conversations`, { method: 'POST', headers: { Authorization: `Bearer ${session.token}` } });
    assert.ok(started.ok, String(started.status));
    const said = await fetch(`${session.domain}/conversations/${session.conversationId}/activities`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', from: { id: session.userId }, text: 'hello' }),
    });
    assert.equal(said.status, 200);
    // A channel whose connector refuses the bot's reply: the turn fails.
    const person = { from: { id: 'person-1', role: 'user' }, recipient: { id: 'bot' }, conversation: { id: 'metrics-refused' } };
    await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', id: 'refused-1', text: 'hello', channelId: 'emulator', serviceUrl: connector.url, ...person }),
    });
    const body = await scrape();
    assert.equal(sample(body, 'complaints_turns_total{channel="directline"}'), 2);
    assert.equal(sample(body, 'complaints_turn_errors_total{channel="directline"}'), undefined);
    assert.equal(sample(body, 'complaints_turns_total{channel="emulator"}'), 1);
    assert.equal(sample(body, 'complaints_turn_errors_total{channel="emulator"}'), 1, 'the reply that could not be sent failed its turn');
  });

  it('shows a job that failed every attempt on /readyz’s detail and in the metrics, while storage keeps the instance ready', async () => {
    const readiness = async (): Promise<Readiness> => (await (await fetch(`${url}/readyz`)).json()) as Readiness;
    assert.deepEqual((await readiness()).detail?.failedJobs, 0);
    await app.stores.cases.lodge({
      ...lodgeRequest(),
      events: [
        { type: 'staff-alerted', alert: 'lodged' },
        { type: 'complainant-told', notice: 'acknowledgement', text: null },
      ],
    });
    await until(async () => (await readiness()).detail?.failedJobs === 1);
    const response = await fetch(`${url}/readyz`);
    assert.equal(response.status, 200);
    const ready = (await response.json()) as Readiness;
    assert.equal(ready.status, 'ready');
    assert.equal(ready.detail?.queues?.staff.failed, 1);
    assert.equal(ready.detail.queues.complainant.failed, 0);

    await until(() => Promise.resolve(mailer.sent.length === 1));
    const body = await scrape();
    assert.equal(sample(body, 'complaints_jobs_failed_total{queue="staff"}'), 1);
    assert.equal(sample(body, 'complaints_queue_jobs{queue="staff",state="failed"}'), 1);
    assert.equal(sample(body, 'complaints_delivery_seconds_count{channel="email"}'), 1, 'the acknowledgement went by email');
    assert.equal(sample(body, 'complaints_delivery_seconds_count{channel="teams"}'), undefined, 'the card never got through');
  });
});

describe('GET /metrics and /readyz in memory, without METRICS_TOKEN', () => {
  let app: App;
  let url: string;

  before(async () => {
    app = await composeApp(loadConfig({ LOCAL_DEVELOPMENT: 'true' }), { logger: new RecordingLogger(), warn: () => undefined });
    url = await listen(app);
  });
  after(async () => {
    await stop(app);
  });

  it('serves the metrics to anyone who can reach it (the README says to firewall it)', async () => {
    const response = await fetch(`${url}/metrics`);
    assert.equal(response.status, 200);
    assert.equal(sample(await response.text(), 'complaints_queue_jobs{queue="complainant",state="waiting"}'), 0);
  });

  it('counts the in-process effects on /readyz', async () => {
    const response = await fetch(`${url}/readyz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Readiness;
    assert.equal(body.status, 'ready');
    assert.equal(body.detail?.failedJobs, 0);
    assert.deepEqual(Object.keys(body.detail.queues ?? {}), ['staff', 'complainant']);
  });
});

describe('GET /metrics and /readyz while Redis does not answer', function () {
  this.timeout(40_000);
  let redis: RedisServerProcess;
  let app: App;
  let url: string;

  before(async () => {
    redis = await RedisServerProcess.start();
    const config = loadConfig({
      LOCAL_DEVELOPMENT: 'true',
      REDIS_URL: redis.url,
      CASE_SECRET: TEST_SECRET,
      DATA_KEYS: TEST_DATA_KEYS,
      REDIS_COMMAND_TIMEOUT_MS: '300',
    });
    app = await composeApp(config, { logger: new RecordingLogger(), warn: () => undefined });
    url = await listen(app);
  });
  after(async () => {
    redis.resume();
    await stop(app);
    await redis.stop();
  });

  it('still answer, promptly: not ready with no job counts, and the metrics without the queues', async () => {
    redis.pause();
    try {
      const started = Date.now();
      const readiness = await fetch(`${url}/readyz`);
      assert.equal(readiness.status, 503);
      assert.deepEqual(await readiness.json(), { status: 'storage unavailable', detail: { failedJobs: null, queues: null } });
      const metrics = await fetch(`${url}/metrics`);
      assert.equal(metrics.status, 200);
      const body = await metrics.text();
      assert.equal(sample(body, 'complaints_queue_jobs{queue="staff",state="failed"}'), undefined);
      assert.ok(body.includes('process_cpu_user_seconds_total'));
      assert.ok(Date.now() - started < 3000, `answered in ${String(Date.now() - started)} ms`);
    } finally {
      redis.resume();
    }
  });
});
