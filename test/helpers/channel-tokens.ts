/**
 * Bot Framework channel tokens made here, for testing /api/messages without the internet: an
 * RSA key pair generated per run, an OpenID metadata endpoint on a local port publishing its
 * public key (the bot is pointed at it with BOT_OPENID_METADATA_URL), and JWTs signed with it,
 * or deliberately wrong in one way each.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The issuer Bot Framework channels sign with. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A signing key with its id. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A fresh RSA key. */
export function signingKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** A JWT with the given header and claims, signed RS256 with the key (or not at all, for "alg: none"). */
export function jwt(claims: Record<string, unknown>, key: SigningKey | null, header: Record<string, unknown> = {}): string {
  const head = base64url({ alg: key ? 'RS256' : 'none', typ: 'JWT', ...(key ? { kid: key.kid } : {}), ...header });
  const body = base64url(claims);
  if (!key) return `${head}.${body}.`;
  const signer = createSign('RSA-SHA256');
  signer.update(`${head}.${body}`);
  return `${head}.${body}.${signer.sign(key.privateKey).toString('base64url')}`;
}

/** Claims a channel would send, valid for an hour from now. */
export function channelClaims(appId: string, serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: CHANNEL_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...overrides };
}

/** An OpenID metadata endpoint publishing keys, on a local port. */
export async function openIdServer(keys: readonly SigningKey[]): Promise<{ readonly url: string; close(): Promise<void> }> {
  let base = '';
  const server: Server = createServer((request, response) => {
    const body =
      request.url === '/.well-known/openid-configuration'
        ? { issuer: CHANNEL_ISSUER, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }
        : request.url === '/keys'
          ? { keys: keys.map((key) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, kty: 'RSA', use: 'sig', alg: 'RS256' })) }
          : null;
    response.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    response.end(body ? JSON.stringify(body) : '');
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/.well-known/openid-configuration`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
