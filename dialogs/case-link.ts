/**
 * A conversation's link to its case, once the person has lodged one here or proved one is
 * theirs. Through it, what they write for the staff handling the case goes to them (into the
 * case's Teams thread), and staff messages that could not reach them when sent are shown the
 * next time they write. Which messages are for staff is the root dialog's decision (see
 * `MainDialog.route`); this file knows whether a message answers a staff message just received.
 */
import type { TurnContext } from 'botbuilder';
import { updateCase } from '../src/cases/case-store.js';
import { StorageUnavailable } from '../src/cases/errors.js';
import { formatReference, type CaseReference } from '../src/cases/reference.js';
import { messageFromComplainant } from '../src/cases/transitions/complainant-message.js';
import { keptMessagesShown } from '../src/cases/transitions/kept-messages-shown.js';
import { linkConversation } from '../src/cases/transitions/link-conversation.js';
import { isRefusal } from '../src/cases/transitions/transition.js';
import { type ComplaintDialogPorts, logOf } from './ports.js';
import { causedBy, storedReferenceOf } from './turn.js';

/** The history line when a case starts sending replies to a new chat. */
export { CONVERSATION_LINKED } from '../src/cases/transitions/link-conversation.js';

/**
 * How long after a staff message reaches the chat what the person writes is taken as their reply
 * to it, without asking. Long enough to read the message and answer it in the same sitting;
 * after that, asking "Shall I send this?" costs one click.
 */
const REPLY_WINDOW_MS = 2 * 60 * 60 * 1000;

/** Marks a turn in which kept staff messages were shown: what the person typed was written before seeing them. */
const KEPT_SHOWN = Symbol('kept staff messages shown this turn');

/**
 * Links the conversation to the case, and makes sure the case can reach this conversation (so a
 * staff reply arrives here even when the complaint was made in another chat).
 */
export async function linkCase(ports: ComplaintDialogPorts, context: TurnContext, reference: CaseReference): Promise<void> {
  (await ports.memory.get(context, {})).caseLink = reference;
  const here = storedReferenceOf(context);
  if (!here) return;
  const now = ports.clock.now();
  try {
    await updateCase(ports.cases, reference, causedBy(context, 'link-conversation', now.toISOString()), (current) => {
      const linked = linkConversation(current.case, { conversation: here }, { now });
      return isRefusal(linked) ? null : linked;
    });
  } catch (error) {
    // Replies will still reach the earlier chat, or wait on the case; not worth failing the turn for.
    if (!(error instanceof StorageUnavailable)) throw error;
    logOf(ports, context).warn('case-link.failed', { error: error.name });
  }
}

/** Names the relaying of the message this turn carries: relayed once, however often it (or its "Send") arrives. */
export function relayKey(ports: ComplaintDialogPorts, context: TurnContext): string {
  return causedBy(context, 'message-to-staff', ports.clock.now().toISOString());
}

/**
 * Passes what the person wrote to the staff handling their case, once per `key` (by default, this
 * turn's message). False if it could not be recorded.
 */
export async function passToStaff(
  ports: ComplaintDialogPorts,
  context: TurnContext,
  reference: CaseReference,
  text: string,
  key = relayKey(ports, context),
): Promise<PassedTo | null> {
  const now = ports.clock.now();
  let result;
  try {
    result = await updateCase(ports.cases, reference, key, (current) => messageFromComplainant(current.case, { text }, { now }));
  } catch (error) {
    if (!(error instanceof StorageUnavailable)) throw error;
    return null;
  }
  // Staff get it in the case's thread by the outbox: the message's event was saved with it.
  if (!result) return (await forgetIfErased(ports, context, reference)) ? 'erased-case' : null;
  const status = result.stored.case.status;
  return status === 'redirected' ? 'redirected-case' : status === 'closed' || status === 'withdrawn' ? 'closed-case' : 'open-case';
}

/**
 * Where a message was passed: to the team with an open case; to the team about a closed one (who
 * decide whether to reopen it); or about one passed to another organisation, which is not ours
 * to reopen.
 */
export type PassedTo = 'open-case' | 'closed-case' | 'redirected-case' | 'erased-case';

/**
 * Whether the case's personal data were erased (it takes nothing more); if so, this chat no
 * longer points at it. Read only when a change to it was not made, so ordinary turns pay nothing.
 */
async function forgetIfErased(ports: ComplaintDialogPorts, context: TurnContext, reference: CaseReference): Promise<boolean> {
  const stored = await ports.cases.get(reference).catch((error: unknown) => {
    if (error instanceof StorageUnavailable) return null;
    throw error;
  });
  if (!stored?.case.erased) return false;
  const memory = await ports.memory.get(context, {});
  if (memory.caseLink === reference) delete memory.caseLink;
  if (memory.verifiedReference === reference) delete memory.verifiedReference;
  return true;
}

/** Shows staff messages that were kept because this person's chat could not be reached, then clears them. */
export async function showKeptMessages(ports: ComplaintDialogPorts, context: TurnContext): Promise<void> {
  const reference = (await ports.memory.get(context, {})).caseLink;
  if (!reference) return;
  try {
    const stored = await ports.cases.get(reference);
    const waiting = stored?.case.undelivered ?? [];
    if (!stored || waiting.length === 0) return;
    for (const message of waiting) await context.sendActivity(message.text);
    context.turnState.set(KEPT_SHOWN, true);
    const shown = new Set(waiting.map((message) => message.id));
    const now = ports.clock.now();
    await updateCase(ports.cases, reference, causedBy(context, 'kept-messages-shown', now.toISOString()), (current) => {
      const cleared = keptMessagesShown(current.case, { ids: [...shown] }, { now });
      return isRefusal(cleared) ? null : cleared;
    });
  } catch (error) {
    if (!(error instanceof StorageUnavailable)) throw error;
    logOf(ports, context).warn('kept-messages.failed', { error: error.name });
  }
}

/**
 * Whether what the person writes now answers a staff message: one reached this chat (the case's
 * latest, where staff messages go) after `since`, when the bot last asked something of its own,
 * and within `REPLY_WINDOW_MS`. A staff message kept and shown only this turn does not count:
 * the person wrote before they saw it.
 */
export async function isReplyToStaff(ports: ComplaintDialogPorts, context: TurnContext, reference: CaseReference, since: string | undefined): Promise<boolean> {
  if (since === undefined || context.turnState.get(KEPT_SHOWN) === true) return false;
  const after = Math.max(Date.parse(since), ports.clock.now().getTime() - REPLY_WINDOW_MS);
  const here = storedReferenceOf(context);
  try {
    const stored = await ports.cases.get(reference);
    const latest = stored?.case.conversations.at(-1);
    if (!stored || !here || latest?.channelId !== here.channelId || latest.conversation.id !== here.conversation.id) return false;
    // Nothing has happened to the case since: no need to read its history.
    if (!(Date.parse(stored.case.updatedAt) > after)) return false;
    const history = await ports.cases.history(reference);
    return history.some((event) => event.type === 'message-relayed' && event.actor.kind === 'staff' && Date.parse(event.at) > after);
  } catch (error) {
    if (!(error instanceof StorageUnavailable)) throw error;
    return false;
  }
}

/** What the person is told when their words were passed on. */
export function passedOn(reference: CaseReference, to: PassedTo = 'open-case'): string {
  if (to === 'redirected-case') {
    return (
      `Thank you. Your complaint ${formatReference(reference)} was passed to another organisation, the right one to deal with it (we told ` +
      `you which when we passed it on), so it is with them now, not us. I’ve passed your message to our complaints team, who will reply here or ` +
      `by the contact details you gave. If you wanted something else, choose one of the buttons below.`
    );
  }
  if (to === 'erased-case') {
    return (
      `The records of complaint ${formatReference(reference)} have been erased, so I couldn’t pass your message on. If you’d like to raise ` +
      `something new, choose “Make a complaint” below, or contact the service desk.`
    );
  }
  if (to === 'closed-case') {
    return (
      `Thank you. Your complaint ${formatReference(reference)} is closed, so nobody is dealing with it now, but I’ve passed your message to the ` +
      `complaints team. They’ll read it and decide whether to reopen your complaint, and reply here or by the contact details you gave. If you ` +
      `wanted something else, choose one of the buttons below.`
    );
  }
  return (
    `Thank you. I’ve passed that to the team dealing with your complaint ${formatReference(reference)}. They’ll reply here, or by the contact ` +
    `details you gave. If you wanted something else, choose one of the buttons below.`
  );
}

/** What the person is told when they close the conversation ("no thats all thanks"), with the case this chat is linked to, if any. */
export function goodbye(reference: CaseReference | undefined): string {
  return reference
    ? `Thank you for getting in touch. Goodbye for now: the team dealing with your complaint ${formatReference(reference)} will reply here, or by the ` +
        `contact details you gave. If you need anything else, just type it here.`
    : 'Thank you for getting in touch. Goodbye for now. If you need anything else, just type it here.';
}
