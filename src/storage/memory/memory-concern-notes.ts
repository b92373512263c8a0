/** Concerns' words in memory (the default without Redis; nothing is kept). */
import type { ConcernNotes, KeptConcern } from '../../ports/concern-notes.js';

export class MemoryConcernNotes implements ConcernNotes {
  private readonly kept = new Map<string, KeptConcern>();

  keep(concern: KeptConcern): Promise<void> {
    if (!this.kept.has(concern.id)) this.kept.set(concern.id, { id: concern.id, note: concern.note, raisedAt: concern.raisedAt });
    return Promise.resolve();
  }

  find(id: string): Promise<KeptConcern | null> {
    return Promise.resolve(this.kept.get(id) ?? null);
  }
}
