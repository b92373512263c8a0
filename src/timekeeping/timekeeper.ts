/**
 * Makes the timeline act: finds the cases whose next moment has come, from the stores' wake
 * index (never a scan), and applies `passTime` to each. Exactly once across instances comes from
 * the case store, not from here: the change is saved only if the case is still at the version it
 * was decided from, under a key named by the moments it does, with its events in the same atomic
 * step; another instance deciding the same moments at the same time finds them done. A process
 * killed mid-sweep leaves its cases in the index, and the next sweep (any instance's) does them.
 *
 * The time is the injected clock's, so tests walk weeks of deadlines in seconds.
 */
import { createHash } from 'node:crypto';
import type { CaseReference } from '../cases/reference.js';
import type { CaseStore } from '../cases/case-store.js';
import { CaseConflict, StorageUnavailable } from '../cases/errors.js';
import type { StoredCase } from '../cases/case.js';
import { isWithinWorkingHours, type TimelineSettings } from '../cases/timeline.js';
import { passTime } from '../cases/transitions/pass-time.js';
import { type EscalationPolicy, isWorkingDay, type LocalDate, readInZone } from '../policy/index.js';
import { type DigestRequest, digestRequest } from './digest.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';

export interface TimekeeperDeps {
  readonly cases: CaseStore;
  readonly policy: EscalationPolicy;
  readonly settings: TimelineSettings;
  readonly clock: Clock;
  readonly log: Logger;
  /** The daily digest: when on working days (seconds after midnight, London), and where it is queued; null for none. */
  readonly digest: { readonly at: number; readonly digests: { raiseDigest(request: DigestRequest): Promise<void> } } | null;
}

/** What one sweep did. */
export interface SweepResult {
  /** Cases whose moments were acted on or passed over (by this sweep; another instance's count as theirs). */
  readonly changed: number;
  /** Cases woken with nothing due (put back in their place). */
  readonly rescheduled: number;
  /** Cases that could not be done now; the next sweep tries them again. */
  readonly failed: number;
  /** Whether this sweep asked for the day's digest. */
  readonly digest: boolean;
}

/** The most cases one sweep takes: the rest wait for the next, so a sweep never holds an instance for long. */
const SWEEP_LIMIT = 500;
/** How often one case is decided again when others keep changing it first. */
export const ATTEMPTS = 5;
/** How long a case that could not be done is set aside before the sweep tries it again. */
const SET_ASIDE_MS = 3_600_000;

export class Timekeeper {
  /** The last day this process asked for a digest: asking again is harmless (one job per day), but needless. */
  private digestAskedFor: LocalDate | null = null;

  constructor(private readonly deps: TimekeeperDeps) {}

  /** Does whatever has come due by now. */
  async sweep(): Promise<SweepResult> {
    const now = this.deps.clock.now();
    const digest = await this.askForDigest(now);
    const counts = { changed: 0, rescheduled: 0, failed: 0 };
    // Reminders, alerts and closings are for people at work: moments missed while the service
    // was down, or left after hours, wait for the next working morning.
    if (!isWithinWorkingHours(now, this.deps.policy, this.deps.settings)) return { ...counts, digest };
    const due = await this.deps.cases.dueToWake(now, { limit: SWEEP_LIMIT });
    for (const reference of due) {
      try {
        counts[await this.wake(reference, now)] += 1;
      } catch (error) {
        counts.failed += 1;
        this.deps.log.error('timeline.case-failed', { error: error instanceof Error ? error.name : 'unknown' });
      }
    }
    if (counts.changed + counts.failed > 0) this.deps.log.info('timeline.swept', counts);
    return { ...counts, digest };
  }

  /**
   * Asks for today's digest once its time has come on a working day (a bank holiday has none:
   * the next working day's covers what happened over it). A sweep later in the day, after an
   * outage, still asks: a late digest is better than none.
   */
  private async askForDigest(now: Date): Promise<boolean> {
    const { digest, policy } = this.deps;
    if (!digest) return false;
    const reading = readInZone(now, policy.calendar.timeZone);
    if (!isWorkingDay(policy.calendar, reading.date) || reading.secondOfDay < digest.at || this.digestAskedFor === reading.date) return false;
    await digest.digests.raiseDigest(digestRequest(reading.date));
    this.digestAskedFor = reading.date;
    return true;
  }

  /** Applies what is due to one case, deciding again on fresh data if it changed meanwhile. */
  private async wake(reference: CaseReference, now: Date): Promise<'changed' | 'rescheduled' | 'failed'> {
    for (let attempt = 1; ; attempt += 1) {
      const stored = await this.deps.cases.get(reference);
      if (!stored) {
        // Its case is gone (erased): nothing is left to happen to it.
        await this.deps.cases.unschedule(reference);
        return 'rescheduled';
      }
      let change: ReturnType<typeof passTime>;
      try {
        change = passTime(stored.case, { policy: this.deps.policy, now, settings: this.deps.settings });
      } catch (error) {
        await this.setAside(stored, now, error);
        return 'failed';
      }
      if (!change) {
        await this.deps.cases.reschedule(stored);
        return 'rescheduled';
      }
      // Named by the version and the moments it does: the same moments decided by another
      // instance from the same version are the same change, made once.
      const moments = JSON.stringify(change.event.details);
      const idempotencyKey = `time:${String(stored.version)}:${createHash('sha256').update(moments).digest('base64url').slice(0, 22)}`;
      try {
        const result = await this.deps.cases.update(stored, { ...change, idempotencyKey });
        // Not applied: another instance made this very change first.
        return result.applied ? 'changed' : 'rescheduled';
      } catch (error) {
        if (error instanceof StorageUnavailable) throw error;
        if (!(error instanceof CaseConflict) || attempt >= ATTEMPTS) {
          await this.setAside(stored, now, error);
          return 'failed';
        }
      }
    }
  }

  /**
   * A case that could not be done (the policy cannot read it, or its change is refused): said
   * loudly, and set aside for an hour, so that it does not stand first in line at every sweep
   * ahead of the cases that can be done. Storage being down is not the case's fault and is not
   * set aside: the next sweep tries again.
   */
  private async setAside(stored: StoredCase, now: Date, error: unknown): Promise<void> {
    this.deps.log.error('timeline.case-set-aside', { error: error instanceof Error ? error.name : 'unknown', hours: SET_ASIDE_MS / 3_600_000 });
    await this.deps.cases.reschedule(stored, now.getTime() + SET_ASIDE_MS);
  }
}
