/**
 * Bot Framework's authentication, keeping the clients it makes for talking back to channels.
 *
 * CloudAdapter asks for a new ConnectorClient and a new UserTokenClient on every turn, and each
 * builds a whole HTTP pipeline (policies, sanitiser, user agent, credentials). Under load these
 * were often still alive when V8's young generation was collected (about a quarter of what
 * survived those collections in the echo benchmark), so they were copied and promoted,
 * lengthening every pause for every turn in flight. Both clients
 * hold nothing about the turn; only the bot's app id, the channel's service URL and the audience
 * decide what they do (tokens are fetched and refreshed inside the credentials). So one is kept
 * per such key, as the older BotFrameworkAdapter kept its connector clients.
 *
 * The key set is bounded: the service URL comes from the request, and an unauthenticated local
 * server could be sent any number of them.
 */
import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';

/** How many clients of each kind are kept; past this the longest-kept is dropped. */
const KEPT = 64;

/** A small map that forgets its oldest entry when full. */
class Kept<T> {
  private readonly entries = new Map<string, Promise<T>>();

  /** The value for `key`, made by `make` the first time; a failed make is not kept. */
  get(key: string, make: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found) return found;
    const made = make();
    const oldest = this.entries.size >= KEPT ? this.entries.keys().next() : undefined;
    if (oldest && !oldest.done) this.entries.delete(oldest.value);
    this.entries.set(key, made);
    made.catch(() => {
      if (this.entries.get(key) === made) this.entries.delete(key);
    });
    return made;
  }
}

/** The app id a request was for, as Bot Framework reads it (audience, or the emulator's appid). */
function appIdOf(claims: ClaimsIdentity): string {
  return claims.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claims.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/** A connector factory that hands out kept clients, made by the factory it wraps. */
class ReusedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly appId: string,
    private readonly inner: ConnectorFactory,
    private readonly kept: Kept<ConnectorClient>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return this.kept.get(`${this.appId}\n${serviceUrl}\n${audience ?? ''}`, () => this.inner.create(serviceUrl, audience));
  }
}

/** Delegates everything to `inner`, keeping the connector and user-token clients it makes. */
export class ReusedClientsAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new Kept<ConnectorClient>();
  private readonly userTokens = new Kept<UserTokenClient>();

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusedConnectorFactory(appIdOf(claimsIdentity), this.inner.createConnectorFactory(claimsIdentity), this.connectors);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokens.get(appIdOf(claimsIdentity), () => this.inner.createUserTokenClient(claimsIdentity));
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private reusing(result: AuthenticateRequestResult): AuthenticateRequestResult {
    const factory = result.connectorFactory;
    if (!factory) return result;
    return { ...result, connectorFactory: new ReusedConnectorFactory(appIdOf(result.claimsIdentity), factory, this.connectors) };
  }
}
