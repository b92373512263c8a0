/**
 * Telling staff about a case: a new complaint, an escalation request, a safeguarding or
 * late-complaint flag, a message from the complainant. The Teams adapter posts these as cards;
 * until then (and in tests) they are recorded or logged.
 */
import type { Case } from '../cases/case.js';

/** Why staff are being told about a case. */
export type CaseNoticeKind = 'lodged' | 'escalation-requested' | 'flagged' | 'message-from-complainant';

/** What staff are told: the case as it now stands, and why. */
export interface CaseNotice {
  readonly kind: CaseNoticeKind;
  readonly case: Case;
  /** For messages from the complainant: their words. */
  readonly message?: string;
}

/** Sends notices to staff. Failures are the notifier's to report; callers await it. */
export interface CaseNotifier {
  notify(notice: CaseNotice): Promise<void>;
}
