/**
 * The whole composed bot on Redis with Teams configured, listening on a free port, and the
 * stand-in Teams connector it posts to: for the staff-side tests.
 */
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { composeApp, type App, type ComposeOptions } from '../../src/server/compose.js';
import { productClient, removeKeys, TEST_SECRET, testRedisUrl, TEST_DATA_KEYS } from './redis.js';
import { RecordingLogger } from './server.js';
import { CHANNEL, fakeTeams, type FakeTeams, SECOND_STAFF, STAFF, TENANT } from './teams.js';

/** The body of the bot's answer to an invoke: its status, and the card or message it returned. */
export interface InvokeBody {
  readonly statusCode: number;
  readonly type: string;
  readonly value: unknown;
}

export interface TeamsTestApp {
  readonly app: App;
  readonly url: string;
  readonly teams: FakeTeams;
  readonly logger: RecordingLogger;
  /** The test's key prefix in Redis. */
  readonly prefix: string;
  /** Posts an activity to /api/messages as a channel would. */
  post(activity: Record<string, unknown>): Promise<Response>;
  /** Posts an invoke (a card action) and reads the bot's answer, which must come with 200. */
  invoke(activity: Record<string, unknown>): Promise<InvokeBody>;
  /** Stops everything and deletes the test's keys. */
  close(): Promise<void>;
}

/** Starts the app under its own key prefix. */
export async function startTeamsApp(
  prefix: string,
  options: { readonly env?: Record<string, string>; readonly compose?: Pick<ComposeOptions, 'unseenAfterMs' | 'retry' | 'clock'> } = {},
): Promise<TeamsTestApp> {
  const teams = await fakeTeams();
  const logger = new RecordingLogger();
  const outbox = join(tmpdir(), `${prefix}-outbox.jsonl`);
  const config = loadConfig({
    LOCAL_DEVELOPMENT: 'true',
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: prefix,
    CASE_SECRET: TEST_SECRET,
    DATA_KEYS: TEST_DATA_KEYS,
    TEAMS_CHANNEL_ID: CHANNEL,
    TEAMS_TENANT_IDS: TENANT,
    TEAMS_STAFF_IDS: `${STAFF.aadObjectId},${SECOND_STAFF.aadObjectId}`,
    TEAMS_SERVICE_URL: teams.url,
    // What would be emailed goes to a file of the test's own.
    LOCAL_OUTBOX_PATH: outbox,
    // The timeline would act on the fixtures' 2025 deadlines in working hours: tests call its sweep themselves.
    TIMELINE_SWEEP_SECONDS: '0',
    DIGEST_AT: 'off',
    // Replies go at once unless a test is about holding them.
    PUBLIC_REPLY_HOLD_SECONDS: '0',
    ...options.env,
  });
  const app = await composeApp(config, { logger, warn: () => undefined, ...options.compose });
  await new Promise<void>((resolve) => {
    app.built.server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${String((app.built.server.server.address() as AddressInfo).port)}`;
  const post = (activity: Record<string, unknown>): Promise<Response> =>
    fetch(`${url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
  return {
    app,
    url,
    teams,
    logger,
    prefix,
    post,
    invoke: async (activity) => {
      const response = await post(activity);
      if (response.status !== 200) throw new Error(`the invoke was answered with ${String(response.status)}`);
      return (await response.json()) as InvokeBody;
    },
    close: async () => {
      app.built.closeStreams();
      app.built.server.server.closeAllConnections();
      await new Promise<void>((resolve) => {
        app.built.server.close(() => {
          resolve();
        });
      });
      await app.drain();
      await app.close();
      await teams.close();
      rmSync(outbox, { force: true });
      const client = await productClient();
      try {
        await removeKeys(client, prefix);
      } finally {
        client.disconnect();
      }
    },
  };
}
