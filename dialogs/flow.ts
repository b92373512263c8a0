/**
 * A part of the conversation (the questions about who is complaining, finding a case, …) as the
 * dialogs it is made of, added straight to the root dialog's set rather than wrapped in a
 * ComponentDialog of its own. A flow is begun by its id, like any dialog, and ends with its
 * answer, as a component would. Nesting components cost every turn a dialog context, a chain of
 * awaits and a level of saved state per component (the questions about who was complaining sat
 * three components deep); flat, the whole conversation is one dialog stack under the root.
 * Each flow lives in a file named after it (`who-flow.ts` exports `WhoFlow`); only the root,
 * a ComponentDialog, is a `-dialog.ts`.
 */
import type { ComponentDialog, Dialog } from 'botbuilder-dialogs';
import { answerPrompt, yesNoPrompt } from './prompts.js';

/** The dialogs of one part of the conversation. */
export interface DialogFlow {
  /** Its dialogs: the first is the one begun by the flow's id; the others are its own prompts. */
  readonly dialogs: readonly Dialog[];
}

/**
 * Adds the flows' dialogs, and the plain answer and yes-or-no prompts they all ask with, to a
 * container. Two dialogs with one id would be a mistake that Bot Framework hides (it renames the
 * second, so beginning it by its id finds the first): here it is an error at start-up.
 */
export function addFlows(container: ComponentDialog, flows: readonly DialogFlow[]): void {
  for (const dialog of [answerPrompt(), yesNoPrompt(), ...flows.flatMap((flow) => flow.dialogs)]) {
    if (container.findDialog(dialog.id) !== undefined) throw new Error(`Two dialogs have the id "${dialog.id}"`);
    container.addDialog(dialog);
  }
}
