/**
 * The composition root: builds the running bot from its configuration. Stores (Redis, or memory
 * with a loud warning), the policy, the dialogs and their ports, the channel adapters, the
 * widget's Direct Line (self-hosted or Azure), and the HTTP server. Nothing else constructs
 * clients; everything below receives what it needs.
 */
import { randomBytes } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { ChannelMessenger } from '../bot/channel-messenger.js';
import { createComplaintBot } from '../bot/create-complaint-bot.js';
import { type Config, serviceDetailsFrom } from '../config/config.js';
import { ChronoDateParser } from '../dates/chrono-date-parser.js';
import { AzureTokenBroker } from '../directline/azure-token-broker.js';
import { SelfHostedDirectLineAdapter } from '../directline/self-hosted-adapter.js';
import { SelfHostedDirectLine } from '../directline/self-hosted-directline.js';
import { DirectLineTokens } from '../directline/tokens.js';
import { LoggingNotifier } from '../notifications/logging-notifier.js';
import { createEscalationPolicy } from '../policy/index.js';
import type { CaseNotifier } from '../ports/case-notifier.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { ConversationMessenger } from '../ports/conversation-messenger.js';
import type { Logger } from '../ports/logger.js';
import { openStores, type Stores } from '../storage/open-stores.js';
import { loadWebAssets } from '../web/web-assets.js';
import { apologise, ComplaintsCloudAdapter } from './bot-adapter.js';
import { botFrameworkAuthentication } from './bot-authentication.js';
import type { ChannelAuthentication } from './bot-route.js';
import { type BuiltServer, makeServer, type WidgetChannel } from './make-server.js';
import { RateLimiter } from './rate-limiter.js';

/** The running bot's parts. */
export interface App {
  readonly built: BuiltServer;
  readonly stores: Stores;
  readonly messenger: ConversationMessenger;
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
}

/** How /api/messages is protected, from the configuration. */
export function channelAuthenticationFor(config: Config): ChannelAuthentication {
  if (config.MicrosoftAppId) return 'required';
  return config.LOCAL_DEVELOPMENT ? 'local-unauthenticated' : 'closed';
}

/** Builds the bot from configuration. */
export async function composeApp(config: Config, options: ComposeOptions): Promise<App> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const stores = await openStores(config, options.warn);
  const service = serviceDetailsFrom(config);
  const notifier = options.notifier ?? new LoggingNotifier(logger);
  const { bot } = createComplaintBot(stores.conversations, {
    cases: stores.cases,
    policy: createEscalationPolicy(),
    clock,
    dates: new ChronoDateParser(),
    notifier,
    service,
    log: logger,
    pause: (ms) => new Promise((resolve) => { setTimeout(resolve, ms); }),
  });
  const logic = (context: TurnContext): Promise<void> => bot.run(context);

  const mode = channelAuthenticationFor(config);
  const authentication = botFrameworkAuthentication({
    appId: config.MicrosoftAppId, appPassword: config.MicrosoftAppPassword, appType: config.MicrosoftAppType,
    tenantId: config.MicrosoftAppTenantId, openIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
  });
  const cloud = new ComplaintsCloudAdapter(authentication, logger);

  let widget: WidgetChannel;
  let selfHosted: SelfHostedDirectLineAdapter | null = null;
  if (config.DIRECT_LINE_MODE === 'azure' && config.DIRECT_LINE_SECRET) {
    widget = { mode: 'azure', broker: new AzureTokenBroker(config.DIRECT_LINE_SECRET, config.DIRECT_LINE_AZURE_DOMAIN.replace(/\/+$/, '')) };
  } else {
    // In local development a per-process secret will do: tokens need not outlive the process.
    const secret = config.DIRECT_LINE_TOKEN_SECRET ?? randomBytes(32).toString('base64url');
    const adapter = new SelfHostedDirectLineAdapter(stores.directLine, logger);
    adapter.onTurnError = async (context, error) => {
      logger.error('turn.failed', { channel: context.activity.channelId, error: error.name });
      await apologise(context, logger);
    };
    selfHosted = adapter;
    widget = {
      mode: 'self-hosted',
      log: stores.directLine,
      directLine: new SelfHostedDirectLine({
        tokens: new DirectLineTokens(secret, config.DIRECT_LINE_TOKEN_MINUTES * 60_000),
        log: stores.directLine,
        adapter,
        bot: logic,
        logger,
        perToken: new RateLimiter(config.WIDGET_REQUESTS_PER_SECOND * 4, config.WIDGET_REQUESTS_PER_SECOND),
      }),
    };
  }

  const built = makeServer({
    logger,
    web: loadWebAssets(service),
    widget,
    channel: { adapter: cloud, mode, logic },
    ready: () => stores.ready(),
    maxBodyBytes: config.MAX_REQUEST_KB * 1024,
    publicUrl: config.PUBLIC_URL,
    trustProxy: config.TRUST_PROXY,
    embedOrigins: config.WIDGET_EMBED_ORIGINS,
    sessions: new RateLimiter(config.WIDGET_SESSIONS_PER_MINUTE, config.WIDGET_SESSIONS_PER_MINUTE / 60),
  });

  return {
    built,
    stores,
    messenger: new ChannelMessenger({ selfHosted, cloud, appId: config.MicrosoftAppId ?? '' }),
    channelAuthentication: mode,
    drain: () => (widget.mode === 'self-hosted' ? widget.directLine.drain() : Promise.resolve()),
    close: async () => {
      built.closeStreams();
      await stores.close();
    },
  };
}
