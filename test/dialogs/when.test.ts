/**
 * When it happened, at the precision the person gave it (issue 17, items 6 and 7): a month, a
 * season or "about N months ago" is read back as such and kept as a range of days, never as an
 * invented day; the time limit counts from the latest day the range allows; "the 5th" is the
 * most recent 5th; "the other day" is asked about, with choices.
 */
import { strict as assert } from 'node:assert';
import { type Exchange, play, TestConversation } from '../helpers/conversation.js';

/** Thursday 3 December 2026, mid-morning in London: "the 5th" is 5 November, "last week" 23 to 29 November. */
const DECEMBER = '2026-12-03T10:00:00Z';

/** From the menu to "when?", for a young person's own complaint about children's social care (a one-year time limit). */
const TO_WHEN: readonly Exchange[] = [
  ['Make a complaint', /^Hello/, /^I’ll ask/, /^First, what is your complaint about\?/],
  ["children's social care", /^Are you making this complaint for yourself/],
  ['For myself', 'And what is your name?'],
  ['Sam', /^Please tell me what happened/],
  ['My social worker stopped visiting and nobody told me why.', /^When did this happen\?/],
];

/** From "what would you like?" to the summary, with an email and nothing else needed. */
const OUTCOME_TO_SUMMARY: readonly Exchange[] = [
  ['An apology', /^How can the team contact you/],
  ['sam@example.org', /I’ll ask for your email/, /^Do you need anything/],
  ['no', /^An advocate can help you/],
  ['No, thank you', /^Before I send/],
];

/** Sends the complaint from the summary and returns what was saved. */
async function send(person: TestConversation) {
  await play(person, [['Send complaint', /^Thank you\. Your complaint has been sent/, /^Is there anything else/]]);
  const [reference] = await person.cases.listByStatus('open');
  const saved = (await person.cases.get(reference ?? assert.fail('nothing was saved')))?.case;
  return saved ?? assert.fail('the case was not found');
}

describe('approximate dates, kept at the precision given', () => {
  it('reads back "2 months ago", then "not sure", as sometime in that month, and keeps the month as a range', async () => {
    const person = new TestConversation({ at: DECEMBER });
    await play(person, [
      ...TO_WHEN,
      ['2 months ago', /^Do you know which day in October 2026 it was\?/],
      ['not sure', 'That’s fine: I’ll note it as sometime in October 2026.', /^What would you like to happen/],
      ...OUTCOME_TO_SUMMARY,
      ['Yes, I agree', /4\. \*\*When:\*\* sometime in October 2026\n/],
    ]);
    const saved = await send(person);
    assert.deepEqual(saved.when, {
      date: '2026-10-31',
      earliest: '2026-10-01',
      latest: '2026-10-31',
      basis: 'happened',
      certainty: 'approximate',
      said: 'October 2026',
    });
  });

  it('reads back a season as the season, with its months, and counts the time limit from its last day', async () => {
    // Summer 2025 counted from its middle (15 July) was late by 20 July 2026; from 31 August it is in time.
    const person = new TestConversation({ at: '2026-07-20T10:00:00+01:00' });
    await play(person, [
      ...TO_WHEN,
      ['summer 2025', 'So that was summer 2025 (June to August). Is that right? [Yes | No]'],
      ['yes', /^What would you like to happen/],
      ...OUTCOME_TO_SUMMARY,
      ['Yes, I agree', /4\. \*\*When:\*\* summer 2025 \(June to August\)\n/],
    ]);
    const saved = await send(person);
    assert.deepEqual(saved.when, {
      date: '2025-08-31',
      earliest: '2025-06-01',
      latest: '2025-08-31',
      basis: 'happened',
      certainty: 'approximate',
      said: 'summer 2025',
    });
    assert.equal(saved.flags.late, null, 'in time, counted from the last day of the summer');
  });

  it('explains a time limit missed even by the latest day a range allows, counting from that day', async () => {
    const person = new TestConversation({ at: DECEMBER });
    await play(person, [
      ...TO_WHEN,
      ['summer 2025', 'So that was summer 2025 (June to August). Is that right? [Yes | No]'],
      ['yes', 'Is that when it happened, or when you first found out about it? [When it happened | When I found out]'],
      [
        'When it happened',
        /^Normally a complaint should be made within one year of the grounds for it arising, which for this complaint was by Monday 31 August 2026 \(counting from Sunday 31 August 2025, the latest it could have been\)\..*You can still go ahead\.$/s,
        /^Could you tell me briefly why you’re making the complaint now\?/,
      ],
      ['I was too frightened to say', /^What would you like to happen/],
    ]);
    assert.deepEqual((await person.memory()).draft?.late, { limitEndedOn: '2026-08-31', reason: 'I was too frightened to say' });
  });

  it('reads back "about 3 months ago" as around that part of the month, not a day', async () => {
    const person = new TestConversation({ at: DECEMBER });
    await play(person, [
      ...TO_WHEN,
      ['about 3 months ago', 'So that was around early September 2026. Is that right? [Yes | No]'],
      ['yes', /^What would you like to happen/],
    ]);
    const when = (await person.memory()).draft?.when;
    assert.deepEqual([when?.earliest, when?.latest, when?.readAs], ['2026-08-22', '2026-09-20', 'around early September 2026']);
  });

  it('reads back a range and a part of a month as given', async () => {
    await play(new TestConversation({ at: DECEMBER }), [
      ...TO_WHEN,
      ['between March and May 2026', 'So that was sometime between March and May 2026. Is that right? [Yes | No]'],
      ['no', 'OK, when did it happen?'],
      ['end of October', 'So that was late October 2026. Is that right? [Yes | No]'],
      ['no', 'OK, when did it happen?'],
      ['last week', 'So that was sometime between Monday 23 and Sunday 29 November 2026. Is that right? [Yes | No]'],
    ]);
  });
});

describe('"the 5th" and "the other day"', () => {
  it('takes "the 5th" as the most recent 5th and confirms it with its full date', async () => {
    const person = new TestConversation({ at: DECEMBER });
    await play(person, [...TO_WHEN, ['the 5th', 'So that was Thursday 5 November 2026. Is that right? [Yes | No]'], ['yes', /^What would you like to happen/]]);
    const when = (await person.memory()).draft?.when;
    assert.deepEqual([when?.date, when?.certainty], ['2026-11-05', 'exact']);
  });

  it('asks roughly when "the other day" was, and notes the week chosen as a range', async () => {
    const person = new TestConversation({ at: DECEMBER });
    await play(person, [
      ...TO_WHEN,
      ['the other day', 'Roughly when was that? [This week | Last week | Earlier this month | Longer ago | Not sure]'],
      ['hmm', 'Sorry, I didn’t catch that. Roughly when was that? [This week | Last week | Earlier this month | Longer ago | Not sure]'],
      ['Last week', 'Thank you: I’ll note it as sometime between Monday 23 and Sunday 29 November 2026.', /^What would you like to happen/],
      ...OUTCOME_TO_SUMMARY,
      ['Yes, I agree', /4\. \*\*When:\*\* sometime between Monday 23 and Sunday 29 November 2026\n/],
    ]);
    const saved = await send(person);
    assert.deepEqual(saved.when, {
      date: '2026-11-29',
      earliest: '2026-11-23',
      latest: '2026-11-29',
      basis: 'happened',
      certainty: 'approximate',
      said: 'the other day',
    });
  });

  it('makes each choice for "the other day" a range of days', async () => {
    const choices: readonly (readonly [string, string, string, string])[] = [
      ['This week', 'Thank you: I’ll note it as sometime between Monday 30 November and Thursday 3 December 2026.', '2026-11-30', '2026-12-03'],
      ['Earlier this month', 'Thank you: I’ll note it as sometime between Tuesday 1 and Thursday 3 December 2026.', '2026-12-01', '2026-12-03'],
      ['Not sure', 'That’s fine: I’ll note it as recent, sometime between Friday 6 November and Thursday 3 December 2026.', '2026-11-06', '2026-12-03'],
    ];
    for (const [choice, noted, earliest, latest] of choices) {
      const person = new TestConversation({ at: DECEMBER });
      await play(person, [...TO_WHEN, ['the other day', /^Roughly when was that\?/], [choice, noted, /^What would you like to happen/]]);
      const when = (await person.memory()).draft?.when;
      assert.deepEqual([when?.earliest, when?.latest, when?.certainty], [earliest, latest, 'approximate'], choice);
    }
  });

  it('asks again when it was longer ago, and notes "not sure" as before the weeks offered', async () => {
    const person = new TestConversation({ at: DECEMBER });
    await play(person, [
      ...TO_WHEN,
      ['the other day', /^Roughly when was that\?/],
      ['Longer ago', /^Can you say roughly when\? For example "in September"/],
      ['not sure', 'That’s fine: I’ll note it as sometime before Monday 23 November 2026. The team can ask you about it.', /^What would you like to happen/],
    ]);
    const when = (await person.memory()).draft?.when;
    assert.deepEqual([when?.date, when?.earliest, when?.latest, when?.said], ['2026-11-22', null, '2026-11-22', 'the other day']);

    await play(new TestConversation({ at: DECEMBER }), [
      ...TO_WHEN,
      ['the other day', /^Roughly when was that\?/],
      ['Longer ago', /^Can you say roughly when\?/],
      ['in September', /^Do you know which day in September 2026 it was\?/],
    ]);
  });
});

describe('whether a late date is when it happened or when the person found out (issue 17, item 5)', () => {
  it('takes the answer only when it picks one, and asks again, with the choices, when it does not', async () => {
    const ANSWERS: readonly (readonly [string, 'happened' | 'first-knew' | 'asked again'])[] = [
      ['When it happened', 'happened'],
      ['it happened then', 'happened'],
      ['when it hapened', 'happened'],
      ['1', 'happened'],
      ['When I found out', 'first-knew'],
      ['that’s when I found out', 'first-knew'],
      ['when i fond out', 'first-knew'],
      ['2', 'first-knew'],
      ['I only realised then', 'first-knew'],
      ['not sure', 'asked again'],
      ['dunno', 'asked again'],
      ['yes', 'asked again'],
      ['both', 'asked again'],
      ['it didn’t happen then', 'asked again'],
      ['banana', 'asked again'],
      [`${'My social worker stopped visiting and nobody told me why. '.repeat(4)}It happened then.`, 'asked again'],
    ];
    for (const [said, basis] of ANSWERS) {
      const person = new TestConversation({ at: DECEMBER });
      await play(person, [
        ...TO_WHEN,
        ['3/4/2025', 'So that was Thursday 3 April 2025. Is that right? [Yes | No]'],
        ['yes', 'Was Thursday 3 April 2025 when it happened, or when you first found out about it? [When it happened | When I found out]'],
      ]);
      const late: Exchange[number][] = [/You can still go ahead\.$/s, /^Could you tell me briefly why you’re making the complaint now\?/];
      if (basis === 'asked again') {
        await play(person, [
          [
            said,
            'Sorry, I couldn’t tell which you meant. Is the date you gave the day it happened, or the day you first found out about it? [When it ' +
              'happened | When I found out]',
          ],
          ['When I found out', ...late],
        ]);
      } else {
        await play(person, [[said, ...late]]);
      }
      await play(person, [['I was unwell', /^What would you like to happen/]]);
      const expected = basis === 'asked again' ? 'first-knew' : basis;
      assert.equal((await person.memory()).draft?.when?.basis, expected, `after "${said.slice(0, 60)}"`);
    }
  });
});
