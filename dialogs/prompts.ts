/**
 * Asking a question. Every question carries its own help text (shown when the person types
 * "help") and may offer buttons; answers are free text, understood by the step that follows,
 * so buttons and typed words work alike on every channel.
 *
 * A prompt keeps its options in the conversation's state until it is answered, so they are kept
 * small: the question's words, buttons and help as plain strings, made into a message only when
 * the question is (re)asked. (Bot Framework's way, a whole message activity for the prompt and
 * another for the retry, tripled the size of a conversation's state.)
 */
import type { TurnContext } from 'botbuilder';
import type { PromptOptions, PromptRecognizerResult, PromptValidatorContext, WaterfallStepContext, DialogTurnResult } from 'botbuilder-dialogs';
import { TextPrompt } from 'botbuilder-dialogs';
import { hasVisibleText } from '../src/text/clean-text.js';
import { type Choice, recogniseChoice, recogniseYesNo } from './recognisers.js';
import { withButtons } from './wording.js';

/** The one prompt most questions use: any text that is not blank. */
export const ANSWER_PROMPT = 'answer';

/** A question only yes or no can answer; anything else asks again (see `Question.retry`). */
export const YES_NO_PROMPT = 'yes-no';

/** A question to ask. */
export interface Question {
  readonly text: string;
  /** What "help" explains while this question is open. */
  readonly help: string;
  readonly buttons?: readonly string[];
  /** Asked (with the same buttons) when the answer did not do: for the yes-or-no prompt. */
  readonly retry?: string;
}

/** Where a question's help text and buttons are kept in the prompt's options. */
interface QuestionValidations {
  readonly help: string;
  readonly buttons?: readonly string[];
}

/**
 * A waterfall's scratch values for this run of its steps, as what its flow keeps between them
 * (`V`, one interface per flow). They are saved with the conversation, so `V`'s keys and shapes
 * are what is stored: renaming one strands the conversations saved under the old name.
 */
// The one place the waterfall's untyped values take a flow's type: nothing in the step carries it.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function values<V extends object>(step: WaterfallStepContext): V {
  return step.values as V;
}

/** Asks a question with the given prompt (the plain answer prompt by default). */
export function ask(step: WaterfallStepContext, question: Question, promptId = ANSWER_PROMPT): Promise<DialogTurnResult> {
  const validations: QuestionValidations = question.buttons ? { help: question.help, buttons: question.buttons } : { help: question.help };
  const options: PromptOptions = { prompt: question.text, validations };
  if (question.retry !== undefined) options.retryPrompt = question.retry;
  return step.prompt(promptId, options);
}

/** The buttons kept in a prompt's options, if any. */
function buttonsOf(options: PromptOptions): readonly string[] {
  const validations = options.validations;
  const buttons = validations && 'buttons' in validations ? validations.buttons : undefined;
  return Array.isArray(buttons) ? buttons.filter((button): button is string => typeof button === 'string') : [];
}

/**
 * A text prompt for questions asked with `ask`: it makes the question's message, with its
 * buttons, from the options kept in state each time it asks. Options from before this (a whole
 * message activity) are still asked as they are.
 */
export class QuestionPrompt extends TextPrompt {
  protected override async onPrompt(context: TurnContext, state: object, options: PromptOptions, isRetry: boolean): Promise<void> {
    const text = isRetry && options.retryPrompt !== undefined ? options.retryPrompt : options.prompt;
    if (typeof text !== 'string') {
      await super.onPrompt(context, state, options, isRetry);
      return;
    }
    const buttons = buttonsOf(options);
    await context.sendActivity(buttons.length > 0 ? withButtons(text, buttons) : { type: 'message', text, inputHint: 'expectingInput' });
  }
}

/** The help text of the question open in a prompt's options, if it has one. */
export function helpOf(options: unknown): string | null {
  if (options && typeof options === 'object' && 'validations' in options) {
    const validations = options.validations;
    if (validations && typeof validations === 'object' && 'help' in validations && typeof validations.help === 'string') return validations.help;
  }
  return null;
}

/**
 * A text prompt that accepts any answer with something in it. A blank one (spaces, invisible
 * characters, an attachment with no words) gets a kind nudge instead of being taken as an answer.
 */
export function answerPrompt(id = ANSWER_PROMPT): QuestionPrompt {
  return new QuestionPrompt(id, async (prompt: PromptValidatorContext<string>) => {
    if (prompt.recognized.succeeded && hasVisibleText(prompt.recognized.value ?? '')) return true;
    await prompt.context.sendActivity('I didn’t get any words in that. Please type your answer, or type "help" if you’re not sure what to say.');
    return false;
  });
}

/** A text prompt that takes only yes or no; anything else gets the question's retry. */
export function yesNoPrompt(id = YES_NO_PROMPT): QuestionPrompt {
  return new QuestionPrompt(id, (prompt: PromptValidatorContext<string>) =>
    Promise.resolve(prompt.recognized.succeeded && recogniseYesNo(prompt.recognized.value ?? '') !== null),
  );
}

/**
 * A question answered with one of its buttons, pressed or put in the person's own words (see
 * `recogniseChoice`). An answer that picks none is asked again, in the question's retry words
 * with its buttons, never taken as one of them; the step after it is given the choice's key.
 */
export class ChoicePrompt<C extends string> extends QuestionPrompt {
  constructor(
    dialogId: string,
    private readonly choices: Readonly<Record<C, Choice>>,
    /** How an answer is read, when the choices' words are not enough (yes or no among the buttons). */
    private readonly recognise: (text: string) => C | null = (text) => recogniseChoice(text, choices),
  ) {
    super(dialogId);
  }

  /** The buttons to ask with, in order. */
  get buttons(): string[] {
    return Object.values<Choice>(this.choices).map((choice) => choice.label);
  }

  /** Whether a step's result is one of this question's choices. */
  isChoice(result: unknown): result is C {
    return typeof result === 'string' && Object.hasOwn(this.choices, result);
  }

  protected override async onRecognize(context: TurnContext, state: object, options: PromptOptions): Promise<PromptRecognizerResult<string>> {
    const text = await super.onRecognize(context, state, options);
    const choice = text.succeeded ? this.recognise(text.value ?? '') : null;
    return choice === null ? { succeeded: false } : { succeeded: true, value: choice };
  }
}
