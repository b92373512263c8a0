/**
 * What the public dialogs are given to work with: ports, never clients. The composition root
 * (the server) passes Redis-backed or in-memory stores, the real clock or a fixed one, and the
 * durable queue for urgent concerns or an in-process one; the dialogs cannot tell the difference.
 */
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { CaseStore } from '../src/cases/case-store.js';
import type { CaseReference } from '../src/cases/reference.js';
import type { Clock } from '../src/ports/clock.js';
import type { DateParser } from '../src/ports/date-parser.js';
import { type Logger, turnLogger } from '../src/ports/logger.js';
import type { ServiceDetails } from '../src/ports/service-details.js';
import type { UrgentConcerns } from '../src/ports/urgent-concerns.js';
import type { EscalationPolicy } from '../src/policy/index.js';
import type { ComplaintDraft, SafeguardingNotes } from './draft.js';

export type { SafeguardingNotes } from './draft.js';

/** A concern that could not be kept to be told to staff (storage failed); tried again every turn. */
export interface UnsentConcern {
  readonly note: string;
  readonly raisedAt: string;
}

/** What the conversation remembers between turns, outside any one dialog. */
export interface ConversationMemory {
  /** The complaint being written, kept until it is sent or abandoned (and through a failed save). */
  draft?: ComplaintDraft;
  /** Safeguarding notes not yet with a complaint (see `safeguarding.ts`). */
  safeguarding?: SafeguardingNotes;
  /** Concerns staff have not been told about yet. */
  unsentConcerns?: UnsentConcern[];
  /** Whether the person has been given the safeguarding numbers in this conversation. */
  safeguardingAdviceGiven?: boolean;
  /** The case the person proved is theirs in this conversation (reference and second factor). */
  verifiedReference?: CaseReference;
  /**
   * The case this conversation belongs to: lodged here, or last proved to be theirs. What they
   * write outside a question goes to its staff; kept through "cancel".
   */
  caseLink?: CaseReference;
  /**
   * The complaint sent from this conversation, and the access code it was given (if any), so
   * that pressing "Send complaint" again (its confirmation lost to a dropped connection) shows
   * the reference and the response date again instead of becoming a message to staff.
   */
  lodgedHere?: { readonly reference: CaseReference; readonly accessCode?: string };
}

/** Everything the dialogs need. */
export interface ComplaintDialogPorts {
  readonly cases: CaseStore;
  readonly policy: EscalationPolicy;
  readonly clock: Clock;
  readonly dates: DateParser;
  /** Where words suggesting someone is at risk go, to staff. */
  readonly concerns: UrgentConcerns;
  readonly service: ServiceDetails;
  /** For lines logged outside a request; within a turn, log through `logOf`. */
  readonly log: Logger;
  /** The conversation's memory, in conversation state. */
  readonly memory: StatePropertyAccessor<ConversationMemory>;
  /** Waits before answering again after failed lookups (slowing guessing); instant in tests. */
  readonly pause: (ms: number) => Promise<void>;
}

/** The logger for what this turn does: its lines carry the correlation id of the request it came in. */
export function logOf(ports: Pick<ComplaintDialogPorts, 'log'>, context: TurnContext): Logger {
  return turnLogger(context, ports.log);
}
