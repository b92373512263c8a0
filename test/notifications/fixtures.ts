/** A complainant's message and an organisation's wording, as the notification tests use them. */
import type { ComplainantMessage } from '../../src/ports/complainant-mailer.js';
import { NoticeWriter, type NoticeWordingContext } from '../../src/notifications/notice-wording.js';

/** The words of a complaint, which must not leave in an email or text unless allowed. */
export const COMPLAINT_WORDS = 'My mother was left without her medication for three days';

/** The council's chat and number. */
export const COUNCIL: NoticeWordingContext = {
  organisation: 'Exampleshire County Council',
  chatUrl: 'https://www.exampleshire.gov.uk/complaints',
  serviceDeskPhone: '0300 123 4567',
};

/** An acknowledgement by email with the complaint's words given, as a worker would build it. */
export function acknowledgement(overrides: Partial<ComplainantMessage> = {}): ComplainantMessage {
  return {
    id: 'K7M4QXP2C.1.0',
    channel: 'email',
    to: 'ann.example@example.org',
    notice: 'acknowledgement',
    reference: 'K7M-4QX-P2C',
    name: 'Ann Example',
    respondBy: 'Friday 4 December 2026',
    content: COMPLAINT_WORDS,
    ...overrides,
  };
}

/** The council's words, with or without content. */
export function councilWriter(contentAllowed: boolean): NoticeWriter {
  return new NoticeWriter(COUNCIL, contentAllowed);
}
