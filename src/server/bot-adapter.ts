/**
 * Bot Framework's CloudAdapter, for channels that come through Azure Bot Service (Teams, Azure
 * Direct Line). The server authenticates each request itself, so it can refuse with an empty
 * 401 before any bot code runs, and then hands the authenticated activity to the adapter.
 */
import { type Activity, CloudAdapter, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, BotFrameworkAuthentication } from 'botframework-connector';
import { type Logger, setTurnLogger, turnLogger } from '../ports/logger.js';

/** A CloudAdapter that processes requests the server has already authenticated. */
export class ComplaintsCloudAdapter extends CloudAdapter {
  constructor(
    readonly authentication: BotFrameworkAuthentication,
    logger: Logger,
  ) {
    super(authentication);
    this.onTurnError = async (context, error) => {
      const log = turnLogger(context, logger);
      log.error('turn.failed', { channel: context.activity.channelId, error: error.name });
      await apologise(context, log);
    };
  }

  /** Runs the bot for an activity whose request has been authenticated; the turn logs through `log`. */
  processAuthenticated(
    authentication: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
    log: Logger,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authentication, activity, (context) => {
      setTurnLogger(context, log);
      return logic(context);
    });
  }
}

/** What the person is told when their message could not be handled. */
export async function apologise(context: TurnContext, logger: Logger): Promise<void> {
  if (context.activity.type !== 'message') return;
  try {
    await context.sendActivity(
      'I’m sorry: something went wrong on our side and I couldn’t deal with that. Please try again in a moment. Anything you had already sent is safe.',
    );
  } catch (error) {
    logger.error('turn.apology-failed', { error: error instanceof Error ? error.name : 'unknown' });
  }
}
