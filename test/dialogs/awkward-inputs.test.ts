import { strict as assert } from 'node:assert';
import { CONVERSATION_LINKED } from '../../dialogs/case-link.js';
import { suggestsRiskOfHarm } from '../../dialogs/recognisers.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { TestConversation } from '../helpers/conversation.js';

/** What distressed, careless and hostile people type. */
export const AWKWARD_INPUTS: readonly string[] = [
  '',
  '   ',
  '\n\n\t',
  '😀',
  '🙂🙂🙂🙂🙂🙂🙂🙂',
  '🏴󠁧󠁢󠁥󠁮󠁧󠁿',
  'x'.repeat(20_000),
  'a'.repeat(60_000),
  '<script>alert(1)</script>',
  '<b>bold</b><img src=x onerror=alert(1)>',
  '**bold** _it_ [link](javascript:alert(1))',
  '# heading\n- item\n1. item',
  '<at>Complaints Bot</at> hello',
  'مرحبا، أريد تقديم شكوى',
  'שלום',
  '\u202Egnp.exe',
  'zero\u200Bwidth\u200Bspace',
  '\uFEFF',
  '\u0000\u0001control',
  '\ud800',
  'ａｂｃ',
  'ﬁ ligature',
  '31/02/2025',
  '13/13/2025',
  'tomorrow',
  '1990',
  'idk',
  'K7M-4QX-P2D',
  'Ｋ７Ｍ４ＱＸＰ２Ｃ',
  "Robert'); DROP TABLE cases;--",
  "' OR '1'='1",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '../../etc/passwd',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '9'.repeat(400),
  'help me please I need help',
  'HELP',
  '?',
  'cancel cancel cancel',
  'I am in danger',
  'yes no',
  '\u0001'.repeat(10_000),
  '\ud800'.repeat(3000),
  '"'.repeat(10_000),
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'lodge',
  'escalate',
];

/** Up to the summary of a complaint, for points late in lodging. */
const TO_CONSENT = [
  'Make a complaint',
  '2',
  'For myself',
  'Sam',
  'The visits were cancelled and nobody told us.',
  '3/4/2025',
  'yes',
  'An apology',
  'sam@example.org',
  'no',
  'no',
];

/** Points in the conversation to try every input at: what to say to get there, and whether the stored case has had a response. */
const POINTS: readonly (readonly [string, readonly string[], boolean?])[] = [
  ['the opening message', []],
  ['the menu', ['Hi']],
  ['which service', ['Make a complaint']],
  ['who it is for', ['Make a complaint', '2']],
  ['how they are related', ['Make a complaint', '2', 'For someone else']],
  ['which NHS body it goes to', ['Make a complaint', '3']],
  ['whether the person is under 18', ['Make a complaint', '3', 'NHS service provider', 'For someone else', 'Parent']],
  ['what happened', ['Make a complaint', '2', 'For myself', 'Sam']],
  ['when', ['Make a complaint', '2', 'For myself', 'Sam', 'The visits were cancelled and nobody told us.']],
  ['the date read back', ['Make a complaint', '2', 'For myself', 'Sam', 'The visits were cancelled and nobody told us.', '3/4/2025']],
  [
    'whether a late date is when it happened or when they found out',
    ['Make a complaint', '2', 'For myself', 'Sam', 'The visits were cancelled and nobody told us.', '3/4/2023', 'yes'],
  ],
  ['roughly when "the other day" was', ['Make a complaint', '2', 'For myself', 'Sam', 'The visits were cancelled and nobody told us.', 'the other day']],
  ['contact details', ['Make a complaint', '2', 'For myself', 'Sam', 'The visits were cancelled and nobody told us.', '3/4/2025', 'yes', 'An apology']],
  ['how they prefer to be contacted', [...TO_CONSENT.slice(0, 8), 'sam@example.org or 07700 900123']],
  ['advocacy', TO_CONSENT.slice(0, -1)],
  ['consent', TO_CONSENT],
  ['the summary', [...TO_CONSENT, 'yes']],
  ['choosing what to change', [...TO_CONSENT, 'yes', 'Change something']],
  ['the reference', ['Check on my complaint']],
  ['the second factor', ['Check on my complaint', '__REFERENCE__']],
  ['why the response did not resolve it', ['Take my complaint further', '__REFERENCE__', 'sam.taylor@example.org'], true],
  ['confirming an escalation', ['Take my complaint further', '__REFERENCE__', 'sam.taylor@example.org', 'Not resolved', 'no', 'A review'], true],
  // Once a case is found, nothing reaches its staff unless the person says it is for them.
  ['the menu after finding a complaint', ['Check on my complaint', '__REFERENCE__', 'sam.taylor@example.org'], true],
  ['"Shall I send this?"', ['Check on my complaint', '__REFERENCE__', 'sam.taylor@example.org', 'The visits have not started again.'], true],
];

describe('awkward input', function () {
  this.timeout(300_000);

  it(`has at least 40 inputs in the corpus (${AWKWARD_INPUTS.length})`, () => {
    assert.ok(AWKWARD_INPUTS.length >= 40);
  });

  for (const [point, route, responded] of POINTS) {
    it(`gets a sensible reply to each input at ${point}, with nothing thrown and nothing half-saved`, async () => {
      for (const input of AWKWARD_INPUTS) {
        const person = new TestConversation({ at: '2025-06-12T10:00:00+01:00' });
        let { stored } = await person.cases.lodge(lodgeRequest());
        if (responded) {
          stored = (
            await person.cases.update(
              stored,
              change(stored, (value) => {
                value.status = 'responded';
                value.responses.push({
                  stage: value.stage,
                  at: '2025-06-10T14:00:00Z',
                  text: 'Our response.',
                  by: { kind: 'staff', id: 'staff-1', name: 'Jo Bloggs' },
                  outcome: 'not-upheld',
                });
              }),
            )
          ).stored;
        }
        for (const said of route) await person.say(said === '__REFERENCE__' ? stored.case.reference : said);
        let replies: string[];
        try {
          replies = await person.say(input);
        } catch (error) {
          assert.fail(`at ${point}, ${JSON.stringify(input.slice(0, 40))} threw ${String(error)}`);
        }
        assert.ok(replies.length > 0, `at ${point}, no reply to ${JSON.stringify(input.slice(0, 40))}`);
        for (const reply of replies) {
          assert.ok(
            reply.trim().length > 0 && !/undefined|\[object Object\]|NaN|Error|function /.test(reply.replace(input, '')),
            `at ${point}, ${JSON.stringify(input.slice(0, 40))} got ${JSON.stringify(reply.slice(0, 200))}`,
          );
        }
        const cases = (
          await Promise.all(
            (['open', 'awaiting-response', 'responded', 'escalation-requested', 'closed'] as const).map((status) => person.cases.listByStatus(status)),
          )
        ).flat();
        assert.deepEqual(cases, [stored.case.reference], `at ${point}, ${JSON.stringify(input.slice(0, 40))} changed the saved cases`);
        // The only change allowed is a safeguarding flag on the person's own, verified case (beside
        // the case learning that replies now go to this chat, when it was found here).
        const later = (await person.cases.history(stored.case.reference)).slice(stored.version).filter((event) => event.summary !== CONVERSATION_LINKED);
        assert.deepEqual(
          later.map((event) => event.type),
          suggestsRiskOfHarm(input) && responded ? ['flagged'] : [],
          `at ${point}, ${JSON.stringify(input.slice(0, 40))} changed the case`,
        );
        assert.equal((await person.cases.get(stored.case.reference))?.case.stage, stored.case.stage);
      }
    });
  }
});
