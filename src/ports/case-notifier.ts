/**
 * Telling staff about a case: a new complaint, an escalation request, a safeguarding or
 * late-complaint flag, a message from the complainant, and words suggesting someone is at risk
 * (sent the moment they are said, whether or not there is a case yet). The Teams adapter posts
 * these as cards; without Teams (and in tests) they are recorded or logged.
 */
import type { Case, StoredConversationReference } from '../cases/case.js';
import type { DailyDigest } from '../timekeeping/digest.js';
import type { MovedCase } from '../teams/cards/calendar-change-card.js';

/** What staff are told: the case as it now stands (where there is one), and why. */
export type CaseNotice =
  | { readonly kind: 'lodged' | 'escalation-requested' | 'flagged'; readonly case: Case }
  /** The case changed: its card is brought up to date (posted, if it has none), with nothing said in the thread. */
  | { readonly kind: 'changed'; readonly case: Case }
  /** Something for this case could not be delivered after every attempt: staff should act. */
  | { readonly kind: 'delivery-failed'; readonly case: Case; readonly what: string }
  /**
   * Time passed: a reminder of a deadline, an alert that it has passed, or the case closed as
   * resolved. Said in the thread; the person assigned, if anyone, is told personally too.
   */
  | {
      readonly kind: 'time-passed';
      readonly case: Case;
      readonly moment: 'reminder' | 'overdue' | 'resolved';
      readonly text: string;
      readonly assignee: { readonly id: string; readonly name: string } | null;
    }
  /** A member of staff is told something about the case personally (given it, or it was taken from them). */
  | { readonly kind: 'colleague-told'; readonly case: Case; readonly person: { readonly id: string; readonly name: string }; readonly text: string }
  /** The day's digest, posted to the channel (about many cases, so about none). */
  | { readonly kind: 'digest'; readonly case: null; readonly digest: DailyDigest }
  /** The bank-holiday calendar changed: which cases' dates moved with it. */
  | {
      readonly kind: 'calendar-changed';
      readonly case: null;
      readonly version: string;
      /** The first few cases moved, by name. */
      readonly moved: readonly MovedCase[];
      readonly movedCount: number;
      /** Cases that could not be counted again. */
      readonly failed: readonly string[];
    }
  /** A member of staff wrote to the complainant from the staff tab: the thread is told who (the words stay in the history). */
  | { readonly kind: 'staff-wrote'; readonly case: Case; readonly by: string }
  /** The complainant's words, to go into the case's thread. */
  | {
      readonly kind: 'message-from-complainant';
      readonly case: Case;
      readonly message: string;
      /** When they wrote it (their history entry's time): how staff's "Show" finds the words again. */
      readonly at: string;
    }
  /**
   * Something said suggests a child or adult may be at risk. Sent at once: `case` is null when
   * the person has not made or found a complaint yet, and `conversation` says where to reach them.
   */
  | {
      readonly kind: 'safeguarding-concern';
      readonly case: Case | null;
      /** The concern's id: how staff's "Show" finds its words again when there is no case. */
      readonly id: string;
      readonly note: string;
      readonly raisedAt: string;
      readonly conversation: StoredConversationReference | null;
    };

/** What has happened to a message for the complainant, step by step. */
export interface DeliveryStep {
  readonly state: 'sent' | 'kept' | 'seen' | 'unseen' | 'emailed' | 'texted';
  /** When, as an ISO instant. */
  readonly at: string;
}

/** The one status line in a case's thread about a message for the complainant. */
export interface DeliveryStatus {
  readonly case: Case;
  /** The line's id in the thread once posted; null the first time. */
  readonly lineId: string | null;
  readonly steps: readonly DeliveryStep[];
}

/** Sends notices to staff. Failures are the notifier's to report; callers await it. */
export interface CaseNotifier {
  notify(notice: CaseNotice): Promise<void>;
  /** Posts or updates a message's status line; answers with the line's id (null where lines have none). */
  deliveryStatus(status: DeliveryStatus): Promise<string | null>;
}
