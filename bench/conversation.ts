/**
 * The conversation the benchmark holds with the bot, turn by turn: a person opens the chat and
 * lodges a complaint about children's social care (as in the widget's end-to-end test), from the
 * greeting to the reference. Each conversation is a different person with its own conversation
 * id; activities reach the bot as a channel posts them to /api/messages.
 */
import { randomUUID } from 'node:crypto';

/** One turn: what the person does, and what the bot says when it went as planned. */
export interface ScriptedTurn {
  /** A short name for tables. */
  readonly name: string;
  /** Text the person sends; absent for the conversationUpdate that opens the chat. */
  readonly text?: string;
  /** A reply the bot gives at this step, when the conversation is on script. */
  readonly expect: RegExp;
}

/** The lodging conversation: a greeting, twelve answers, and "Send complaint". */
export const LODGING: readonly ScriptedTurn[] = [
  { name: 'greeting (chat opened)', expect: /What would you like to do\?/ },
  { name: 'make a complaint', text: 'I want to make a complaint', expect: /First, what is your complaint about\?/ },
  { name: 'which service', text: "children's social care", expect: /Are you making this complaint for yourself, or for someone else\?/ },
  { name: 'for whom', text: 'For myself', expect: /And what is your name\?/ },
  { name: 'name', text: 'Sam Taylor', expect: /Please tell me what happened/ },
  { name: 'what happened', text: 'The social worker cancelled three visits and nobody called back.', expect: /When did this happen\?/ },
  { name: 'when (a date)', text: 'last Tuesday', expect: /So that was Tuesday \d{1,2} \w+ \d{4}\. Is that right\?/ },
  { name: 'date confirmed', text: 'yes', expect: /What would you like to happen to put things right\?/ },
  { name: 'outcome wanted', text: 'An apology', expect: /How can the team contact you/ },
  { name: 'email', text: 'sam@example.org', expect: /Do you need anything to help you take part/ },
  { name: 'adjustments', text: 'no', expect: /An advocate can help you/ },
  { name: 'advocacy', text: 'no', expect: /Before I send your complaint, please read this/ },
  { name: 'consent', text: 'yes', expect: /Here’s your complaint\. Please check it\./ },
  { name: 'send (lodges the case)', text: 'Send complaint', expect: /Your reference is \*{0,2}[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}/ },
];

/** The index of the turn that writes the case. */
export const LODGING_TURN = LODGING.length - 1;

/** What the echo baseline says to a message, and to someone arriving. */
export const ECHO_GREETING = 'Hello and welcome!';

/** Text in a reply that means the conversation was lodged. */
export const REFERENCE_MARK = 'Your reference is';

/** Text in a reply that means the bot failed the turn and apologised. */
export const APOLOGY_MARK = 'something went wrong on our side';

/** The ids that make one conversation a different person's. */
export interface ConversationIds {
  readonly conversation: string;
  readonly user: string;
}

/**
 * Ids for a new conversation, shaped like the Bot Framework Emulator's (UUIDs), so that state
 * which keeps ids (the recent activity ids) is as big as it would be for real.
 */
export function newConversationIds(): ConversationIds {
  return { conversation: `${randomUUID()}|livechat`, user: randomUUID() };
}

/** The activity a channel posts for `turn` of a conversation, as JSON text. */
export function activityBody(turn: ScriptedTurn, ids: ConversationIds, serviceUrl: string): string {
  const common = {
    id: randomUUID(),
    channelId: 'emulator',
    serviceUrl,
    locale: 'en-GB',
    timestamp: new Date().toISOString(),
    from: { id: ids.user, name: 'User', role: 'user' },
    recipient: { id: 'bot', name: 'Bot', role: 'bot' },
    conversation: { id: ids.conversation },
  };
  if (turn.text === undefined) {
    return JSON.stringify({ ...common, type: 'conversationUpdate', membersAdded: [{ id: 'bot' }, { id: ids.user }] });
  }
  return JSON.stringify({ ...common, type: 'message', text: turn.text });
}
