/**
 * Who is complaining, and for whom. For children's social care the people entitled to complain
 * are listed by the procedure; anyone else may still ask, and the council decides.
 */
import type { Dialog, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Case } from '../../src/cases/case.js';
import { cleanAnswer } from '../../src/text/clean-text.js';
import type { DraftWho } from '../draft.js';
import { ask, QuestionPrompt, values } from '../prompts.js';
import { type ComplaintDialogPorts, logOf } from '../ports.js';
import { normalise } from '../recognisers.js';
import type { DialogFlow } from '../flow.js';
import { VersionedWaterfallDialog } from '../versioning.js';

export const WHO_DIALOG = 'who';
const NAME_PROMPT = 'who-name';

type Relationship = Case['complainant']['relationship'];

const FOR_WHOM = ['For myself', 'For someone else'];

/** The relationships offered as buttons for each procedure, with how each is stored. */
const RELATIONSHIPS: Readonly<Record<string, readonly (readonly [string, Relationship])[]>> = {
  'la-childrens-services': [['Parent', 'parent'], ['Foster carer', 'foster-carer'], ['Someone with parental responsibility', 'parental-responsibility'], ['Relative or carer', 'relative'], ['Advocate', 'advocate'], ['Other', 'other']],
  'nhs-health': [['Parent', 'parent'], ['Relative or carer', 'relative'], ['Advocate', 'advocate'], ['Other', 'other']],
  'nhs-choices': [['Relative or carer', 'relative'], ['Representative', 'representative'], ['Other', 'other']],
};

/**
 * How the person chatting relates to the person affected. "My son" and "I'm his mum" both make
 * them a parent; "my mum" makes them a relative (the person affected is the parent).
 */
function relationshipFrom(said: string, procedure: string): Relationship | null {
  const options = RELATIONSHIPS[procedure] ?? RELATIONSHIPS['nhs-choices'] ?? [];
  const byButton = options.find(([label]) => normalise(label) === said);
  if (byButton) return byButton[1];
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

/** Asks who is complaining and, if for someone else, who and how they are related. */
export class WhoFlow implements DialogFlow {
  readonly dialogs: readonly Dialog[];

  constructor(private readonly ports: ComplaintDialogPorts) {
    this.dialogs = [
      new VersionedWaterfallDialog(WHO_DIALOG, 1, [
        this.askForWhom.bind(this),
        this.askRelationship.bind(this),
        this.askTheirName.bind(this),
        this.askOwnName.bind(this),
        this.finish.bind(this),
      ]),
      new QuestionPrompt(NAME_PROMPT, async (prompt) => {
        const name = (prompt.recognized.value ?? '').trim();
        if (/\p{L}/u.test(name) && name.length <= 200) return true;
        await prompt.context.sendActivity(name.length > 200 ? 'That’s longer than a name. Please type just your name.' : 'Please type your name, using letters.');
        return false;
      }),
    ];
  }

  private procedure(step: WaterfallStepContext): string {
    return (step.options as { procedure?: string }).procedure ?? 'nhs-choices';
  }

  private askForWhom(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const again = (step.options as { again?: boolean }).again === true;
    return ask(step, {
      text: again
        ? 'Sorry, I didn’t catch that. Is the complaint for you, or for someone else (for example your child or a relative)?'
        : 'Are you making this complaint for yourself, or for someone else?',
      help: 'Tell me whether the complaint is about something that happened to you, or to someone else, such as your child or a relative. You can complain for someone else; we may check that they agree, or that you can act for them.',
      buttons: FOR_WHOM,
    });
  }

  private askRelationship(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const said = normalise(String(step.result));
    const forWhom = forWhomFrom(said);
    if (forWhom === null) return step.replaceDialog(WHO_DIALOG, { ...step.options, again: true });
    values(step)['forSelf'] = forWhom === 'self';
    if (forWhom === 'self') return step.next();
    // "For my son" already says how they are related.
    const already = said === normalise(FOR_WHOM[1] ?? '') ? null : relationshipFrom(said, this.procedure(step));
    if (already && already !== 'other') return step.next(String(step.result));
    const options = RELATIONSHIPS[this.procedure(step)] ?? [];
    return ask(step, {
      text: 'What is your relationship to them?',
      help: this.procedure(step) === 'la-childrens-services'
        ? 'For children’s social care, complaints can be made by the child or young person, a parent, a foster carer, someone with parental responsibility, or someone else the council agrees has a real interest in the child’s welfare. If you’re not sure, choose "Other" and tell me.'
        : 'Tell me how you know the person the complaint is about, for example "parent", "carer" or "advocate".',
      buttons: options.map(([label]) => label),
    });
  }

  private async askTheirName(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (values(step)['forSelf'] === true) return step.next();
    const said = normalise(String(step.result));
    const relationship = relationshipFrom(said, this.procedure(step)) ?? 'other';
    values(step)['relationship'] = relationship;
    values(step)['relationshipDetail'] = ['other', 'relative', 'carer', 'representative'].includes(relationship) ? cleanAnswer(String(step.result), 200) : null;
    if (relationship === 'other' && this.procedure(step) === 'la-childrens-services') {
      await step.context.sendActivity('Thank you. The council will check whether you can complain for them: usually that means they agree, or you have a real interest in their welfare. Your complaint will still be recorded.');
    }
    return ask(step, {
      text: 'What is their name? If it’s a child, you can add their age. (Type "skip" if you’d rather not say.)',
      help: 'Their name helps the team find the right records. You can leave it out by typing "skip", and the team may ask you later.',
    });
  }

  private askOwnName(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (values(step)['forSelf'] !== true) values(step)['theirName'] = nameOrNull(String(step.result));
    return ask(step, { text: 'And what is your name?', help: 'Your name, so the team know who they’re writing to. Any name you’re known by is fine.' }, NAME_PROMPT);
  }

  private finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const forSelf = values(step)['forSelf'] === true;
    const theirName = values(step)['theirName'] as string | null | undefined;
    const who: DraftWho = {
      complainantName: cleanAnswer(String(step.result), 200),
      relationship: forSelf ? 'self' : (values(step)['relationship'] as Relationship),
      relationshipDetail: forSelf ? null : (values(step)['relationshipDetail'] as string | null),
      personAffected: forSelf ? null : { name: theirName ?? null, description: null, child: null },
    };
    logOf(this.ports, step.context).info('lodge.who', { forSelf });
    return step.endDialog(who);
  }
}
