/**
 * The composition root: builds the running bot from its configuration. Stores (Redis, or memory
 * with a loud warning), the policy, the dialogs and their ports, the channel adapters, the
 * widget's Direct Line (self-hosted or Azure), and the HTTP server. Nothing else constructs
 * clients; everything below receives what it needs.
 */
import { FixedStaffRoster, type LearningStaffRoster, type StaffRoster } from '../ports/staff-roster.js';
import { LearningRoster } from '../teams/learning-roster.js';
import { TeamStaffRoster } from '../teams/team-roster.js';
import { createHash, randomBytes } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { ChannelMessenger } from '../bot/channel-messenger.js';
import { createComplaintBot } from '../bot/create-complaint-bot.js';
import { type Config, digestTimeFrom, retentionFrom, serviceDetailsFrom, tabAudiencesFrom, timelineSettingsFrom } from '../config/config.js';
import { EntraTokenVerifier } from '../staff-tab/entra-token.js';
import { DevSignIn } from '../staff-tab/dev-sign-in.js';
import { wakeScheduleFor } from '../cases/timeline.js';
import { Timekeeper } from '../timekeeping/timekeeper.js';
import { Rights } from '../rights/rights.js';
import { newExportToken } from '../rights/export-tickets.js';
import { exportPage } from '../rights/subject-access.js';
import { parseReference } from '../cases/reference.js';
import { isRefusal } from '../cases/transitions/transition.js';
import { recountOpenCases } from '../timekeeping/calendar-change.js';
import { ChronoDateParser } from '../dates/chrono-date-parser.js';
import { AzureTokenBroker } from '../directline/azure-token-broker.js';
import { SelfHostedDirectLineAdapter } from '../directline/self-hosted-adapter.js';
import { SelfHostedDirectLine } from '../directline/self-hosted-directline.js';
import { DirectLineTokens } from '../directline/tokens.js';
import { countsWithin, Metrics } from '../metrics/metrics.js';
import { LoggingNotifier } from '../notifications/logging-notifier.js';
import { createEscalationPolicy, type EscalationPolicy } from '../policy/index.js';
import { type StaffAccessRules, teamsChannelData } from '../teams/staff-access.js';
import { StaffBot, type StaffRights } from '../teams/staff-bot.js';
import { CloudTeamsChannel, throttledFor } from '../teams/teams-channel.js';
import type { EffectRunner } from '../outbox/effect-runner.js';
import type { RetryPolicy } from '../storage/redis/effect-queues.js';
import { openComplainantMailer, type OpenedComplainantMailer } from '../notifications/open-complainant-mailer.js';
import { TeamsNotifier } from '../teams/teams-notifier.js';
import type { CaseNotifier } from '../ports/case-notifier.js';
import { StorageUnavailable } from '../cases/errors.js';
import type { UrgentConcerns } from '../ports/urgent-concerns.js';
import { type Clock, clockStartingAt, systemClock } from '../ports/clock.js';
import type { ConversationMessenger } from '../ports/conversation-messenger.js';
import { type Logger, turnLogger } from '../ports/logger.js';
import { openStores, type Stores } from '../storage/open-stores.js';
import { loadWebAssets } from '../web/web-assets.js';
import { apologise, ComplaintsCloudAdapter } from './bot-adapter.js';
import { botFrameworkAuthentication } from './bot-authentication.js';
import type { ChannelAuthentication } from './bot-route.js';
import { type BuiltServer, makeServer, type OperationsDeps, type WidgetChannel } from './make-server.js';
import { RateLimiter } from '../http/rate-limiter.js';

/** How often each instance looks for widget turns that no instance finished. */
const UNHANDLED_SWEEP_MS = 10_000;

/** The running bot's parts. */
export interface App {
  readonly built: BuiltServer;
  /** What a delivery instance's operations server serves (/healthz, /readyz, /metrics). */
  readonly operations: OperationsDeps;
  readonly stores: Stores;
  readonly messenger: ConversationMessenger;
  /** Tells staff about cases (the Teams channel when configured). */
  readonly notifier: CaseNotifier;
  /** Runs the effects of saved changes: cards, thread messages, messages to the complainant. */
  readonly effects: EffectRunner;
  /** What GET /metrics serves. */
  readonly metrics: Metrics;
  /** Makes the timeline act (its sweep runs on a schedule; tests call it with their clock). */
  readonly timekeeper: Timekeeper;
  /** Subject access, rectification, erasure and the retention sweep (which runs on a schedule). */
  readonly rights: Rights;
  /** How /api/messages authenticates (for the start-up banner). */
  readonly channelAuthentication: ChannelAuthentication;
  /** Waits for turns still running (the widget's replies can outlive their request). */
  drain(): Promise<void>;
  /** Stops streams and closes storage (after the listener has stopped). */
  close(): Promise<void>;
}

/** Optional replacements, for tests. */
export interface ComposeOptions {
  readonly logger: Logger;
  /** Where loud start-up warnings go. */
  readonly warn: (message: string) => void;
  readonly clock?: Clock;
  readonly notifier?: CaseNotifier;
  /** Email and text (a stand-in's, in tests); by default the configured provider or the local outbox. */
  readonly mailer?: OpenedComplainantMailer;
  /** How failed deliveries are tried again (by default for about a day). */
  readonly retry?: RetryPolicy;
  /** How long a staff message may go unseen (by default MESSAGE_UNSEEN_MINUTES). */
  readonly unseenAfterMs?: number;
}

/** The staff side in Teams, when a channel is configured: the notifier posting cards, and who may act. */
function teamsStaffSide(
  config: Config,
  deps: {
    readonly cloud: ComplaintsCloudAdapter;
    readonly stores: Stores;
    readonly policy: EscalationPolicy;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly sleep: (ms: number) => Promise<void>;
  },
): { notifier: TeamsNotifier; rules: Omit<StaffAccessRules, 'staffIds'>; roster: LearningStaffRoster } | null {
  const channelId = config.TEAMS_CHANNEL_ID;
  const tenantId = config.TEAMS_TENANT_IDS[0];
  if (!channelId || !tenantId) return null;
  const rules = { channelId, tenantIds: config.TEAMS_TENANT_IDS };
  const channel = new CloudTeamsChannel({
    adapter: deps.cloud,
    appId: config.MicrosoftAppId ?? '',
    serviceUrl: config.TEAMS_SERVICE_URL,
    channelId,
    tenantId,
    sleep: deps.sleep,
  });
  const teamId = config.TEAMS_STAFF_TEAM_ID;
  const listed: StaffRoster = teamId
    ? new TeamStaffRoster({
        teamId,
        ids: config.TEAMS_STAFF_IDS,
        read: (team) => channel.teamMembers(team),
        keepMs: config.TEAMS_ROSTER_MINUTES * 60_000,
        clock: deps.clock,
        log: deps.logger,
      })
    : new FixedStaffRoster(config.TEAMS_STAFF_IDS);
  // Staff's Teams user ids, for their views of cards: from the team, or learned from what they do.
  const roster = new LearningRoster({ roster: listed, ids: deps.stores.staffTeamsIds, keepMs: 60_000, clock: deps.clock, log: deps.logger });
  return {
    rules,
    roster,
    notifier: new TeamsNotifier({
      cases: deps.stores.cases,
      threads: deps.stores.threads,
      channel,
      policy: deps.policy,
      clock: deps.clock,
      log: deps.logger,
      roster,
      concerns: deps.stores.concernNotes,
    }),
  };
}

/**
 * Teams before TEAMS_CHANNEL_ID is set: says so, and when the app is added to a team, which
 * channel id to set (the one step of installing that needs the bot to speak first).
 */
async function teamsNotConfigured(context: TurnContext, logger: Logger): Promise<void> {
  const activity = context.activity;
  turnLogger(context, logger).warn('teams.not-configured', { type: activity.type });
  const channel = teamsChannelData(activity).channel?.id;
  const botAdded = activity.type === 'conversationUpdate' && (activity.membersAdded?.some((member) => member.id === activity.recipient.id) ?? false);
  if (botAdded && typeof channel === 'string') {
    await context.sendActivity(
      `Hello. To have complaint cards posted in this channel, set TEAMS_CHANNEL_ID=${channel} (with TEAMS_TENANT_IDS and TEAMS_STAFF_IDS) and restart me.`,
    );
  } else if (activity.type === 'message') {
    await context.sendActivity('The complaints team’s Teams channel is not set up for this bot yet (TEAMS_CHANNEL_ID).');
  }
}

/** How /api/messages is protected, from the configuration. */
export function channelAuthenticationFor(config: Config): ChannelAuthentication {
  if (config.MicrosoftAppId) return 'required';
  return config.LOCAL_DEVELOPMENT ? 'local-unauthenticated' : 'closed';
}

/** Builds the bot from configuration. */
export async function composeApp(config: Config, options: ComposeOptions): Promise<App> {
  const { logger } = options;
  const clock = options.clock ?? (config.LOCAL_CLOCK_START ? clockStartingAt(new Date(config.LOCAL_CLOCK_START)) : systemClock);
  if (config.LOCAL_CLOCK_START && !options.clock)
    options.warn(`!!! THE CLOCK IS SET !!!\nLOCAL_CLOCK_START: this bot's time started at ${config.LOCAL_CLOCK_START}.`);
  const policy = createEscalationPolicy();
  const timeline = timelineSettingsFrom(config);
  const stores = await openStores(config, options.warn, wakeScheduleFor(policy, timeline));
  const service = serviceDetailsFrom(config);
  const authentication = botFrameworkAuthentication({
    appId: config.MicrosoftAppId,
    appPassword: config.MicrosoftAppPassword,
    appType: config.MicrosoftAppType,
    tenantId: config.MicrosoftAppTenantId,
    openIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
  });
  const cloud = new ComplaintsCloudAdapter(authentication, logger);
  const metrics = new Metrics();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      setTimeout(resolve, ms);
    });
  const teams = teamsStaffSide(config, { cloud, stores, policy, clock, logger, sleep });
  const notifier = options.notifier ?? teams?.notifier ?? new LoggingNotifier(logger);
  // The effects start once the messenger exists, which needs the bot: confirmations wait for them.
  const receipts: { effects: EffectRunner | null } = { effects: null };
  const seen = async (messageId: unknown, conversationId: string): Promise<void> => {
    await receipts.effects?.seen(messageId, conversationId);
  };
  // Urgent concerns go by the effects too, which start after the bot: a turn before then keeps its concern to try again.
  const concerns: UrgentConcerns = {
    raiseConcern: (concern) => (receipts.effects ? receipts.effects.raiseConcern(concern) : Promise.reject(new StorageUnavailable('concern'))),
  };
  const { bot } = createComplaintBot(
    stores.conversations,
    {
      cases: stores.cases,
      policy,
      clock,
      dates: new ChronoDateParser(),
      concerns,
      service,
      log: logger,
      pause: sleep,
    },
    seen,
  );
  const publicLogic = (context: TurnContext): Promise<void> => bot.run(context);

  const mode = channelAuthenticationFor(config);

  let widget: WidgetChannel;
  let selfHosted: SelfHostedDirectLineAdapter | null = null;
  if (config.DIRECT_LINE_MODE === 'azure' && config.DIRECT_LINE_SECRET) {
    widget = { mode: 'azure', broker: new AzureTokenBroker(config.DIRECT_LINE_SECRET, config.DIRECT_LINE_AZURE_DOMAIN.replace(/\/+$/, '')) };
  } else {
    // In local development a per-process secret will do: tokens need not outlive the process.
    const secret = config.DIRECT_LINE_TOKEN_SECRET ?? randomBytes(32).toString('base64url');
    const adapter = new SelfHostedDirectLineAdapter(stores.directLine, logger);
    adapter.onTurnError = async (context, error) => {
      const log = turnLogger(context, logger);
      log.error('turn.failed', { channel: context.activity.channelId, error: error.name });
      await apologise(context, log);
    };
    selfHosted = adapter;
    widget = {
      mode: 'self-hosted',
      log: stores.directLine,
      directLine: new SelfHostedDirectLine({
        tokens: new DirectLineTokens(secret, config.DIRECT_LINE_TOKEN_MINUTES * 60_000),
        log: stores.directLine,
        adapter,
        bot: metrics.counted(publicLogic),
        logger,
        perToken: new RateLimiter(config.WIDGET_REQUESTS_PER_SECOND * 4, config.WIDGET_REQUESTS_PER_SECOND),
      }),
    };
  }

  const messenger = new ChannelMessenger({ selfHosted, cloud, appId: config.MicrosoftAppId ?? '' });
  const mailer =
    options.mailer ?? openComplainantMailer(config, { service, chatUrl: config.CHAT_URL ?? config.PUBLIC_URL ?? `http://localhost:${String(config.PORT)}/` });
  if (mailer.warning) options.warn(mailer.warning);
  if (!config.EFFECT_WORKERS && config.REDIS_URL) {
    options.warn(
      [
        '!!! THIS INSTANCE DELIVERS NOTHING !!!',
        'EFFECT_WORKERS=false: cards, thread messages, chat messages from staff, emails and texts are saved in the outbox',
        'but sent only by an instance with EFFECT_WORKERS=true on the same Redis. Run at least one.',
      ].join('\n'),
    );
  }
  const effectDeps = {
    cases: stores.cases,
    staff: notifier,
    chat: messenger,
    mailer: mailer.mailer,
    contentAllowed: config.CONTACT_CONTENT_ALLOWED,
    unseenAfterMs: options.unseenAfterMs ?? config.MESSAGE_UNSEEN_MINUTES * 60_000,
    policy,
    clock,
    log: logger,
    metrics,
  };
  const effects = await stores.startEffects(effectDeps, {
    throttled: throttledFor,
    lockMs: config.EFFECT_LOCK_SECONDS * 1000,
    // Teams' limit is Teams'; without it staff effects are only logged.
    staffPerSecond: teams ? config.TEAMS_POSTS_PER_SECOND : null,
    workers: config.EFFECT_WORKERS,
    ...(options.retry ? { retry: options.retry } : {}),
  });
  receipts.effects = effects;
  // Time-driven work (reminders, alerts, closing windows) runs where delivery does.
  const digestAt = digestTimeFrom(config);
  const timekeeper = new Timekeeper({
    cases: stores.cases,
    policy,
    settings: timeline,
    clock,
    log: logger,
    digest: digestAt === null ? null : { at: digestAt, digests: effects },
  });
  // A new bank-holiday calendar counts open cases again, once per calendar version across instances.
  const calendarChange = { cases: stores.cases, policy, clock, log: logger, notices: effects };
  const rights = new Rights({
    cases: stores.cases,
    audit: stores.rightsAudit,
    policy,
    organisation: service.organisation,
    retention: retentionFrom(config),
    now: () => clock.now(),
  });
  /** The rights actions as the card and the tab offer them: the service, and one-time links to subject access exports. */
  const staffRights: StaffRights = {
    service: rights,
    exportLink: async (reference, member) => {
      const token = newExportToken();
      await stores.exportTickets.keep(token, { reference, staff: { id: member.id, name: member.name } });
      return `${(config.PUBLIC_URL ?? `http://localhost:${String(config.PORT)}`).replace(/\/+$/, '')}/api/rights/exports/${token}`;
    },
  };
  // Finished cases whose records have been kept long enough are anonymised, once per period across instances.
  const retentionJob = {
    name: 'retention',
    everyMs: config.RETENTION_SWEEP_HOURS * 3_600_000,
    run: async () => {
      const swept = await rights.sweepRetention();
      if (swept.erased + swept.refused + swept.failed > 0) logger.info('retention.swept', swept);
    },
  };
  const sweeping =
    (config.EFFECT_WORKERS || !config.REDIS_URL) && config.TIMELINE_SWEEP_SECONDS > 0
      ? await stores.startTimeline(
          () => timekeeper.sweep(),
          config.TIMELINE_SWEEP_SECONDS * 1000,
          logger,
          {
            // Settings that move moments (working hours, reminder days) put every case back in the wake index too.
            version: `${policy.calendar.version}.settings-${createHash('sha256').update(JSON.stringify(timeline)).digest('hex').slice(0, 8)}`,
            run: (movedBefore, onMoved) => recountOpenCases(calendarChange, movedBefore, onMoved),
          },
          retentionJob,
        )
      : null;
  const jobCounts = countsWithin(() => effects.counts(), config.REDIS_COMMAND_TIMEOUT_MS);
  metrics.setQueueCounts(jobCounts);
  const staff = teams
    ? new StaffBot({
        cases: stores.cases,
        threads: stores.threads,
        policy,
        clock,
        log: logger,
        rules: teams.rules,
        roster: teams.roster,
        organisation: service.organisation,
        holdMs: config.PUBLIC_REPLY_HOLD_SECONDS * 1000,
        sleep,
        concerns: stores.concernNotes,
        rights: staffRights,
        ...(service.cutOff ? { cutOff: service.cutOff } : {}),
      })
    : null;
  // Teams is the staff side; every other channel is the public.
  const logic = async (context: TurnContext): Promise<void> => {
    if (context.activity.channelId !== 'msteams') {
      await publicLogic(context);
    } else if (staff) {
      await staff.run(context);
    } else {
      await teamsNotConfigured(context, logger);
    }
  };

  const tabAudiences = tabAudiencesFrom(config);
  // Without single sign-on, in local development only, the tab signs in as one of the configured staff.
  const devSignIn = teams && !tabAudiences && config.LOCAL_DEVELOPMENT ? await DevSignIn.start(teams.roster, config.TEAMS_TENANT_IDS[0] ?? 'local') : null;
  const tabVerifier = tabAudiences
    ? new EntraTokenVerifier({ metadataUrl: config.ENTRA_OPENID_METADATA_URL, audiences: tabAudiences, tenants: config.TEAMS_TENANT_IDS })
    : devSignIn;
  const built = makeServer({
    logger,
    web: loadWebAssets(service),
    widget,
    channel: { adapter: cloud, mode, logic: metrics.counted(logic) },
    ready: () => stores.ready(),
    effects: jobCounts,
    metrics,
    metricsToken: config.METRICS_TOKEN,
    maxBodyBytes: config.MAX_REQUEST_KB * 1024,
    publicUrl: config.PUBLIC_URL,
    trustProxy: config.TRUST_PROXY,
    embedOrigins: config.WIDGET_EMBED_ORIGINS,
    sessions: new RateLimiter(config.WIDGET_SESSIONS_PER_MINUTE, config.WIDGET_SESSIONS_PER_MINUTE / 60),
    ...(teams && tabVerifier
      ? {
          tab: {
            verifier: tabVerifier,
            roster: teams.roster,
            cases: stores.cases,
            policy,
            clock,
            logger,
            organisation: service.organisation,
            maxBodyBytes: config.MAX_REQUEST_KB * 1024,
            rights: staffRights,
            ...(devSignIn ? { devSignIn } : {}),
            ...(service.cutOff ? { cutOff: service.cutOff } : {}),
          },
        }
      : {}),
    rightsExport: async (token) => {
      const ticket = await stores.exportTickets.take(token);
      const reference = ticket ? parseReference(ticket.reference) : null;
      if (!ticket || !reference?.ok) return null;
      const made = await rights.subjectAccess({ reference: reference.reference }, { staff: ticket.staff, via: 'card' });
      return isRefusal(made) ? null : exportPage(made);
    },
  });

  // Turns no instance finished (one died mid-turn, or storage failed under it) are run by whichever
  // instance finds them first once their claim lapses; a client's retry runs its own at once.
  const resuming =
    widget.mode === 'self-hosted'
      ? setInterval(() => {
          widget.directLine.resumeUnhandled().catch((error: unknown) => {
            logger.warn('directline.resume-failed', { error: error instanceof Error ? error.name : 'unknown' });
          });
        }, UNHANDLED_SWEEP_MS).unref()
      : null;

  return {
    built,
    operations: { logger, ready: () => stores.ready(), effects: jobCounts, metrics, metricsToken: config.METRICS_TOKEN },
    stores,
    messenger,
    notifier,
    effects,
    metrics,
    channelAuthentication: mode,
    drain: () => (widget.mode === 'self-hosted' ? widget.directLine.drain() : Promise.resolve()),
    timekeeper,
    rights,
    close: async () => {
      if (resuming) clearInterval(resuming);
      built.closeStreams();
      await sweeping?.close();
      await effects.close();
      await stores.close();
    },
  };
}
