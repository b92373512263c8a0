/**
 * Tokens for the self-hosted Direct Line: signed with a server secret (HMAC-SHA256), expiring,
 * and bound to one conversation and one user id chosen by the server. Whoever holds a token can
 * read and write that conversation as that user, and nothing else; nobody can pick their own id.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

const claimsSchema = z.strictObject({
  /** Token id, for rate limiting. */
  jti: z.string().min(8).max(64),
  conv: z.string().min(8).max(128),
  user: z.string().min(4).max(128),
  iat: z.number().int(),
  exp: z.number().int(),
});

/** What a valid token grants. */
export interface TokenClaims {
  readonly tokenId: string;
  readonly conversationId: string;
  readonly userId: string;
  readonly expiresAt: number;
}

/** Why a token was refused. */
export class InvalidToken extends Error {
  override readonly name = 'InvalidToken';
  constructor(readonly reason: 'missing' | 'malformed' | 'bad-signature' | 'expired') {
    super(`Direct Line token refused: ${reason}`);
  }
}

/** A token as issued, with its lifetime in seconds (as Direct Line reports it). */
export interface IssuedToken {
  readonly token: string;
  readonly expiresIn: number;
}

/** A random id for a conversation or user, safe in URLs. */
export function newId(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('base64url')}`;
}

/** Issues and checks widget tokens. */
export class DirectLineTokens {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < 32) throw new RangeError('The Direct Line token secret must be at least 32 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  /** A token for one user in one conversation. */
  issue(conversationId: string, userId: string): IssuedToken {
    const issuedAt = this.now();
    const payload = Buffer.from(
      JSON.stringify({
        jti: randomBytes(12).toString('base64url'),
        conv: conversationId,
        user: userId,
        iat: issuedAt,
        exp: issuedAt + this.lifetimeMs,
      }),
    ).toString('base64url');
    return { token: `dl1.${payload}.${this.sign(`dl1.${payload}`)}`, expiresIn: Math.floor(this.lifetimeMs / 1000) };
  }

  /** The claims of a valid token; throws `InvalidToken` otherwise. */
  verify(token: string | undefined): TokenClaims {
    if (!token) throw new InvalidToken('missing');
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== 'dl1' || !parts[1] || !parts[2]) throw new InvalidToken('malformed');
    const expected = Buffer.from(this.sign(`dl1.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidToken('bad-signature');
    let claims;
    try {
      claims = claimsSchema.parse(JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')));
    } catch {
      throw new InvalidToken('malformed');
    }
    if (claims.exp <= this.now()) throw new InvalidToken('expired');
    return { tokenId: claims.jti, conversationId: claims.conv, userId: claims.user, expiresAt: claims.exp };
  }

  /**
   * An opaque name for the client's address, for the lookup limits per address: a keyed digest,
   * so neither the address nor a guessable hash of it is ever stored. IPv6 clients are counted by
   * their /64, the block one household or one attacker is given, not by each address in it.
   */
  requesterOf(address: string): string {
    return `addr.${createHmac('sha256', this.key)
      .update(`address:${addressBlock(address)}`)
      .digest('base64url')
      .slice(0, 22)}`;
  }

  /** A new token for the same conversation and user, with a full lifetime. */
  refresh(claims: TokenClaims): IssuedToken {
    return this.issue(claims.conversationId, claims.userId);
  }
}

/** The token in an "Authorization: Bearer ..." header, if there is one. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The block an address belongs to for counting: an IPv4 address itself (IPv4-mapped IPv6 too), an
 * IPv6 address's first 64 bits. Anything else (a name, "unknown") is counted as given.
 */
export function addressBlock(address: string): string {
  const trimmed = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  if (mapped?.[1]) return mapped[1];
  if (!isIP(trimmed) || !trimmed.includes(':')) return trimmed;
  const [head = '', tail = ''] = trimmed.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = trimmed.includes('::') && tail ? tail.split(':') : [];
  const groups = trimmed.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
