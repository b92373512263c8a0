/**
 * Tells staff in Teams: one card per case, posted as a new post in the service desk's channel
 * the first time anything happens to the case; its thread is recorded on the case, and from
 * then on the card is updated in place and news goes into the thread. A safeguarding concern
 * raised before there is a case gets a post of its own at once.
 *
 * Notices for one case are handled one at a time here, and the case is re-read before posting,
 * so two notices arriving together make one card.
 */
import type { Case, StoredCase } from '../cases/case.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import type { CaseNotice, CaseNotifier, DeliveryStatus } from '../ports/case-notifier.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { StaffRoster } from '../ports/staff-roster.js';
import type { EscalationPolicy } from '../policy/index.js';
import { KeyedMutex } from '../state/keyed-mutex.js';
import { formatReference } from '../cases/reference.js';
import { concernCard } from './cards/concern-card.js';
import { standingQuestion } from './case-standing.js';
import { staffTeamsIdsFor, summaryForCase } from './case-view.js';
import { staffOnlyCard } from './cards/staff-only-card.js';
import { recordTeamsThread } from '../cases/transitions/record-teams-thread.js';
import { isRefusal } from '../cases/transitions/transition.js';
import { deliveryStatusLine } from './delivery-line.js';
import { reminderCard } from './cards/reminder-card.js';
import { digestCard } from './cards/digest-card.js';
import { calendarChangeCard } from './cards/calendar-change-card.js';
import type { TeamsChannel, TeamsThread, ThreadMessage } from './teams-channel.js';
import type { ThreadDirectory } from './thread-directory.js';
import type { ConcernNotes } from '../ports/concern-notes.js';

/** A notice about a case that exists. */
type CaseNoticeWithCase = CaseNotice & { readonly case: NonNullable<CaseNotice['case']> };

/** Whether a notice is about a case: all are but a safeguarding concern raised before one was made or found. */
function isAboutCase(notice: CaseNotice): notice is CaseNoticeWithCase {
  return notice.case !== null;
}

/** Statuses in which a word from the complainant may call for reopening the case. */
const CLOSED: readonly Case['status'][] = ['closed', 'withdrawn', 'redirected'];

export interface TeamsNotifierDeps {
  readonly cases: CaseStore;
  readonly threads: ThreadDirectory;
  readonly channel: TeamsChannel;
  readonly policy: EscalationPolicy;
  readonly clock: Clock;
  readonly log: Logger;
  /** Who cases may be given to, for the card's "Assign to…". */
  readonly roster?: StaffRoster;
  /** Where the words of a concern raised before there is a case are kept for staff. */
  readonly concerns: ConcernNotes;
}

export class TeamsNotifier implements CaseNotifier {
  private readonly perCase = new KeyedMutex();

  constructor(private readonly deps: TeamsNotifierDeps) {}

  async notify(notice: CaseNotice): Promise<void> {
    if (!isAboutCase(notice)) {
      if (notice.kind === 'safeguarding-concern') {
        // Its words are kept first, for staff: the post itself says only that there is a concern.
        await this.deps.concerns.keep({ id: notice.id, note: notice.note, raisedAt: notice.raisedAt });
      }
      await this.deps.channel.postCard(
        notice.kind === 'digest'
          ? digestCard(notice.digest)
          : notice.kind === 'calendar-changed'
            ? calendarChangeCard(notice.version, notice.moved, notice.movedCount, notice.failed)
            : concernCard(notice, this.deps.policy, await staffTeamsIdsFor(this.deps.roster, null)),
      );
      this.deps.log.info('teams.posted', { kind: notice.kind });
      return;
    }
    const reference = notice.case.reference;
    await this.perCase.run(reference, async () => {
      const stored = await this.deps.cases.get(reference);
      if (!stored) return;
      const { thread, posted } = await this.threadFor(stored);
      // Who sees the complainant's words in place of the line saying they wrote.
      const staffTeamsIds = notice.kind === 'message-from-complainant' ? await staffTeamsIdsFor(this.deps.roster, stored.case) : [];
      const line = this.lineFor(notice, staffTeamsIds);
      if (line && !(posted && notice.kind === 'lodged')) await this.deps.channel.reply(thread, line);
      // The person assigned hears of their deadlines directly too, wherever they are in Teams; a
      // colleague given a case, or whose case was taken, hears of it there.
      const personal =
        notice.kind === 'time-passed' && notice.assignee
          ? { to: notice.assignee.id, text: `${notice.text} (Complaint ${formatReference(reference)}.)` }
          : notice.kind === 'colleague-told'
            ? { to: notice.person.id, text: `${notice.text} Its card is in the complaints channel.` }
            : null;
      if (personal) {
        // The thread has it already: a personal chat Teams refuses (the app not installed for them,
        // say) must not post the thread's line again on every retry, nor hold up the case's cards.
        await this.deps.channel.messagePerson(personal.to, { text: personal.text }).catch((error: unknown) => {
          this.deps.log.warn('teams.personal-message-failed', { error: error instanceof Error ? error.name : 'unknown' });
        });
      }
      this.deps.log.info('teams.notified', { kind: notice.kind, posted });
    });
  }

  async deliveryStatus(status: DeliveryStatus): Promise<string | null> {
    const reference = status.case.reference;
    return this.perCase.run(reference, async () => {
      const stored = await this.deps.cases.get(reference);
      if (!stored) return null;
      const thread = stored.case.teamsThread ?? (await this.threadFor(stored)).thread;
      const line = { text: deliveryStatusLine(status.steps) };
      if (status.lineId) {
        await this.deps.channel.updateReply(thread, status.lineId, line);
        return status.lineId;
      }
      return this.deps.channel.reply(thread, line);
    });
  }

  /** The case's thread, posting its card first if it has none; otherwise the card is brought up to date. */
  private async threadFor(stored: StoredCase): Promise<{ thread: TeamsThread; posted: boolean }> {
    const existing = stored.case.teamsThread;
    if (existing) {
      await this.deps.channel.updateCard(existing, await summaryForCase(this.deps, stored));
      return { thread: existing, posted: false };
    }
    const thread = await this.deps.channel.postCard(await summaryForCase(this.deps, stored));
    await this.deps.threads.link(thread.rootActivityId, stored.case.reference);
    const now = this.deps.clock.now();
    const recorded = await updateCase(this.deps.cases, stored.case.reference, `teams-thread:${thread.rootActivityId}`, (current) => {
      const result = recordTeamsThread(current.case, { thread }, { now });
      // Its card-changed event is not needed here: the card is brought up to date just below.
      return isRefusal(result) ? null : { next: result.next, event: result.event, events: [] };
    });
    // Recording the thread changed the case's version: refresh the card so its buttons carry the new one.
    if (recorded) {
      await this.deps.channel.updateCard(thread, await summaryForCase(this.deps, recorded.stored));
      return { thread, posted: true };
    }
    // Another instance posted and recorded the case's card at the same moment (a staff alert and
    // a complainant's status line, say): theirs is the case's thread, and ours is taken down.
    const winner = (await this.deps.cases.get(stored.case.reference))?.case.teamsThread;
    if (!winner || winner.rootActivityId === thread.rootActivityId) return { thread, posted: true };
    await this.deps.channel.deletePost(thread).catch((error: unknown) => {
      this.deps.log.warn('teams.duplicate-card-left', { error: error instanceof Error ? error.name : 'unknown' });
    });
    return { thread: winner, posted: false };
  }

  /** What is said in the thread about the notice, if anything beyond the card. */
  private lineFor(notice: CaseNoticeWithCase, staffTeamsIds: readonly string[]): ThreadMessage | null {
    switch (notice.kind) {
      case 'changed':
      case 'colleague-told':
        return null;
      case 'delivery-failed':
        return { text: `DELIVERY FAILED: ${notice.what}` };
      case 'staff-wrote':
        return {
          text:
            `${notice.by} wrote to the complainant from the staff tab. Their words are in the case's history (History on the card, ` +
            'or the case in the tab); the line below says whether the complainant has seen them.',
        };
      case 'lodged':
        return { text: 'New complaint (the card above is kept up to date).' };
      case 'escalation-requested': {
        const value = notice.case;
        const late = value.flags.lateEscalation?.decision === 'pending';
        return {
          text: late
            ? `The complainant asked to take this further after the time to ask had passed: decide on the card whether to accept the request for ` +
              `${this.deps.policy.stage(value.procedure, value.flags.lateEscalation?.to ?? value.stage).name}.`
            : `The complainant has taken this further: it is now at ${this.deps.policy.stage(value.procedure, value.stage).name}, waiting to be picked up.`,
        };
      }
      case 'flagged':
        return {
          text:
            [
              notice.case.flags.safeguarding ? 'SAFEGUARDING: words suggesting someone may be at risk. Follow the safeguarding procedure now.' : null,
              notice.case.flags.late?.decision === 'pending' ? 'Late complaint: decide on the card whether it will be considered.' : null,
              notice.case.flags.standing?.decision === 'pending'
                ? `Who may complain: decide on the card ` +
                  `${standingQuestion(notice.case, this.deps.policy)?.decision ?? 'whether this person may complain for them'}, before the complaint is ` +
                  `considered.`
                : null,
            ]
              .filter(Boolean)
              .join(' ') || 'Flagged for attention.',
        };
      case 'time-passed':
        // Only the latest state counts: an unassigned case offers itself to whoever reads this.
        return notice.moment !== 'resolved' && !notice.case.handler && notice.case.status !== 'closed'
          ? { card: reminderCard(notice.text, notice.case) }
          : { text: notice.text };
      case 'message-from-complainant': {
        // Their words are for staff only: the channel sees that they wrote.
        const closed = CLOSED.includes(notice.case.status) ? ` (the case is ${notice.case.status})` : '';
        return {
          card: staffOnlyCard(
            `The complainant wrote about complaint ${formatReference(notice.case.reference)}${closed}.`,
            { verb: 'reveal', data: { reference: notice.case.reference, what: 'complainant-words', at: notice.at } },
            staffTeamsIds,
          ),
        };
      }
      case 'safeguarding-concern':
        // Their words are on the case's full card (its safeguarding flag), which only staff see.
        return {
          text:
            'SAFEGUARDING: the complainant said something suggesting someone may be at risk. Follow the safeguarding procedure now; their words are on ' +
            'the case card (staff see them there, or with Show details).',
        };
    }
  }
}
