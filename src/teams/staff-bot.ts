/**
 * The staff side in Teams: actions from case cards (Universal Actions, `adaptiveCard/action`
 * invokes), replies in a case's thread (relayed to the complainant, or kept internal when they
 * start with "note:"), a personal chat listing the member of staff's cases, and a greeting when
 * the app is added to a team. Only staff may act (see `staff-access.ts`); anything else is
 * refused, logged, and changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { StoredCase } from '../cases/case.js';
import { type CaseStore, updateCase } from '../cases/case-store.js';
import { formatReference, isCaseReference, parseReference } from '../cases/reference.js';
import { note } from '../cases/transitions/note.js';
import { messageFromStaff } from '../cases/transitions/staff-message.js';
import { chatTextOf } from '../cases/transitions/transition.js';
import type { Clock } from '../ports/clock.js';
import { type Logger, turnLogger } from '../ports/logger.js';
import type { EscalationPolicy } from '../policy/index.js';
import { cleanAnswer, hasVisibleText } from '../text/clean-text.js';
import { propertyOf } from '../values/property-of.js';
import { type AdaptiveCard, type CaseCardView, decisionState } from './case-card.js';
import { cardForCase } from './case-view.js';
import { type AccessRefusal, checkStaff, checkStaffInChannel, type StaffAccessRules, type StaffMember, teamsChannelData } from './staff-access.js';
import { decideStaffAction, isChanging, staffActionSchema, type ActionOutcome } from './staff-actions.js';
import { threadActivity, withThrottling } from './teams-channel.js';
import { threadRootOf, type ThreadDirectory } from './thread-directory.js';

export interface StaffBotDeps {
  readonly cases: CaseStore;
  readonly threads: ThreadDirectory;
  readonly policy: EscalationPolicy;
  readonly clock: Clock;
  readonly log: Logger;
  readonly rules: StaffAccessRules;
  readonly organisation: string;
  readonly cutOff?: string;
  readonly sleep: (ms: number) => Promise<void>;
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

/** A digest standing for an identifier in the security log. */
function opaque(id: string): string {
  return id ? createHash('sha256').update(id).digest('base64url').slice(0, 12) : '';
}

/** The longest message relayed from a thread (longer ones are cut, and staff are told). */
const MAX_RELAYED = 5000;

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

  /** The logger of the turn (its lines carry the request's correlation id). */
  private log(context: TurnContext): Logger {
    return turnLogger(context, this.deps.log);
  }

  async run(context: TurnContext): Promise<void> {
    const activity = context.activity;
    if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
      const response = await this.onAction(context);
      await context.sendActivity({ type: 'invokeResponse', value: response });
      return;
    }
    if (activity.type === 'message') {
      await this.onMessage(context);
      return;
    }
    if (activity.type === 'conversationUpdate') await this.onConversationUpdate(context);
  }

  private refused(reason: AccessRefusal | 'wrong-thread', context: TurnContext, what: string): void {
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

  private card(stored: StoredCase, notice?: CaseCardView['notice']): Promise<AdaptiveCard> {
    return cardForCase({ cases: this.deps.cases, policy: this.deps.policy, clock: this.deps.clock }, stored, notice);
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
    const access = checkStaffInChannel(context.activity, this.deps.rules);
    if (!access.allowed) {
      this.refused(access.reason, context, 'card-action');
      return messageResponse('Only the complaints team can act on complaint cards, in their channel. Nothing was changed.');
    }
    const pressed = propertyOf(context.activity.value, 'action');
    const given = propertyOf(pressed, 'verb');
    const verb = typeof given === 'string' ? given : '';
    const parsed = staffActionSchema.safeParse({ ...actionInputs(propertyOf(pressed, 'data'), verb), verb });
    if (!parsed.success) {
      this.log(context).warn('staff.action-invalid', { problems: parsed.error.issues.length });
      const missing = parsed.error.issues.map((issue) => issue.path.join('.')).filter(Boolean);
      return messageResponse(
        missing.length > 0
          ? `Please fill in: ${[...new Set(missing)].join(', ')}. Nothing was changed.`
          : 'That action was not understood. Nothing was changed.',
      );
    }
    const action = parsed.data;
    const claimed = parseReference(action.reference);
    const stored = await this.caseOfThread(context, claimed.ok ? claimed.reference : '');
    if (!stored) {
      this.refused('wrong-thread', context, 'card-action');
      return messageResponse('This card does not belong to this thread, so nothing was changed.');
    }
    if (!isChanging(action)) return cardResponse(await this.card(stored));
    if (action.state !== decisionState(stored.case)) {
      return cardResponse(
        await this.card(stored, {
          tone: 'warning',
          text: 'Someone else changed this case since this card was shown. Here it is now; nothing was changed. Check, then try again.',
        }),
      );
    }
    const staff = access.staff;
    const decided: { outcome: ActionOutcome | null } = { outcome: null };
    const key = `${context.activity.id ?? ''}:${action.verb}`;
    const result = await updateCase(this.deps.cases, stored.case.reference, key, (current) => {
      if (decisionState(current.case) !== action.state) return null;
      const outcome = decideStaffAction(current.case, action, this.context(staff));
      decided.outcome = outcome;
      return outcome.ok ? { next: outcome.next, event: outcome.event, events: outcome.events } : null;
    });
    const fresh = result?.stored ?? (await this.deps.cases.get(stored.case.reference)) ?? stored;
    const outcome = decided.outcome;
    if (!result || !outcome) {
      const text =
        outcome && !outcome.ok ? outcome.explanation : 'This case changed just now, before your action could be made. Here it is now; nothing was changed.';
      return cardResponse(await this.card(fresh, { tone: outcome && !outcome.ok ? 'attention' : 'warning', text }));
    }
    if (!result.applied) return cardResponse(await this.card(fresh, { tone: 'good', text: 'That was already done.' }));
    if (!outcome.ok) return cardResponse(await this.card(fresh));
    this.log(context).info('staff.acted', { verb: action.verb });
    // What the complainant is told goes by the outbox: the thread's status line shows whether they have seen it.
    const done = outcome.tellComplainant ? `${outcome.done} ${TOLD}` : outcome.done;
    if (outcome.tellComplainant) await this.send(context, threadActivity({ text: `${staff.name}: ${outcome.done}` }));
    const latest = (await this.deps.cases.get(stored.case.reference)) ?? fresh;
    await this.updateRoot(context, latest);
    return cardResponse(await this.card(latest, { tone: 'good', text: done }));
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
      const card = await this.card(stored);
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
    const access = checkStaffInChannel(activity, this.deps.rules);
    if (!access.allowed) {
      this.refused(access.reason, context, 'thread-reply');
      if (access.reason === 'not-staff') await this.send(context, 'Only members of the complaints team can message complainants from here. Nothing was sent.');
      return;
    }
    const stored = await this.caseOfThread(context, null);
    if (!stored) return;
    // A message with only attachments has no text at all.
    const raw = plainTextOf(received.text ?? '', botMentionOf(activity));
    const internal = NOTE.test(raw);
    const whole = raw.replace(NOTE, '');
    const text = cleanAnswer(whole, MAX_RELAYED);
    const cut = whole.length > MAX_RELAYED ? ` It was longer than ${String(MAX_RELAYED)} characters, so only the first ${String(MAX_RELAYED)} were kept.` : '';
    if (!hasVisibleText(text)) {
      if (internal || (activity.attachments?.length ?? 0) > 0) await this.send(context, 'Only text can be relayed or noted; nothing was sent.');
      return;
    }
    const facts = { policy: this.deps.policy, now: this.deps.clock.now(), staff: access.staff };
    const key = `${activity.id ?? ''}:${internal ? 'note' : 'relay'}`;
    // What the complainant is told (null for a note), as the transition words it.
    const told: { text: string | null } = { text: null };
    const result = await updateCase(this.deps.cases, stored.case.reference, key, (current) => {
      const { next, event, events } = internal ? note(current.case, { text }, facts) : messageFromStaff(current.case, { text }, facts);
      told.text = chatTextOf(events);
      return { next, event, events };
    });
    if (!result?.applied) return;
    // A message goes by the outbox; its status line in the thread says when it is sent and seen.
    if (told.text === null) await this.send(context, `Internal note recorded on the case. It was not sent to the complainant.${cut}`);
    else if (cut) await this.send(context, cut.trim());
    await this.updateRoot(context, (await this.deps.cases.get(stored.case.reference)) ?? result.stored);
  }

  private async onPersonalMessage(context: TurnContext): Promise<void> {
    const access = checkStaff(context.activity, this.deps.rules);
    if (!access.allowed) {
      this.refused(access.reason, context, 'personal-chat');
      await this.send(context, 'This app is for the complaints team. To make or check on a complaint, please use the chat on our website.');
      return;
    }
    const mine = await this.deps.cases.listByHandler(access.staff.id, { limit: 50 });
    const lines = [];
    for (const reference of mine.slice(0, 20)) {
      const stored = isCaseReference(reference) ? await this.deps.cases.get(reference) : null;
      if (stored && stored.case.handler?.id === access.staff.id) {
        lines.push(`- ${formatReference(reference)}: ${this.deps.policy.stage(stored.case.procedure, stored.case.stage).name}, ${stored.case.status}`);
      }
    }
    await this.send(context, {
      type: 'message',
      textFormat: 'markdown',
      text:
        lines.length > 0
          ? `Cases assigned to you:\n\n${lines.join('\n')}\n\nAct on them from their cards in the complaints channel.`
          : 'No cases are assigned to you. New complaints appear as cards in the complaints channel; use "Assign to me" there.',
    });
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
