/**
 * Opens the case store and conversation storage the configuration asks for: Redis when REDIS_URL
 * is set, otherwise the in-memory stores, with a warning that cannot be missed because nothing
 * is kept.
 */
import { randomBytes } from 'node:crypto';
import type { CaseStore, LookupGuard, WakeSchedule } from '../cases/case-store.js';
import { wakeScheduleFor } from '../cases/timeline.js';
import { createEscalationPolicy } from '../policy/index.js';
import type { Logger } from '../ports/logger.js';
import { type PeriodicJob, type Recalendar, startTimelineQueue } from './redis/timeline-queue.js';
import type { RightsAudit } from '../rights/rights-audit.js';
import { MemoryRightsAudit } from './memory/memory-rights-audit.js';
import { RedisRightsAudit } from './redis/redis-rights-audit.js';
import type { ExportTickets } from '../rights/export-tickets.js';
import { MemoryExportTickets } from './memory/memory-export-tickets.js';
import { RedisExportTickets } from './redis/redis-export-tickets.js';
import { SecondFactorHasher, secretVerifier } from '../cases/second-factor.js';
import { type Config, retentionFrom, timelineSettingsFrom } from '../config/config.js';
import { retentionMs } from '../rights/retention.js';
import type { ConversationLog } from '../directline/conversation-log.js';
import { MemoryConversationLog } from '../directline/memory-conversation-log.js';
import type { ConversationStorage } from '../state/conversation-storage.js';
import { MemoryCaseStore } from './memory/memory-case-store.js';
import { MemoryConversationStorage } from './memory/memory-conversation-storage.js';
import { MemoryThreadDirectory } from './memory/memory-thread-directory.js';
import type { ThreadDirectory } from '../teams/thread-directory.js';
import type { EffectDeps } from '../outbox/effects.js';
import { type EffectRunner, InProcessEffectRunner } from '../outbox/effect-runner.js';
import { MemoryEffectLedger } from './memory/memory-effect-ledger.js';
import { EffectQueues, type RetryPolicy } from './redis/effect-queues.js';
import { RedisEffectLedger } from './redis/redis-effect-ledger.js';
import { checkCaseSecret, checkDataKeys, checkShardCount, createRedisClient, ServerClock, storageCall, waitUntilReady } from './redis/connection.js';
import { DataKeyRing } from './encryption/data-keys.js';
import { RedisKeys } from './redis/keys.js';
import { RedisCaseStore } from './redis/redis-case-store.js';
import { RedisConversationLog } from './redis/redis-conversation-log.js';
import { RedisConversationStorage } from './redis/redis-conversation-storage.js';
import { RedisThreadDirectory } from './redis/redis-thread-directory.js';
import { RedisStaffTeamsIds } from './redis/redis-staff-teams-ids.js';
import { MemoryStaffTeamsIds } from './memory/memory-staff-teams-ids.js';
import type { StaffTeamsIds } from '../teams/staff-teams-ids.js';
import type { ConcernNotes } from '../ports/concern-notes.js';
import { MemoryConcernNotes } from './memory/memory-concern-notes.js';
import { RedisConcernNotes } from './redis/redis-concern-notes.js';

/** The stores the bot runs on. */
export interface Stores {
  readonly cases: CaseStore;
  readonly conversations: ConversationStorage;
  /** The self-hosted widget's conversations and their activities. */
  readonly directLine: ConversationLog;
  /** Which case each Teams card post belongs to. */
  readonly threads: ThreadDirectory;
  /** Staff's Teams user ids, learned from their activities. */
  readonly staffTeamsIds: StaffTeamsIds;
  /** The words of safeguarding concerns raised before there was a case, for staff to read. */
  readonly concernNotes: ConcernNotes;
  /** False when nothing survives a restart. */
  readonly durable: boolean;
  /**
   * Starts running the effects of the events the case store saves (BullMQ on Redis; this
   * process without it), with the effects' ports but the ledger, which belongs with the stores.
   */
  startEffects(deps: Omit<EffectDeps, 'ledger'>, options: EffectOptions): Promise<EffectRunner>;
  /**
   * Runs `sweep` (the timeline's) about every `everyMs`: once per period across every instance
   * on Redis (a BullMQ job scheduler), on a timer in this process without it.
   */
  startTimeline(
    sweep: () => Promise<unknown>,
    everyMs: number,
    log: Logger,
    recalendar: Recalendar,
    periodic?: PeriodicJob | null,
  ): Promise<{ close(): Promise<void> }>;
  /** The record of what was done under data protection rights. */
  readonly rightsAudit: RightsAudit;
  /** One-time links to subject access exports, for staff acting from a case card. */
  readonly exportTickets: ExportTickets;
  /** Whether the stores can serve requests now (for readiness checks). */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

/** How effects are run. */
export interface EffectOptions {
  /** How long Teams asked to wait, if an error is its throttling. */
  readonly throttled: (error: unknown) => number | null;
  readonly retry?: RetryPolicy;
  readonly sweepEveryMs?: number;
  /** How long a worker's hold on a job lasts unrenewed (EFFECT_LOCK_SECONDS). */
  readonly lockMs?: number;
  /** Teams posts per second across every instance (TEAMS_POSTS_PER_SECOND); null without Teams (no limit). */
  readonly staffPerSecond?: number | null;
  /** False: this instance neither relays nor delivers (EFFECT_WORKERS); others do. Ignored without Redis. */
  readonly workers?: boolean;
}

/** The warning printed when the bot runs without Redis. */
export const NOTHING_IS_KEPT = [
  '!!! NOTHING IS KEPT !!!',
  "REDIS_URL is not set, so complaints and conversations are held in this process's memory only.",
  'Every case is lost when it stops. Set REDIS_URL (with CASE_SECRET and DATA_KEYS) before anyone relies on this bot.',
].join('\n');

function lookupGuard(config: Config): LookupGuard {
  return {
    maxFailuresPerReference: config.LOOKUP_MAX_FAILURES_PER_REFERENCE,
    maxFailuresPerRequester: config.LOOKUP_MAX_FAILURES_PER_REQUESTER,
    maxFailuresPerAddress: config.LOOKUP_MAX_FAILURES_PER_ADDRESS,
    lockoutMs: config.LOOKUP_LOCKOUT_MINUTES * 60_000,
  };
}

/** Sweeps on a timer in this process (no Redis: nothing is shared, and nothing outlives the process anyway). */
function timerTimeline(
  sweep: () => Promise<unknown>,
  everyMs: number,
  log: Logger,
  recalendar: Recalendar,
  periodic?: PeriodicJob | null,
): Promise<{ close(): Promise<void> }> {
  // Nothing was kept from before this process, so the recount finds little; it runs all the same, once.
  let running: Promise<unknown> = recalendar
    .run([], () => Promise.resolve())
    .catch((error: unknown) => {
      log.warn('timeline.recalendar-failed', { error: error instanceof Error ? error.name : 'unknown' });
    });
  const timer = setInterval(() => {
    running = running.then(sweep).catch((error: unknown) => {
      log.warn('timeline.sweep-failed', { error: error instanceof Error ? error.name : 'unknown' });
    });
  }, everyMs);
  timer.unref();
  const periodicTimer = periodic
    ? setInterval(() => {
        running = running
          .then(() => periodic.run())
          .catch((error: unknown) => {
            log.warn(`${periodic.name}.failed`, { error: error instanceof Error ? error.name : 'unknown' });
          });
      }, periodic.everyMs)
    : null;
  periodicTimer?.unref();
  return Promise.resolve({
    close: async () => {
      clearInterval(timer);
      if (periodicTimer) clearInterval(periodicTimer);
      await running;
    },
  });
}

/**
 * Opens the configured stores; with Redis, waits (a few seconds at most) until it answers.
 * `schedule` says when each case's timeline next needs looking at (by default, the built-in
 * rulebook's with the configured settings).
 */
export async function openStores(config: Config, warn: (message: string) => void, schedule?: WakeSchedule): Promise<Stores> {
  const wakeAt = schedule ?? wakeScheduleFor(createEscalationPolicy(), timelineSettingsFrom(config));
  const idleMs = config.CONVERSATION_IDLE_HOURS * 3_600_000;
  if (!config.REDIS_URL) {
    warn(NOTHING_IS_KEPT);
    // Without Redis nothing outlives the process, so a per-process secret loses nothing.
    const hasher = new SecondFactorHasher(config.CASE_SECRET ?? randomBytes(32).toString('base64url'));
    const memoryCases = new MemoryCaseStore(hasher, lookupGuard(config), Date.now, undefined, wakeAt);
    return {
      cases: memoryCases,
      startEffects: (deps) => {
        const ledger = new MemoryEffectLedger();
        const runner = new InProcessEffectRunner({ ...deps, ledger }, ledger);
        memoryCases.onEvents((events) => {
          runner.written(events);
        });
        return Promise.resolve(runner);
      },
      conversations: new MemoryConversationStorage(idleMs),
      directLine: new MemoryConversationLog(),
      threads: new MemoryThreadDirectory(),
      staffTeamsIds: new MemoryStaffTeamsIds(),
      concernNotes: new MemoryConcernNotes(),
      durable: false,
      startTimeline: timerTimeline,
      rightsAudit: new MemoryRightsAudit(),
      exportTickets: new MemoryExportTickets(),
      ready: () => Promise.resolve(true),
      close: () => Promise.resolve(),
    };
  }
  if (!config.CASE_SECRET) throw new Error('CASE_SECRET is required with REDIS_URL');
  if (!config.DATA_KEYS) throw new Error('DATA_KEYS is required with REDIS_URL');
  const dataKeys = DataKeyRing.parse(config.DATA_KEYS);
  const client = createRedisClient(config);
  try {
    await waitUntilReady(client, Math.max(3000, config.REDIS_COMMAND_TIMEOUT_MS * 2));
  } catch (error) {
    client.disconnect();
    throw error;
  }
  const keys = new RedisKeys(config.REDIS_KEY_PREFIX, config.CASE_SHARDS, config.CASE_SECRET);
  const clock = new ServerClock(client, config.REDIS_COMMAND_TIMEOUT_MS);
  try {
    await checkShardCount(client, keys.meta(), config.CASE_SHARDS);
    await checkCaseSecret(client, keys.meta(), {
      current: secretVerifier(config.CASE_SECRET),
      previous: config.CASE_SECRET_PREVIOUS ? secretVerifier(config.CASE_SECRET_PREVIOUS) : null,
    });
    await checkDataKeys(client, keys.meta(), dataKeys);
    await clock.measure();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  const hasher = new SecondFactorHasher(config.CASE_SECRET, config.CASE_SECRET_PREVIOUS ? [config.CASE_SECRET_PREVIOUS] : []);
  const cases = new RedisCaseStore({ client, keys, clock, hasher, guard: lookupGuard(config), schedule: wakeAt, dataKeys });
  const directLine = new RedisConversationLog(client, keys, idleMs, dataKeys);
  return {
    cases,
    conversations: new RedisConversationStorage(client, keys, idleMs, clock, dataKeys),
    directLine,
    threads: new RedisThreadDirectory(client, keys),
    staffTeamsIds: new RedisStaffTeamsIds(client, keys),
    // A concern raised before there was a case is a complaints record like any other: kept as long, then gone.
    concernNotes: new RedisConcernNotes(client, keys, dataKeys, retentionMs(retentionFrom(config))),
    durable: true,
    startEffects: async (deps, options) => {
      const effectDeps = { ...deps, ledger: new RedisEffectLedger(client, keys) };
      const queues = new EffectQueues({
        connection: config,
        client,
        keys,
        events: cases,
        dataKeys,
        deps: effectDeps,
        throttled: options.throttled,
        log: deps.log,
        ...(options.retry ? { retry: options.retry } : {}),
        ...(options.sweepEveryMs ? { sweepEveryMs: options.sweepEveryMs } : {}),
        ...(options.lockMs ? { lockMs: options.lockMs } : {}),
        ...(options.staffPerSecond !== undefined ? { staffPerSecond: options.staffPerSecond } : {}),
      });
      if (options.workers !== false) {
        cases.onEvents((events) => {
          queues.wake(events);
        });
        await queues.start();
      } else {
        cases.onEvents((events) => {
          queues.announce(events);
        });
      }
      return {
        durable: true,
        counts: () => queues.counts(),
        idle: () => queues.idle(),
        raiseConcern: (concern) => queues.raiseConcern(concern),
        raiseDigest: (request) => queues.raiseDigest(request),
        raiseCalendarNotice: (notice) => queues.raiseCalendarNotice(notice),
        seen: (messageId, conversationId) => queues.seen(messageId, conversationId),
        close: () => queues.close(),
      };
    },
    startTimeline: (sweep, everyMs, log, recalendar, periodic) =>
      startTimelineQueue({ connection: config, keys, log, everyMs, sweep, recalendar, periodic: periodic ?? null }),
    rightsAudit: new RedisRightsAudit(client, keys),
    exportTickets: new RedisExportTickets(client, keys),
    ready: async () => {
      try {
        await storageCall('ping', () => client.ping());
        return true;
      } catch {
        return false;
      }
    },
    close: async () => {
      await directLine.close();
      await cases.close();
    },
  };
}
