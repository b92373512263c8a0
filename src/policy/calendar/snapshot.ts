/**
 * The shipped bank-holiday snapshot: GOV.UK's own data shape, plus what the rulebook needs to
 * defend a date later (which version computed it, and how far the data reaches).
 */
import { z } from 'zod';
import { isLocalDate } from './local-date.js';

// The type guard narrows the output to LocalDate.
const isoDate = z.string().refine(isLocalDate, { message: 'must be a real date in the form YYYY-MM-DD' });

/** One event as GOV.UK publishes it at https://www.gov.uk/bank-holidays.json. */
export const bankHolidayEventSchema = z.object({
  title: z.string().min(1),
  date: isoDate,
  notes: z.string(),
  bunting: z.boolean(),
});

/** One bank holiday in GOV.UK's shape. */
export type BankHolidayEvent = z.output<typeof bankHolidayEventSchema>;

/** One division of GOV.UK's document ("england-and-wales", "scotland", "northern-ireland"). */
export const bankHolidayDivisionSchema = z.object({
  division: z.string().min(1),
  events: z.array(bankHolidayEventSchema),
});

/** GOV.UK's whole document: divisions keyed by name. */
export const govUkBankHolidaysSchema = z.record(z.string(), bankHolidayDivisionSchema);

/**
 * Years after GOV.UK's list whose bank holidays are computed from the fixed rules
 * (computed-bank-holidays.ts), through `throughYear`, with a sentence saying so for a reviewer.
 */
export const computedExtensionSchema = z.object({
  throughYear: z.number().int().min(1583).max(9999),
  rule: z.string().min(1),
});

/** The snapshot file the rulebook ships with (src/policy/calendar/data/). */
export const calendarSnapshotSchema = z
  .object({
    calendar: z.string().min(1),
    version: z.string().min(1),
    source: z.string().min(1),
    retrieved: isoDate,
    timeZone: z.string().min(1),
    coversFrom: isoDate,
    coversThrough: isoDate,
    computedExtension: computedExtensionSchema.optional(),
    notes: z.string(),
    division: bankHolidayDivisionSchema,
  })
  .superRefine((snapshot, ctx) => {
    if (snapshot.coversFrom > snapshot.coversThrough) {
      ctx.addIssue({ code: 'custom', path: ['coversThrough'], message: 'must not be before coversFrom' });
    }
    // Computed years are whole years, so they can only follow a list that ends with its year.
    if (snapshot.computedExtension && !snapshot.coversThrough.endsWith('-12-31')) {
      ctx.addIssue({ code: 'custom', path: ['coversThrough'], message: 'must be 31 December when computedExtension is given' });
    }
    const seen = new Set<string>();
    snapshot.division.events.forEach((event, index) => {
      if (event.date < snapshot.coversFrom || event.date > snapshot.coversThrough) {
        ctx.addIssue({
          code: 'custom',
          path: ['division', 'events', index, 'date'],
          message: `${event.date} is outside the coverage ${snapshot.coversFrom} to ${snapshot.coversThrough}`,
        });
      }
      if (seen.has(event.date)) {
        ctx.addIssue({ code: 'custom', path: ['division', 'events', index, 'date'], message: `${event.date} is listed twice` });
      }
      seen.add(event.date);
    });
  });

/** A parsed, checked snapshot. */
export type CalendarSnapshot = z.output<typeof calendarSnapshotSchema>;
