/**
 * How rules read aloud. Kept in one place so the bot, the staff card and the CLI say the same
 * thing in the same words.
 */
import type { Counting, StageDefinition, TimeLimitDefinition, TimeUnit } from './definition-schema.js';

/** "10 working days", "1 month", "28 days". */
export function amountText(amount: number, unit: TimeUnit): string {
  const one = amount === 1;
  switch (unit) {
    case 'working-days':
      return `${amount} working ${one ? 'day' : 'days'}`;
    case 'calendar-days':
      return `${amount} ${one ? 'day' : 'days'}`;
    case 'months':
      return `${amount} ${one ? 'month' : 'months'}`;
  }
}

/** How a period is counted, in a sentence for staff and the CLI. */
export function countingText(counting: Counting, unit: TimeUnit): string {
  if (counting === 'beginning-with') {
    return unit === 'months'
      ? 'a period beginning with its first day: it ends the day before the same date in the later month (or that month’s last day if it has no such date)'
      : 'a period beginning with its first day, which counts as day 1';
  }
  return unit === 'months'
    ? 'counted from the day: it ends on the same date in the later month (or that month’s last day if it is shorter)'
    : 'the day it starts from is not counted: day 1 is the next working day, whatever day of the week it starts on';
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
  if (limit.orAsSoonAsPracticable) text += ', or as soon as is reasonably practicable after that';
  return text;
}

/** Joins names as people write them: "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}
