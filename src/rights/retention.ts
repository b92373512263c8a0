/**
 * How long a finished complaint's records are kept before its personal data are erased
 * (RECORDS_KEPT_FOR): a number of years, months or days after the case was closed, redirected or
 * withdrawn. The NHS Records Management Code of Practice 2021 keeps complaint records for 10
 * years after closure; councils commonly keep them for 6. Outside local development it must be
 * set (it is what the privacy notice in the chat tells people), to the organisation's schedule.
 */

/** A retention period. */
export interface Retention {
  readonly amount: number;
  readonly unit: 'years' | 'months' | 'days';
  /** As people read it: "10 years". */
  readonly text: string;
}

// The public are told "<period> after the complaint is closed"; a setting that already says so reads the same.
const FORMAT = /^(\d{1,3})\s*(years?|y|months?|m|days?|d)(?:\s+after\s+(?:the\s+)?(?:complaint|case)\s+(?:is\s+|was\s+)?(?:closed|finished))?$/i;

/** Reads "10 years", "6y", "18 months", "90 days"; throws RangeError saying what is wanted. */
export function parseRetention(text: string): Retention {
  const match = FORMAT.exec(text.trim());
  const amount = Number(match?.[1] ?? NaN);
  if (!match?.[2] || !Number.isInteger(amount) || amount < 1) {
    throw new RangeError('RECORDS_KEPT_FOR must be a number of years, months or days, such as "10 years", "6 years" or "18 months"');
  }
  const letter = match[2].toLowerCase()[0];
  const unit = letter === 'y' ? 'years' : letter === 'm' ? 'months' : 'days';
  if ((unit === 'days' && amount < 30) || (unit === 'months' && amount > 1200) || (unit === 'years' && amount > 100)) {
    throw new RangeError('RECORDS_KEPT_FOR must be at least 30 days and at most 100 years');
  }
  return { amount, unit, text: `${String(amount)} ${amount === 1 ? unit.slice(0, -1) : unit}` };
}

/** The moment before which a case must have finished for its records to be erased now. */
export function retentionCutoff(now: Date, retention: Retention): Date {
  const cutoff = new Date(now.getTime());
  // Calendar arithmetic in UTC: an hour's difference across a clock change does not matter over years.
  if (retention.unit === 'years') cutoff.setUTCFullYear(cutoff.getUTCFullYear() - retention.amount);
  else if (retention.unit === 'months') cutoff.setUTCMonth(cutoff.getUTCMonth() - retention.amount);
  else cutoff.setUTCDate(cutoff.getUTCDate() - retention.amount);
  return cutoff;
}

/** The period as milliseconds from `now` (for an expiry Redis keeps). */
export function retentionMs(retention: Retention, now: Date = new Date()): number {
  return now.getTime() - retentionCutoff(now, retention).getTime();
}
