/**
 * How rules read aloud. Kept in one place so the bot, the staff card and the CLI say the same
 * thing in the same words.
 */
import type { StageDefinition, TimeLimitDefinition, TimeUnit } from './definition-schema.js';

/** "10 working days", "1 month", "28 days". */
export function amountText(amount: number, unit: TimeUnit): string {
  const one = amount === 1;
  switch (unit) {
    case 'working-days': return `${amount} working ${one ? 'day' : 'days'}`;
    case 'calendar-days': return `${amount} ${one ? 'day' : 'days'}`;
    case 'months': return `${amount} ${one ? 'month' : 'months'}`;
  }
}

/**
 * A time limit as a phrase: "within 10 working days (up to 20 working days if the complaint is
 * complex, or an advocate is needed)", or "within 5 working days after the Review Panel meets".
 */
export function timeLimitText(limit: TimeLimitDefinition, stage: StageDefinition, options: { extended?: boolean } = {}): string {
  const amount = options.extended && limit.extension ? limit.extension.upTo : limit.amount;
  let text = `within ${amountText(amount, limit.unit)}`;
  if (typeof limit.from === 'object') {
    const { after } = limit.from;
    const earlier = stage.timeLimits.find((candidate) => candidate.id === after);
    text += ` after ${earlier?.description ?? after}`;
  }
  if (limit.extension && !options.extended) {
    text += ` (up to ${amountText(limit.extension.upTo, limit.unit)} if ${limit.extension.when})`;
  }
  return text;
}

/** Joins names as people write them: "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}
