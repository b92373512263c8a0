/**
 * Reading contact details from what someone typed: an email address and/or a UK phone number,
 * in any of the ways people write them. Each is checked (the email with zod), and the answer
 * says what was wrong so the reply can help put it right.
 */
import { z } from 'zod';

/** What was found in a message. */
export interface ContactDetails {
  readonly email: string | null;
  /** International form: +447700900123. */
  readonly phone: string | null;
  /** Why something that looked like an email or number was not accepted. */
  readonly problems: readonly string[];
}

const emailSchema = z.email();
const EMAIL_LIKE = /[^\s<>(),;:"']+@[^\s<>(),;:"']+/g;
const PHONE_LIKE = /(?:\+|00)?[\d(][\d\s().-]{6,}\d/g;

/**
 * A UK number in international form, or why it is not one. Numbers for emergencies and
 * premium-rate lines are not contact numbers.
 * @example ukPhone('07700 900123') // { phone: '+447700900123' }
 */
function ukPhone(text: string): { phone: string } | { problem: string } {
  let digits = text.replace(/[^\d+]/g, '');
  if (digits.startsWith('+44')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('44') && digits.length >= 12) digits = `0${digits.slice(2)}`;
  else if (digits.startsWith('+') || digits.startsWith('00'))
    return { problem: `${text.trim()} is not a UK number; please give a UK phone number or an email address` };
  digits = digits.replace(/^00/, '0').replace(/^0\(?0\)?/, '0');
  if (!digits.startsWith('0')) return { problem: `${text.trim()} needs its area code or to start with 0, like 07700 900123` };
  if (/^0(9|118|999)/.test(digits)) return { problem: `${text.trim()} is not a number we can use to contact you` };
  if (!/^0[1-8]\d{8,9}$/.test(digits)) return { problem: `${text.trim()} does not have the right number of digits for a UK phone number` };
  return { phone: `+44${digits.slice(1)}` };
}

/** A UK phone number, checked and turned into international form (or an issue saying what is wrong). */
const ukPhoneSchema = z.string().transform((text, ctx) => {
  const result = ukPhone(text);
  if ('problem' in result) {
    ctx.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  }
  return result.phone;
});

/** Finds an email address and a UK phone number in a message. */
export function readContactDetails(text: string): ContactDetails {
  const problems: string[] = [];
  let email: string | null = null;
  for (const candidate of text.match(EMAIL_LIKE) ?? []) {
    const trimmed = candidate.replace(/[.!?]+$/, '');
    if (emailSchema.safeParse(trimmed).success && trimmed.length <= 320) {
      email ??= trimmed;
    } else {
      problems.push(`${trimmed} does not look like a complete email address`);
    }
  }
  let phone: string | null = null;
  const withoutEmails = text.replace(EMAIL_LIKE, ' ');
  for (const candidate of withoutEmails.match(PHONE_LIKE) ?? []) {
    const result = ukPhoneSchema.safeParse(candidate);
    if (result.success) phone ??= result.data;
    else problems.push(result.error.issues[0]?.message ?? `${candidate.trim()} is not a UK phone number`);
  }
  return { email, phone, problems };
}
