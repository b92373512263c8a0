/** The thread directory in memory (the default without Redis; nothing is kept). */
import type { CaseReference } from '../../cases/reference.js';
import type { ThreadDirectory } from '../../teams/thread-directory.js';

export class MemoryThreadDirectory implements ThreadDirectory {
  private readonly links = new Map<string, CaseReference>();

  link(rootActivityId: string, reference: CaseReference): Promise<void> {
    if (!this.links.has(rootActivityId)) this.links.set(rootActivityId, reference);
    return Promise.resolve();
  }

  find(rootActivityId: string): Promise<CaseReference | null> {
    return Promise.resolve(this.links.get(rootActivityId) ?? null);
  }
}
