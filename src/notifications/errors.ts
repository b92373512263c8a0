/**
 * Why an email or text could not go yet. Both are "try again later" to a worker (only
 * `ContactRefused` in the port means never); they are named so a log line says which it was, and
 * neither keeps the provider's own error, whose request holds the address or number.
 */
import type { ContactChannel } from '../ports/complainant-mailer.js';

/** Who carries a message. */
export type ContactProvider = 'notify' | 'smtp';

const PROVIDER_NAMES: Readonly<Record<ContactProvider, string>> = { notify: 'GOV.UK Notify', smtp: 'The SMTP server' };

/** The provider could not take the message now (unreachable, rate-limited, its own fault): try again later. */
export class ContactDeferred extends Error {
  override readonly name = 'ContactDeferred';
  constructor(
    readonly provider: ContactProvider,
    readonly channel: ContactChannel,
    readonly reason: string,
  ) {
    super(`${PROVIDER_NAMES[provider]} did not take the ${channel === 'sms' ? 'text message' : 'email'} (${reason}); it will be tried again`);
  }
}

/**
 * The provider refused our own credentials (Notify's 403, SMTP's 535): every message fails until
 * someone corrects `setting`. Not `ContactRefused`, so messages wait in their retries for the fix
 * instead of being dropped; the message says loudly what to change.
 */
export class ProviderCredentialsRefused extends Error {
  override readonly name = 'ProviderCredentialsRefused';
  constructor(
    readonly provider: ContactProvider,
    readonly setting: string,
    readonly reason: string,
  ) {
    super(`${PROVIDER_NAMES[provider]} refused the credentials in ${setting} (${reason}): no email or text goes until ${setting} is corrected`);
  }
}

const EMAIL_ADDRESS = /[^\s<>(),;:"'[\]]+@[^\s<>(),;:"'[\]]+/g;
const DIGIT_RUN = /\+?\d[\d\s().-]{7,}\d/g;

/**
 * A provider's words with any email address or phone number taken out: servers echo the
 * recipient ("550 <ann@example.org>: no such user"), and these reasons end up in logs.
 * @example withoutContactDetails('550 <ann@example.org>: no such user') // '550 <[recipient]>: no such user'
 */
export function withoutContactDetails(text: string): string {
  // Nine digits or more is a phone number; fewer is a status code ("550 5.1.1") or a count.
  const withoutAddresses = text.replace(EMAIL_ADDRESS, '[recipient]');
  return withoutAddresses.replace(DIGIT_RUN, (run) => (run.replace(/\D/g, '').length >= 9 ? '[number]' : run)).slice(0, 500);
}
