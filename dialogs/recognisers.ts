/**
 * Understanding short free-text answers: what someone wants from the menu, whether they are
 * asking for help, to stop or for a person, yes or no, which service a complaint is about, and
 * words that suggest someone is at risk. Plain functions over the text, so each is easy to test
 * and the conversation reads the same on every channel.
 */

/** Text as compared: lower case, no zero-width or direction marks, apostrophes and spaces plain. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/[’‘`]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The three things the bot does. */
export type MenuChoice = 'lodge' | 'status' | 'escalate';

/** Button labels, shared by the menu and its recogniser. */
export const MENU_LABELS: Readonly<Record<MenuChoice, string>> = {
  lodge: 'Make a complaint',
  status: 'Check on my complaint',
  escalate: 'Take my complaint further',
};

/**
 * What someone wants from the menu, in their own words. Escalation is tested first, because
 * "not happy with the reply" is about an existing complaint, not a new one.
 */
export function recogniseMenuChoice(text: string): MenuChoice | null {
  const said = normalise(text);
  for (const [choice, label] of Object.entries(MENU_LABELS) as [MenuChoice, string][]) {
    if (said === label.toLowerCase() || said === choice) return choice;
  }
  if (/^[1-3]\.?$/.test(said)) return (['lodge', 'status', 'escalate'] as const)[Number(said[0]) - 1] ?? null;
  if (/\b(escalat\w*|appeal|next stage|stage (2|3|two|three)|review panel|ombudsman|take (it|this|my complaint) further|go further)\b/.test(said)
    || /\b(not|un) ?(happy|satisfied|pleased) with (the|their|your|this|that) (reply|response|answer|outcome|decision|letter)\b/.test(said)
    || /\b(reply|response|answer) (was|is) (not good enough|rubbish|wrong|useless)\b/.test(said)) return 'escalate';
  if (/\b(status|progress|update|track|where is|where's|what's happening|what is happening|check (on )?(my|a|the)|heard back|hear back|reference)\b/.test(said)) return 'status';
  if (/\b(complain\w*|make a complaint|report|not happy|unhappy|dissatisfied|problem with|issue with)\b/.test(said)) return 'lodge';
  return null;
}

/** Requests that can interrupt any question. */
export type Interruption = 'help' | 'cancel' | 'person';

/**
 * A request to interrupt, but only when that is the whole message: "help" is a request for
 * help, while "the school did not help my son" is an answer.
 */
export function recogniseInterruption(text: string): Interruption | null {
  const said = normalise(text).replace(/[.!?]+$/, '').replace(/^(please|can i|can you|i want to|i'd like to|i would like to) /, '');
  if (said.split(' ').length > 6) return null;
  if (/^(help|help me|help please|\?+|what do you mean|i don't understand|i do not understand|what does that mean|explain)$/.test(said)) return 'help';
  if (/^(cancel|stop|quit|exit|start again|start over|restart|go back to the start|main menu|menu|never ?mind|forget it)$/.test(said)) return 'cancel';
  if (/^(talk|speak|chat) (to|with) (a|an|some|real)? ?(person|human|someone|somebody|agent|advisor|adviser|officer)$|^(human|agent|real person|a person|operator|someone real|call me)$/.test(said)) return 'person';
  return null;
}

/** Yes or no, from the many ways people say them; null when neither. */
export function recogniseYesNo(text: string): boolean | null {
  const said = normalise(text).replace(/[.!?,]+/g, '').trim();
  if (/^(y|yes|yeah|yep|yup|ok|okay|sure|correct|right|that's right|that is right|yes please|please do|go ahead|send|send it|agree|i agree|i do|true|👍)( please| thanks| thank you)?$/.test(said)) return true;
  if (/^(n|no|nope|nah|not right|wrong|that's wrong|that is wrong|no thanks|no thank you|i don't|i do not|don't|do not|disagree|i disagree|false|👎)$/.test(said)) return false;
  return null;
}

/** Which procedure a description points to, if it clearly points to one. */
export function recogniseProcedure(text: string): 'nhs-choices' | 'la-childrens-services' | 'nhs-health' | 'other' | null {
  const said = normalise(text);
  if (/^(1|a)$/.test(said)) return 'nhs-choices';
  if (/^(2|b)$/.test(said)) return 'la-childrens-services';
  if (/^(3|c)$/.test(said)) return 'nhs-health';
  if (/^(4|d)$/.test(said) || /\b(something else|none of (these|them|those)|other)\b/.test(said)) return 'other';
  if (/\b(ehc|education,? health and care|health plan|therapy|therapist|speech and language|camhs|hospital|nhs trust|physio|occupational|health visitor|nurse|paediatric|icb|integrated care board|ccg)\b/.test(said)) return 'nhs-health';
  if (/\b(website|web site|nhs\.uk|nhs choices|online|web ?page|the site|app|article|health a-z)\b/.test(said)) return 'nhs-choices';
  if (/\b(social work\w*|social care|children's services|childrens services|council|foster\w*|care plan|child protection|looked after|in care|family support|care leaver)\b/.test(said)) return 'la-childrens-services';
  return null;
}

/**
 * Words that suggest someone may be at risk of harm now. Deliberately broad: showing where to
 * get help when it was not needed costs a moment; missing it could cost far more.
 */
const AT_RISK = [
  /\b(abus(e|ed|ing|ive)|assault\w*|rape\w*|sexual(ly)? (abus\w*|touch\w*|assault\w*))\b/,
  /\b(hit(s|ting)?|beat(s|ing|en)?|hurt(s|ing)?|punch\w*|kick\w*|slap\w*|burn(s|t|ed|ing)?|chok\w*|strangl\w*) (me|him|her|them|us|my (son|daughter|child|baby|kids?|children))\b/,
  /\b(not safe|unsafe|in danger|at risk|scared (to go )?home|afraid (to go )?home|threaten\w*|neglect\w*|starv\w*|left alone)\b/,
  /\b(kill (myself|himself|herself|themselves)|suicid\w*|end (my|his|her) life|self[- ]harm\w*|harm(ing)? (myself|himself|herself)|want to die|don't want to live|overdose)\b/,
];

/** Whether a message suggests a child or adult may be at risk of harm. */
export function suggestsRiskOfHarm(text: string): boolean {
  const said = normalise(text);
  return AT_RISK.some((pattern) => pattern.test(said));
}
