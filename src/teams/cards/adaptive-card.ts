/**
 * The Adaptive Card elements the staff side uses, typed (the subset of Adaptive Cards 1.5 that
 * Teams renders and these cards need), so a card that names a property wrongly, or puts an
 * element where it cannot go, does not compile. Every card in this folder is a pure function
 * returning an `AdaptiveCard`; tests check each against the `adaptivecards` parser and
 * Microsoft's 1.5 schema (which rejects the top-level `msteams` Teams reads, the one difference).
 */

/** The highest Adaptive Card version Teams renders. */
export const CARD_VERSION = '1.5';

type Spacing = 'None' | 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
type Colour = 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface TextBlock {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap?: boolean;
  readonly weight?: 'Default' | 'Lighter' | 'Bolder';
  readonly size?: 'Default' | 'Small' | 'Medium' | 'Large' | 'ExtraLarge';
  readonly color?: Colour;
  readonly isSubtle?: boolean;
  readonly spacing?: Spacing;
}

/** Text shown literally (no Markdown): where words from the public, or staff's own, go. */
export interface TextRun {
  readonly type: 'TextRun';
  readonly text: string;
}

export interface RichTextBlock {
  readonly type: 'RichTextBlock';
  readonly inlines: readonly TextRun[];
}

export interface FactSet {
  readonly type: 'FactSet';
  readonly facts: readonly { readonly title: string; readonly value: string }[];
}

export interface Container {
  readonly type: 'Container';
  readonly items: readonly CardElement[];
  readonly style?: ContainerStyle;
  readonly bleed?: boolean;
}

export interface ActionSet {
  readonly type: 'ActionSet';
  readonly actions: readonly CardAction[];
}

export interface InputText {
  readonly type: 'Input.Text';
  readonly id: string;
  readonly label: string;
  readonly isMultiline?: boolean;
  readonly maxLength: number;
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
  readonly placeholder?: string;
}

export interface InputChoiceSet {
  readonly type: 'Input.ChoiceSet';
  readonly id: string;
  readonly label: string;
  readonly choices: readonly { readonly title: string; readonly value: string }[];
  readonly style?: 'compact' | 'expanded' | 'filtered';
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
}

export interface InputDate {
  readonly type: 'Input.Date';
  readonly id: string;
  readonly label: string;
  readonly min?: string;
  readonly max?: string;
  readonly isRequired?: boolean;
  readonly errorMessage?: string;
}

/** What a card's body holds. */
export type CardElement = TextBlock | RichTextBlock | FactSet | Container | ActionSet | InputText | InputChoiceSet | InputDate;

/** A Universal Action: the bot is invoked with its verb and data (Teams; Web Chat does not run these). */
export interface ExecuteAction {
  readonly type: 'Action.Execute';
  readonly title: string;
  readonly verb: string;
  readonly data: Readonly<Record<string, string>>;
  readonly style?: 'default' | 'positive' | 'destructive';
}

export interface ShowCardAction {
  readonly type: 'Action.ShowCard';
  readonly title: string;
  readonly card: AdaptiveCard;
}

export interface OpenUrlAction {
  readonly type: 'Action.OpenUrl';
  readonly title: string;
  readonly url: string;
}

export type CardAction = ExecuteAction | ShowCardAction | OpenUrlAction;

/** A card: what Teams shows, and (`refresh`) what it asks the bot for when someone opens it. */
export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly version: typeof CARD_VERSION;
  readonly $schema?: string;
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardAction[];
  /** Teams refreshes the card for the users named (at most 60), or everyone in a small chat without them. */
  readonly refresh?: { readonly action: ExecuteAction; readonly userIds?: readonly string[] };
  /** Teams' own property (full width in a channel); Microsoft's 1.5 schema does not know it. */
  readonly msteams?: { readonly width: 'Full' };
}

/** A TextBlock that wraps (every one here does). */
export function textBlock(text: string, extra: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

/** Words shown literally, in one run. */
export function literal(text: string): RichTextBlock {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text }] };
}

/** A Universal Action: `verb` and `data` come back to the bot. */
export function execute(title: string, verb: string, data: Readonly<Record<string, string>>, style?: ExecuteAction['style']): ExecuteAction {
  return { type: 'Action.Execute', title, verb, data, ...(style ? { style } : {}) };
}
