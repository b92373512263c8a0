/**
 * How requests to /api/messages are authenticated: Bot Framework's own validation, configured
 * from our settings. Overriding where channel signing keys are published (sovereign clouds,
 * tests with locally made keys) switches the SDK to fully explicit parameters, so every other
 * public-cloud value is then given here too; leaving one out silently refuses every request.
 */
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, type BotFrameworkAuthentication } from 'botframework-connector';
import { ReusedClientsAuthentication } from './reused-clients.js';

/** The settings that shape authentication. */
export interface BotCredentials {
  readonly appId?: string | undefined;
  readonly appPassword?: string | undefined;
  readonly appType?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  readonly tenantId?: string | undefined;
  /** Where channel signing keys are published, if not Microsoft's public cloud endpoint. */
  readonly openIdMetadataUrl?: string | undefined;
}

/**
 * Bot Framework authentication for these credentials (none: local development, unauthenticated),
 * keeping the clients it makes for replying (see reused-clients.ts).
 */
export function botFrameworkAuthentication(credentials: BotCredentials): BotFrameworkAuthentication {
  return new ReusedClientsAuthentication(
    new ConfigurationBotFrameworkAuthentication({
      ...(credentials.appId ? { MicrosoftAppId: credentials.appId, MicrosoftAppType: credentials.appType ?? 'MultiTenant' } : {}),
      ...(credentials.appPassword ? { MicrosoftAppPassword: credentials.appPassword } : {}),
      ...(credentials.tenantId ? { MicrosoftAppTenantId: credentials.tenantId } : {}),
      ...(credentials.openIdMetadataUrl
        ? {
            ValidateAuthority: true,
            ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
            ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
            ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
            OAuthUrl: AuthenticationConstants.OAuthUrl,
            ToBotFromChannelOpenIdMetadataUrl: credentials.openIdMetadataUrl,
            ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
            CallerId: CallerIdConstants.PublicAzureChannel,
          }
        : {}),
    }),
  );
}
