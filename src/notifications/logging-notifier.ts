/**
 * A notifier that writes one log line per notice: for running without Teams. It logs what
 * kind of notice it was and the case's procedure, never its reference or anything said.
 */
import type { CaseNotice, CaseNotifier, DeliveryStatus } from '../ports/case-notifier.js';
import type { Logger } from '../ports/logger.js';

/** Logs notices for staff instead of sending them. */
export class LoggingNotifier implements CaseNotifier {
  constructor(private readonly logger: Logger) {}

  notify(notice: CaseNotice): Promise<void> {
    const fields = { kind: notice.kind, procedure: notice.case?.procedure ?? null, stage: notice.case?.stage ?? null };
    if (notice.kind === 'safeguarding-concern') this.logger.warn('staff.notice', { ...fields, urgent: true });
    else this.logger.info('staff.notice', fields);
    return Promise.resolve();
  }

  deliveryStatus(status: DeliveryStatus): Promise<string | null> {
    this.logger.info('staff.delivery-status', { state: status.steps.at(-1)?.state ?? null });
    return Promise.resolve(null);
  }
}
