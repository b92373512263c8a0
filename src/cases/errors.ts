/**
 * Errors the case store raises, named after the rule they enforce. Each carries what the caller
 * needs to act (retry on fresh data, tell the person honestly, wait), never personal data.
 */
import type { CaseReference } from './reference.js';

/** Someone else changed the case first; re-read it and decide again. */
export class CaseConflict extends Error {
  override readonly name = 'CaseConflict';
  constructor(
    readonly reference: CaseReference,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Case ${reference} is at version ${actualVersion}, not ${expectedVersion}: it was changed by someone else`);
  }
}

/** No case has this reference. */
export class UnknownReference extends Error {
  override readonly name = 'UnknownReference';
  constructor(readonly reference: string) {
    super(`No case has reference ${reference}`);
  }
}

/**
 * The store cannot be reached or did not answer in time. Nothing was changed, or the change was
 * made whole: callers tell the person "we could not save this, please try again".
 */
export class StorageUnavailable extends Error {
  override readonly name = 'StorageUnavailable';
  constructor(
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`Storage is unavailable (${operation})`, options);
  }
}

/** A case or event did not satisfy the schema (on write: refused; on read: a damaged record). */
export class InvalidCaseData extends Error {
  override readonly name = 'InvalidCaseData';
  constructor(
    readonly when: 'write' | 'read',
    readonly problems: readonly string[],
  ) {
    super(`Case data is invalid on ${when}: ${problems.join('; ')}`);
  }
}

/**
 * An event of a case whose personal data were erased after it was written: it was sealed with
 * the case's old data key, which went with the data, so there is nothing left to deliver.
 */
export class ErasedCaseEvent extends Error {
  override readonly name = 'ErasedCaseEvent';
  constructor(readonly reference: string) {
    super(`An event of case ${reference} cannot be delivered: its personal data were erased`);
  }
}
