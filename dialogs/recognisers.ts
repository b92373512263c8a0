/**
 * Understanding short free-text answers: what someone wants from the menu, whether they are
 * asking for help, to stop or for a person, yes or no, which service a complaint is about, and
 * words that suggest someone is at risk. Plain functions over the text, so each is easy to test
 * and the conversation reads the same on every channel.
 */
import { stripInvisible } from '../src/text/clean-text.js';

/** Text as compared: lower case, no zero-width or direction marks, apostrophes and spaces plain. */
export function normalise(text: string): string {
  return stripInvisible(text.normalize('NFKC'))
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/[’‘`]/g, "'")
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The menu's choices, in the order it offers them (and numbers them, for "1" to "3"). */
const MENU_CHOICES = ['lodge', 'status', 'escalate'] as const;

/** The three things the bot does. */
export type MenuChoice = (typeof MENU_CHOICES)[number];

/** Button labels, shared by the menu and its recogniser. */
export const MENU_LABELS: Readonly<Record<MenuChoice, string>> = {
  lodge: 'Make a complaint',
  status: 'Check on my complaint',
  escalate: 'Take my complaint further',
};

/** A menu button (its label, as Web Chat and Teams send it back), and nothing else. */
export function recogniseMenuButton(text: string): MenuChoice | null {
  const said = normalise(text);
  for (const choice of MENU_CHOICES) {
    const label = MENU_LABELS[choice];
    if (said === label.toLowerCase()) return choice;
  }
  return null;
}

/**
 * What someone wants from the menu, in their own words. Escalation is tested first, because
 * "not happy with the reply" is about an existing complaint, not a new one.
 */
export function recogniseMenuChoice(text: string): MenuChoice | null {
  const said = normalise(text);
  for (const choice of MENU_CHOICES) {
    const label = MENU_LABELS[choice];
    if (said === label.toLowerCase() || said === choice) return choice;
  }
  if (/^[1-3]\.?$/.test(said)) return MENU_CHOICES[Number(said[0]) - 1] ?? null;
  if (
    /\b(escalat\w*|appeal|next stage|stage (2|3|two|three)|review panel|ombudsman|take (it|this|my complaint) further|go further)\b/.test(said) ||
    /\b(not|un) ?(happy|satisfied|pleased) with (the|their|your|this|that) (reply|response|answer|outcome|decision|letter)\b/.test(said) ||
    /\b(reply|response|answer) (was|is) (not good enough|rubbish|wrong|useless)\b/.test(said)
  )
    return 'escalate';
  if (/\b(status|progress|update|track|where is|where's|what's happening|what is happening|check (on )?(my|a|the)|heard back|hear back|reference)\b/.test(said))
    return 'status';
  if (/\b(complain\w*|make a complaint|report|not happy|unhappy|dissatisfied|problem with|issue with)\b/.test(said)) return 'lodge';
  return null;
}

/**
 * A request, in the person's own words, for one of the menu's things, strict enough to tell
 * apart from a message for the team once a complaint is made or found: "i want to make another
 * complaint", "where is my complaint up to", "can I take this further" are requests; "3" or "an
 * update on the visits" (answers to a staff question) are not.
 */
export function recogniseMenuRequest(text: string): MenuChoice | null {
  const said = normalise(text).replace(/[.!?]+$/, '');
  for (const choice of MENU_CHOICES) {
    const label = MENU_LABELS[choice];
    if (said === label.toLowerCase() || said === choice) return choice;
  }
  if (
    /\b(escalat\w*|appeal|ombudsman|review panel|next stage|stage (2|3|two|three) (review|investigation)|take (it|this|that|my complaint|things) further|go further)\b/.test(
      said,
    ) ||
    /\b(not|un) ?(happy|satisfied|pleased) with (the|their|your|this|that) (reply|response|answer|outcome|decision|letter)\b/.test(said)
  )
    return 'escalate';
  if (
    /\b(make|making|file|lodge|raise|start|submit|open|log|register|put in|do) (a|an|another|one more|a new|a second|a separate|a different|new) (complaint|one)\b/.test(
      said,
    ) ||
    /\b(another|new|second|separate|different|one more) complaint\b/.test(said) ||
    /^(i want to|i'd like to|i would like to|can i|could i|i need to|how do i|how can i) complain( about (something|someone) else)?$/.test(said)
  )
    return 'lodge';
  if (
    /\bwhere('s| is| has| are)\b.*\b(my|the|our|this) complaint\b|^where('s| is) (it|this|that) (up to|at)\b/.test(said) ||
    /\b(what's|what is|whats) (happening|going on) with (my|the|our|this) complaint\b/.test(said) ||
    /\b(status|progress|latest) (of|on|with) (my|the|our|this) complaint\b/.test(said) ||
    /\b(any|an) (news|update|updates|progress) (on|about|with) (my|the|our|this) complaint\b/.test(said) ||
    /\bcheck (on )?(my|the|our|this) complaint\b/.test(said) ||
    /\bhow('s| is) (my|the|our|this) complaint (going|getting on|doing)\b/.test(said)
  )
    return 'status';
  return null;
}

/**
 * Words that close a conversation and nothing more: "no thats all thanks", "thank you bye",
 * "that's everything". Every word must belong to a closing, so "thanks, but the visit was
 * cancelled again" is not one.
 */
const CLOSING_PHRASES = [
  "that's all",
  'thats all',
  'that is all',
  "that's everything",
  'thats everything',
  'that is everything',
  "that's it",
  'thats it',
  'that is it',
  "that'll do",
  'that will do',
  'nothing else',
  'nothing more',
  'no more',
  'all done',
  "i'm done",
  'im done',
  'all good',
  'all sorted',
  'all set',
  "i'm fine",
  'im fine',
  "i'm ok",
  'im ok',
  "i'm good",
  'im good',
  'for now',
  'for today',
  'for the moment',
  'i think',
  'at the moment',
  'right now',
  'thank you very much',
  'thank you so much',
  'thanks very much',
  'thanks so much',
  'thanks a lot',
  'many thanks',
  'much appreciated',
  'appreciate it',
  'thank you',
  'thankyou',
  'thanks',
  'thank u',
  'thanx',
  'thx',
  'ty',
  'cheers',
  'ta',
  'have a good day',
  'have a nice day',
  'have a good one',
  'take care',
  'see you',
  'see ya',
  'bye bye',
  'good bye',
  'goodbye',
  'bye',
  'no thank you',
  'no thanks',
  'no',
  'nope',
  'nah',
  'not now',
  'not today',
  'ok',
  'okay',
  'great',
  'brilliant',
  'lovely',
  'perfect',
  'cool',
  'fine',
  'done',
  'x',
  'xx',
];
// The phrases are letters, spaces and apostrophes only: nothing in them needs escaping.
const CLOSING = new RegExp(`^(?:(?:${CLOSING_PHRASES.join('|')})(?: |$))+$`);

/** Whether a message only closes the conversation (see `CLOSING_PHRASES`). */
export function recogniseClosing(text: string): boolean {
  // Closings are short; a cap keeps the phrase-by-phrase match quick on anything long.
  if (text.length > 120) return false;
  const said = normalise(text)
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return said !== '' && CLOSING.test(said);
}

/** Who a message for the team may name: "them", "the team", "my social worker"… */
const TEAM =
  '(them|the team|the complaints team|your team|the staff|staff|the manager|whoever|the (person|team) (dealing with|handling|looking (at|into)) ' +
  '(it|this|my complaint)|my (case ?worker|social worker|handler|case handler|contact))';
/** Polite openings before a request to pass something on. */
const ASKING = "((please|pls|plz|can you|could you|would you|will you|i want you to|i'd like you to|i would like you to) )?";
const FOR_STAFF = [
  new RegExp(`^${ASKING}(tell|ask|let|inform|remind|update|message|email) ${TEAM}\\b`),
  new RegExp(`^${ASKING}(pass|send|forward) (this|that|it|the following|a message)( on)?( to ${TEAM})?\\b`),
  new RegExp(`^(a |my )?(message|note|reply|answer|question) (for|to) ${TEAM}\\b`),
  /^(to|for|dear|hi|hello) (the )?(complaints )?team\b\s*[:,-]/,
];

/**
 * Whether a message says it is for the team handling the complaint: "tell them the visit was
 * cancelled", "please tell the team…", "message for the team: …", "can you let my social worker
 * know…", "pass this on…". Said to the bot, these need no confirming.
 */
export function addressedToStaff(text: string): boolean {
  const said = normalise(text);
  return FOR_STAFF.some((pattern) => pattern.test(said));
}

/** Requests that can interrupt any question. */
export type Interruption = 'help' | 'cancel' | 'restart' | 'person';

/**
 * A request to interrupt, but only when that is the whole message: "help" is a request for
 * help, while "the school did not help my son" is an answer. "Start again" restarts what the
 * person was doing; "cancel" stops it.
 */
export function recogniseInterruption(text: string): Interruption | null {
  const whole = normalise(text);
  if (/^\?+$/.test(whole)) return 'help';
  const said = whole.replace(/[.!?]+$/, '').replace(/^(please|can i|can you|i want to|i'd like to|i would like to) /, '');
  if (said.split(' ').length > 6) return null;
  if (/^(help|help me|help please|what do you mean|i don't understand|i do not understand|what does that mean|explain)$/.test(said)) return 'help';
  if (
    /^(start again|start over|start it again|begin again|restart|go back to the start|back to the start|start from the (beginning|start)|from the (beginning|start))$/.test(
      said,
    )
  )
    return 'restart';
  if (/^(cancel|stop|quit|exit|main menu|menu|never ?mind|forget it)$/.test(said)) return 'cancel';
  if (
    /^(talk|speak|chat) (to|with) (a|an|some|real)? ?(person|human|someone|somebody|agent|advisor|adviser|officer)$|^(human|agent|real person|a person|operator|someone real)$/.test(
      said,
    )
  )
    return 'person';
  return null;
}

/** "No problem" and friends start with "no" but mean yes. */
const NO_BUT_YES = 'no problem|no problems|not a problem|no worries|no objection|no objections|no bother';
const YES =
  `${NO_BUT_YES}|y|yes|yeah|yep|yup|ya|ok|okay|sure|correct|right|that's right|that is right|that's correct|that is correct|it is|it was|yes ` +
  `please|please do|go ahead|agree|i agree|i do|true|absolutely|definitely|👍`;
const NO =
  "n|no|nope|nah|not right|not quite|wrong|that's wrong|that is wrong|no thanks|no thank you|i don't|i do not|don't|do not|disagree|i " +
  'disagree|false|not really|👎';
const WHOLE_YES = new RegExp(`^(${YES})( please| thanks| thank you)?$`);
const WHOLE_NO = new RegExp(`^(${NO})$`);
/** Words that start an answer as a yes or a no, with more after them. */
const LEAD_YES = `${NO_BUT_YES}|yes|yeah|yep|yup|correct|that's right|that is right|that's correct|that is correct|right|ok|okay|sure`;
const LEAD_NO = 'no|nope|nah|not quite|not right|wrong';
const LEADING = new RegExp(`^(${LEAD_YES}|${LEAD_NO})\\b[\\s,;:.!-]+(.+)$`);

/** Yes or no, from the many ways people say them; null when neither. */
export function recogniseYesNo(text: string): boolean | null {
  return readYesNo(text).answer;
}

/**
 * Yes or no at the start of an answer, and what followed it: "yes it was" is yes; "no, it was
 * 4/4" is no, with "it was 4/4" as the rest (often the right answer, typed at once). An answer
 * that says both ("yes no") is neither.
 */
export function readYesNo(text: string): { readonly answer: boolean | null; readonly rest: string } {
  const said = normalise(text)
    .replace(/[.!?]+$/, '')
    .trim();
  const bare = said.replace(/[,;:]+/g, '').replace(/\s+/g, ' ');
  if (WHOLE_YES.test(bare)) return { answer: true, rest: '' };
  if (WHOLE_NO.test(bare)) return { answer: false, rest: '' };
  const leading = LEADING.exec(said);
  if (!leading?.[1] || !leading[2]) return { answer: null, rest: said };
  const first = !new RegExp(`^(${LEAD_NO})$`).test(leading[1]);
  const rest = leading[2].trim();
  // "yes no", "no yes": the rest contradicts the start.
  const restLead = readLeadOnly(rest);
  if (restLead !== null && restLead !== first) return { answer: null, rest: said };
  return { answer: first, rest: restLead === first && /^(y|yes|yeah|yep|no|n|nope|nah)$/.test(rest) ? '' : rest };
}

function readLeadOnly(text: string): boolean | null {
  const word = /^(\S+)/.exec(text)?.[1]?.replace(/[,;:.!]+$/, '') ?? '';
  if (/^(y|yes|yeah|yep|yup)$/.test(word)) return true;
  if (/^(n|no|nope|nah)$/.test(word)) return false;
  return null;
}

/** The procedures the topic question can lead to, and "other": none of ours. */
export type TopicChoice = 'nhs-choices' | 'la-childrens-services' | 'nhs-health' | 'la-adult-social-care' | 'la-corporate' | 'other';

/** The numbered choices of the topic question, in order (1 or a, 2 or b, ...). */
export const TOPIC_ORDER: readonly TopicChoice[] = ['nhs-choices', 'la-childrens-services', 'nhs-health', 'la-adult-social-care', 'la-corporate', 'other'];

const ADULT_CARE =
  /\b(adult social care|adult services|social care for (an? )?adults?|care home|nursing home|residential care|home care|homecare|carers? (visits?|came|didn'?t|did not)|care workers?|care package|package of care|care assessment|needs assessment|direct payments?|personal budget|carer'?s (assessment|support|allowance)|day centre|reablement|meals on wheels|(my|our) (elderly|older|disabled) (mum|dad|mother|father|parent|relative)|(elderly|older) (person|people|relative)|dementia)\b/;

const CHILDRENS_CARE =
  /\b(social work\w*|social care|children'?s services|childrens services|children'?s social care|foster\w*|child protection|looked after|in care|family support|care leaver|child in need|children'?s home)\b/;

/** Council services with no complaints procedure of their own in law (the Complaint Handling Code's ground). */
const COUNCIL_SERVICES =
  /\b(bins?|rubbish|recycling|refuse|waste|fly.?tipping|litter|street cleaning|council tax|business rates|benefits?|housing benefit|planning|planning permission|building control|parking|parking (ticket|fine|permit)|pcn|potholes?|roads?|pavements?|street ?lights?|libraries|library|leisure cent(re|er)s?|parks?|cemeter(y|ies)|noise|environmental health|licen[cs]es?|licensing|homeless\w*|housing (application|register|list)|school transport|blue badge|registrars?|council)\b/;

/** Which procedure a description points to, if it clearly points to one. */
export function recogniseProcedure(text: string): TopicChoice | null {
  const said = normalise(text);
  const numbered = /^([1-6]|[a-f])$/.exec(said)?.[1];
  if (numbered) return TOPIC_ORDER[/\d/.test(numbered) ? Number(numbered) - 1 : numbered.charCodeAt(0) - 97] ?? null;
  if (/\b(something else|none of (these|them|those)|other)\b/.test(said)) return 'other';
  if (
    /\b(ehc|education,? health and care|health plan|therapy|therapist|speech and language|camhs|hospital|nhs trust|physio|occupational|health visitor|nurse|paediatric|icb|integrated care board|ccg)\b/.test(
      said,
    )
  )
    return 'nhs-health';
  if (/\b(website|web site|nhs\.uk|nhs choices|online|web ?page|the site|app|article|health a-z)\b/.test(said)) return 'nhs-choices';
  // Care for an adult before children's social care: "social care" alone is about a child here, as it always was.
  if (ADULT_CARE.test(said)) return 'la-adult-social-care';
  if (CHILDRENS_CARE.test(said)) return 'la-childrens-services';
  if (COUNCIL_SERVICES.test(said)) return 'la-corporate';
  return null;
}

/**
 * Words that suggest someone may be at risk of harm now. Deliberately broad: showing where to
 * get help when it was not needed costs a moment; missing it could cost far more.
 */
const AT_RISK = [
  /\b(abus(e|ed|ing|ive)|assault\w*|rape\w*|sexual(ly)? (abus\w*|touch\w*|assault\w*))\b/,
  /\b(hit(s|ting)?|beat(s|ing|en)?|hurt(s|ing)?|punch\w*|kick\w*|slap\w*|burn(s|t|ed|ing)?|chok\w*|strangl\w*) (me|him|her|them|us|my (son|daughter|child|baby|kids?|children))\b/,
  // The passive too: "my son is being hurt", "she was hit".
  /\b(is|was|were|are|am|be|being|been|gets?|got|getting) (being )?(hit|beaten|hurt|punched|kicked|slapped|burn(ed|t)|choked|strangled|harmed|attacked|assaulted|battered|molested)\b/,
  /\b(not safe|unsafe|in danger|at risk|scared (to go )?home|afraid (to go )?home|threaten\w*|neglect\w*|starv\w*|left alone)\b/,
  /\b(kill (myself|himself|herself|themselves)|suicid\w*|end (my|his|her) life|self[- ]harm\w*|harm(ing)? (myself|himself|herself)|want to die|don't want to live|overdose)\b/,
];

/** Whether a message suggests a child or adult may be at risk of harm. */
export function suggestsRiskOfHarm(text: string): boolean {
  const said = normalise(text);
  return AT_RISK.some((pattern) => pattern.test(said));
}

/** Longer than this, an answer to a choice is more likely something else (the complaint pasted again) than a choice. */
const LONGEST_CHOICE = 200;

/**
 * Words that turn what follows them (or, with nothing after them, what came before: "phone is no
 * good") into what the person does not want.
 */
const NEGATOR =
  /\b(not|no|never|nor|neither|don't|dont|do not|doesn't|does not|didn't|did not|haven't|have not|hasn't|can't|cant|cannot|can not|won't|wont|will not|isn't|is not|wasn't|was not|without|rather than|instead of|hate|avoid|stop)\b/;
/** Whether an answer has a word in it that says no to something ("not now", "I don't need one"), beside "no problem" and the like. */
export function negates(text: string): boolean {
  return NEGATOR.test(normalise(text).replace(NOT_NEGATING, ' '));
}

/** Phrases with a negative word in them that negate nothing: "I wouldn't mind email", "no problem". */
const NOT_NEGATING = /\b((wouldn't|would not) mind|no (problems?|worries|bother)|not a problem)\b/g;
/** "Not sure", "either", "I don't mind": no choice made, whatever else is named ("not sure when it happened"). */
const UNDECIDED =
  /\b(not sure|unsure|don't know|do not know|dunno|no idea|idk|can't remember|cannot remember|don't remember|(don't|do not|dont) mind|doesn't matter|not (bothered|fussed)|whichever|either|both|no preference|you (choose|decide|pick))\b/;
/** Where one part of an answer ends and another begins: "no calls, email me", "not phone but email". */
const CLAUSE_BREAK = /[,;.!?:()\n]+|\b(?:but|though|although|however|so|and|because|cos|then)\b/;

/** The number of single-letter slips (a letter added, dropped, changed, or two swapped) between two words. */
function slips(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + same);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** How many slips a button's label can take and still be recognised: none in a short one, where a slip makes another word. */
function slipsAllowed(label: string): number {
  return label.length >= 12 ? 2 : label.length >= 6 ? 1 : 0;
}

/** One of a question's choices: its button, and the words that name it in a person's own words. */
export interface Choice {
  readonly label: string;
  /** Words that name this choice; a word is taken only when it is not negated. */
  readonly words?: RegExp;
  /** Key words recognised with one slip ("emial", "phnoe"); five letters or more, so a slip does not make another word. */
  readonly spellings?: readonly string[];
}

/**
 * Which of a question's choices an answer picks, or null when it cannot tell: its button
 * (pressed, typed, or typed with a slip: "by emial"), its number ("2"), or words naming exactly
 * one choice without negating it ("email, not phone" is email; "I don't want calls", "either",
 * "not sure" and "email or phone" are none). Long answers are not read as a choice.
 */
export function recogniseChoice<C extends string>(text: string, choices: Readonly<Record<C, Choice>>): C | null {
  if (text.length > LONGEST_CHOICE) return null;
  const said = normalise(text)
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (said === '') return null;
  const entries = Object.entries(choices) as [C, Choice][];
  const byNumber = /^(?:number |option )?(\d)$/.exec(said)?.[1];
  if (byNumber) return entries[Number(byNumber) - 1]?.[0] ?? null;
  const label = (choice: Choice): string => normalise(choice.label).replace(/[^\p{L}\p{N}' ]+/gu, '');
  const byLabel = entries.filter(([, choice]) => slips(said, label(choice)) <= slipsAllowed(label(choice)));
  if (byLabel.length === 1) return byLabel[0]?.[0] ?? null;
  return UNDECIDED.test(said) ? null : namedChoice(normalise(text), entries);
}

/** The one choice an answer names and does not negate, part by part ("no calls, email me"). */
function namedChoice<C extends string>(said: string, entries: readonly [C, Choice][]): C | null {
  const wanted = new Set<C>();
  for (const clause of said.replace(NOT_NEGATING, ' ').split(CLAUSE_BREAK)) {
    if (!clause.trim()) continue;
    const mentions: { choice: C; at: number }[] = [];
    for (const [id, choice] of entries) {
      if (choice.words) for (const match of clause.matchAll(new RegExp(choice.words.source, 'g'))) mentions.push({ choice: id, at: match.index });
      for (const word of clause.matchAll(/[\p{L}']+/gu)) {
        if (word[0].length >= 4 && choice.spellings?.some((spelling) => slips(word[0], spelling) <= 1)) mentions.push({ choice: id, at: word.index });
      }
    }
    const negation = NEGATOR.exec(clause)?.index;
    const after = negation === undefined ? [] : mentions.filter((mention) => mention.at > negation);
    // "email not phone": what follows the negation is not wanted. "phone is no good": nothing follows, so what came before is not.
    const kept = negation === undefined ? mentions : after.length > 0 ? mentions.filter((mention) => mention.at < negation) : [];
    for (const mention of kept) wanted.add(mention.choice);
  }
  return wanted.size === 1 ? ([...wanted][0] ?? null) : null;
}
