/**
 * Local development only (`npm start`, which listens on loopback): the staff tab outside Teams,
 * signed in as one of the configured staff, so it can be tried without a tenant. A key pair made
 * at start signs short tokens of the same shape Entra's have; the verifier takes only those, and
 * it is used only when no single sign-on is configured, so a real deployment never accepts one.
 */
import { randomUUID } from 'node:crypto';
import { type CryptoKey, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import type { StaffRoster } from '../ports/staff-roster.js';
import { type EntraIdentity, TabTokenRefused } from './entra-token.js';

const ISSUER = 'urn:complaints-bot:local-development';
const AUDIENCE = 'urn:complaints-bot:staff-tab';

export class DevSignIn {
  private constructor(
    private readonly keys: { readonly privateKey: CryptoKey; readonly publicKey: CryptoKey },
    private readonly roster: StaffRoster,
    private readonly tenant: string,
  ) {}

  static async start(roster: StaffRoster, tenant: string): Promise<DevSignIn> {
    return new DevSignIn(await generateKeyPair('ES256'), roster, tenant);
  }

  /** The staff who may be signed in as: the roster, named where Teams has named them. */
  async staff(): Promise<{ readonly id: string; readonly name: string }[]> {
    return (await this.roster.members()).map((member) => ({ id: member.id, name: member.name ?? `Staff member ${member.id.slice(0, 8)}` }));
  }

  /** A token for someone on the roster (an hour), or null for anyone else. */
  async tokenFor(id: string): Promise<string | null> {
    const member = (await this.staff()).find((each) => each.id === id.toLowerCase());
    if (!member) return null;
    return new SignJWT({ oid: member.id, tid: this.tenant, name: member.name })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(this.keys.privateKey);
  }

  /** The verifier the tab's API uses in local development. */
  async verify(token: string | null): Promise<EntraIdentity> {
    if (!token) throw new TabTokenRefused('missing');
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'] });
      if (typeof payload['oid'] !== 'string' || typeof payload['tid'] !== 'string') throw new TabTokenRefused('claims');
      return { oid: payload['oid'], tid: payload['tid'], name: typeof payload['name'] === 'string' ? payload['name'] : null };
    } catch (error) {
      throw error instanceof TabTokenRefused ? error : new TabTokenRefused('signature');
    }
  }
}
