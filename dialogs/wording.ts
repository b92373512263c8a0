/**
 * Words and formatting shared by the dialogs: how to repeat a person's own text safely, how to
 * read a reference aloud, and the names of things as the public knows them.
 */
import { type Activity, ActionTypes, MessageFactory } from 'botbuilder';
import type { CaseReference } from '../src/cases/reference.js';
import { formatReference } from '../src/cases/reference.js';

/**
 * A person's own words, safe to repeat in a message: Markdown and HTML have no effect, so what
 * they typed appears exactly as typed (and nobody can smuggle a link or formatting in).
 */
export function literal(text: string): string {
  return (
    text
      .replace(/[\\`*_[\]<>#|~&]/g, (character) => `\\${character}`)
      // A line starting "- ", "+ " or "1. " would become a list.
      .replace(/^(\s*)([-+])(\s)/gm, '$1\\$2$3')
      .replace(/^(\s*)(\d+)([.)])(\s)/gm, '$1$2\\$3$4')
  );
}

/** A person's words, shortened for a summary, and made literal. */
export function excerpt(text: string, max = 280): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return literal(clean.length > max ? `${clean.slice(0, max - 1)}…` : clean);
}

/** A reference as shown and as said: "**K7M-4QX-P2C** (that's K 7 M, 4 Q X, P 2 C)". */
export function referenceInWords(reference: CaseReference): string {
  const grouped = formatReference(reference);
  return `**${grouped}** (that's ${grouped
    .split('-')
    .map((group) => Array.from(group).join(' '))
    .join(', ')})`;
}

/** A message with buttons that send their own label when pressed (works in Web Chat and Teams). */
export function withButtons(text: string, buttons: readonly string[]): Partial<Activity> {
  const message = MessageFactory.suggestedActions(
    buttons.map((label) => ({ type: ActionTypes.ImBack, title: label, value: label })),
    text,
  );
  message.inputHint = 'expectingInput';
  return message;
}

/** How each procedure is described to the public. */
export const PROCEDURE_TOPIC: Readonly<Record<string, string>> = {
  'nhs-choices': 'the NHS website',
  'la-childrens-services': "children's social care from the council",
  'nhs-health': 'NHS health services in an EHC plan',
};

/** "1 working day", "12 working days". */
export function workingDays(count: number): string {
  return `${count} working ${count === 1 ? 'day' : 'days'}`;
}
