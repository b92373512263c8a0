/**
 * The one configuration schema. The environment is read here and nowhere else, once at start-up;
 * a bad value stops the process with a message naming the variable, so a misconfigured bot never
 * half-starts (for example, silently keeping complaints in memory because of a typo in REDIS_URL).
 */
import { z } from 'zod';

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).default(fallback);

const optionalText = z.string().trim().min(1).optional();

/** Redis keys start with this; braces would break Cluster hash tags, so only a safe set of characters is allowed. */
const keyPrefix = z.string().regex(/^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)*$/, 'letters, digits, "_", ".", "-" and ":" separators only');

/** The environment variables the bot understands. */
export const configSchema = z.object({
  /** Where cases and conversation state live: redis:// or rediss:// (TLS), with user and password if the server uses ACLs. Unset: in memory, kept nowhere. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, hostname: /^.+$/, error: 'must be a redis:// or rediss:// URL with a host' }).optional(),
  /** standalone (default), cluster (REDIS_URL is one seed node; more in REDIS_NODES) or sentinel (REDIS_NODES lists the sentinels). */
  REDIS_MODE: z.enum(['standalone', 'cluster', 'sentinel']).default('standalone'),
  /** Extra host:port entries: cluster seed nodes, or the sentinels. */
  REDIS_NODES: z.string().trim().optional().transform((value, ctx) => {
    if (!value) return [];
    const nodes = value.split(',').map((entry) => entry.trim()).filter(Boolean);
    for (const node of nodes) {
      if (!/^[^\s:]+:\d{1,5}$/.test(node)) ctx.addIssue({ code: 'custom', message: `"${node}" is not host:port` });
    }
    return nodes;
  }),
  /** The sentinel master group name (sentinel mode). */
  REDIS_SENTINEL_MASTER: optionalText,
  REDIS_KEY_PREFIX: keyPrefix.default('complaints'),
  /** How long one Redis command may take before the caller is told storage is unavailable. */
  REDIS_COMMAND_TIMEOUT_MS: wholeNumber(100, 10_000, 2000),
  /** Index partitions; each case and its indexes share one Cluster slot. Fixed once cases exist. */
  CASE_SHARDS: wholeNumber(1, 1024, 16),
  /** Secret for hashing the second factor (email or phone) that unlocks a case; at least 32 characters. Required with Redis. */
  CASE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Idle conversation state (half-finished answers) is deleted after this many hours. Cases never expire. */
  CONVERSATION_IDLE_HOURS: wholeNumber(1, 24 * 90, 24),
  /** Lookup attempts allowed per reference, and per requester (user), before lookups are refused for a while. */
  LOOKUP_MAX_FAILURES_PER_REFERENCE: wholeNumber(1, 100, 5),
  LOOKUP_MAX_FAILURES_PER_REQUESTER: wholeNumber(1, 100, 10),
  /** How long refused lookups stay refused. */
  LOOKUP_LOCKOUT_MINUTES: wholeNumber(1, 24 * 60, 60),
}).superRefine((config, ctx) => {
  if (config.REDIS_URL && !config.CASE_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['CASE_SECRET'], message: 'is required when REDIS_URL is set, so stored second factors can still be checked after a restart' });
  }
  if (config.REDIS_MODE !== 'standalone' && !config.REDIS_URL) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: `is required when REDIS_MODE is ${config.REDIS_MODE}` });
  }
  if (config.REDIS_MODE === 'sentinel' && (!config.REDIS_SENTINEL_MASTER || config.REDIS_NODES.length === 0)) {
    ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_MASTER'], message: 'sentinel mode needs REDIS_SENTINEL_MASTER and the sentinels in REDIS_NODES' });
  }
});

/** The checked configuration. */
export type Config = z.output<typeof configSchema>;

/** The configuration cannot be used; the message names every bad variable. */
export class InvalidConfiguration extends Error {
  override readonly name = 'InvalidConfiguration';
  constructor(readonly problems: readonly string[]) {
    super(`Configuration is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/** Parses configuration from an environment (process.env by default). */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  // Empty strings count as unset: `REDIS_URL=` in a .env file means "no Redis", not "invalid URL".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new InvalidConfiguration(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'configuration'}: ${issue.message}`));
  }
  return parsed.data;
}
