/** Concerns' words in Redis: one string per concern, written once (the first keeping wins). */
import type { ConcernNotes, KeptConcern } from '../../ports/concern-notes.js';
import { urgentConcernSchema } from '../../outbox/urgent-concern.js';
import { storageCall } from './connection.js';
import type { RedisKeys } from './keys.js';
import type { RedisClient } from './scripts.js';

const keptSchema = urgentConcernSchema.pick({ id: true, note: true, raisedAt: true });

export class RedisConcernNotes implements ConcernNotes {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async keep(concern: KeptConcern): Promise<void> {
    const value = JSON.stringify(keptSchema.parse({ id: concern.id, note: concern.note, raisedAt: concern.raisedAt }));
    await storageCall('keep a concern', () => this.client.set(this.keys.concernNote(concern.id), value, 'NX'));
  }

  async find(id: string): Promise<KeptConcern | null> {
    if (!keptSchema.shape.id.safeParse(id).success) return null;
    const stored = await storageCall('read a concern', () => this.client.get(this.keys.concernNote(id)));
    if (stored === null) return null;
    // A damaged entry reads as none, never as someone's words.
    const parsed = keptSchema.safeParse(safeJson(stored));
    return parsed.success && parsed.data.id === id ? parsed.data : null;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
