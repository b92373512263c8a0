/**
 * Every card in src/teams/cards/ parses cleanly with Microsoft's adaptivecards library as Teams
 * reads Adaptive Cards 1.5, and carries the public's and staff's words only in TextRuns: the
 * summary, the staff-only line, a held reply (posted and for staff), the history, a message, a
 * concern and the closed case's message with Reopen.
 */
import { strict as assert } from 'node:assert';
import type { Case } from '../../src/cases/case.js';
import { generateReference } from '../../src/cases/reference.js';
import type { AdaptiveCard } from '../../src/teams/cards/adaptive-card.js';
import { caseSummaryCard } from '../../src/teams/cards/case-summary-card.js';
import { closedCaseMessageCard } from '../../src/teams/cards/closed-case-message-card.js';
import { concernCard, concernWordsCard } from '../../src/teams/cards/concern-card.js';
import { heldReplyCard } from '../../src/teams/cards/held-reply-card.js';
import { historyCard } from '../../src/teams/cards/history-card.js';
import { messageCard } from '../../src/teams/cards/message-card.js';
import { staffOnlyCard } from '../../src/teams/cards/staff-only-card.js';
import { problemsWith } from '../helpers/adaptive-cards.js';
import { newCase } from '../helpers/cases.js';
import { policy } from '../helpers/policy.js';
import { stringsOf } from '../helpers/teams.js';

const HOSTILE = '**bold** [link](https://evil.example) <at>All</at>';

function aCase(overrides: Partial<Case> = {}): Case {
  return {
    ...newCase({ whatHappened: HOSTILE, complainant: { name: HOSTILE, relationship: 'self', relationshipDetail: null } }),
    reference: generateReference(),
    ...overrides,
  };
}

const reply = { id: '1700000000001', text: HOSTILE, by: { id: 'staff-1', name: 'Jo Bloggs' }, until: '2026-12-03T10:00:30.000Z', state: 'held' as const };
const event = {
  id: 'e1',
  type: 'message-relayed' as const,
  at: '2026-12-03T10:00:00.000Z',
  stage: 'stage-1',
  summary: 'Message from the complainant',
  actor: { kind: 'complainant' as const, id: null, name: null },
  details: { text: HOSTILE },
};

const CARDS: [string, AdaptiveCard][] = [
  [
    'the summary',
    caseSummaryCard({
      case: aCase({ flags: { safeguarding: { raisedAt: '2026-12-03T10:00:00Z', notes: [HOSTILE] }, late: null, standing: null, lateEscalation: null } }),
      policy,
      now: new Date('2026-12-03T10:00:00Z'),
      staffTeamsIds: ['29:a'],
    }),
  ],
  [
    'a staff-only line',
    staffOnlyCard(
      'The complainant wrote about complaint ABC-DEF-GHJ.',
      { verb: 'reveal', data: { reference: 'ABCDEFGHJ', what: 'complainant-words', at: event.at } },
      ['29:a'],
    ),
  ],
  ['a held reply as posted', heldReplyCard('ABCDEFGHJ', reply, undefined, { staffTeamsIds: ['29:a'] })],
  ['a held reply for staff', heldReplyCard('ABCDEFGHJ', reply, 'Changed.')],
  ['the history', historyCard(aCase(), [event], 1)],
  ['a message', messageCard('The complainant wrote:', HOSTILE)],
  ['a concern as posted', concernCard({ id: 'concern.0123456789abcdef0123456789abcdef', raisedAt: '2026-12-03T10:00:00Z' }, policy, ['29:a'])],
  ['a concern as staff see it', concernWordsCard({ note: HOSTILE, raisedAt: '2026-12-03T10:00:00Z' }, policy)],
  ['a closed case’s message', closedCaseMessageCard(aCase({ status: 'closed' }), HOSTILE)],
];

describe('the staff side’s cards', () => {
  for (const [name, card] of CARDS) {
    it(`${name} parses as Teams reads Adaptive Cards 1.5, with words only in TextRuns`, () => {
      assert.deepEqual(problemsWith(card), []);
      for (const entry of stringsOf(card).filter((item) => item.value.includes('evil.example')))
        assert.equal(entry.type, 'TextRun', `${entry.type}.${entry.key}`);
    });
  }

  it('keeps personal data out of what everyone in the channel sees', () => {
    const seenByAll = new Set(['the summary', 'a staff-only line', 'a held reply as posted', 'a concern as posted']);
    const shown = CARDS.filter(([name]) => seenByAll.has(name));
    assert.equal(shown.length, seenByAll.size);
    for (const [name, card] of shown) assert.doesNotMatch(JSON.stringify(card), /evil\.example/, name);
  });
});
