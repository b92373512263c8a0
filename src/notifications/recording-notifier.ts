/** A notifier that keeps notices in memory: for tests, and for running without Teams. */
import type { CaseNotice, CaseNotifier, DeliveryStatus } from '../ports/case-notifier.js';

/** Keeps every notice it is given, in order. */
export class RecordingNotifier implements CaseNotifier {
  readonly notices: CaseNotice[] = [];
  /** Each status line as last shown, by line id. */
  readonly statusLines = new Map<string, DeliveryStatus>();

  notify(notice: CaseNotice): Promise<void> {
    this.notices.push(notice);
    return Promise.resolve();
  }

  deliveryStatus(status: DeliveryStatus): Promise<string | null> {
    const id = status.lineId ?? `line-${String(this.statusLines.size + 1)}`;
    this.statusLines.set(id, status);
    return Promise.resolve(id);
  }
}
