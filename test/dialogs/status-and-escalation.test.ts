import { strict as assert } from 'node:assert';
import { type Case, deadlineRecord, type StoredCase } from '../../src/cases/case.js';
import { formatReference } from '../../src/cases/reference.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { type Exchange, play, TestConversation } from '../helpers/conversation.js';
import { policy } from '../helpers/policy.js';
import { parseLocalDate } from '../../src/policy/index.js';

/** A stage's first deadline, as recorded when the stage started at `received`. */
function stageStarted(procedure: string, stage: string, received: string, timeLimit?: string) {
  return deadlineRecord(policy.deadline({ procedure, stage, received: new Date(received), ...(timeLimit ? { timeLimit } : {}) }));
}

/** An NHS complaint about care in an EHC plan, sent to the provider on Monday 2 June 2025 and not yet answered. */
async function withNhsCase(person: TestConversation, extra: Partial<Case> = {}): Promise<StoredCase> {
  const { stored } = await person.cases.lodge(
    lodgeRequest({
      case: {
        procedure: 'nhs-health',
        route: 'provider',
        stage: 'local-resolution',
        status: 'awaiting-response',
        deadlines: [stageStarted('nhs-health', 'local-resolution', '2025-06-02T10:00:00+01:00')],
        ...extra,
      },
    }),
  );
  return stored;
}

/** Lodges the standard case (children's services, Stage 1, received Monday 2 June 2025) straight into the store. */
async function withCase(person: TestConversation, edit?: (value: Case) => void): Promise<StoredCase> {
  const { stored } = await person.cases.lodge(lodgeRequest());
  if (!edit) return stored;
  return (await person.cases.update(stored, change(stored, edit))).stored;
}

/** A response sent at a stage, on a date. */
function responded(at: string, text = 'We have looked into this and we apologise for the missed visits.') {
  return (value: Case): void => {
    value.status = 'responded';
    value.responses.push({ stage: value.stage, at, text, by: { kind: 'staff', id: 'staff-1', name: 'Jo Bloggs' }, outcome: 'not-upheld' });
  };
}

function findCase(reference: string, opening: string, purpose: RegExp): Exchange[] {
  return [
    [opening, /^Hello/, purpose],
    [
      ` ${formatReference(reference as never)
        .toLowerCase()
        .replace(/-/g, ' ')} `,
      /^Thank you\. To check it’s you/,
    ],
  ];
}

/** Three wrong second factors for a reference from a fresh chat, the third answered with `refusal`. */
function threeWrongTries(reference: string, refusal: RegExp): Exchange[] {
  return [
    ['Check on my complaint', /^Hello/, /^What is your complaint reference/],
    [reference, /^Thank you/],
    ['wrong@example.org', /^Sorry, I couldn’t find a complaint with those details\./],
    [reference, /^Thank you/],
    ['07700 900999', /^Sorry, I couldn’t find a complaint with those details\./],
    [reference, /^Thank you/],
    ['guess@example.org', refusal, /^Is there anything else/],
  ];
}

describe('checking on a complaint', () => {
  it('says where it is, who has it and when the response is due, in working days', async () => {
    const person = new TestConversation({ at: '2025-06-04T10:00:00+01:00' });
    const { case: value } = await withCase(person);
    await play(person, [
      ...findCase(value.reference, 'where is my complaint?', /^What is your complaint reference\?/),
      [
        'Sam.Taylor@Example.org',
        new RegExp(
          `^Your complaint \\*\\*${formatReference(value.reference)}\\*\\* is about children's social care from the council\\..*\\*\\*Where it ` +
            `is:\\*\\* Stage 1: Local Resolution\\..*waiting to be picked up by the Service manager.*\\*\\*We’ll respond by:\\*\\* Monday 16 June 2025 ` +
            `\\(8 working days from today\\)`,
          's',
        ),
        /^Is there anything else/,
      ],
    ]);
  });

  it('names the handler, and apologises when the response is late', async () => {
    const person = new TestConversation({ at: '2025-06-20T10:00:00+01:00' });
    const { case: value } = await withCase(person, (edit) => {
      edit.status = 'awaiting-response';
      edit.handler = { id: 'aad-1', name: 'Jo Bloggs' };
    });
    await play(person, [
      ...findCase(value.reference, 'Check on my complaint', /^What is your complaint reference/),
      ['07700 900999', /^Sorry, I couldn’t find a complaint with those details\./],
      [value.reference, /^Thank you/],
      [
        'sam.taylor@example.org',
        /Jo Bloggs \(Service manager\).*\*\*The response was due by Monday 16 June 2025 and is late\. I’m sorry\.\*\*.*0300 123 4567.*\*\*What you can do next:\*\* you don’t have to wait for the late response\. You can ask for your complaint to go to Stage 2: Investigation now: type "take my complaint further" to do that\.$/s,
        /^Is there anything else/,
      ],
    ]);
  });

  it('shows the last response and what the person can do next', async () => {
    const person = new TestConversation({ at: '2025-06-12T10:00:00+01:00' });
    const { case: value } = await withCase(person, responded('2025-06-10T14:00:00Z'));
    await play(person, [
      ...findCase(value.reference, 'what is happening with my complaint', /^What is your complaint reference/),
      [
        'sam.taylor@example.org',
        /\*\*Last response\*\*, on Tuesday 10 June 2025: "We have looked into this.*\*\*What you can do next:\*\* if the response hasn’t put things right, you can ask for your complaint to go to Stage 2: Investigation until Tuesday 8 July 2025\./s,
        /^Is there anything else/,
      ],
    ]);
  });

  it('finds a reference written in a sentence or in quotes', async () => {
    const person = new TestConversation({ at: '2025-06-04T10:00:00+01:00' });
    const { case: value } = await withCase(person);
    await play(person, [
      ['Check on my complaint', /^Hello/, /^What is your complaint reference/],
      [`my reference is "${formatReference(value.reference)}" thanks`, /^Thank you\. To check it’s you/],
      ['sam.taylor@example.org', /^Your complaint/, /^Is there anything else/],
    ]);
  });

  it('catches a mistyped reference before looking anything up', async () => {
    const person = new TestConversation();
    const { case: value } = await withCase(person);
    const last = value.reference.slice(-1);
    const typo = value.reference.slice(0, -1) + (last === 'X' ? 'Y' : 'X');
    await play(person, [
      ['Check on my complaint', /^Hello/, /^What is your complaint reference/],
      [typo, /^That reference doesn’t look quite right: one of the characters may have been mistyped/],
      ['K7M-4QX', /^A reference has nine letters and numbers/],
      ['I don’t have it', /^That’s OK\. The service desk can find your complaint for you: 0300 123 4567/, /^Is there anything else/],
    ]);
  });

  it('gives one neutral answer to wrong details, slows down, then refuses for a while', async () => {
    const person = new TestConversation();
    const { case: value } = await withCase(person);
    await play(person, [
      ...threeWrongTries(
        value.reference,
        /^For your security, I can’t look up complaints for you here for about 1 minute, after several tries.*0300 123 4567/s,
      ),
      ['Check on my complaint', /^What is your complaint reference/],
      [value.reference, /^Thank you/],
      ['sam.taylor@example.org', /^For your security, I can’t look up complaints/, /^Is there anything else/],
    ]);
    assert.deepEqual(person.pauses, [0, 1000]);
  });

  it('finds the owner’s complaint after five strangers in chats of their own were refused on it, answering them ever more slowly', async () => {
    const owner = new TestConversation();
    const { case: value } = await withCase(owner);
    const strangers = Array.from({ length: 5 }, (_, index) => new TestConversation({ cases: owner.cases, channelId: `stranger-${index}` }));
    for (const stranger of strangers) {
      await play(stranger, threeWrongTries(value.reference, /^For your security, I can’t look up complaints/));
    }
    assert.deepEqual(
      strangers.map((stranger) => stranger.pauses),
      [
        [0, 1000],
        [4000, 8000],
        [8000, 8000],
        [8000, 8000],
        [8000, 8000],
      ],
    );
    await play(owner, [
      ...findCase(value.reference, 'Check on my complaint', /^What is your complaint reference/),
      ['sam.taylor@example.org', /^Your complaint \*\*.*Stage 1/s, /^Is there anything else/],
    ]);
  });
});

describe('taking a complaint further', () => {
  it('explains that it has to wait for the response, and when that is due', async () => {
    const person = new TestConversation({ at: '2025-06-04T10:00:00+01:00' });
    const { case: value } = await withCase(person);
    await play(person, [
      ...findCase(value.reference, 'I am not happy with the reply', /^What is your complaint reference/),
      [
        'sam.taylor@example.org',
        'You can ask to take your complaint to Stage 2: Investigation once you have had a response at this stage. The response is due by Monday 16 June 2025.',
        /^Is there anything else/,
      ],
    ]);
  });

  it('moves the case to the next stage with its new deadline, records why, and tells staff', async () => {
    const person = new TestConversation({ at: '2025-06-12T10:00:00+01:00' });
    const { case: value } = await withCase(person, responded('2025-06-10T14:00:00Z'));
    await play(person, [
      ...findCase(value.reference, 'Take my complaint further', /^What is your complaint reference/),
      // Sent on Tuesday 10 June: the 20th working day after it is Tuesday 8 July.
      [
        'sam.taylor@example.org',
        /^You can ask for Stage 2: Investigation until Tuesday 8 July 2025 \(20 working days from the day the response was sent\)\./,
        'Why hasn’t the response put things right for you?',
      ],
      ['They did not explain why the visits were cancelled.', /^Do you have anything new that would help/],
      ['No', 'What would you like to happen now?'],
      ['A proper investigation', /^I’ll ask for your complaint to go to \*\*Stage 2: Investigation\*\*.*Shall I go ahead\? \[Yes, go ahead \| No\]$/s],
      [
        'Yes, go ahead',
        'Done. Your complaint is now at **Stage 2: Investigation**, with the Investigating Officer, with an Independent Person. You should have a ' +
          'response by **Thursday 17 July 2025**. I’ve let the team know.',
        /^Is there anything else/,
      ],
    ]);
    const stored = await person.cases.get(value.reference);
    assert.ok(stored);
    assert.equal(stored.case.stage, 'stage-2');
    assert.equal(stored.case.status, 'escalation-requested');
    assert.equal(stored.case.deadlines.at(-1)?.due, '2025-07-17');
    const event = (await person.cases.history(value.reference)).at(-1);
    assert.equal(event?.type, 'escalation-requested');
    assert.deepEqual(event.details, {
      from: 'stage-1',
      to: 'stage-2',
      reason: 'They did not explain why the visits were cancelled.',
      evidence: null,
      outcomeWanted: 'A proper investigation',
    });
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['escalation-requested'],
    );
    assert.deepEqual(await person.cases.dueBetween(new Date('2025-07-17T00:00:00+01:00'), new Date('2025-07-18T00:00:00+01:00')), [
      { reference: value.reference, dueAt: Date.parse('2025-07-17T22:59:59.999Z') },
    ]);
  });

  it('gives the Review Panel’s dates when the case goes to Stage 3', async () => {
    const person = new TestConversation({ at: '2025-09-01T10:00:00+01:00' });
    const received = new Date('2025-07-01T10:00:00+01:00');
    const { case: value } = await withCase(person, (edit) => {
      edit.stage = 'stage-2';
      edit.deadlines.push(deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-2', received })));
      responded('2025-08-20T10:00:00+01:00')(edit);
    });
    await play(person, [
      ...findCase(value.reference, 'escalate', /^What is your complaint reference/),
      ['sam.taylor@example.org', /^You can ask for Stage 3: Review Panel until/, /^Why hasn’t/],
      ['Still not resolved', /^Do you have/],
      ['no', /^What would you like/],
      ['A review', /^I’ll ask/],
      // Reg 20 lets the report and the council's response come later where their dates are not reasonably practicable.
      [
        'yes',
        /^Done\. Your complaint is now at \*\*Stage 3: Review Panel\*\*.*The Review Panel meets by Monday 13 October 2025, then the Review Panel sends its report by Monday 20 October 2025 \(or as soon as is reasonably practicable after that\), then the council's response to the panel's report by Monday 10 November 2025 \(or as soon as is reasonably practicable after that\)\. I’ve let the team know\./,
        /^Is there anything else/,
      ],
    ]);
  });

  it('at the final stage, names the ombudsman, how to reach them and when the window closes', async () => {
    const person = new TestConversation({ at: '2025-11-20T10:00:00Z' });
    const { case: value } = await withCase(person, (edit) => {
      edit.stage = 'stage-3';
      responded('2025-11-10T10:00:00Z')(edit);
    });
    await play(person, [
      ...findCase(value.reference, 'escalate my complaint', /^What is your complaint reference/),
      // 12 months beginning with Tuesday 20 May 2025 (first notice) end the day before the anniversary.
      [
        'sam.taylor@example.org',
        /^Stage 3: Review Panel is the last stage of the council’s children’s social care complaints procedure.*Local Government and Social Care Ombudsman \(LGSCO\).*https:\/\/www\.lgo\.org\.uk.*0300 061 0614.*for you that is Tuesday 19 May 2026/s,
        /^Is there anything else/,
      ],
    ]);
  });

  it('counts the ombudsman’s window from the earliest day an approximate date could mean, and gives no date when that is not known', async () => {
    const person = new TestConversation({ at: '2025-11-20T10:00:00Z' });
    // As the conversation keeps "summer 2025": counted from its last day for the complaint's own time limit.
    const summer = { date: parseLocalDate('2025-08-31'), earliest: parseLocalDate('2025-06-01'), latest: parseLocalDate('2025-08-31') };
    const { case: value } = await withCase(person, (edit) => {
      edit.stage = 'stage-3';
      edit.when = { ...summer, basis: 'first-knew', certainty: 'approximate', said: 'summer 2025' };
      responded('2025-11-10T10:00:00Z')(edit);
    });
    // 12 months beginning with Sunday 1 June 2025 end on Sunday 31 May 2026 (from 31 August they would run to 30 August).
    const earliest = /to be safe we count from the earliest day it could have been, Sunday 1 June 2025: for you that is Sunday 31 May 2026\./;
    await play(person, [...findCase(value.reference, 'escalate my complaint', /^What is your complaint reference/)]);
    const [advice] = await person.say('sam.taylor@example.org');
    assert.match(advice ?? '', earliest);
    assert.doesNotMatch(advice ?? '', /August 2026/);
    await play(person, [
      ['Check on my complaint', /^What is your complaint reference/],
      [value.reference, /^Thank you/],
    ]);
    const [status] = await person.say('sam.taylor@example.org');
    assert.match(status ?? '', earliest);

    const unsure = new TestConversation({ at: '2025-11-20T10:00:00Z' });
    const { case: before } = await withCase(unsure, (edit) => {
      edit.stage = 'stage-3';
      // "Longer ago", then "not sure": only known to be before Monday 3 November.
      edit.when = {
        date: parseLocalDate('2025-11-02'),
        earliest: null,
        latest: parseLocalDate('2025-11-02'),
        basis: 'happened',
        certainty: 'approximate',
        said: 'ages ago',
      };
      responded('2025-11-10T10:00:00Z')(edit);
    });
    await play(unsure, [...findCase(before.reference, 'escalate my complaint', /^What is your complaint reference/)]);
    const [unknown] = await unsure.say('sam.taylor@example.org');
    assert.match(unknown ?? '', /We can’t work out that date for you, because we don’t know exactly when you first had notice/);
    assert.doesNotMatch(unknown ?? '', /for you that/);
  });

  it('takes a request made after the time to ask, with why it is late, and leaves it for staff to decide', async () => {
    const person = new TestConversation({ at: '2025-07-20T10:00:00+01:00' });
    const { case: value } = await withCase(person, responded('2025-06-10T14:00:00Z'));
    await play(person, [
      ...findCase(value.reference, 'escalate', /^What is your complaint reference/),
      [
        'sam.taylor@example.org',
        /^The time to ask for Stage 2: Investigation was 20 working days from the response you had, and it ended on Tuesday 8 July 2025\. You can still ask: tell us why you could not ask sooner, and the Complaints Manager will decide/,
        'Why weren’t you able to ask sooner?',
      ],
      ['I was in hospital until last week', 'Why hasn’t the response put things right for you?'],
      ['It did not say why the visits stopped', /^Do you have anything new/],
      ['No, but I have the letters they sent', 'What would you like to happen now?'],
      [
        'An investigation',
        /^I’ll send your request for \*\*Stage 2: Investigation\*\* to the team, with your reasons, for them to decide whether to accept it\. Shall I go ahead\?/,
      ],
      ['maybe', /^Sorry, I need a yes or no to that\. Shall I go ahead\? \[Yes, go ahead \| No\]$/],
      [
        'yes please',
        /^Thank you\. I’ve sent your request for \*\*Stage 2: Investigation\*\* to the team\. Because it’s after the time to ask, they will decide whether to accept it/,
        /^Is there anything else/,
      ],
    ]);
    const stored = await person.cases.get(value.reference);
    assert.ok(stored);
    assert.equal(stored.case.stage, 'stage-1', 'the case stays where it is until staff decide');
    assert.equal(stored.case.status, 'responded');
    assert.deepEqual(stored.case.flags.lateEscalation, {
      to: 'stage-2',
      windowClosedOn: '2025-07-08',
      requestedAt: '2025-07-20T09:00:00.000Z',
      whyLate: 'I was in hospital until last week',
      decision: 'pending',
    });
    const event = (await person.cases.history(value.reference)).at(-1);
    assert.equal(event?.type, 'escalation-requested');
    assert.deepEqual(event.details, {
      from: 'stage-1',
      to: 'stage-2',
      reason: 'It did not say why the visits stopped',
      evidence: 'No, but I have the letters they sent',
      outcomeWanted: 'An investigation',
      late: true,
      windowClosedOn: '2025-07-08',
      whyLate: 'I was in hospital until last week',
    });
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['escalation-requested'],
    );
    await play(person, [
      ['Take my complaint further', /^What is your complaint reference/],
      [value.reference, /^Thank you/],
      [
        'sam.taylor@example.org',
        /^You’ve already asked for Stage 2: Investigation\. The team are deciding whether to accept your request/,
        /^Is there anything else/,
      ],
      ['Check on my complaint', /^What is your complaint reference/],
      [value.reference, /^Thank you/],
      [
        'sam.taylor@example.org',
        /You asked for Stage 2: Investigation after the time to ask had passed, so the team are deciding whether to accept your request\./,
        /^Is there anything else/,
      ],
    ]);
  });

  it('at the final NHS website stage, points to the Parliamentary and Health Service Ombudsman', async () => {
    const person = new TestConversation({ at: '2025-11-20T10:00:00Z' });
    const { stored } = await person.cases.lodge(
      lodgeRequest({
        case: {
          procedure: 'nhs-choices',
          stage: 'stage-four',
          status: 'responded',
          when: {
            date: parseLocalDate('2025-03-01'),
            earliest: parseLocalDate('2025-03-01'),
            latest: parseLocalDate('2025-03-01'),
            basis: 'happened',
            certainty: 'exact',
            said: '1/3/2025',
          },
          responses: [
            {
              stage: 'stage-four',
              at: '2025-11-10T10:00:00Z',
              text: 'Our final response.',
              by: { kind: 'staff', id: 'staff-1', name: 'Jo Bloggs' },
              outcome: 'not-upheld',
            },
          ],
        },
      }),
    );
    await play(person, [
      ...findCase(stored.case.reference, 'take it further', /^What is your complaint reference/),
      [
        'sam.taylor@example.org',
        /is the last stage of .*Parliamentary and Health Service Ombudsman \(PHSO\).*www\.ombudsman\.org\.uk.*0345 015 4033.*for you that is Sunday 1 March 2026/s,
        /^Is there anything else/,
      ],
    ]);
  });

  it('for health care in an EHC plan, explains the PHSO and LGSCO can look at it together', async () => {
    const person = new TestConversation({ at: '2025-11-20T10:00:00Z' });
    const { stored } = await person.cases.lodge(
      lodgeRequest({
        case: {
          procedure: 'nhs-health',
          route: 'commissioner',
          stage: 'local-resolution',
          status: 'responded',
          responses: [
            {
              stage: 'local-resolution',
              at: '2025-11-10T10:00:00Z',
              text: 'Our response.',
              by: { kind: 'staff', id: 'staff-1', name: 'Jo Bloggs' },
              outcome: 'not-upheld',
            },
          ],
        },
      }),
    );
    await play(person, [
      ...findCase(stored.case.reference, 'escalate', /^What is your complaint reference/),
      [
        'sam.taylor@example.org',
        /Parliamentary and Health Service Ombudsman \(PHSO\).*If your complaint is about both health and social care, the PHSO and the Local Government and Social Care Ombudsman \(LGSCO.*can investigate it together/s,
        /^Is there anything else/,
      ],
    ]);
  });

  it('changes nothing when the person says no at the end', async () => {
    const person = new TestConversation({ at: '2025-06-12T10:00:00+01:00' });
    const { case: value } = await withCase(person, responded('2025-06-10T14:00:00Z'));
    await play(person, [
      ...findCase(value.reference, 'escalate', /^What is your complaint reference/),
      ['sam.taylor@example.org', /^You can ask/, /^Why/],
      ['reasons', /^Do you have/],
      ['no', /^What would/],
      ['outcome', /^I’ll ask/],
      ['No', 'OK, I haven’t changed anything. Your complaint stays where it is.', /^Is there anything else/],
    ]);
    assert.equal((await person.cases.get(value.reference))?.case.stage, 'stage-1');
    assert.deepEqual(person.notifier.notices, []);
  });
});

describe('when a response is late', () => {
  it('takes a Stage 1 complaint to Stage 2 without waiting for the overdue response, with the new deadline', async () => {
    // Received Monday 2 June; 10 working days: due Monday 16 June. Asked on Friday 20 June.
    const person = new TestConversation({ at: '2025-06-20T10:00:00+01:00' });
    const { case: value } = await withCase(person, (edit) => {
      edit.status = 'awaiting-response';
    });
    await play(person, [...findCase(value.reference, 'Take my complaint further', /^What is your complaint reference/)]);
    const [decision, question] = await person.say('sam.taylor@example.org');
    assert.match(
      decision ?? '',
      /^The response was due by Monday 16 June 2025 and is late\. We are sorry\..*You do not have to wait for it: you can ask for your complaint to go to Stage 2: Investigation now\./s,
    );
    assert.doesNotMatch(decision ?? '', /once you have had/);
    assert.equal(question, 'What would you like Stage 2: Investigation to look at? Tell me what is still wrong, and how the wait has affected you.');
    await play(person, [
      ['Nobody has replied and the visits are still cancelled.', /^Do you have anything new/],
      ['No', 'What would you like to happen now?'],
      [
        'An investigation',
        /^I’ll ask for your complaint to go to \*\*Stage 2: Investigation\*\* now, without waiting for the late response: .*Shall I go ahead\? \[Yes, go ahead \| No\]$/s,
      ],
      // From Friday 20 June, 25 working days: Friday 25 July.
      [
        'Yes, go ahead',
        'Done. Your complaint is now at **Stage 2: Investigation**, with the Investigating Officer, with an Independent Person. You should have a ' +
          'response by **Friday 25 July 2025**. I’ve let the team know.',
        /^Is there anything else/,
      ],
    ]);
    const stored = (await person.cases.get(value.reference))?.case;
    assert.ok(stored);
    assert.equal(stored.stage, 'stage-2');
    assert.equal(stored.status, 'escalation-requested');
    assert.equal(stored.deadlines.at(-1)?.due, '2025-07-25');
    const event = (await person.cases.history(value.reference)).at(-1);
    assert.equal(event?.type, 'escalation-requested');
    assert.equal(event.summary, 'Asked for Stage 2: Investigation (the Stage 1: Local Resolution response was late)');
    assert.deepEqual(event.details, {
      from: 'stage-1',
      to: 'stage-2',
      reason: 'Nobody has replied and the visits are still cancelled.',
      evidence: null,
      outcomeWanted: 'An investigation',
      responseOverdue: true,
    });
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['escalation-requested'],
    );
  });

  it('takes a Stage 2 complaint to the Review Panel without waiting for the overdue response, with the panel’s dates', async () => {
    // Stage 2 began Tuesday 1 July; 25 working days: due Tuesday 5 August. Asked on Tuesday 12 August.
    const person = new TestConversation({ at: '2025-08-12T10:00:00+01:00' });
    const { case: value } = await withCase(person, (edit) => {
      edit.stage = 'stage-2';
      edit.status = 'awaiting-response';
      edit.deadlines.push(stageStarted('la-childrens-services', 'stage-2', '2025-07-01T10:00:00+01:00'));
    });
    await play(person, [
      ...findCase(value.reference, 'escalate', /^What is your complaint reference/),
      [
        'sam.taylor@example.org',
        /^The response was due by Tuesday 5 August 2025 and is late\..*you can ask for your complaint to go to Stage 3: Review Panel now\./s,
        'What would you like Stage 3: Review Panel to look at? Tell me what is still wrong, and how the wait has affected you.',
      ],
      ['The investigation has gone quiet.', /^Do you have/],
      ['no', /^What would you like/],
      ['A review', /^I’ll ask for your complaint to go to \*\*Stage 3: Review Panel\*\* now, without waiting for the late response/],
      // 30 working days after Tuesday 12 August (Monday 25 August is a bank holiday): Wednesday 24 September; then 5 and 15 more.
      [
        'yes',
        /^Done\. Your complaint is now at \*\*Stage 3: Review Panel\*\*.*The Review Panel meets by Wednesday 24 September 2025, then the Review Panel sends its report by Wednesday 1 October 2025 \(or as soon as is reasonably practicable after that\), then the council's response to the panel's report by Wednesday 22 October 2025 \(or as soon as is reasonably practicable after that\)\./,
        /^Is there anything else/,
      ],
    ]);
    const stored = (await person.cases.get(value.reference))?.case;
    assert.ok(stored);
    assert.equal(stored.stage, 'stage-3');
    assert.equal(stored.status, 'escalation-requested');
    assert.deepEqual([stored.deadlines.at(-1)?.kind, stored.deadlines.at(-1)?.due], ['meeting', '2025-09-24']);
  });

  it('tells someone with no NHS response after six months that the ombudsman can look now, without telling them to wait for it', async () => {
    // Received Monday 2 June 2025: the 6 months beginning with that day end on Monday 1 December 2025.
    const person = new TestConversation({ at: '2025-12-10T10:00:00Z' });
    const stored = await withNhsCase(person);
    await play(person, [...findCase(stored.case.reference, 'Check on my complaint', /^What is your complaint reference/)]);
    const [status] = await person.say('sam.taylor@example.org');
    assert.match(
      status ?? '',
      /There’s no fixed date for the response, but it has been more than six months, so they must write to explain why it is taking longer\./,
    );
    assert.match(
      status ?? '',
      /\*\*What you can do next:\*\* you do not have to wait for the response: the PHSO can look at a complaint once the NHS organisation has had a reasonable opportunity to investigate and reply and has not.*You can ask the Parliamentary and Health Service Ombudsman \(PHSO\) to look at your complaint now\./s,
    );
    assert.doesNotMatch(status ?? '', /once you have had the response|by the date above/i);

    await play(person, [
      ['Take my complaint further', /^What is your complaint reference/],
      [stored.case.reference, /^Thank you/],
    ]);
    const [advice] = await person.say('sam.taylor@example.org');
    assert.match(
      advice ?? '',
      /^Local resolution by the NHS is the last stage.*There has been no response within 6 months, so they must write to tell you why\..*You can ask the Parliamentary and Health Service Ombudsman \(PHSO\) to look at your complaint now\./s,
    );
    assert.doesNotMatch(advice ?? '', /once you have had the response/i);
  });

  it(
    'at the Review Panel, says the meeting is late, not "the response", and that the ombudsman can look now once the council’s response is ' + 'overdue',
    async () => {
      // Stage 3 began Tuesday 1 July: the panel meets by Tuesday 12 August, reports by Tuesday 19
      // August, and the council responds by Wednesday 10 September (Monday 25 August is a bank holiday).
      const person = new TestConversation({ at: '2025-10-01T10:00:00+01:00' });
      const { case: value } = await withCase(person, (edit) => {
        edit.stage = 'stage-3';
        edit.status = 'awaiting-response';
        edit.deadlines.push(stageStarted('la-childrens-services', 'stage-3', '2025-07-01T10:00:00+01:00'));
      });
      await play(person, [...findCase(value.reference, 'Check on my complaint', /^What is your complaint reference/)]);
      const [status] = await person.say('sam.taylor@example.org');
      assert.match(status ?? '', /\*\*The Review Panel was due to meet by Tuesday 12 August 2025 and is late\. I’m sorry\.\*\*/);
      assert.match(
        status ?? '',
        /\*\*What you can do next:\*\* you do not have to wait for the response: the LGSCO can look at a complaint once the council has had a reasonable opportunity.*You can ask the Local Government and Social Care Ombudsman \(LGSCO\) to look at your complaint now\./s,
      );
      assert.doesNotMatch(status ?? '', /once you have had the response|The response was due by Tuesday 12 August/i);

      await play(person, [
        ['Take my complaint further', /^What is your complaint reference/],
        [value.reference, /^Thank you/],
      ]);
      const [advice] = await person.say('sam.taylor@example.org');
      assert.match(
        advice ?? '',
        /^Stage 3: Review Panel is the last stage.*The response was due by Wednesday 10 September 2025 and is late\..*You can ask the Local Government and Social Care Ombudsman \(LGSCO\) to look at your complaint now\./s,
      );
      assert.doesNotMatch(advice ?? '', /once you have had the response/i);
    },
  );

  it('at the Review Panel, says the meeting is late before the council’s response is due, and points to the ombudsman, not back here', async () => {
    // Stage 3 began Tuesday 1 July: the panel meets by Tuesday 12 August; the council responds by Wednesday 10 September.
    const person = new TestConversation({ at: '2025-08-20T10:00:00+01:00' });
    const { case: value } = await withCase(person, (edit) => {
      edit.stage = 'stage-3';
      edit.status = 'awaiting-response';
      edit.deadlines.push(stageStarted('la-childrens-services', 'stage-3', '2025-07-01T10:00:00+01:00'));
    });
    await play(person, [...findCase(value.reference, 'Check on my complaint', /^What is your complaint reference/)]);
    const [status] = await person.say('sam.taylor@example.org');
    assert.match(status ?? '', /\*\*The Review Panel was due to meet by Tuesday 12 August 2025 and is late\. I’m sorry\.\*\*/);
    assert.match(
      status ?? '',
      /\*\*What you can do next:\*\* The LGSCO normally expects.*already running late, so you do not have to wait for the response: you can ask the Local Government and Social Care Ombudsman \(LGSCO\) to look at your complaint now/s,
    );
    assert.doesNotMatch(status ?? '', /come back here|send the response as soon as/);

    await play(person, [
      ['Take my complaint further', /^What is your complaint reference/],
      [value.reference, /^Thank you/],
    ]);
    const [advice] = await person.say('sam.taylor@example.org');
    assert.match(advice ?? '', /^Stage 3: Review Panel is the last stage.*The panel meeting was due by Tuesday 12 August 2025 and is late\. We are sorry\./s);
    assert.doesNotMatch(advice ?? '', /The response is due by|wait for the response first/);

    // Waiting to be picked up after asking for the panel: still the last stage, so still not "come back here".
    const asked = new TestConversation({ at: '2025-08-20T10:00:00+01:00', cases: person.cases });
    const stored = (await person.cases.get(value.reference)) ?? assert.fail('the case was not found');
    await person.cases.update(
      stored,
      change(stored, (edit) => {
        edit.status = 'escalation-requested';
      }),
    );
    await play(asked, [...findCase(value.reference, 'Check on my complaint', /^What is your complaint reference/)]);
    const [waiting] = await asked.say('sam.taylor@example.org');
    assert.match(waiting ?? '', /\*\*What you can do next:\*\* The LGSCO normally expects.*look at your complaint now/s);
    assert.doesNotMatch(waiting ?? '', /come back here|send the response as soon as/);
  });

  it('describes a late panel report as the report', async () => {
    const person = new TestConversation({ at: '2025-10-01T10:00:00+01:00' });
    const { case: value } = await withCase(person, (edit) => {
      edit.stage = 'stage-3';
      edit.status = 'awaiting-response';
      // The panel met on Monday 1 September; its report was due 5 working days later, Monday 8 September.
      edit.deadlines.push(stageStarted('la-childrens-services', 'stage-3', '2025-09-01T10:00:00+01:00', 'panel-report'));
    });
    await play(person, [
      ...findCase(value.reference, 'Check on my complaint', /^What is your complaint reference/),
      ['sam.taylor@example.org', /\*\*The panel’s report was due by Monday 8 September 2025 and is late\. I’m sorry\.\*\*/, /^Is there anything else/],
    ]);
  });

  it('gives a response date agreed with the NHS as agreed, and once it has passed, says the ombudsman can look now', async () => {
    const agreed = deadlineRecord(
      policy.agreedResponseDeadline({
        procedure: 'nhs-health',
        stage: 'local-resolution',
        agreedAt: new Date('2025-06-05T10:00:00+01:00'),
        agreedOn: parseLocalDate('2025-08-29'),
      }),
    );
    const person = new TestConversation({ at: '2025-08-01T10:00:00+01:00' });
    const stored = await withNhsCase(person, { deadlines: [stageStarted('nhs-health', 'local-resolution', '2025-06-02T10:00:00+01:00'), agreed] });
    await play(person, [
      ...findCase(stored.case.reference, 'Check on my complaint', /^What is your complaint reference/),
      // From Friday 1 August to Friday 29 August: 19 working days (Monday 25 August is a bank holiday).
      ['sam.taylor@example.org', /\*\*The response was agreed for Friday 29 August 2025\*\* \(19 working days from today\)\./, /^Is there anything else/],
    ]);
    const later = new TestConversation({ at: '2025-09-03T10:00:00+01:00', cases: person.cases });
    await play(later, [...findCase(stored.case.reference, 'Check on my complaint', /^What is your complaint reference/)]);
    const [status] = await later.say('sam.taylor@example.org');
    assert.match(status ?? '', /\*\*The response was agreed for Friday 29 August 2025 and is late\. I’m sorry\.\*\*/);
    assert.match(status ?? '', /You can ask the Parliamentary and Health Service Ombudsman \(PHSO\) to look at your complaint now\./);
    assert.doesNotMatch(status ?? '', /once you have had the response|no fixed date/i);
  });
});
