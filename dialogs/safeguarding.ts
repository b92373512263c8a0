/**
 * When something said suggests a child or adult may be at risk. The person is told at once what
 * to do now; staff are told at once too, through a queue of urgent concerns that keeps it until
 * they have been (whether or not there is a complaint yet); and every such note is kept with the
 * complaint it belongs to:
 * - while a complaint is being written, with its draft (so it goes, or is dropped, with it);
 * - once the person has found their case (checking it or taking it further), on that case;
 * - otherwise held in conversation memory until one of those happens.
 */
import type { TurnContext } from 'botbuilder';
import type { Case } from '../src/cases/case.js';
import { updateCase } from '../src/cases/case-store.js';
import { StorageUnavailable } from '../src/cases/errors.js';
import { flag } from '../src/cases/transitions/flag.js';
import { withNote } from '../src/cases/transitions/safeguarding-notes.js';
import { concernId } from '../src/outbox/urgent-concern.js';
import { cleanAnswer } from '../src/text/clean-text.js';
import type { CaseReference } from '../src/cases/reference.js';
import { type ComplaintDialogPorts, type ConversationMemory, logOf, type SafeguardingNotes, type UnsentConcern } from './ports.js';
import { causedBy, storedReferenceOf } from './turn.js';

/** Puts safeguarding notes on a case, recording that it was flagged; returns the case as it now is. */
async function flagCase(
  ports: ComplaintDialogPorts,
  context: TurnContext,
  reference: CaseReference,
  notes: SafeguardingNotes,
  staffAlreadyTold: boolean,
): Promise<Case | null> {
  const now = ports.clock.now();
  const result = await updateCase(ports.cases, reference, causedBy(context, 'safeguarding', now.toISOString()), (current) =>
    flag(current.case, { safeguarding: notes, staffAlreadyTold }, { now }),
  );
  return result?.stored.case ?? null;
}

/**
 * Forgets the complaint being written (cancelled, declined, not ours, or from before an
 * upgrade), keeping any safeguarding notes in it: they were about someone's safety, not about
 * the complaint. Says whether there were any.
 */
export function dropDraft(memory: ConversationMemory): { readonly hadDraft: boolean; readonly keptConcerns: boolean } {
  const draft = memory.draft;
  if (!draft) return { hadDraft: false, keptConcerns: false };
  delete memory.draft;
  if (!draft.safeguarding) return { hadDraft: true, keptConcerns: false };
  let held = memory.safeguarding;
  for (const note of draft.safeguarding.notes) held = withNote(held, note, draft.safeguarding.raisedAt);
  if (held) memory.safeguarding = held;
  return { hadDraft: true, keptConcerns: true };
}

/** The most concerns kept waiting to be told to staff, when telling them failed. */
const UNSENT_LIMIT = 10;

async function tellStaff(ports: ComplaintDialogPorts, context: TurnContext, concern: UnsentConcern, reference: CaseReference | null): Promise<boolean> {
  try {
    await ports.concerns.raiseConcern({
      id: concernId(context.activity.conversation.id, concern.raisedAt, concern.note),
      note: concern.note,
      raisedAt: concern.raisedAt,
      reference,
      conversation: storedReferenceOf(context),
    });
    return true;
  } catch (error) {
    logOf(ports, context).error('safeguarding.not-kept', { error: error instanceof Error ? error.name : 'unknown' });
    return false;
  }
}

/**
 * Tries again to tell staff about concerns that could not be sent when they were raised. Run at
 * the start of every turn; each stays queued until it is told.
 */
export async function retryUnsentConcerns(ports: ComplaintDialogPorts, context: TurnContext): Promise<void> {
  const memory: ConversationMemory = await ports.memory.get(context, {});
  const unsent = memory.unsentConcerns;
  if (!unsent || unsent.length === 0) return;
  const still: UnsentConcern[] = [];
  for (const concern of unsent) {
    if (!(await tellStaff(ports, context, concern, null))) still.push(concern);
  }
  if (still.length > 0) memory.unsentConcerns = still;
  else delete memory.unsentConcerns;
  logOf(ports, context).info('safeguarding.retried', { told: unsent.length - still.length, waiting: still.length });
}

/**
 * What to tell the person, and what to do with what they said. `lodging`: whether the question
 * open is part of the complaint being written (the note goes with it); otherwise the note goes
 * on the case the person has found, or is held until they find or make one.
 */
export async function raiseConcern(ports: ComplaintDialogPorts, context: TurnContext, text: string, lodging: boolean): Promise<void> {
  const memory: ConversationMemory = await ports.memory.get(context, {});
  const now = ports.clock.now().toISOString();
  const note = cleanAnswer(text, 1000) || '(no words)';
  let onCase: Case | null = null;
  let flagFailed = false;

  if (lodging && memory.draft) {
    memory.draft.safeguarding = withNote(memory.draft.safeguarding, note, now);
  } else if (memory.verifiedReference ?? memory.caseLink) {
    // Their own case: proved theirs here, or made here.
    const reference = memory.verifiedReference ?? memory.caseLink;
    try {
      // Staff are told these words below, at once, with the case: the flag itself alerts nobody again.
      onCase = reference ? await flagCase(ports, context, reference, { raisedAt: now, notes: [note] }, true) : null;
    } catch (error) {
      if (!(error instanceof StorageUnavailable)) throw error;
      flagFailed = true;
    }
    if (!onCase) memory.safeguarding = withNote(memory.safeguarding, note, now);
  } else {
    memory.safeguarding = withNote(memory.safeguarding, note, now);
  }

  const concern = { note, raisedAt: now };
  const told = await tellStaff(ports, context, concern, onCase?.reference ?? null);
  if (!told) memory.unsentConcerns = [...(memory.unsentConcerns ?? []), concern].slice(0, UNSENT_LIMIT);
  logOf(ports, context).warn('safeguarding.raised', { inComplaint: lodging && memory.draft !== undefined, onCase: onCase !== null, told, flagFailed });

  const passedOn = told
    ? `I’ve passed what you said to our team straight away, so that they see it ` +
      `urgently.${lodging && memory.draft ? ' It will also go with your complaint. You can carry on below.' : ''}`
    : 'I couldn’t pass this on to our team just now, so please use the numbers above if you are worried about someone’s safety.';
  if (memory.safeguardingAdviceGiven) {
    await context.sendActivity(`${told ? 'I’ve passed that on to our team as urgent too.' : passedOn} If anyone is in immediate danger, call 999.`);
    return;
  }
  memory.safeguardingAdviceGiven = true;
  const numbers = ports.service.safeguarding;
  await context.sendActivity(
    [
      'It sounds as though someone may be at risk of harm. **If anyone is in immediate danger, call 999 now.**',
      `- Worried about a child? Call ${numbers.children}, or the NSPCC helpline on 0808 800 5000.`,
      `- Worried about an adult? Call ${numbers.adults}.`,
      '- Having thoughts of suicide or self-harm? Samaritans are there any time, free, on 116 123.',
      passedOn,
    ].join('\n\n'),
  );
}

/**
 * Once a person has found their case: puts any notes held in memory on it. A failure leaves the
 * notes in memory (staff were told when they were said).
 */
export async function attachHeldConcerns(ports: ComplaintDialogPorts, context: TurnContext, reference: CaseReference): Promise<void> {
  const memory = await ports.memory.get(context, {});
  const held = memory.safeguarding;
  if (!held) return;
  try {
    const flagged = await flagCase(ports, context, reference, held, false);
    if (!flagged) return;
    // Staff are alerted by the outbox (the flag's event was saved with it).
    delete memory.safeguarding;
  } catch (error) {
    logOf(ports, context).error('safeguarding.attach-failed', { error: error instanceof Error ? error.name : 'unknown' });
  }
}
