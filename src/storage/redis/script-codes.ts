/**
 * What each Lua script answers with, by name. Each script declares the same names (`local
 * TOO_LATE = -9`, in UPPER_SNAKE_CASE for these camelCase keys) right after its header, and a
 * test checks that the two sides agree, so a code never means one thing in Lua and another here.
 * The scripts that answer with more than a code have the shape of their answer here too, checked
 * as it arrives rather than assumed.
 */
import { z } from 'zod';
import type { ScriptName } from './scripts.js';

export const LODGE_CASE = { created: 1, alreadyLodged: 2, referenceTaken: 3, tooLate: -9 } as const;
export const UPDATE_CASE = { applied: 1, stale: 0, alreadyApplied: 2, noSuchCase: -1, tooLate: -9 } as const;
export const RESERVE_ATTEMPT = { reserved: 1, refused: 0 } as const;
export const REPLACE_SECOND_FACTORS = { replaced: 1, changed: 0 } as const;
export const WRITE_STATE_BEFORE = { written: 1, tooLate: -9 } as const;
export const WRITE_STATE_IF_UNCHANGED = { written: 1, changed: 0 } as const;
/** The first element of append-activity's answer is the watermark, or one of the negative codes; the third says whether it was appended. */
export const APPEND_ACTIVITY = { appended: 1, repeat: 0, noSuchConversation: -1, full: -2 } as const;
export const CLAIM_STAFF_EFFECT = { go: 1, done: 2, wait: 0 } as const;

/** lodge-case's answer: its code, and the case's reference when it made or remembered one ('' otherwise). */
export const LODGE_CASE_ANSWER = z.tuple([z.number(), z.string()]);
/** update-case's answer: its code, and the case's version (0 when there is no case, or it was too late). */
export const UPDATE_CASE_ANSWER = z.tuple([z.number(), z.number()]);
/** reserve-attempt's answer: its code, the attempts counted, and the milliseconds until they are forgotten. */
export const RESERVE_ATTEMPT_ANSWER = z.tuple([z.number(), z.number(), z.number()]);
/**
 * append-activity's answer: the watermark or a negative code, the activity's id ('' with a code),
 * whether it was appended, a repeat's earlier activity while its turn is undone (''), and when
 * the claim on the activity's turn ends (0 when nobody's turn awaits).
 */
export const APPEND_ACTIVITY_ANSWER = z.tuple([z.number(), z.string(), z.number(), z.string(), z.number()]);
/** claim-unhandled's answer: when the earliest claim left ends (0: none left), then the activities claimed, in order. */
export const CLAIM_UNHANDLED_ANSWER = z.tuple([z.number()]).rest(z.string());
/** Whether the worker finishing a staff effect still held the case's lease: a code, not a count. */
export const FINISH_STAFF_EFFECT = { held: 1, lost: 0 } as const;
/** Whether the caller still had the hold it gave up. */
export const RELEASE_HOLD = { released: 1, notHeld: 0 } as const;

/** Whether a case's data key was wrapped again: it was still the one read. */
export const REWRAP_DATA_KEY = { replaced: 1, changed: 0 } as const;

/** Whether a case's wake time was set: it was still at the version the time was worked out from. */
export const RESCHEDULE_CASE = { set: 1, movedOn: 0 } as const;

/** What erasing a case did: answered as a change is (update-case's codes). */
export const ERASE_CASE = UPDATE_CASE;

/** Whether a case was listed in the rights indexes: it was still at the version read. */
export const REINDEX_CASE = { listed: 1, movedOn: 0 } as const;

/** Every script's codes (release-attempt and ack-outbox answer counts, claim-unhandled activities: not codes). */
export const SCRIPT_CODES: Readonly<Record<ScriptName, Readonly<Record<string, number>>>> = {
  lodgeCase: LODGE_CASE,
  updateCase: UPDATE_CASE,
  reserveAttempt: RESERVE_ATTEMPT,
  releaseAttempt: {},
  replaceSecondFactors: REPLACE_SECOND_FACTORS,
  writeStateBefore: WRITE_STATE_BEFORE,
  writeStateIfUnchanged: WRITE_STATE_IF_UNCHANGED,
  appendActivity: APPEND_ACTIVITY,
  claimUnhandled: {},
  ackOutbox: {},
  claimStaffEffect: CLAIM_STAFF_EFFECT,
  finishStaffEffect: FINISH_STAFF_EFFECT,
  releaseHold: RELEASE_HOLD,
  rescheduleCase: RESCHEDULE_CASE,
  rewrapDataKey: REWRAP_DATA_KEY,
  eraseCase: ERASE_CASE,
  reindexCase: REINDEX_CASE,
  queueSlice: {},
  caseFacts: {},
};
