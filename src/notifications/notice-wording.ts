/**
 * The words of the emails and texts a complainant gets. They say what happened and where to read
 * it (the organisation's chat, with the case reference), never the complaint or a staff message:
 * those hold special-category data (health, care, children), and an inbox or a phone's lock screen
 * is not the place for them. An organisation that decides otherwise passes `content`, and only then
 * is it included. Nothing personal beyond the person's name goes in, and their name only in email.
 */
import type { ComplainantNotice } from '../cases/outbox-event.js';
import type { ComplainantMessage } from '../ports/complainant-mailer.js';

/** Who is writing and where the complainant reads more. */
export interface NoticeWordingContext {
  /** How the organisation is named mid-sentence: "the council", "NHS Choices". */
  readonly organisation: string;
  /** Where the complainant opens the chat and looks their complaint up. */
  readonly chatUrl: string;
  /** A number for people who cannot use the chat, if there is one. */
  readonly serviceDeskPhone: string | null;
}

/** What the words are made from: the message without its address. */
export type NoticeFacts = Pick<ComplainantMessage, 'notice' | 'reference' | 'name' | 'respondBy' | 'content'>;

/** An email's subject line and plain-text body. */
export interface EmailWording {
  readonly subject: string;
  readonly body: string;
}

/** The parts every notice is written from, so an email and a text never say different things. */
interface NoticeParts {
  readonly subject: string;
  /** What happened, in one or two sentences. */
  readonly happened: string;
  /** Introduces the content when it is allowed. */
  readonly contentLabel: string;
  /** Where to read more: "To read our response", finished by the chat's address. */
  readonly readMore: string;
}

const PARTS: Readonly<Record<ComplainantNotice, (facts: NoticeFacts, organisation: string) => NoticeParts>> = {
  acknowledgement: ({ reference, respondBy }, organisation) => ({
    subject: `We have received your complaint: ${reference}`,
    happened: `We have received your complaint to ${organisation}. Your reference is ${reference}.` + (respondBy ? ` We will respond by ${respondBy}.` : ''),
    contentLabel: 'What you told us:',
    readMore: 'To see your complaint or add to it',
  }),
  message: ({ reference }, organisation) => ({
    subject: `New message about your complaint ${reference}`,
    happened: `You have a new message about your complaint ${reference} to ${organisation}.`,
    contentLabel: 'The message says:',
    readMore: 'To read it and reply',
  }),
  response: ({ reference }, organisation) => ({
    subject: `Our response to your complaint ${reference}`,
    happened: `We have responded to your complaint ${reference} to ${organisation}.`,
    contentLabel: 'Our response:',
    readMore: 'To read our response and what you can do next',
  }),
  'deadline-changed': ({ reference, respondBy }, organisation) => ({
    subject: `New response date for your complaint ${reference}`,
    happened:
      `The date we will respond to your complaint ${reference} to ${organisation} has changed.` + (respondBy ? ` We will now respond by ${respondBy}.` : ''),
    contentLabel: 'What we said:',
    readMore: respondBy ? 'To see why' : 'To see the new date and why',
  }),
  redirected: ({ reference }, organisation) => ({
    subject: `Who can deal with your complaint ${reference}`,
    happened: `Your complaint ${reference} to ${organisation} needs to go to a different organisation.`,
    contentLabel: 'What we said:',
    readMore: 'To find out which one and what to do next',
  }),
  closed: ({ reference }, organisation) => ({
    subject: `Your complaint ${reference} is closed`,
    happened: `We have closed your complaint ${reference} to ${organisation}.`,
    contentLabel: 'What we said:',
    readMore: 'To see why and what you can do next',
  }),
  late: ({ reference }, organisation) => ({
    subject: `We are late with your complaint ${reference}`,
    happened: `We are sorry: ${organisation} has not met the date we owed you on your complaint ${reference}.`,
    contentLabel: 'What we said:',
    readMore: 'To see what you can do now',
  }),
  'window-closing': ({ reference }, organisation) => ({
    subject: `Time to take your complaint ${reference} further ends soon`,
    happened: `If you are not satisfied with the response to your complaint ${reference} to ${organisation}, the time to take it further ends soon.`,
    contentLabel: 'What we said:',
    readMore: 'To see the last day and how to ask',
  }),
};

/** Two text fragments of 153 characters: the length a text should keep to when it can. */
export const SHORT_TEXT_LENGTH = 306;
/** The most a text with content may run to (four fragments), well inside Notify's 918. */
const LONGEST_TEXT_LENGTH = 612;

/**
 * The email for a notice: a subject and a plain-text body.
 * @example emailWording({ notice: 'message', reference: 'ABC-DEF-GHJ', name: 'Ann', respondBy: null, content: null }, context).subject
 * // 'New message about your complaint ABC-DEF-GHJ'
 */
export function emailWording(facts: NoticeFacts, context: NoticeWordingContext): EmailWording {
  const parts = PARTS[facts.notice](facts, context.organisation);
  const name = facts.name?.replace(/\s+/g, ' ').trim();
  const paragraphs = [
    name ? `Dear ${name},` : 'Hello,',
    parts.happened,
    ...(facts.content === null ? [] : [`${parts.contentLabel}\n\n${facts.content.trim()}`]),
    `${parts.readMore}, go to ${context.chatUrl} and look up your complaint with your reference, ${facts.reference}.`,
    ...(context.serviceDeskPhone ? [`If you cannot use the chat, call ${context.serviceDeskPhone}.`] : []),
  ];
  return { subject: parts.subject, body: paragraphs.join('\n\n') };
}

/**
 * The text message for a notice: without content it keeps to two fragments unless the chat's
 * address is unusually long; content is shortened to keep the whole within four.
 * @example textWording({ notice: 'closed', reference: 'ABC-DEF-GHJ', name: null, respondBy: null, content: null }, context)
 * // 'We have closed your complaint ABC-DEF-GHJ to the council. To see why and what you can do next, go to https://… and give your reference.'
 */
export function textWording(facts: NoticeFacts, context: NoticeWordingContext): string {
  const parts = PARTS[facts.notice](facts, context.organisation);
  const ending = `${parts.readMore}, go to ${context.chatUrl} and give your reference.`;
  if (facts.content === null) return `${parts.happened} ${ending}`;
  const content = facts.content.replace(/\s+/g, ' ').trim();
  const room = LONGEST_TEXT_LENGTH - `${parts.happened} ${parts.contentLabel} "" ${ending}`.length;
  const shown = content.length <= room ? content : `${content.slice(0, Math.max(0, room - 3)).trimEnd()}...`;
  return `${parts.happened} ${parts.contentLabel} "${shown}" ${ending}`;
}

/** The words of one organisation's messages, with content only if the organisation allows it. */
export class NoticeWriter {
  constructor(
    private readonly context: NoticeWordingContext,
    private readonly contentAllowed: boolean,
  ) {}

  /** The email for a message. */
  email(facts: NoticeFacts): EmailWording {
    return emailWording(this.allowed(facts), this.context);
  }

  /** The text message for a message. */
  text(facts: NoticeFacts): string {
    return textWording(this.allowed(facts), this.context);
  }

  // Checked here as well as by whoever built the message, so one mistake upstream does not send
  // someone's complaint to an inbox the organisation decided it must not go to.
  private allowed(facts: NoticeFacts): NoticeFacts {
    return this.contentAllowed ? facts : { ...facts, content: null };
  }
}
