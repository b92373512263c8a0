/**
 * The staff side in Teams: actions from case cards (Universal Actions, `adaptiveCard/action`
 * invokes), replies in a case's thread, a personal chat listing the member of staff's cases, and
 * a greeting when the app is added to a team.
 *
 * In a thread people talk to each other, so a message reaches the member of the public only when
 * it is meant to: addressed to the bot alone (an @mention of it and of no one else) and not a
 * note. Everything else said in the thread is kept on the case as the team's discussion. Only staff may act (see `staff-access.ts`); anything else is
 * refused, logged, and changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { Case, StoredCase } from '../cases/case.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import { type CaseReference, formatReference, isCaseReference, parseReference } from '../cases/reference.js';
import { discussion, note } from '../cases/transitions/note.js';
import { editHeldReply, holdReply, releaseHeldReply, releaseKey, withdrawHeldReply } from '../cases/transitions/held-reply.js';
import { messageFromStaff } from '../cases/transitions/staff-message.js';
import { isRefusal } from '../cases/transitions/transition.js';
import { viewed, viewKey } from '../cases/transitions/viewed.js';
import type { Clock } from '../ports/clock.js';
import type { LearningStaffRoster, StaffRoster } from '../ports/staff-roster.js';
import { type Logger, turnLogger } from '../ports/logger.js';
import type { EscalationPolicy } from '../policy/index.js';
import { cleanAnswer, hasVisibleText } from '../text/clean-text.js';
import { propertyOf } from '../values/property-of.js';
import { type AdaptiveCard, type CaseCardView } from './cards/case-card.js';
import { messageCard } from './cards/message-card.js';
import { cardForCase, complainantWords, staffTeamsIdsFor, summaryForCase } from './case-view.js';
import { closedCaseMessageCard } from './cards/closed-case-message-card.js';
import { CONCERN_VERB, concernCard, concernWordsCard } from './cards/concern-card.js';
import type { ConcernNotes } from '../ports/concern-notes.js';
import { staffOnlyCard } from './cards/staff-only-card.js';
import { type AccessRefusal, checkStaff, checkStaffInChannel, type StaffAccessRules, type StaffMember, teamsChannelData } from './staff-access.js';
import { heldReplyCard } from './cards/held-reply-card.js';
import { applyRightsAction, RIGHTS_NOT_DONE } from './apply-rights-action.js';
import { historyCard } from './cards/history-card.js';
import { myCasesText, pageAsked } from './my-cases.js';
import { type HeldReplyAction, isChanging, isHeldReplyAction, isRightsAction, type RightsCardAction, STAFF_VERBS, staffActionSchema } from './staff-actions.js';
import { subjectAccessCard } from './cards/subject-access-card.js';
import { applyStaffAction, NOT_DONE, toneOf } from './apply-staff-action.js';
import type { Rights } from '../rights/rights.js';
import { threadActivity, withThrottling } from './teams-channel.js';
import { threadRootOf, type ThreadDirectory } from './thread-directory.js';

export interface StaffBotDeps {
  readonly cases: CaseStore;
  readonly threads: ThreadDirectory;
  readonly policy: EscalationPolicy;
  readonly clock: Clock;
  readonly log: Logger;
  /** Tenants and channel; who the staff are comes from the roster. */
  readonly rules: Omit<StaffAccessRules, 'staffIds'>;
  readonly roster: StaffRoster & Partial<Pick<LearningStaffRoster, 'learn'>>;
  readonly organisation: string;
  readonly cutOff?: string;
  /** How long a reply to the complainant is held, with Undo and Send now, before it goes (0: at once). */
  readonly holdMs?: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** The words of safeguarding concerns raised before there was a case ("Show" on their posts). */
  readonly concerns: ConcernNotes;
  /** The rights people have, as the card's actions use them (none: those actions say so). */
  readonly rights?: StaffRights;
}

/** What the card's rights actions need: the service, and a one-time link to an export of a case. */
export interface StaffRights {
  readonly service: Pick<Rights, 'rectify' | 'eraseOnRequest'>;
  exportLink(reference: CaseReference, staff: StaffMember): Promise<string>;
}

/**
 * Whether an activity has the parts every Teams activity has, of the types Teams gives them: a
 * token lets anyone post any JSON, and the SDK passes it on as typed without checking.
 */
function isWellFormed(activity: Partial<Activity>): boolean {
  const conversation: unknown = activity.conversation;
  const from: unknown = activity.from;
  const entities: unknown = activity.entities;
  const channelData: unknown = activity.channelData;
  return (
    typeof conversation === 'object' &&
    conversation !== null &&
    typeof (conversation as { id?: unknown }).id === 'string' &&
    typeof from === 'object' &&
    from !== null &&
    (entities === undefined || (Array.isArray(entities) && entities.every((entity) => typeof entity === 'object' && entity !== null))) &&
    (channelData === undefined || (typeof channelData === 'object' && channelData !== null)) &&
    (activity.text === undefined || typeof activity.text === 'string') &&
    (activity.id === undefined || typeof activity.id === 'string')
  );
}

/** What the writer of a reply already sent is told when they edit or delete its Teams message. */
function alreadySent(type: string | undefined): string {
  return type === 'messageDelete'
    ? 'That reply had already been sent to the complainant, so deleting it here does not take it back from them.'
    : 'That reply had already been sent to the complainant, so the change did not reach them. To correct it, send another reply.';
}

/** An activity's timestamp as an ISO instant (the SDK may give a Date or the string Teams sent), or null. */
function instantOf(value: unknown): string | null {
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** Internal notes in a thread start with this (any case, optional space). */
const NOTE = /^\s*note\s*:\s*/i;

/** Named HTML entities Teams uses in message text. */
const ENTITIES: Readonly<Record<string, string>> = { nbsp: ' ', lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

/**
 * What Teams sends in a message, as plain text: the bot's own @mention removed (other people's
 * mentions kept as their names), a little HTML turned into line breaks and dropped, entities
 * (named and numeric) decoded.
 */
export function plainTextOf(text: string, botMention: string | null): string {
  const withoutBot = botMention ? text.split(botMention).join(' ') : text;
  return withoutBot
    .replace(/<at>([^<]*)<\/at>/gi, '$1')
    .replace(/<br\s*\/?>|<\/p>|<\/div>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1]?.toLowerCase() === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .trim();
}

/** How the bot itself was @mentioned in an activity (the text Teams put in), if it was. */
function botMentionOf(activity: Partial<Activity>): string | null {
  const mention = activity.entities?.find((entity) => entity.type === 'mention' && propertyOf(entity['mentioned'], 'id') === activity.recipient?.id);
  return typeof mention?.['text'] === 'string' ? mention['text'] : null;
}

/** Whether a message quotes another (Teams' quote-reply: a blockquote in its text, or a quotedReply entity). */
function quotes(activity: Partial<Activity>): boolean {
  return /<blockquote|<quoted\b/i.test(activity.text ?? '') || (activity.entities?.some((entity) => entity.type === 'quotedReply') ?? false);
}

/** Whether an activity @mentions anyone or anything besides the bot (a colleague, a tag, the channel). */
function mentionsOthers(activity: Partial<Activity>): boolean {
  const others = activity.entities?.some((entity) => entity.type === 'mention' && propertyOf(entity['mentioned'], 'id') !== activity.recipient?.id) ?? false;
  // Teams always sends an entity with each <at>; text with more <at> tags than bot mentions names someone else too.
  const tags = (activity.text ?? '').match(/<at[\s>]/gi)?.length ?? 0;
  const botTags =
    activity.entities?.filter((entity) => entity.type === 'mention' && propertyOf(entity['mentioned'], 'id') === activity.recipient?.id).length ?? 0;
  return others || tags > botTags;
}

/** A digest standing for an identifier in the security log. */
function opaque(id: string): string {
  return id ? createHash('sha256').update(id).digest('base64url').slice(0, 12) : '';
}

/** Statuses in which a word from the complainant may call for reopening the case. */
const CLOSED_STATUSES: readonly Case['status'][] = ['closed', 'withdrawn', 'redirected'];

/** The most of someone's cases "my cases" reads. */
const MY_CASES_READ = 1000;

/** The longest message sent or noted from a thread (longer ones are refused, with the limit). */
const MAX_RELAYED = 5000;

/** Names for the inputs, in what staff are told about them. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  text: 'the text',
  message: 'what the complainant is told',
  reason: 'the reason',
  to: 'the organisation or team',
  agreedOn: 'the date',
};

/** What staff are told when an action's inputs do not do: what is missing, and what is too long (with the limit). */
export function problemsText(issues: readonly { readonly code: string; readonly path: readonly PropertyKey[]; readonly maximum?: unknown }[]): string {
  const name = (path: readonly PropertyKey[]) => FIELD_NAMES[String(path[0])] ?? String(path[0] ?? 'a field');
  const long = issues.filter((issue) => issue.code === 'too_big');
  if (long.length > 0) {
    const limit = (maximum: unknown) => (typeof maximum === 'number' || typeof maximum === 'bigint' ? maximum.toLocaleString('en-GB') : String(maximum));
    const parts = long.map((issue) => `${name(issue.path)} can be at most ${limit(issue.maximum)} characters`);
    return `${[...new Set(parts)].join('; ')}. Nothing was changed: please shorten it and try again.`.replace(/^./, (first) => first.toUpperCase());
  }
  const missing = [...new Set(issues.filter((issue) => issue.path.length > 0).map((issue) => name(issue.path)))];
  return missing.length > 0 ? `Please fill in ${missing.join(', ')}. Nothing was changed.` : 'That action was not understood. Nothing was changed.';
}

/**
 * A name for an action that adds something (a note, a reply) which is the same for the same
 * words sent by the same person from the same card: a double click or a replay makes the same
 * name, a deliberate repeat from the refreshed card (a new `seen`) another.
 */
function sameAction(
  action: { readonly verb: string; readonly text: string; readonly seen?: string | undefined },
  staff: StaffMember,
  invokeId: string,
): string {
  return createHash('sha256')
    .update(JSON.stringify([action.verb, staff.id, action.seen ?? invokeId, action.text]))
    .digest('base64url')
    .slice(0, 24);
}

/** What became of a reply to the complainant. */
type ReplyOutcome = 'held' | 'sent' | 'already' | 'refused';

/** Said on the case card after "Reply to complainant". */
const REPLY_OUTCOME: Record<ReplyOutcome, string> = {
  held: 'Your reply is held for a moment in the thread, with Undo and Send now; then it goes to the complainant.',
  sent: 'Your reply is on its way to the complainant; the thread shows when they have seen it.',
  already: 'That was already done.',
  refused: 'Your reply was not sent.',
};

/** Said to staff after an action that tells the complainant something. */
const TOLD = 'The complainant is told in their chat (and by email or text if they do not see it); the thread shows when they have seen it.';

/** An invoke response carrying a card (Universal Actions: the card replaces the one clicked). */
function cardResponse(card: AdaptiveCard): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } };
}

/** An invoke response carrying a message instead of a card. */
function messageResponse(text: string): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } };
}

/**
 * The data of an Action.Execute, with its own inputs ("respond:text") under their plain names
 * and every other action's inputs left out.
 */
export function actionInputs(data: unknown, verb: string): Record<string, unknown> {
  if (typeof data !== 'object' || data === null) return {};
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    const colon = key.indexOf(':');
    if (colon === -1) own[key] = value;
    else if (key.slice(0, colon) === verb) own[key.slice(colon + 1)] = value;
  }
  return own;
}

export class StaffBot {
  constructor(private readonly deps: StaffBotDeps) {}

  /** Someone on the roster acted: their Teams user id and name are learned, for their views of cards and "Assign to…" (best effort). */
  private async learn(context: TurnContext, staff: StaffMember): Promise<void> {
    const from: unknown = (context.activity as Partial<Activity>).from?.id;
    if (typeof from === 'string') await this.deps.roster.learn?.(staff.id, from, (context.activity as Partial<Activity>).from?.name);
  }

  /** The access rules now: the configured tenants and channel, and the roster as it stands. */
  private async rules(): Promise<StaffAccessRules> {
    const members = await this.deps.roster.members();
    return { ...this.deps.rules, staffIds: members.map((member) => member.id) };
  }

  /** The logger of the turn (its lines carry the request's correlation id). */
  private log(context: TurnContext): Logger {
    return turnLogger(context, this.deps.log);
  }

  async run(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (!isWellFormed(activity)) {
      // Nothing Teams sends, so nothing to act on; an invoke is still answered.
      this.refused('malformed', context, activity.type === 'invoke' ? 'card-action' : 'activity');
      if (activity.type === 'invoke')
        await context.sendActivity({ type: 'invokeResponse', value: messageResponse('That action could not be read, so nothing was changed.') });
      return;
    }
    if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
      const response = await this.onAction(context);
      await context.sendActivity({ type: 'invokeResponse', value: response });
      return;
    }
    if (activity.type === 'message') {
      await this.onMessage(context);
      return;
    }
    if (activity.type === 'messageUpdate' || activity.type === 'messageDelete') {
      await this.onMessageChanged(context);
      return;
    }
    if (activity.type === 'conversationUpdate') await this.onConversationUpdate(context);
  }

  private refused(reason: AccessRefusal | 'wrong-thread' | 'malformed', context: TurnContext, what: string): void {
    // The security log: who tried what, and why it was refused. Who is an opaque digest of the
    // Entra object id and tenant, enough to see one sender's repeated attempts, not a name.
    // Typed as complete, but a refused activity may come from anywhere and lack any part.
    const activity: Partial<Activity> = context.activity;
    const tenant = teamsChannelData(activity).tenant?.id;
    this.log(context).warn('security.staff-refused', {
      what,
      reason,
      channel: activity.channelId ?? null,
      sender: opaque(activity.from?.aadObjectId ?? activity.from?.id ?? ''),
      tenant: opaque(typeof tenant === 'string' ? tenant : ''),
    });
  }

  /** Sends into the turn's conversation, waiting out Teams' throttling. */
  private send(context: TurnContext, message: string | Partial<Activity>): Promise<unknown> {
    return withThrottling(() => context.sendActivity(message), { sleep: this.deps.sleep });
  }

  private viewDeps() {
    return { cases: this.deps.cases, policy: this.deps.policy, clock: this.deps.clock, roster: this.deps.roster };
  }

  /** The full card, for a member of staff (an answer to their own action or refresh: Teams shows it to them alone). */
  private card(stored: StoredCase, notice?: CaseCardView['notice']): Promise<AdaptiveCard> {
    return cardForCase(this.viewDeps(), stored, notice);
  }

  /** The case whose card or thread this activity is in, checking the thread really is that case's. */
  private async caseOfThread(context: TurnContext, claimed: string | null): Promise<StoredCase | null> {
    const root = threadRootOf(context.activity.conversation.id);
    if (!root) return null;
    const reference = await this.deps.threads.find(root);
    if (!reference || (claimed !== null && claimed !== reference)) return null;
    const stored = await this.deps.cases.get(reference);
    return stored && stored.case.teamsThread?.rootActivityId === root ? stored : null;
  }

  private async onAction(context: TurnContext): Promise<InvokeResponse> {
    const received: Partial<Activity> = context.activity;
    if (!received.id) return messageResponse('That action could not be identified, so nothing was changed.');
    const access = checkStaffInChannel(context.activity, await this.rules());
    if (!access.allowed) {
      this.refused(access.reason, context, 'card-action');
      // A colleague in the channel opening a card (or "Show details") sees what everyone there sees: the summary.
      const summary = access.reason === 'not-staff' ? await this.summaryFor(context) : null;
      return summary ? cardResponse(summary) : messageResponse('Only the complaints team can act on complaint cards, in their channel. Nothing was changed.');
    }
    await this.learn(context, access.staff);
    const pressed = propertyOf(context.activity.value, 'action');
    const given = propertyOf(pressed, 'verb');
    const verb = typeof given === 'string' ? given : '';
    // A concern raised before there was a case has a post of its own, with no case behind it.
    if (verb === CONCERN_VERB) return cardResponse(await this.concernWords(propertyOf(propertyOf(pressed, 'data'), 'id')));
    if (!STAFF_VERBS.has(verb)) {
      this.log(context).warn('staff.action-unknown', {});
      return messageResponse('That is not an action this app knows, so nothing was changed.');
    }
    const parsed = staffActionSchema.safeParse({ ...actionInputs(propertyOf(pressed, 'data'), verb), verb });
    if (!parsed.success) {
      this.log(context).warn('staff.action-invalid', { problems: parsed.error.issues.length });
      return messageResponse(problemsText(parsed.error.issues));
    }
    const action = parsed.data;
    const claimed = parseReference(action.reference);
    const stored = await this.caseOfThread(context, claimed.ok ? claimed.reference : '');
    if (!stored) {
      this.refused('wrong-thread', context, 'card-action');
      return messageResponse('This card does not belong to this thread, so nothing was changed.');
    }
    if (isHeldReplyAction(action)) return this.onHeldReplyAction(context, stored, action, access.staff);
    if (isRightsAction(action)) return this.onRightsAction(context, stored, action, access.staff, received.id);
    if (action.verb === 'reply') {
      // A message, not a decision: it does not wait on the card being current. Named by what was
      // written on which card by whom, so a double click holds one reply, not two.
      const outcome = await this.replyToComplainant(context, stored, access.staff, `card:${sameAction(action, access.staff, received.id)}`, action.text);
      const latest = (await this.deps.cases.get(stored.case.reference)) ?? stored;
      return cardResponse(await this.card(latest, { tone: outcome === 'refused' ? 'warning' : 'good', text: REPLY_OUTCOME[outcome] }));
    }
    if (!isChanging(action)) {
      // Staff opening the full details: who read the complaint is part of its record.
      const now = this.deps.clock.now();
      // Best effort: a view not recorded must not keep staff from the case.
      await updateCase(this.deps.cases, stored.case.reference, viewKey(access.staff.id, now), (current) =>
        viewed(current.case, { now, staff: access.staff }),
      ).catch((error: unknown) => {
        this.log(context).warn('staff.view-unrecorded', { error: error instanceof Error ? error.name : 'unknown' });
      });
      const latest = (await this.deps.cases.get(stored.case.reference)) ?? stored;
      if (action.verb === 'history') return cardResponse(historyCard(latest.case, await this.deps.cases.history(latest.case.reference), action.page));
      if (action.verb === 'reveal') return cardResponse(await this.revealed(latest, action.at));
      return cardResponse(await this.card(latest));
    }
    // A note, like a reply, is named by its words and card: a double click adds it once.
    const key = action.verb === 'note' ? `note:${sameAction(action, access.staff, received.id)}` : `${received.id}:${action.verb}`;
    const staff = access.staff;
    const colleague = action.verb === 'assign-to' ? await this.colleague(action.who) : undefined;
    const applied = await applyStaffAction(this.deps.cases, stored, action, { ...this.context(staff), colleague }, key);
    if (applied.kind !== 'done') {
      const text = applied.kind === 'refused' ? applied.explanation : NOT_DONE[applied.kind];
      return cardResponse(await this.card(applied.latest, { tone: toneOf(applied), text }));
    }
    const { outcome, latest } = applied;
    this.log(context).info('staff.acted', { verb: action.verb });
    // What the complainant is told goes by the outbox: the thread's status line shows whether they have seen it.
    const done = outcome.tellComplainant ? `${outcome.done} ${TOLD}` : outcome.done;
    if (outcome.tellComplainant) await this.send(context, threadActivity({ text: `${staff.name}: ${outcome.done}` }));
    await this.updateRoot(context, latest);
    return cardResponse(await this.card(latest, { tone: 'good', text: done }));
  }

  /**
   * Subject access, a correction or an erasure, through the rights service (which keeps the
   * audit). A correction or erasure asked from a card that is out of date is refused like any
   * decision: staff must see the case as it is before they change what it holds about someone.
   */
  private async onRightsAction(
    context: TurnContext,
    stored: StoredCase,
    action: RightsCardAction,
    staff: StaffMember,
    invokeId: string,
  ): Promise<InvokeResponse> {
    const result = await applyRightsAction(this.deps.rights, stored, action, staff, 'card', invokeId);
    switch (result.kind) {
      case 'not-set-up':
        return cardResponse(await this.card(stored, { tone: 'warning', text: RIGHTS_NOT_DONE['not-set-up'] }));
      case 'stale':
        return cardResponse(await this.card(stored, { tone: 'warning', text: RIGHTS_NOT_DONE.stale }));
      case 'export-link':
        this.log(context).info('staff.acted', { verb: action.verb });
        return cardResponse(subjectAccessCard(stored.case.reference, result.url));
      default: {
        const latest = (await this.deps.cases.get(stored.case.reference)) ?? stored;
        if (result.kind === 'refused') return cardResponse(await this.card(latest, { tone: 'attention', text: result.text }));
        this.log(context).info('staff.acted', { verb: action.verb });
        await this.updateRoot(context, latest);
        return cardResponse(await this.card(latest, { tone: 'good', text: result.text }));
      }
    }
  }

  /** A colleague on the roster by their Entra object id, with the name Teams gives them; null if they are not on it. */
  private async colleague(id: string): Promise<StaffMember | 'unnamed' | null> {
    const member = (await this.deps.roster.members()).find((each) => each.id === id.toLowerCase());
    if (!member) return null;
    return member.name ? { id: member.id, name: member.name } : 'unnamed';
  }

  /**
   * What someone not on the roster gets when Teams refreshes a card for them (or they press Show
   * details / Show): the summary, or the staff-only line again, for a case whose card is in this
   * thread (right tenant); never the details.
   */
  private async summaryFor(context: TurnContext): Promise<AdaptiveCard | null> {
    const pressed = propertyOf(context.activity.value, 'action');
    const verb = propertyOf(pressed, 'verb');
    if (verb === CONCERN_VERB) {
      // The post again, as everyone sees it, for a concern there is: never what was said.
      const id = propertyOf(propertyOf(pressed, 'data'), 'id');
      const kept = typeof id === 'string' ? await this.deps.concerns.find(id) : null;
      return kept ? concernCard(kept, this.deps.policy, []) : null;
    }
    if (verb !== 'refresh' && verb !== 'reveal') return null;
    const given = propertyOf(propertyOf(pressed, 'data'), 'reference');
    const claimed = parseReference(typeof given === 'string' ? given : '');
    const stored = claimed.ok ? await this.caseOfThread(context, claimed.reference) : null;
    if (!stored) return null;
    if (verb === 'refresh') return summaryForCase(this.viewDeps(), stored);
    const at = propertyOf(propertyOf(pressed, 'data'), 'at');
    return staffOnlyCard(
      `The complainant wrote about complaint ${formatReference(stored.case.reference)}.`,
      { verb: 'reveal', data: { reference: stored.case.reference, what: 'complainant-words', at: typeof at === 'string' ? at : '' } },
      [],
    );
  }

  /** What was said when a concern was raised before there was a case, for a member of staff. */
  private async concernWords(id: unknown): Promise<AdaptiveCard> {
    const kept = typeof id === 'string' ? await this.deps.concerns.find(id) : null;
    return kept ? concernWordsCard(kept, this.deps.policy) : messageCard('What was said is no longer kept.', '');
  }

  /** The complainant's words a staff-only line in the thread stands for, with Reopen beside them if the case is closed. */
  private async revealed(stored: StoredCase, at: string): Promise<AdaptiveCard> {
    const words = await complainantWords(this.viewDeps(), stored, at);
    if (words === null) return messageCard('Those words are no longer on the case.', '');
    return CLOSED_STATUSES.includes(stored.case.status)
      ? closedCaseMessageCard(stored.case, words)
      : messageCard('The complainant wrote (to answer, use “Reply to complainant” on the card or @mention this app in a reply):', words);
  }

  private context(staff: StaffMember) {
    return {
      policy: this.deps.policy,
      now: this.deps.clock.now(),
      staff,
      organisation: this.deps.organisation,
      ...(this.deps.cutOff ? { cutOff: this.deps.cutOff } : {}),
    };
  }

  /** Brings the thread's root card up to date for everyone. */
  private async updateRoot(context: TurnContext, stored: StoredCase): Promise<void> {
    const thread = stored.case.teamsThread;
    if (!thread) return;
    try {
      // Everyone's view is the summary; staff see the full card in its place, refreshed for them.
      const card = await summaryForCase(this.viewDeps(), stored);
      await withThrottling(() => context.updateActivity({ ...threadActivity({ card }), id: thread.rootActivityId }), { sleep: this.deps.sleep });
    } catch (error) {
      // The action itself is saved; the card catches up on its next refresh.
      this.log(context).warn('teams.card-update-failed', { error: error instanceof Error ? error.name : 'unknown' });
    }
  }

  private async onMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const received: Partial<Activity> = activity;
    // Every change is keyed by the activity's id; Teams always sends one, so one without is not from Teams.
    if (!received.id) {
      this.log(context).warn('staff.no-activity-id', {});
      return;
    }
    if (activity.conversation.conversationType === 'personal') {
      await this.onPersonalMessage(context);
      return;
    }
    const root = threadRootOf(activity.conversation.id);
    // Only replies in a case's thread matter; other channel posts are colleagues talking.
    if (!root) return;
    const access = checkStaffInChannel(activity, await this.rules());
    if (!access.allowed) {
      this.refused(access.reason, context, 'thread-reply');
      // Said only to someone who addressed the bot: colleagues off the roster talking in a thread are left to it.
      if (access.reason === 'not-staff' && botMentionOf(activity) !== null) {
        await this.send(context, 'Only members of the complaints team can message complainants from here. Nothing was sent.');
      }
      return;
    }
    await this.learn(context, access.staff);
    const stored = await this.caseOfThread(context, null);
    if (!stored) return;
    const botMention = botMentionOf(activity);
    // A message with only attachments has no text at all.
    const raw = plainTextOf(received.text ?? '', botMention);
    if (botMention === null || mentionsOthers(activity)) {
      await this.keepDiscussion(context, stored, raw, access.staff, botMention !== null);
      return;
    }
    const internal = NOTE.test(raw);
    // A quote (Teams' quote-reply) carries someone else's words, perhaps internal ones: never sent on.
    if (!internal && quotes(activity)) {
      await this.send(
        context,
        'That reply quotes another message, so it was not sent: the quote may be the team’s own words. Send it again without the quote.',
      );
      return;
    }
    const whole = cleanAnswer(raw.replace(NOTE, ''), Number.MAX_SAFE_INTEGER);
    if (!hasVisibleText(whole)) {
      if (internal || (activity.attachments?.length ?? 0) > 0) await this.send(context, 'Only text can be sent or noted; nothing was sent.');
      return;
    }
    if (whole.length > MAX_RELAYED) {
      // Never cut: half a message can say something the whole did not.
      await this.send(
        context,
        `That message is ${whole.length.toLocaleString('en-GB')} characters long; the most that can be ${internal ? 'noted' : 'sent'} is ` +
          `${MAX_RELAYED.toLocaleString('en-GB')}. Nothing was ${internal ? 'noted' : 'sent'}: please shorten it, or split it in two.`,
      );
      return;
    }
    if (!internal) {
      await this.replyToComplainant(context, stored, access.staff, received.id, whole);
      return;
    }
    const facts = { policy: this.deps.policy, now: this.deps.clock.now(), staff: access.staff };
    const result = await updateCase(this.deps.cases, stored.case.reference, `${received.id}:note`, (current) => note(current.case, { text: whole }, facts));
    if (!result?.applied) return;
    await this.send(context, 'Internal note recorded on the case. It was not sent to the complainant.');
    await this.updateRoot(context, (await this.deps.cases.get(stored.case.reference)) ?? result.stored);
  }

  /**
   * A reply to the complainant, from the thread or the card: held for `holdMs` with a card in the
   * thread offering Undo and Send now (the timer in the outbox sends it then), or sent at once
   * when nothing is held. `id` names it: an edit or deletion of the Teams message names it too.
   */
  private async replyToComplainant(context: TurnContext, stored: StoredCase, staff: StaffMember, id: string, text: string): Promise<ReplyOutcome> {
    const holdMs = this.deps.holdMs ?? 0;
    if (holdMs > 0) {
      const shown = await this.showHeld(context, stored, { id, text, staff, holdMs });
      if (shown !== 'shown') return shown;
    }
    // Held from when its card is up, so the card's Undo has the whole time.
    const facts = { policy: this.deps.policy, now: this.deps.clock.now(), staff };
    const refusal: { already: boolean; text: string | null } = { already: false, text: null };
    const result = await updateCase(this.deps.cases, stored.case.reference, `${id}:${holdMs > 0 ? 'hold' : 'relay'}`, (current) => {
      if (holdMs === 0) return messageFromStaff(current.case, { text }, facts);
      const held = holdReply(current.case, { id, text, holdMs }, facts);
      if (!isRefusal(held)) return held;
      // The same reply held already (a double click that lost the race, Teams delivering twice), or too many waiting.
      if (held.refused === 'already-held') refusal.already = true;
      else refusal.text = held.explanation;
      return null;
    });
    if (!result) {
      if (refusal.text) await this.send(context, refusal.text);
      return refusal.already ? 'already' : 'refused';
    }
    if (!result.applied) return 'already';
    await this.updateRoot(context, (await this.deps.cases.get(stored.case.reference)) ?? result.stored);
    return holdMs > 0 ? 'held' : 'sent';
  }

  /**
   * Posts the card of a reply about to be held (its Undo and Send now) before it is held: a reply
   * nobody could see, change or take back must never go, so if Teams will not take the card
   * nothing is held, and its writer is told (if Teams takes that) to send it again. A reply held
   * already (Teams delivering a message twice, a double click) or one too many gets no card.
   */
  private async showHeld(
    context: TurnContext,
    stored: StoredCase,
    planned: { readonly id: string; readonly text: string; readonly staff: StaffMember; readonly holdMs: number },
  ): Promise<'shown' | ReplyOutcome> {
    const current = (await this.deps.cases.get(stored.case.reference)) ?? stored;
    // The hold tried on the case as it is, unsaved: only to see whether it would be taken.
    const trial = holdReply(current.case, planned, { policy: this.deps.policy, now: this.deps.clock.now(), staff: planned.staff });
    if (isRefusal(trial)) {
      if (trial.refused === 'already-held') return 'already';
      await this.send(context, trial.explanation);
      return 'refused';
    }
    const reply = trial.next.heldReplies.find((each) => each.id === planned.id);
    if (!reply) return 'refused';
    try {
      await this.send(context, threadActivity({ card: await this.postedHeldCard(current, reply) }));
      return 'shown';
    } catch (error) {
      this.log(context).warn('staff.held-card-failed', { error: error instanceof Error ? error.name : 'unknown' });
      await this.send(context, 'That reply was not sent: Teams did not take its card with Undo. Please send it again.').catch(() => {
        this.log(context).warn('staff.held-card-untold', {});
      });
      return 'refused';
    }
  }

  /** A held reply's card as posted in the thread: its words for staff only (Teams refreshes it for them). */
  private async postedHeldCard(stored: StoredCase, reply: StoredCase['case']['heldReplies'][number], notice?: string): Promise<AdaptiveCard> {
    return heldReplyCard(stored.case.reference, reply, notice, { staffTeamsIds: await staffTeamsIdsFor(this.deps.roster, stored.case) });
  }

  /** The buttons and refresh of a held reply's card. */
  private async onHeldReplyAction(context: TurnContext, stored: StoredCase, action: HeldReplyAction, staff: StaffMember): Promise<InvokeResponse> {
    const replyOf = (value: StoredCase) => value.case.heldReplies.find((each) => each.id === action.replyId);
    const before = replyOf(stored);
    if (!before) return messageResponse('That reply is no longer on the case, so nothing was changed.');
    if (action.verb === 'held-reply') return cardResponse(heldReplyCard(stored.case.reference, before));
    const facts = { policy: this.deps.policy, now: this.deps.clock.now(), staff };
    const refusal: { text: string | null } = { text: null };
    const key = action.verb === 'send-reply-now' ? releaseKey(action.replyId) : `${action.replyId}:undo`;
    const result = await updateCase(this.deps.cases, stored.case.reference, key, (current) => {
      const change =
        action.verb === 'undo-reply'
          ? withdrawHeldReply(current.case, { id: action.replyId }, facts)
          : releaseHeldReply(current.case, { id: action.replyId }, { now: facts.now, by: { kind: 'staff', id: staff.id, name: staff.name } });
      if (!isRefusal(change)) return change;
      refusal.text = change.explanation;
      return null;
    });
    const latest = (await this.deps.cases.get(stored.case.reference)) ?? result?.stored ?? stored;
    const after = replyOf(latest) ?? before;
    if (!result) {
      // Refused on the reply's state, which this very action (a replay) may have made.
      const replayed = await this.deps.cases.wasApplied(stored.case.reference, key);
      return cardResponse(heldReplyCard(latest.case.reference, after, replayed ? 'That was already done.' : (refusal.text ?? undefined)));
    }
    if (!result.applied) return cardResponse(heldReplyCard(latest.case.reference, after, 'That was already done.'));
    this.log(context).info('staff.held-reply', { verb: action.verb });
    await this.updateRoot(context, latest);
    return cardResponse(heldReplyCard(latest.case.reference, after, action.verb === 'undo-reply' ? `Undone by ${staff.name}.` : `Sent now by ${staff.name}.`));
  }

  /**
   * A message in a case's thread was edited or deleted. A reply still held follows it: an edit
   * changes what will be sent (or, no longer addressed to the bot alone, takes it back); a
   * deletion takes it back. One already sent cannot follow, and its sender is told so.
   */
  private async onMessageChanged(context: TurnContext): Promise<void> {
    const activity: Partial<Activity> = context.activity;
    if (!activity.id || !threadRootOf(context.activity.conversation.id)) return;
    const access = checkStaffInChannel(context.activity, await this.rules());
    if (!access.allowed) {
      this.refused(access.reason, context, 'thread-edit');
      return;
    }
    await this.learn(context, access.staff);
    const stored = await this.caseOfThread(context, null);
    if (!stored) return;
    const reply = stored.case.heldReplies.find((each) => each.id === activity.id);
    if (!reply) {
      // Not held: colleagues' talk, or a reply sent at once (no hold) or so long ago that the case no longer lists it.
      const sent =
        (await this.deps.cases.wasApplied(stored.case.reference, `${activity.id}:relay`)) ||
        (await this.deps.cases.wasApplied(stored.case.reference, releaseKey(activity.id)));
      if (sent) await this.send(context, alreadySent(activity.type));
      return;
    }
    const facts = { policy: this.deps.policy, now: this.deps.clock.now(), staff: access.staff };
    const editedAt = instantOf(activity.timestamp);
    const botMention = botMentionOf(activity);
    const text = cleanAnswer(plainTextOf(activity.text ?? '', botMention), Number.MAX_SAFE_INTEGER);
    const withdraw = activity.type === 'messageDelete' || botMention === null || mentionsOthers(activity) || NOTE.test(text) || !hasVisibleText(text);
    if (!withdraw && text.length > MAX_RELAYED) {
      await this.send(
        context,
        `The changed reply is longer than ${MAX_RELAYED.toLocaleString('en-GB')} characters, so the reply goes as it was unless you undo it.`,
      );
      return;
    }
    const refusal: { reason: string | null } = { reason: null };
    // Keyed by the edit's content and time: Teams may deliver one edit twice, and a later edit (back to earlier words, too) is another change.
    const key = `${activity.id}:${
      withdraw
        ? 'withdraw'
        : `edit:${createHash('sha256')
            .update(`${editedAt ?? ''}\n${text}`)
            .digest('base64url')
            .slice(0, 16)}`
    }`;
    const result = await updateCase(this.deps.cases, stored.case.reference, key, (current) => {
      const change = withdraw
        ? withdrawHeldReply(current.case, { id: reply.id }, facts)
        : editHeldReply(current.case, { id: reply.id, text, ...(editedAt ? { editedAt } : {}) }, facts);
      if (!isRefusal(change)) return change;
      refusal.reason = change.refused;
      return null;
    });
    if (!result) {
      if (refusal.reason === 'reply-already-sent') await this.send(context, alreadySent(activity.type));
      return;
    }
    if (!result.applied) return;
    const now = result.stored.case.heldReplies.find((each) => each.id === reply.id) ?? reply;
    await this.send(
      context,
      threadActivity({
        card: await this.postedHeldCard(result.stored, now, withdraw ? 'Taken back: it will not be sent.' : 'Changed: the new words will be sent.'),
      }),
    );
  }

  /**
   * Keeps what a colleague said in the thread on the case, without a word in the thread (people
   * are talking to each other), unless they also addressed the bot: then they may have meant the
   * complainant, and are told it was not sent and how to send it.
   */
  private async keepDiscussion(context: TurnContext, stored: StoredCase, raw: string, staff: StaffMember, addressedBot: boolean): Promise<void> {
    const text = cleanAnswer(raw, MAX_RELAYED);
    if (addressedBot) {
      await this.send(
        context,
        'This mentions someone besides me, so it stays in the team and was not sent to the complainant. To write to the complainant, reply ' +
          'with an @mention of me alone, or use “Reply to complainant” on the card.',
      );
    }
    if (!hasVisibleText(text)) return;
    const key = `${context.activity.id ?? ''}:discussion`;
    const facts = { policy: this.deps.policy, now: this.deps.clock.now(), staff };
    const result = await updateCase(this.deps.cases, stored.case.reference, key, (current) => discussion(current.case, { text }, facts));
    if (result?.applied) await this.updateRoot(context, result.stored);
  }

  private async onPersonalMessage(context: TurnContext): Promise<void> {
    const access = checkStaff(context.activity, await this.rules());
    if (!access.allowed) {
      this.refused(access.reason, context, 'personal-chat');
      await this.send(context, 'This app is for the complaints team. To make or check on a complaint, please use the chat on our website.');
      return;
    }
    await this.learn(context, access.staff);
    // Every case still assigned to them (a person's caseload is in the hundreds at most); read in full to order them.
    const mine = await this.deps.cases.listByHandler(access.staff.id, { limit: MY_CASES_READ });
    const cases: Case[] = [];
    for (const reference of mine) {
      const stored = isCaseReference(reference) ? await this.deps.cases.get(reference) : null;
      if (stored && stored.case.handler?.id === access.staff.id) cases.push(stored.case);
    }
    // (Typed as always there, but a personal message with only an attachment has no text.)
    const said: Partial<Activity> = context.activity;
    const page = pageAsked(plainTextOf(said.text ?? '', botMentionOf(said)));
    await this.send(context, { type: 'message', textFormat: 'markdown', text: myCasesText(cases, this.deps.policy, this.deps.clock.now(), page) });
  }

  private async onConversationUpdate(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botAdded = activity.membersAdded?.some((member) => member.id === activity.recipient.id) ?? false;
    if (!botAdded) return;
    const channel = teamsChannelData(activity).channel?.id;
    this.log(context).info('teams.installed', { inChannel: typeof channel === 'string', configured: channel === this.deps.rules.channelId });
    if (typeof channel === 'string' && channel !== this.deps.rules.channelId) {
      await this.send(
        context,
        `Hello. I post complaint cards in the channel set by TEAMS_CHANNEL_ID. To use this channel, set TEAMS_CHANNEL_ID=${channel} and restart me.`,
      );
    }
  }
}
