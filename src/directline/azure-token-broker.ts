/**
 * Azure mode: the widget talks to Azure's Direct Line. The secret stays on this server, which
 * exchanges it for a token bound to a user id it chooses, so a browser can never pick another
 * person's id or see the secret.
 */
import { z } from 'zod';
import { HttpRefusal } from '../http/responses.js';
import type { Session } from './self-hosted-directline.js';
import { newId } from './tokens.js';

const generatedSchema = z.object({ conversationId: z.string().min(1), token: z.string().min(1), expires_in: z.number().int().positive() });

/** Gets user-bound tokens from Azure's Direct Line. */
export class AzureTokenBroker {
  constructor(
    private readonly secret: string,
    readonly domain: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async startSession(): Promise<Session> {
    const userId = newId('dl_');
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.domain}/tokens/generate`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { id: userId, name: '' } }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new HttpRefusal(502, 'ServiceUnavailable', 'The chat service could not be reached; please try again shortly');
    }
    const parsed = generatedSchema.safeParse(response.ok ? await response.json() : null);
    if (!parsed.success) throw new HttpRefusal(502, 'ServiceUnavailable', 'The chat service could not start a conversation; please try again shortly');
    return { token: parsed.data.token, expiresIn: parsed.data.expires_in, conversationId: parsed.data.conversationId, userId };
  }
}
