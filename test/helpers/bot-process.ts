/**
 * The real entry point (`node dist/src/main.js`) in a child process, as `npm start` runs it:
 * started with an environment, on a free port, read through its JSON log lines, and stopped
 * with SIGTERM as a platform would stop it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { configurationVariables } from '../../src/config/config.js';
import { TEST_DATA_KEYS, TEST_SECRET, testRedisUrl } from './redis.js';
import { CHANNEL, STAFF, TENANT } from './teams.js';

const MAIN = join(__dirname, '..', '..', 'src', 'main.js');

/** A running bot process. */
export interface BotProcess {
  readonly url: string;
  /** Every JSON log line so far. */
  readonly logs: Record<string, unknown>[];
  /** Everything written to stderr so far (warnings, banners). */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code once it has exited. */
  stop(): Promise<number | null>;
  /** Kills it at once (SIGKILL, as `kill -9`): nothing is finished or flushed. */
  kill(): Promise<void>;
}

/**
 * This process's environment without any of the bot's own variables (a developer's CASE_SECRET or
 * REDIS_URL, say): the bot under test gets only what the test gives it, plus PATH and the like.
 */
function inheritedEnvironment(): Record<string, string | undefined> {
  const own = new Set([...configurationVariables(), 'LOCAL_SECRETS_FILE', 'TEST_REDIS_URL']);
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !own.has(name)));
}

/** Starts the bot with `--local` and these variables, and waits until it listens (or, with `--workers`, delivers). */
export async function startBotProcess(env: Record<string, string>, args: readonly string[] = ['--local']): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, [MAIN, ...args], {
    env: {
      ...inheritedEnvironment(),
      PORT: '0',
      DELIVERY_PORT: '0',
      LOCAL_OUTBOX_PATH: join(tmpdir(), `bot-process-${String(Date.now())}-outbox.jsonl`),
      // The timeline would act on the fixtures' 2025 deadlines in working hours: only its own tests turn it on.
      TIMELINE_SWEEP_SECONDS: '0',
      DIGEST_AT: 'off',
      // Replies from Teams go at once unless a test is about holding them.
      PUBLIC_REPLY_HOLD_SECONDS: '0',
      // With Redis, personal data is encrypted under it; set here so no test leaves a local secrets file behind.
      DATA_KEYS: TEST_DATA_KEYS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the bot did not start:\n${stderr}`));
    }, 20_000);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with ${String(code)}:\n${stderr}`));
    });
    if (!child.stdout) throw new Error('no stdout');
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { unstructured: line };
      }
      logs.push(entry);
      if (entry['event'] === 'server.listening' && typeof entry['url'] === 'string') {
        clearTimeout(timer);
        resolve(entry['url'].replace(/\/$/, ''));
      }
      // A delivery instance (--workers) serves only its operations routes.
      if (entry['event'] === 'delivery.started' && typeof entry['url'] === 'string') {
        clearTimeout(timer);
        resolve(entry['url'].replace(/\/$/, ''));
      }
    });
  });
  return {
    url,
    logs,
    stderr: () => stderr,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * The settings of a bot process on the test Redis under `prefix`, posting to the Teams stand-in
 * at `teamsUrl`: quick to take over a dead process's jobs, and with Teams' rate limit out of the way.
 */
export function teamsProcessEnvironment(prefix: string, teamsUrl: string): Record<string, string> {
  return {
    REDIS_URL: testRedisUrl(),
    REDIS_KEY_PREFIX: prefix,
    CASE_SECRET: TEST_SECRET,
    DIRECT_LINE_TOKEN_SECRET: 'processes-token-secret-of-at-least-32-characters',
    TEAMS_CHANNEL_ID: CHANNEL,
    TEAMS_TENANT_IDS: TENANT,
    TEAMS_STAFF_IDS: STAFF.aadObjectId,
    TEAMS_SERVICE_URL: teamsUrl,
    TEAMS_POSTS_PER_SECOND: '500',
    EFFECT_LOCK_SECONDS: '3',
  };
}
