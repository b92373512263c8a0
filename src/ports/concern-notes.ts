/**
 * What was said when a safeguarding concern was raised before there was a case. The channel's
 * post about it says only that there is one (everyone in the team reads the channel); staff see
 * the words in its place, read from here, so they must be kept beside the stores.
 */

/** A concern's words, kept for staff by the concern's id. */
export interface KeptConcern {
  readonly id: string;
  readonly note: string;
  readonly raisedAt: string;
}

/** Where the words of concerns raised before there was a case are kept for staff. */
export interface ConcernNotes {
  /** Keeps a concern's words (keeping the same concern again changes nothing). */
  keep(concern: KeptConcern): Promise<void>;
  /** The concern's words, or null when there are none under that id. */
  find(id: string): Promise<KeptConcern | null>;
}
