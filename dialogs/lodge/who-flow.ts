/**
 * Who is complaining, and for whom. For children's social care the people entitled to complain
 * are listed by the procedure; anyone else may still ask, and the council decides. For NHS care
 * made for someone else, we ask whether they are under 18: a complaint for a child is considered
 * once the NHS body is satisfied someone else may make it (SI 2009/309 reg 5). Nobody is turned
 * away: where the rulebook says staff must decide first, the person is told so, kindly, and the
 * case carries the flag.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Case } from '../../src/cases/case.js';
import { cleanAnswer } from '../../src/text/clean-text.js';
import type { DraftWho } from '../draft.js';
import { ask, QuestionPrompt, values } from '../prompts.js';
import { type ComplaintDialogPorts, logOf } from '../ports.js';
import { normalise, readYesNo } from '../recognisers.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';

export const WHO_DIALOG = 'who';
const NAME_PROMPT = 'who-name';
const CHILD_PROMPT = 'who-child';

type Relationship = Case['complainant']['relationship'];

/** How the questions are begun (by the complaint, with its procedure and route) and asked again. */
interface WhoOptions {
  readonly procedure?: string;
  /** The route chosen at the first stage (NHS provider or commissioner), if any. */
  readonly route?: string | null;
  /** The first answer was not understood. */
  readonly again?: boolean;
}

/**
 * What the questions keep between steps (saved with the conversation: keep the keys). For a
 * complaint for someone else, `relationship` and `relationshipDetail` are kept by the step that
 * asks, before any step reads them.
 */
interface WhoValues {
  forSelf?: boolean;
  relationship: Relationship;
  relationshipDetail: string | null;
  /** Whether "under 18?" was asked (only where the procedure treats a child differently). */
  askedChild?: boolean;
  child?: boolean | null;
  theirName?: string | null;
}

function kept(step: WaterfallStepContext<WhoOptions>): WhoValues {
  return values<WhoValues>(step);
}

const FOR_WHOM = ['For myself', 'For someone else'];
const UNDER_18 = ['Yes', 'No', 'Not sure'];

/** The relationships offered as buttons for each procedure, with how each is stored. */
const RELATIONSHIPS: Readonly<Record<string, readonly (readonly [string, Relationship])[]>> = {
  'la-childrens-services': [
    ['Parent', 'parent'],
    ['Foster carer (the council placed the child with me)', 'foster-carer'],
    ['Someone with parental responsibility', 'parental-responsibility'],
    ['Relative or carer', 'relative'],
    ['Advocate', 'advocate'],
    ['Other', 'other'],
  ],
  'nhs-health': [
    ['Parent', 'parent'],
    ['Relative or carer', 'relative'],
    ['Advocate', 'advocate'],
    ['Other', 'other'],
  ],
  'nhs-choices': [
    ['Relative or carer', 'relative'],
    ['Representative', 'representative'],
    ['Other', 'other'],
  ],
};

/**
 * How the person chatting relates to the person affected. "My son" and "I'm his mum" both make
 * them a parent; "my mum" makes them a relative (the person affected is the parent).
 */
function relationshipFrom(said: string, procedure: string): Relationship | null {
  const options = RELATIONSHIPS[procedure] ?? RELATIONSHIPS['nhs-choices'] ?? [];
  const byButton = options.find(([label]) => normalise(label) === said);
  if (byButton) return byButton[1];
  // Only a local authority foster parent is entitled (Children Act 1989 s26(3)); a private one is asked about.
  if (/\bprivate(ly)? foster/.test(said)) return 'other';
  if (/\bfoster/.test(said)) return 'foster-carer';
  if (/parental responsibility|guardian/.test(said)) return 'parental-responsibility';
  if (/\bmy (mum|mom|mother|dad|father|parents?|step-?(mum|dad|mother|father))\b/.test(said)) return 'relative';
  if (/\b(son|daughter|child|children|kids?|boy|girl|baby|toddler|teenager|step-?(son|daughter|child))\b/.test(said)) return 'parent';
  if (/\b(mum|mom|mother|dad|father|parent|step-?(mum|dad|parent))\b/.test(said)) return 'parent';
  if (/\badvocate\b/.test(said)) return 'advocate';
  if (/\b(gran|grand\w*|aunt|auntie|uncle|sister|brother|sibling|relative|cousin|nephew|niece|husband|wife|partner|family)\b/.test(said)) return 'relative';
  if (/\bcarer\b/.test(said)) return 'carer';
  if (/\b(solicitor|lawyer|mp|councillor|representative|social worker|support worker|key worker|teacher)\b/.test(said)) return 'representative';
  if (/\b(friend|neighbour|neighbor|other)\b/.test(said)) return 'other';
  return null;
}

/** Whether an answer to "for yourself or someone else?" says which; null when it does not. */
function forWhomFrom(said: string): 'self' | 'other' | null {
  if (said === normalise(FOR_WHOM[0] ?? '')) return 'self';
  if (said === normalise(FOR_WHOM[1] ?? '')) return 'other';
  const other = /\b(someone|somebody|else|another|on behalf|for (him|her|them)|my (?!own\b)\w+|their|his|her)\b/.test(said);
  const self = /\b(myself|me|self|mine|my own|i am|i'm|personally)\b/.test(said) || /^(1|me|myself|i)$/.test(said);
  if (/\bmy own (son|daughter|child|children|kids?|boy|girl|baby|mum|mom|dad|mother|father|parents?)\b/.test(said)) return 'other';
  if (other && !/^(for )?(myself|me)$/.test(said)) return 'other';
  if (self) return 'self';
  if (said === '2') return 'other';
  return null;
}

/** A name as given, or null for "skip". */
function nameOrNull(text: string): string | null {
  const name = cleanAnswer(text, 200);
  return /^(skip|no|n\/a|rather not( say)?|prefer not to say|-)$/i.test(name) ? null : name;
}

/**
 * Whether an answer says the person is under 18: true, false, null for "not sure", or undefined
 * when it says none of these. "Yes", "she's 15" and "a baby" are under 18; "no" and "an adult" not.
 */
function under18From(text: string): boolean | null | undefined {
  const said = normalise(text).replace(/[.!?]+$/, '');
  if (said === '') return undefined;
  if (/\b(not sure|unsure|don'?t know|do not know|no idea|idk|can'?t say)\b/.test(said)) return null;
  if (/\b(over 18|18 or over|18 or older|adults?|grown[- ]up)\b/.test(said)) return false;
  if (/\b(under 18|under eighteen|child|minor|baby|toddler|teen\w*|kid)\b/.test(said)) return true;
  const age = /^(?:(?:he|she|they)(?:'s| is| are)\s+|aged?\s+)?(\d{1,3})(?:\s*(?:years?|yrs?)(?:\s+old)?)?$/.exec(said)?.[1];
  if (age !== undefined) return Number(age) < 18;
  return readYesNo(said).answer ?? undefined;
}

/** Whether a step's result is this dialog's answer (undefined when the questions were not asked). */
export function isDraftWho(result: unknown): result is DraftWho {
  return typeof result === 'object' && result !== null && 'complainantName' in result;
}

/** Asks who is complaining and, if for someone else, who and how they are related. */
export class WhoFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      new VersionedWaterfallDialog<WhoOptions>(WHO_DIALOG, 2, [
        this.askForWhom.bind(this),
        this.askRelationship.bind(this),
        this.askIfChild.bind(this),
        this.askTheirName.bind(this),
        this.askOwnName.bind(this),
        this.finish.bind(this),
      ]),
      new QuestionPrompt(NAME_PROMPT, async (prompt) => {
        const name = (prompt.recognized.value ?? '').trim();
        if (/\p{L}/u.test(name) && name.length <= 200) return true;
        await prompt.context.sendActivity(
          name.length > 200 ? 'That’s longer than a name. Please type just your name.' : 'Please type your name, using letters.',
        );
        return false;
      }),
      new QuestionPrompt(CHILD_PROMPT, (prompt) => Promise.resolve(prompt.recognized.succeeded && under18From(prompt.recognized.value ?? '') !== undefined)),
    ];
  }

  private procedure(step: WaterfallStepContext<WhoOptions>): string {
    return step.options.procedure ?? 'nhs-choices';
  }

  /** The route chosen at the first stage (NHS provider or commissioner), if any. */
  private route(step: WaterfallStepContext<WhoOptions>): string | null {
    return step.options.route ?? null;
  }

  private askForWhom(step: WaterfallStepContext<WhoOptions>): Promise<DialogTurnResult> {
    const again = step.options.again === true;
    return ask(step, {
      text: again
        ? 'Sorry, I didn’t catch that. Is the complaint for you, or for someone else (for example your child or a relative)?'
        : 'Are you making this complaint for yourself, or for someone else?',
      help:
        'Tell me whether the complaint is about something that happened to you, or to someone else, such as your child or a relative. You can ' +
        'complain for someone else; we may check that they agree, or that you can act for them.',
      buttons: FOR_WHOM,
    });
  }

  private askRelationship(step: WaterfallStepContext<WhoOptions>): Promise<DialogTurnResult> {
    const said = normalise(String(step.result));
    const forWhom = forWhomFrom(said);
    if (forWhom === null) return step.replaceDialog(WHO_DIALOG, { ...step.options, again: true } satisfies WhoOptions);
    kept(step).forSelf = forWhom === 'self';
    if (forWhom === 'self') return step.next();
    // "For my son" already says how they are related.
    const already = said === normalise(FOR_WHOM[1] ?? '') ? null : relationshipFrom(said, this.procedure(step));
    if (already && already !== 'other') return step.next(String(step.result));
    const options = RELATIONSHIPS[this.procedure(step)] ?? [];
    const who = this.ports.policy.procedure(this.procedure(step)).whoMayComplain;
    return ask(step, {
      text: 'What is your relationship to them?',
      help: who
        ? `Complaints about this service can be made by:\n\n${who.people.map((person) => `- ${person}`).join('\n')}\n\nIf you’re not sure, choose ` +
          `"Other" and tell me. Your complaint will still be recorded.`
        : 'Tell me how you know the person the complaint is about, for example "parent", "carer" or "advocate".',
      buttons: options.map(([label]) => label),
    });
  }

  private async askIfChild(step: WaterfallStepContext<WhoOptions>): Promise<DialogTurnResult> {
    if (kept(step).forSelf === true) return step.next();
    const said = normalise(String(step.result));
    const relationship = relationshipFrom(said, this.procedure(step)) ?? 'other';
    kept(step).relationship = relationship;
    kept(step).relationshipDetail = ['other', 'relative', 'carer', 'representative'].includes(relationship) ? cleanAnswer(String(step.result), 200) : null;
    // Only where the procedure treats a complaint for a child differently is it worth asking.
    if (!this.ports.policy.procedure(this.procedure(step)).representativeForChild) {
      await this.tellStanding(step, null);
      return step.next();
    }
    kept(step).askedChild = true;
    return ask(
      step,
      {
        text: 'Is the person you’re complaining for under 18?',
        help:
          'When a complaint is about a child or young person under 18, the NHS organisation makes a short check first that it’s right for someone ' +
          'else to make it for them. Choose "Not sure" if you don’t know.',
        buttons: UNDER_18,
        retry: 'Sorry, I didn’t catch that. Is the person you’re complaining for under 18? You can say yes, no, or not sure.',
      },
      CHILD_PROMPT,
    );
  }

  private async askTheirName(step: WaterfallStepContext<WhoOptions>): Promise<DialogTurnResult> {
    if (kept(step).forSelf === true) return step.next();
    if (kept(step).askedChild === true) {
      const child = under18From(String(step.result)) ?? null;
      kept(step).child = child;
      await this.tellStanding(step, child);
    }
    return ask(step, {
      text: 'What is their name? If it’s a child, you can add their age. (Type "skip" if you’d rather not say.)',
      help: 'Their name helps the team find the right records. You can leave it out by typing "skip", and the team may ask you later.',
    });
  }

  private askOwnName(step: WaterfallStepContext<WhoOptions>): Promise<DialogTurnResult> {
    if (kept(step).forSelf !== true) kept(step).theirName = nameOrNull(String(step.result));
    return ask(
      step,
      { text: 'And what is your name?', help: 'Your name, so the team know who they’re writing to. Any name you’re known by is fine.' },
      NAME_PROMPT,
    );
  }

  /**
   * Where the rulebook says staff must decide something about who is complaining before the
   * complaint is considered, says so kindly: it will still be recorded, and what is checked.
   */
  private async tellStanding(step: WaterfallStepContext<WhoOptions>, child: boolean | null): Promise<void> {
    const relationship = kept(step).relationship;
    const standing = this.ports.policy.assessStanding({ procedure: this.procedure(step), relationship, personAffectedIsChild: child });
    if (standing.status !== 'needs-decision') return;
    const body = this.decidedBy(step, standing.check);
    await step.context.sendActivity(
      standing.check === 'sufficient-interest'
        ? `Thank you. Your complaint will still be recorded. First, ${body} will decide ${standing.toComplainant}: that is, a real interest in how they ` +
            `are and what happens to them. This is a usual step, not a judgement about you, and they’ll let you know.`
        : child === null
          ? `Thank you. Your complaint will still be recorded. Because they may be under 18, ${body} will first check their age and, if they are, ` +
            `${standing.toComplainant}, rather than the child complaining themselves. This is a usual check, not a doubt about you, and they’ll let ` +
            `you know.`
          : `Thank you. Your complaint will still be recorded. Because it’s about a child, ${body} will first check ${standing.toComplainant}, ` +
            `rather than the child complaining themselves. This is a usual check, not a doubt about you, and they’ll let you know.`,
    );
  }

  /** Who makes a decision about who is complaining, as the public would name them. */
  private decidedBy(step: WaterfallStepContext<WhoOptions>, check: 'sufficient-interest' | 'representative-for-child'): string {
    if (check === 'sufficient-interest') return 'the council';
    const routes = this.ports.policy.stages(this.procedure(step))[0]?.handler.routes ?? [];
    const route = routes.find((candidate) => candidate.id === this.route(step));
    return route ? `the ${route.role}` : 'the NHS organisation';
  }

  private finish(step: WaterfallStepContext<WhoOptions>): Promise<DialogTurnResult> {
    const { forSelf: saidForSelf, relationship, relationshipDetail, theirName, child } = kept(step);
    const forSelf = saidForSelf === true;
    const who: DraftWho = {
      complainantName: cleanAnswer(String(step.result), 200),
      relationship: forSelf ? 'self' : relationship,
      relationshipDetail: forSelf ? null : relationshipDetail,
      personAffected: forSelf ? null : { name: theirName ?? null, description: null, child: child ?? null },
    };
    logOf(this.ports, step.context).info('lodge.who', { forSelf });
    return step.endDialog(who);
  }
}
