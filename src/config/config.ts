/**
 * The one configuration schema. The environment is read here and nowhere else, once at start-up;
 * a bad value stops the process with a message naming the variable, so a misconfigured bot never
 * half-starts (for example, silently keeping complaints in memory because of a typo in REDIS_URL).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { parseRetention, type Retention } from '../rights/retention.js';
import type { ServiceDetails } from '../ports/service-details.js';
import type { TimelineSettings } from '../cases/timeline.js';
import { type LocalSecrets, withLocalSecrets } from './local-secrets.js';

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).default(fallback);

const optionalText = z.string().trim().min(1).optional();

/** RECORDS_KEPT_FOR: how long finished cases' records are kept (see `parseRetention`). */
const recordsKeptFor = z
  .string()
  .trim()
  .refine((text) => {
    try {
      parseRetention(text);
      return true;
    } catch {
      return false;
    }
  }, 'must be a number of years, months or days (at least 30 days), such as "6 years" or "10 years after the complaint is closed"')
  .optional();

/** Redis keys start with this; braces would break Cluster hash tags, so only a safe set of characters is allowed. */
const keyPrefix = z.string().regex(/^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)*$/, 'letters, digits, "_", ".", "-" and ":" separators only');

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Details shown to the public: example values are allowed only in local development. */
const EXAMPLE_SERVICE = {
  SERVICE_ORGANISATION: 'the example council (local development)',
  SERVICE_DESK_PHONE: '0300 000 0000 (example number)',
  SERVICE_DESK_EMAIL: 'complaints@example.invalid',
  SERVICE_DESK_HOURS: 'Monday to Friday, 9am to 5pm',
  PRIVACY_NOTICE_URL: 'https://example.invalid/privacy',
  PRIVACY_NOTICE_VERSION: 'example',
  RECORDS_KEPT_FOR: '6 years after the complaint is closed',
  SAFEGUARDING_CHILDREN_PHONE: '0300 000 0001 (example number)',
  SAFEGUARDING_ADULTS_PHONE: '0300 000 0002 (example number)',
} as const;

const idList = (what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      const entries = (value ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      for (const entry of entries) {
        if (!/^[A-Za-z0-9:@._-]{1,200}$/.test(entry)) ctx.addIssue({ code: 'custom', message: `"${entry.slice(0, 40)}" is not ${what}` });
      }
      return entries;
    });

const guid = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');

/** GOV.UK Notify's API key: `{key name}-{service id}-{secret key}`, the last two GUIDs. */
const notifyApiKey = z
  .string()
  .trim()
  .regex(
    /^.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'must be a GOV.UK Notify API key: the key name, the service id and the secret key, joined by "-"',
  );

/**
 * The staff side in Microsoft Teams. Also used on its own by `npm run manifest`, which needs
 * these and nothing about storage.
 */
const teamsSchema = z.object({
  /** The service desk's channel (19:...@thread.tacv2): new case cards are posted there. Unset: no Teams; staff notices are logged. */
  TEAMS_CHANNEL_ID: z
    .string()
    .trim()
    .regex(/^19:[A-Za-z0-9_.@-]+$/, 'must be a Teams channel id such as 19:abc123@thread.tacv2')
    .optional(),
  /** Microsoft Entra tenants whose staff may act (comma-separated GUIDs). */
  TEAMS_TENANT_IDS: idList('a tenant id'),
  /** Staff who may act on cases: Entra object ids (comma-separated). */
  TEAMS_STAFF_IDS: idList('an Entra object id'),
  /**
   * A Teams team whose members are staff too (its id, 19:...@thread.tacv2: the id of its General
   * channel), so adding a colleague to the team is enough. Guests never count.
   */
  TEAMS_STAFF_TEAM_ID: z
    .string()
    .trim()
    .regex(/^19:[^\s;]+@thread\.(tacv2|skype)$/, 'must be a team id, 19:...@thread.tacv2')
    .optional(),
  /** How long the team's membership is kept before it is read again. */
  TEAMS_ROSTER_MINUTES: wholeNumber(1, 24 * 60, 10),
  /** Where the bot reaches Teams outside a turn (the region's Bot Connector). */
  TEAMS_SERVICE_URL: z.url({ protocol: /^https?$/ }).default('https://smba.trafficmanager.net/uk/'),
  /** The Teams app's own id in the manifest (a GUID you choose once; not the bot's app id). */
  TEAMS_APP_ID: guid.optional(),
});

/** What `npm run manifest` needs to build the Teams app package. */
const manifestConfigSchema = teamsSchema.extend({
  TEAMS_APP_ID: guid,
  MicrosoftAppId: guid,
  PUBLIC_URL: z.url({ protocol: /^https$/, error: "must be the bot's https:// address" }),
  SERVICE_ORGANISATION: z.string().trim().min(1).max(32, 'must be at most 32 characters (the Teams developer name)'),
  PRIVACY_NOTICE_URL: z.url({ protocol: /^https$/, error: 'must be an https:// address' }),
  /** The Teams app's terms of use (default: the page the bot serves at /teams-app/terms under PUBLIC_URL). */
  TERMS_OF_USE_URL: z.url({ protocol: /^https$/, error: 'must be an https:// address' }).optional(),
});
export type ManifestConfig = z.output<typeof manifestConfigSchema>;

/** Where cases live and how they are keyed: the bot's settings for storage, shared with maintenance commands. */
const storageFields = {
  /** Where cases and conversation state live: redis:// or rediss:// (TLS), with user and password if the server uses ACLs. Unset: in memory, kept nowhere. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, hostname: /^.+$/, error: 'must be a redis:// or rediss:// URL with a host' }).optional(),
  /** standalone (default), cluster (REDIS_URL is one seed node; more in REDIS_NODES) or sentinel (REDIS_NODES lists the sentinels). */
  REDIS_MODE: z.enum(['standalone', 'cluster', 'sentinel']).default('standalone'),
  /** Extra host:port entries: cluster seed nodes, or the sentinels. */
  REDIS_NODES: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) return [];
      const nodes = value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
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
  /**
   * The secret CASE_SECRET replaced, while `npm run case-secret -- rotate` moves the cases to the
   * new one, and afterwards for cases unlocked by an access code until their owners next look them up.
   */
  CASE_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * Key-encryption keys for personal data at rest: `<id>:<32 random bytes, base64>` pairs,
   * comma-separated, the one new data is encrypted under first (the others still decrypt, until
   * `npm run keys -- rotate` has moved everything to the first).
   */
  DATA_KEYS: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(\s*,\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/,
      'must be <id>:<32 random bytes in base64>, comma-separated, the newest first (openssl rand -base64 32 makes a key)',
    )
    .optional(),
  /** Idle conversation state (half-finished answers) is deleted after this many hours. Cases never expire. */
  CONVERSATION_IDLE_HOURS: wholeNumber(1, 24 * 90, 24),
  /**
   * Failed lookups allowed per reference and requester (chat), per requester, and per client
   * address, before that requester or address is refused for a while. Strangers' failures never
   * refuse a case's owner; they only slow the answers to wrong details down.
   */
  LOOKUP_MAX_FAILURES_PER_REFERENCE: wholeNumber(1, 100, 5),
  LOOKUP_MAX_FAILURES_PER_REQUESTER: wholeNumber(1, 100, 10),
  LOOKUP_MAX_FAILURES_PER_ADDRESS: wholeNumber(1, 1000, 20),
  /** How long refused lookups stay refused. */
  LOOKUP_LOCKOUT_MINUTES: wholeNumber(1, 24 * 60, 60),
};

/** The environment variables the bot understands. */
const configSchema = teamsSchema
  .extend({
    /**
     * Local development: in-memory stores allowed, example service details, loopback only, /api/messages without authentication (with a loud warning). Set
     * by `npm start`.
     */
    LOCAL_DEVELOPMENT: flag,
    /** The port to listen on (Bot Framework's usual 3978). */
    PORT: wholeNumber(0, 65_535, 3978),
    /** The address to listen on: all interfaces by default, always loopback in local development. */
    HOST: z.string().trim().min(1).optional(),
    /** The bot's address as browsers see it (https://bot.example.gov.uk); by default taken from each request. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Bot Framework credentials, for channels through Azure Bot Service (Teams, Azure Direct Line). */
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    MicrosoftAppTenantId: optionalText,
    /** Where the keys that sign channel tokens are published (only changed for sovereign clouds and tests). */
    BOT_OPENID_METADATA_URL: z.url().optional(),
    /** self-hosted: the bot serves a Direct Line endpoint for its widget, no Azure needed; azure: the widget uses Azure's Direct Line. */
    DIRECT_LINE_MODE: z.enum(['self-hosted', 'azure']).default('self-hosted'),
    /** Azure mode: the Direct Line secret (it never reaches the browser). */
    DIRECT_LINE_SECRET: optionalText,
    DIRECT_LINE_AZURE_DOMAIN: z.url().default('https://directline.botframework.com/v3/directline'),
    /** Self-hosted mode: signs widget tokens; at least 32 characters. */
    DIRECT_LINE_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    DIRECT_LINE_TOKEN_MINUTES: wholeNumber(1, 24 * 60, 30),
    /**
     * Sites that may put the widget on their pages (a CSP frame-ancestors list, e.g.
     * "https://www.example.gov.uk"); "*" for any. Only the bot's own pages by default: a page
     * framing the chat could lay itself over the consent and send buttons (clickjacking).
     */
    WIDGET_EMBED_ORIGINS: z
      .string()
      .trim()
      .regex(/^(\*|'self'|(https?:\/\/[^\s;,'"]+)(\s+https?:\/\/[^\s;,'"]+)*)$/, `must be "*", "'self'" or a space-separated list of https:// origins`)
      .default("'self'"),
    /** Believe X-Forwarded-For/-Proto/-Host (set only behind a proxy that writes them). */
    TRUST_PROXY: flag,
    /** New widget sessions allowed per client address: a burst, then this many a minute. */
    WIDGET_SESSIONS_PER_MINUTE: wholeNumber(1, 10_000, 10),
    /** Requests allowed per widget token: a burst, then this many a second. */
    WIDGET_REQUESTS_PER_SECOND: wholeNumber(1, 1000, 5),
    /** Largest request body accepted, in kilobytes. */
    MAX_REQUEST_KB: wholeNumber(16, 4096, 256),
    SERVICE_ORGANISATION: optionalText,
    SERVICE_DESK_PHONE: optionalText,
    SERVICE_DESK_EMAIL: optionalText,
    SERVICE_DESK_HOURS: optionalText,
    PRIVACY_NOTICE_URL: optionalText,
    PRIVACY_NOTICE_VERSION: optionalText,
    /**
     * How long a finished case's records are kept before its personal data are erased (the
     * anonymous record stays), as the public are told it: years, months or days after the
     * complaint is closed ("6 years"; "6 years after the complaint is closed" reads the same).
     */
    RECORDS_KEPT_FOR: recordsKeptFor,
    SAFEGUARDING_CHILDREN_PHONE: optionalText,
    SAFEGUARDING_ADULTS_PHONE: optionalText,
    /** Complaints arriving after this London time count as received the next working day (HH:MM). */
    RECEIPT_CUT_OFF: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM on a 24-hour clock')
      .optional(),
    /** GOV.UK Notify: email and text to complainants (see README, "Email and text"). Secret: never logged. */
    NOTIFY_API_KEY: notifyApiKey.optional(),
    /** Notify's generic email template (subject ((subject)), body ((body))); unset with SMTP_URL, which then carries email. */
    NOTIFY_EMAIL_TEMPLATE_ID: guid.optional(),
    /** Notify's generic text message template (((body))); unset: no texts. */
    NOTIFY_SMS_TEMPLATE_ID: guid.optional(),
    NOTIFY_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.notifications.service.gov.uk'),
    /** Email through the organisation's own mail server: smtp:// or smtps://, with user and password if needed. Secret: never logged. */
    SMTP_URL: z.url({ protocol: /^smtps?$/, hostname: /^.+$/, error: 'must be an smtp:// or smtps:// URL with a host' }).optional(),
    /** The From address of SMTP email: complaints@council.gov.uk or "The council" <complaints@council.gov.uk>. */
    MAIL_FROM: z
      .string()
      .trim()
      .regex(/^([^<>@\n]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/, 'must be an email address, optionally as "Name" <address>')
      .optional(),
    /** Put the complaint's and staff's words in email and text (off: they hold special-category data; people read them in the chat). */
    CONTACT_CONTENT_ALLOWED: flag,
    /** With neither Notify nor SMTP: the file email and text are written to instead (default .local-outbox/messages.jsonl). */
    LOCAL_OUTBOX_PATH: optionalText,
    /** The page where complainants open the chat, named in email and text (default: PUBLIC_URL, which serves the widget). */
    CHAT_URL: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * How long a reply to the complainant from Teams is held, with "Undo" and "Send now", before
     * it goes (an edit in that time changes it, a deletion undoes it). 0 sends at once.
     */
    PUBLIC_REPLY_HOLD_SECONDS: wholeNumber(0, 600, 30),
    /** How long a staff message shown in the chat may go unseen before it is sent by email or text as well. */
    MESSAGE_UNSEEN_MINUTES: wholeNumber(1, 7 * 24 * 60, 30),
    /** How long a worker's hold on a delivery job lasts unrenewed: after a crash, another instance takes its jobs over this long after. */
    EFFECT_LOCK_SECONDS: wholeNumber(2, 600, 30),
    /** Teams posts and updates per second, across every instance (Teams throttles a bot at about 7 a second in a conversation). */
    TEAMS_POSTS_PER_SECOND: wholeNumber(1, 1000, 7),
    /**
     * Whether this instance relays the outbox and delivers (default yes). "false" makes an instance
     * that only takes conversations and saves, for deployments that run delivery elsewhere.
     */
    EFFECT_WORKERS: z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default('true')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
    /**
     * How far a delivery instance (`--workers`) lowers its own CPU priority (Unix nice, 0 to 19):
     * on a host it shares with web instances, turns come first and delivery takes the rest.
     */
    DELIVERY_NICE: wholeNumber(0, 19, 19),
    /** Where a delivery instance serves /healthz, /readyz and /metrics (and nothing else); 0 for any free port. */
    DELIVERY_PORT: wholeNumber(0, 65_535, 3979),
    /** Working hours in London (HH:MM-HH:MM): reminders, alerts and closings happen at their start, on working days. */
    WORKING_HOURS: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'must be two HH:MM times, e.g. 08:30-17:30')
      .refine((value) => {
        const [start, end] = value.split('-');
        return (start ?? '') < (end ?? '');
      }, 'must end after it starts')
      .default('08:30-17:30'),
    /** Working days before a deadline we owe that staff are reminded, comma-separated (default 3,1; empty for none). */
    STAFF_REMINDER_DAYS: z
      .string()
      .trim()
      .regex(/^(\d{1,2}(\s*,\s*\d{1,2})*)?$/, 'must be whole numbers of working days separated by commas, e.g. 3,1')
      .default('3,1')
      .transform((value) =>
        [
          ...new Set(
            value
              .split(',')
              .filter((part) => part.trim() !== '')
              .map(Number),
          ),
        ].filter((days) => days > 0),
      ),
    /** Working days before a window the complainant must meet closes that they are reminded (0: no reminder). */
    COMPLAINANT_REMINDER_DAYS: wholeNumber(0, 60, 5),
    /** When the daily digest is posted to the channel on working days (HH:MM, London), or "off". */
    DIGEST_AT: z
      .string()
      .trim()
      .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'must be HH:MM on a 24-hour clock, or off')
      .default('09:00'),
    /**
     * How often an instance that delivers looks for cases whose time has come (the sweep runs once
     * per period across instances); 0: this instance never sweeps (another must).
     */
    TIMELINE_SWEEP_SECONDS: z.coerce
      .number()
      .int('must be a whole number')
      .refine((value) => value === 0 || (value >= 5 && value <= 3600), 'must be 0 (off) or from 5 to 3600')
      .default(60),
    /**
     * The staff tab's single sign-on (Teams `authentication.getAuthToken`): the Entra app
     * registration's client id (default: MicrosoftAppId, the bot's own registration), its
     * Application ID URI (default api://<PUBLIC_URL's host>/<client id>), and where Entra's
     * OpenID metadata is (its keys are found from it).
     */
    TAB_SSO_CLIENT_ID: optionalText,
    TAB_SSO_APP_ID_URI: optionalText,
    ENTRA_OPENID_METADATA_URL: z.url().default('https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration'),
    /** How often the retention sweep runs (hours; once per period across instances). */
    RETENTION_SWEEP_HOURS: wholeNumber(1, 24 * 7, 24),
    /**
     * Local development only: the bot's clock starts at this instant (ISO-8601 with an offset) and
     * runs on from there, to try deadlines, reminders and the digest without waiting for them.
     */
    LOCAL_CLOCK_START: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant with an offset, e.g. 2025-06-11T08:29:00+01:00' }).optional(),
    /** When set, GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; unset, firewall /metrics (see README). Secret: never logged. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    ...storageFields,
  })
  .superRefine((config, ctx) => {
    if (!config.LOCAL_DEVELOPMENT) {
      if (!config.REDIS_URL)
        ctx.addIssue({
          code: 'custom',
          path: ['REDIS_URL'],
          message: 'is required outside local development: without it nothing is kept (use `npm start` to try the bot locally)',
        });
      if (config.DIRECT_LINE_MODE === 'self-hosted' && !config.DIRECT_LINE_TOKEN_SECRET)
        ctx.addIssue({ code: 'custom', path: ['DIRECT_LINE_TOKEN_SECRET'], message: 'is required for the self-hosted widget outside local development' });
      for (const key of Object.keys(EXAMPLE_SERVICE) as (keyof typeof EXAMPLE_SERVICE)[]) {
        if (!config[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required outside local development: the public are told it' });
      }
    }
    if (config.LOCAL_CLOCK_START && !config.LOCAL_DEVELOPMENT) {
      ctx.addIssue({ code: 'custom', path: ['LOCAL_CLOCK_START'], message: 'is for local development only: a real service keeps real time' });
    }
    if (config.LOCAL_DEVELOPMENT && config.HOST && !isLoopback(config.HOST)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message: 'must be a loopback address (127.0.0.1, ::1 or localhost) in local development, where nothing is authenticated',
      });
    }
    if (config.TEAMS_CHANNEL_ID && (config.TEAMS_TENANT_IDS.length === 0 || (config.TEAMS_STAFF_IDS.length === 0 && !config.TEAMS_STAFF_TEAM_ID))) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEAMS_STAFF_IDS'],
        message: 'TEAMS_CHANNEL_ID needs TEAMS_TENANT_IDS, and TEAMS_STAFF_IDS or TEAMS_STAFF_TEAM_ID: nobody else may act on a case',
      });
    }
    if (config.DIRECT_LINE_MODE === 'azure' && !config.DIRECT_LINE_SECRET)
      ctx.addIssue({ code: 'custom', path: ['DIRECT_LINE_SECRET'], message: 'is required when DIRECT_LINE_MODE is azure' });
    if (config.MicrosoftAppId && config.MicrosoftAppType !== 'UserAssignedMSI' && !config.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required with MicrosoftAppId' });
    }
    if (config.MicrosoftAppType === 'SingleTenant' && config.MicrosoftAppId && !config.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: 'is required for a SingleTenant app' });
    }
    if (config.REDIS_URL && !config.CASE_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['CASE_SECRET'],
        message: 'is required when REDIS_URL is set, so stored second factors can still be checked after a restart',
      });
    }
    if (config.REDIS_URL && !config.DATA_KEYS) {
      ctx.addIssue({ code: 'custom', path: ['DATA_KEYS'], message: 'is required when REDIS_URL is set: personal data is stored encrypted under it' });
    }
    if (config.REDIS_MODE !== 'standalone' && !config.REDIS_URL) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: `is required when REDIS_MODE is ${config.REDIS_MODE}` });
    }
    if (config.REDIS_MODE === 'sentinel' && (!config.REDIS_SENTINEL_MASTER || config.REDIS_NODES.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_MASTER'], message: 'sentinel mode needs REDIS_SENTINEL_MASTER and the sentinels in REDIS_NODES' });
    }
    checkContactProviders(config, ctx);
  });

/**
 * Email and text settings that cannot work together. Texts go by Notify; email by Notify or by
 * SMTP, never both, so no setting is silently ignored and nobody wonders which one sent a message.
 */
function checkContactProviders(
  config: Readonly<Partial<Record<'NOTIFY_API_KEY' | 'NOTIFY_EMAIL_TEMPLATE_ID' | 'NOTIFY_SMS_TEMPLATE_ID' | 'SMTP_URL' | 'MAIL_FROM', string>>>,
  ctx: z.RefinementCtx,
): void {
  const issue = (path: string, message: string): void => {
    ctx.addIssue({ code: 'custom', path: [path], message });
  };
  if (config.NOTIFY_API_KEY) {
    if (!config.NOTIFY_EMAIL_TEMPLATE_ID && !config.NOTIFY_SMS_TEMPLATE_ID)
      issue('NOTIFY_API_KEY', 'needs NOTIFY_EMAIL_TEMPLATE_ID or NOTIFY_SMS_TEMPLATE_ID (or both): Notify sends only from templates');
    else if (!config.NOTIFY_EMAIL_TEMPLATE_ID && !config.SMTP_URL)
      issue('NOTIFY_EMAIL_TEMPLATE_ID', 'is required with NOTIFY_API_KEY unless SMTP_URL carries email: otherwise no email would be sent');
  } else {
    for (const key of ['NOTIFY_EMAIL_TEMPLATE_ID', 'NOTIFY_SMS_TEMPLATE_ID'] as const) {
      if (config[key]) issue(key, 'needs NOTIFY_API_KEY');
    }
  }
  if (config.NOTIFY_EMAIL_TEMPLATE_ID && config.SMTP_URL)
    issue('SMTP_URL', 'and NOTIFY_EMAIL_TEMPLATE_ID would both send email: unset one (SMTP_URL with Notify carries email while Notify sends texts)');
  if (config.SMTP_URL && !config.MAIL_FROM) issue('MAIL_FROM', 'is required with SMTP_URL: the address email is sent from');
}

/** Whether a listening address is this machine only. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The checked configuration. */
export type Config = z.output<typeof configSchema>;

/** The names of every variable the bot reads (for a test that must start it with none but its own). */
export function configurationVariables(): readonly string[] {
  return Object.keys(configSchema.shape);
}

/**
 * The staff tab's single sign-on settings: what a token's audience may be, or null when no app
 * registration is configured (the tab's API is then not offered).
 */
export function tabAudiencesFrom(config: Config): string[] | null {
  const clientId = config.TAB_SSO_CLIENT_ID ?? config.MicrosoftAppId;
  if (!clientId) return null;
  const host = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).host : null;
  const uri = config.TAB_SSO_APP_ID_URI ?? (host ? `api://${host}/${clientId}` : null);
  return uri ? [uri, clientId] : [clientId];
}

/** How long finished cases' records are kept (RECORDS_KEPT_FOR; the example organisation's in local development). */
export function retentionFrom(config: Pick<Config, 'RECORDS_KEPT_FOR'>): Retention {
  return parseRetention(config.RECORDS_KEPT_FOR ?? EXAMPLE_SERVICE.RECORDS_KEPT_FOR);
}

/** The organisation's details for the public, from configuration (example values in local development). */
export function serviceDetailsFrom(config: Config): ServiceDetails {
  const value = (key: keyof typeof EXAMPLE_SERVICE): string => config[key] ?? EXAMPLE_SERVICE[key];
  return {
    organisation: value('SERVICE_ORGANISATION'),
    serviceDesk: { phone: value('SERVICE_DESK_PHONE'), email: value('SERVICE_DESK_EMAIL'), hours: value('SERVICE_DESK_HOURS') },
    privacyNotice: {
      url: value('PRIVACY_NOTICE_URL'),
      version: value('PRIVACY_NOTICE_VERSION'),
      keptFor: `${retentionFrom(config).text} after the complaint is closed`,
    },
    safeguarding: { children: value('SAFEGUARDING_CHILDREN_PHONE'), adults: value('SAFEGUARDING_ADULTS_PHONE') },
    ...(config.RECEIPT_CUT_OFF ? { cutOff: config.RECEIPT_CUT_OFF } : {}),
  };
}

/** When the daily digest is posted (seconds after midnight, London), or null when it is off. */
export function digestTimeFrom(config: Config): number | null {
  return config.DIGEST_AT === 'off' ? null : Number(config.DIGEST_AT.slice(0, 2)) * 3600 + Number(config.DIGEST_AT.slice(3, 5)) * 60;
}

/** The timeline's settings (working hours, reminders), from configuration. */
export function timelineSettingsFrom(config: Config): TimelineSettings {
  const [start = '08:30', end = '17:30'] = config.WORKING_HOURS.split('-');
  const seconds = (time: string): number => Number(time.slice(0, 2)) * 3600 + Number(time.slice(3, 5)) * 60;
  return {
    workingHours: { startsAt: seconds(start), endsAt: seconds(end) },
    staffReminderDays: config.STAFF_REMINDER_DAYS,
    complainantReminderDays: config.COMPLAINANT_REMINDER_DAYS,
  };
}

/** The configuration cannot be used; the message names every bad variable. */
export class InvalidConfiguration extends Error {
  override readonly name = 'InvalidConfiguration';
  constructor(readonly problems: readonly string[]) {
    super(`Configuration is invalid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * The configuration for a process started with these arguments: `--local` (what `npm start`
 * passes) turns on local development. It is never the silent result of a missing variable.
 */
export function loadConfigFor(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Config {
  return loadConfig(argv.includes('--local') ? { ...env, LOCAL_DEVELOPMENT: 'true' } : env);
}

/** Where `npm start` keeps its local development secrets: the project's folder, git-ignored. */
const DEFAULT_LOCAL_SECRETS_FILE = join(__dirname, '..', '..', '..', '.local-secrets.json');

/**
 * The configuration the entry point starts with. In local development (`--local`), secrets the
 * environment does not set come from a kept file (`LOCAL_SECRETS_FILE`, by default
 * `.local-secrets.json` in the project's folder), so cases and open chats survive a restart.
 */
export function loadStartConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): { config: Config; localSecrets: LocalSecrets | null } {
  if (!argv.includes('--local')) return { config: loadConfigFor(argv, env), localSecrets: null };
  const { env: withSecrets, secrets } = withLocalSecrets(env, env['LOCAL_SECRETS_FILE'] ?? DEFAULT_LOCAL_SECRETS_FILE);
  return { config: loadConfigFor(argv, withSecrets), localSecrets: secrets };
}

/** An environment read by a schema, every problem named. */
function parseEnvironment<T>(schema: z.ZodType<T>, env: Readonly<Record<string, string | undefined>>): T {
  // Empty strings count as unset: `REDIS_URL=` in a .env file means "no Redis", not "invalid URL".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new InvalidConfiguration(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'configuration'}: ${issue.message}`));
  }
  return parsed.data;
}

/** The Teams app package's settings, from an environment (process.env by default). */
export function loadManifestConfig(env: Readonly<Record<string, string | undefined>> = process.env): ManifestConfig {
  return parseEnvironment(manifestConfigSchema, env);
}

/** What `npm run case-secret -- rotate` needs: the store, the new secret and the one it replaces. */
const caseSecretRotationSchema = z.object(storageFields).superRefine((config, ctx) => {
  for (const key of ['REDIS_URL', 'CASE_SECRET', 'CASE_SECRET_PREVIOUS', 'DATA_KEYS'] as const) {
    if (!config[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required to rotate the case secret' });
  }
  if (config.CASE_SECRET && config.CASE_SECRET === config.CASE_SECRET_PREVIOUS) {
    ctx.addIssue({ code: 'custom', path: ['CASE_SECRET'], message: 'must differ from CASE_SECRET_PREVIOUS: it is the new secret' });
  }
});
export type CaseSecretRotationConfig = z.output<typeof caseSecretRotationSchema>;

/** The rotation command's settings, from an environment (process.env by default). */
export function loadCaseSecretRotationConfig(env: Readonly<Record<string, string | undefined>> = process.env): CaseSecretRotationConfig {
  return parseEnvironment(caseSecretRotationSchema, env);
}

/** What `npm run jobs` needs: the bot's storage settings (without REDIS_URL no jobs are kept). */
const storageSchema = z.object(storageFields).superRefine((config, ctx) => {
  if (config.REDIS_URL && !config.CASE_SECRET) ctx.addIssue({ code: 'custom', path: ['CASE_SECRET'], message: 'is required with REDIS_URL (the bot’s)' });
  if (config.REDIS_URL && !config.DATA_KEYS) ctx.addIssue({ code: 'custom', path: ['DATA_KEYS'], message: 'is required with REDIS_URL (the bot’s)' });
});
export type StorageConfig = z.output<typeof storageSchema>;

/** The bot's storage settings alone, from an environment (process.env by default). */
export function loadStorageConfig(env: Readonly<Record<string, string | undefined>> = process.env): StorageConfig {
  return parseEnvironment(storageSchema, env);
}

/** What `npm run rights` needs: the bot's store, and the organisation and retention its documents name. */
const rightsSchema = z.object({ ...storageFields, SERVICE_ORGANISATION: optionalText, RECORDS_KEPT_FOR: recordsKeptFor }).superRefine((config, ctx) => {
  for (const key of ['REDIS_URL', 'CASE_SECRET', 'DATA_KEYS'] as const) {
    if (!config[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required (the bot’s) to act on the cases it keeps' });
  }
});
export type RightsConfig = z.output<typeof rightsSchema>;

/** The rights command's settings, from an environment (process.env by default). */
export function loadRightsConfig(env: Readonly<Record<string, string | undefined>> = process.env): RightsConfig {
  return parseEnvironment(rightsSchema, env);
}

/** Parses configuration from an environment (process.env by default). */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  return parseEnvironment(configSchema, env);
}
