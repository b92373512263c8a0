/**
 * Checking the single sign-on token the staff tab gets from Teams (`authentication.getAuthToken`):
 * a Microsoft Entra ID access token for our app registration. Its signature is checked against
 * the keys Entra publishes (found through the OpenID metadata, cached and refreshed by jose), and
 * then its issuer (the signed-in user's own tenant, which must be one of ours), audience (our
 * Application ID URI or client id), and time. Teams hands out v1 tokens unless the registration
 * asks for v2, so both issuers are accepted for the same tenant.
 */
import { createRemoteJWKSet, decodeJwt, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { z } from 'zod';

/** Why a token was refused: said in logs, never to the caller (who gets an empty 401). */
export type TokenRefusal = 'missing' | 'malformed' | 'signature' | 'expired' | 'audience' | 'issuer' | 'tenant' | 'claims' | 'keys-unavailable';

/** A token that does not let its bearer in. */
export class TabTokenRefused extends Error {
  override readonly name = 'TabTokenRefused';
  constructor(readonly reason: TokenRefusal) {
    super(`The staff tab's token was refused: ${reason}`);
  }
}

/** Who a valid token says the bearer is. */
export interface EntraIdentity {
  /** Entra object id, lower-case: what the staff roster lists. */
  readonly oid: string;
  readonly tid: string;
  readonly name: string | null;
}

export interface EntraTokenSettings {
  /** The OpenID configuration document (Entra's "common" v2 one, or a test's). */
  readonly metadataUrl: string;
  /** What the token's `aud` may be: the Application ID URI and the client id. */
  readonly audiences: readonly string[];
  /** The tenants whose staff may use the tab (TEAMS_TENANT_IDS). */
  readonly tenants: readonly string[];
}

const metadataSchema = z.object({ issuer: z.string().min(1), jwks_uri: z.url() });
const claimsSchema = z.object({ oid: z.string().min(1).max(100), tid: z.string().min(1).max(100), name: z.string().max(200).optional() });

/** How long a token may be out of step with our clock (Entra's clocks and ours). */
const CLOCK_TOLERANCE_SECONDS = 60;

export class EntraTokenVerifier {
  private keys: Promise<{ readonly issuerTemplate: string; readonly jwks: JWTVerifyGetKey }> | null = null;

  constructor(
    private readonly settings: EntraTokenSettings,
    private readonly load: typeof fetch = fetch,
  ) {}

  /** The metadata's issuer template and key set, fetched once (a failure is tried again next time). */
  private keySet(): Promise<{ readonly issuerTemplate: string; readonly jwks: JWTVerifyGetKey }> {
    this.keys ??= (async () => {
      const response = await this.load(this.settings.metadataUrl, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new TabTokenRefused('keys-unavailable');
      const metadata = metadataSchema.parse(await response.json());
      return { issuerTemplate: metadata.issuer, jwks: createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: 5000, cooldownDuration: 30_000 }) };
    })().catch((error: unknown) => {
      this.keys = null;
      throw error instanceof TabTokenRefused ? error : new TabTokenRefused('keys-unavailable');
    });
    return this.keys;
  }

  /** Who the token's bearer is; throws `TabTokenRefused` saying why not. */
  async verify(token: string | null): Promise<EntraIdentity> {
    if (!token) throw new TabTokenRefused('missing');
    let unverified: { tid?: unknown };
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new TabTokenRefused('malformed');
    }
    const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
    // Our tenants only, before any key is fetched: a token from elsewhere costs nothing.
    if (!this.settings.tenants.some((tenant) => tenant.toLowerCase() === tid)) throw new TabTokenRefused('tenant');
    const { issuerTemplate, jwks } = await this.keySet();
    const issuers = [issuerTemplate.replace('{tenantid}', tid), `https://sts.windows.net/${tid}/`];
    try {
      const { payload } = await jwtVerify(token, jwks, {
        audience: [...this.settings.audiences],
        issuer: issuers,
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat'],
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw new TabTokenRefused('claims');
      return { oid: claims.data.oid.toLowerCase(), tid, name: claims.data.name ?? null };
    } catch (error) {
      throw new TabTokenRefused(refusalOf(error));
    }
  }
}

/** jose's error, as one of our reasons. */
function refusalOf(error: unknown): TokenRefusal {
  if (error instanceof TabTokenRefused) return error.reason;
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return error.claim === 'aud' ? 'audience' : error.claim === 'iss' ? 'issuer' : 'claims';
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'signature';
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) return 'keys-unavailable';
  return 'malformed';
}
