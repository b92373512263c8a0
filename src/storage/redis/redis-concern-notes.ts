/**
 * Concerns' words in Redis: one string per concern, written once (the first keeping wins), kept
 * as long as complaint records are (RECORDS_KEPT_FOR), then gone by themselves.
 */
import type { ConcernNotes, KeptConcern } from '../../ports/concern-notes.js';
import { urgentConcernSchema } from '../../outbox/urgent-concern.js';
import { type DataKeyRing, SealBroken } from '../encryption/data-keys.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';

const keptSchema = urgentConcernSchema.pick({ id: true, note: true, raisedAt: true });

export class RedisConcernNotes implements ConcernNotes {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly dataKeys: DataKeyRing,
    /** How long the words are kept. */
    private readonly keptForMs: number,
  ) {}

  async keep(concern: KeptConcern): Promise<void> {
    // Sealed: the words are a disclosure about someone's safety.
    const value = this.dataKeys.sealShortLived(
      JSON.stringify(keptSchema.parse({ id: concern.id, note: concern.note, raisedAt: concern.raisedAt })),
      'concern',
      concern.id,
    );
    await storageCall('keep a concern', () => this.client.set(this.keys.concernNote(concern.id), value, 'PX', this.keptForMs, 'NX'));
  }

  /** A kept concern's JSON: opened, or as kept before sealing; null when it does not open. */
  private opened(id: string, stored: string): string | null {
    if (stored.startsWith('{')) return stored;
    try {
      return this.dataKeys.openShortLived(stored, 'concern', id);
    } catch (error) {
      if (error instanceof SealBroken) return null;
      throw error;
    }
  }

  async find(id: string): Promise<KeptConcern | null> {
    if (!keptSchema.shape.id.safeParse(id).success) return null;
    const stored = await storageCall('read a concern', () => this.client.get(this.keys.concernNote(id)));
    if (stored === null) return null;
    // A damaged entry reads as none, never as someone's words.
    const parsed = keptSchema.safeParse(safeJson(this.opened(id, stored)));
    return parsed.success && parsed.data.id === id ? parsed.data : null;
  }
}

function safeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
