/**
 * A case in full for the staff tab: every field the complainant gave, contact details, the
 * deadlines past and to come with the rule and citation behind each, the whole history as a
 * timeline, the actions the card offers for it (the same list, acted on through the same
 * transitions, writing to the complainant and the rights actions included), and a deep link to
 * its thread in the channel. Pure.
 */
import type { Case, CaseEvent } from '../cases/case.js';
import { dueOn } from '../cases/case-policy.js';
import type { EscalationPolicy } from '../policy/index.js';
import type { CardAction } from '../teams/cards/adaptive-card.js';
import { caseActions, decisionState } from '../teams/cards/case-card.js';
import { type QueueRow, queueRow } from './queue.js';

export interface CaseInFull {
  readonly row: QueueRow;
  /** What the tab sends back with a decision, so one made on an out-of-date view is refused. */
  readonly state: string;
  readonly complainant: Case['complainant'];
  readonly personAffected: Case['personAffected'];
  readonly whatHappened: string;
  readonly when: Case['when'];
  readonly outcomeWanted: string;
  readonly contact: Case['contact'];
  readonly needs: Case['needs'];
  readonly safeguardingNotes: readonly string[];
  readonly erased: Case['erased'];
  readonly lodgedAt: string;
  readonly deadlines: readonly {
    readonly stage: string;
    readonly kind: string;
    readonly due: string;
    readonly extended: boolean;
    readonly rule: string;
    readonly citation: string;
    readonly current: boolean;
  }[];
  readonly responses: readonly { readonly stage: string; readonly at: string; readonly text: string; readonly by: string | null }[];
  readonly history: readonly { readonly at: string; readonly type: string; readonly summary: string; readonly by: string; readonly words: string | null }[];
  readonly actions: readonly CardAction[];
  /** The case's thread in the channel, as a Teams deep link; null before it has one. */
  readonly threadLink: string | null;
}

/** The verb an action sends (inside its form, for one that opens a form); null for a group of actions. */
function verbOf(action: CardAction): string | null {
  const submit = action.type === 'Action.ShowCard' ? action.card.actions?.find((each) => each.type === 'Action.Execute') : action;
  return submit?.type === 'Action.Execute' ? submit.verb : null;
}

const RIGHTS_VERBS: ReadonlySet<string> = new Set(['subject-access', 'correct-details', 'erase']);

/** A Teams deep link to a channel post (its thread). */
function threadLinkOf(value: Case): string | null {
  const thread = value.teamsThread;
  if (!thread) return null;
  const query = new URLSearchParams({ tenantId: thread.tenantId, parentMessageId: thread.rootActivityId });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(thread.channelId)}/${encodeURIComponent(thread.rootActivityId)}?${query.toString()}`;
}

function byOf(actor: CaseEvent['actor']): string {
  return actor.kind === 'complainant' ? 'The complainant' : actor.kind === 'system' ? 'The service' : (actor.name ?? 'Staff');
}

export function caseInFull(
  value: Case,
  history: readonly CaseEvent[],
  policy: EscalationPolicy,
  now: Date,
  colleagues: readonly { readonly id: string; readonly name: string }[],
  /** Whether the rights actions are set up on this service (the card says they are not; the tab leaves them out). */
  options: { readonly rights: boolean } = { rights: true },
): CaseInFull {
  const row = queueRow(value, policy, now);
  const last = value.deadlines.at(-1);
  return {
    row,
    state: decisionState(value),
    complainant: value.complainant,
    personAffected: value.personAffected,
    whatHappened: value.whatHappened,
    when: value.when,
    outcomeWanted: value.outcomeWanted,
    contact: value.contact,
    needs: value.needs,
    safeguardingNotes: value.flags.safeguarding?.notes ?? [],
    erased: value.erased,
    lodgedAt: value.lodgedAt,
    deadlines: value.deadlines.map((deadline) => ({
      stage: policy.stage(value.procedure, deadline.stage).name,
      kind: deadline.kind,
      due: dueOn(value, policy, deadline),
      extended: deadline.extended,
      rule: deadline.rule,
      citation: deadline.citation,
      current: deadline === last && deadline.stage === value.stage,
    })),
    responses: value.responses.map((response) => ({
      stage: policy.stage(value.procedure, response.stage).name,
      at: response.at,
      text: response.text,
      by: response.by.name,
    })),
    history: history.map((event) => {
      const text = event.details['text'];
      const reason = event.details['reason'];
      return {
        at: event.at,
        type: event.type,
        summary: event.summary,
        by: byOf(event.actor),
        words: typeof text === 'string' ? text : typeof reason === 'string' ? reason : null,
      };
    }),
    actions: caseActions(value, policy, now, colleagues).filter((action) => options.rights || !RIGHTS_VERBS.has(verbOf(action) ?? '')),
    threadLink: threadLinkOf(value),
  };
}
