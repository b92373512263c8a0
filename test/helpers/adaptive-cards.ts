/** Adaptive Cards checked as Teams' renderer reads them, with Microsoft's own library. */
import * as AdaptiveCards from 'adaptivecards/dist/adaptivecards.js';
import type { AdaptiveCard } from '../../src/teams/cards/case-card.js';

/** Parses a card as Teams' renderer would, collecting every complaint the library makes. */
export function problemsWith(card: AdaptiveCard): string[] {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext(AdaptiveCards.Versions.v1_5);
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1) problems.push(`parse: ${context.getEventAt(index).message}`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  if (parsed.version.major !== 1 || parsed.version.minor > 5) problems.push(`version ${parsed.version.toString()}`);
  // Nested cards (in Action.ShowCard) must not ask for more than Teams renders either.
  const nested = JSON.stringify(card).match(/"version":"(\d+)\.(\d+)"/g) ?? [];
  for (const version of nested) if (!/"1\.[0-5]"/.test(version)) problems.push(`nested ${version}`);
  return problems;
}
