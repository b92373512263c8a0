/** A notifier that keeps notices in memory: for tests, and for running without Teams. */
import type { CaseNotice, CaseNotifier } from '../ports/case-notifier.js';

/** Keeps every notice it is given, in order. */
export class RecordingNotifier implements CaseNotifier {
  readonly notices: CaseNotice[] = [];

  notify(notice: CaseNotice): Promise<void> {
    this.notices.push(notice);
    return Promise.resolve();
  }
}
