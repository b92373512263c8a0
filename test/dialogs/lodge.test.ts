import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { StorageUnavailable } from '../../src/cases/errors.js';
import { change, lodgeRequest } from '../helpers/cases.js';
import { type Exchange, play, SERVICE, TestConversation } from '../helpers/conversation.js';

/** From the first message to the "what happened" question, for a parent complaining about children's social care. */
const PARENT_TO_WHAT_HAPPENED: readonly Exchange[] = [
  [
    'Hi',
    /^Hello\. I can help you \*\*make a complaint\*\*.*call 999/s,
    'What would you like to do? [Make a complaint | Check on my complaint | Take my complaint further]',
  ],
  ['I want to make a complaint', /^I’ll ask you some questions/, /^First, what is your complaint about\?/],
  ["children's social care", 'Are you making this complaint for yourself, or for someone else? [For myself | For someone else]'],
  [
    'For someone else',
    'What is your relationship to them? [Parent | Foster carer (the council placed the child with me) | Someone with parental responsibility | Relative ' +
      'or carer | Advocate | Other]',
  ],
  ['Parent', /^What is their name\?/],
  ['Alex, aged 9', 'And what is your name?'],
  ['Sam Taylor', /^Please tell me what happened\./],
];

const ACCOUNT = 'The social worker cancelled three visits without telling us and nobody called back.';

/** From "what happened" to the summary, with an email, no adjustments and no advocate. */
const WHAT_HAPPENED_TO_SUMMARY: readonly Exchange[] = [
  [ACCOUNT, /^When did this happen\?/],
  ['3/4/2025', 'So that was Thursday 3 April 2025. Is that right? [Yes | No]'],
  ['yes', /^What would you like to happen to put things right\?/],
  ['An apology and a named contact', /^How can the team contact you/],
  ['sam@example.org', /I’ll ask for your email address/, /^Do you need anything to help you take part/],
  [
    'No, thank you',
    /^A local advocacy service is an independent service.*We can’t promise you an advocate, but would you like us to put you in touch\?\n\nIf the child or young person wants to have their say, the council must arrange an advocate for them, free\. Just let the team know\. \[Yes, please \| No, thank you \| I already have one\]$/s,
  ],
  ['No, thank you', /^Before I send your complaint, please read this\..*6 years.*privacy\/complaints.*\[Yes, I agree \| No\]$/s],
  [
    'Yes, I agree',
    /^Here’s your complaint\. Please check it\..*2\. \*\*Who it’s for:\*\* Alex, aged 9; made by you, Sam Taylor, as their parent.*4\. \*\*When:\*\* Thursday 3 April 2025.*\[Send complaint \| Change something\]$/s,
  ],
];

describe('making a complaint', () => {
  it('takes a parent’s complaint about children’s social care, with a reference and the date of the response', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...WHAT_HAPPENED_TO_SUMMARY,
      [
        'Send complaint',
        /^Thank you\. Your complaint has been sent\..*Your reference is \*\*[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}\*\* \(that's .*What happens next: The manager of the service.*by \*\*Monday 16 June 2025\*\*: that’s 10 working days after the day we received it, Monday 2 June 2025\./s,
        /^Is there anything else I can help you with\?/,
      ],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    assert.ok(reference);
    const saved = (await person.cases.get(reference))?.case;
    assert.ok(saved);
    assert.equal(saved.procedure, 'la-childrens-services');
    assert.equal(saved.complainant.relationship, 'parent');
    assert.deepEqual(saved.personAffected, { name: 'Alex, aged 9', description: null, child: null });
    assert.equal(saved.flags.standing, null, 'a parent may complain for their child');
    assert.equal(saved.whatHappened, ACCOUNT);
    assert.deepEqual(saved.when, { date: '2025-04-03', earliest: '2025-04-03', latest: '2025-04-03', basis: 'happened', certainty: 'exact', said: '3/4/2025' });
    assert.deepEqual(saved.contact, { email: 'sam@example.org', phone: null, preferred: 'email' });
    assert.equal(saved.deadlines[0]?.due, '2025-06-16');
    assert.equal(saved.conversations[0]?.channelId, 'webchat');
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['lodged'],
    );
    const found = await person.cases.verify({ reference, secondFactor: 'SAM@example.org', requesterKey: 'x' });
    assert.equal(found.ok, true, 'the email given unlocks the case');
  });

  it('reads back who the complaint is for and who is making it, with the names exactly as typed, shown literally', async () => {
    const NAMES: readonly (readonly [string, string, string])[] = [
      ['Jayden, 14', "kerry-ann o'neill", "2. **Who it’s for:** Jayden, 14; made by you, kerry-ann o'neill, as their parent\n"],
      [
        '[Jayden](https://x.example), 14',
        'kerry_ann *oneill*',
        '2. **Who it’s for:** \\[Jayden\\](https://x.example), 14; made by you, kerry\\_ann \\*oneill\\*, as their parent\n',
      ],
    ];
    for (const [theirs, mine, line] of NAMES) {
      const person = new TestConversation();
      await play(person, [
        ...PARENT_TO_WHAT_HAPPENED.slice(0, 5),
        [theirs, 'And what is your name?'],
        [mine, /^Please tell me what happened\./],
        ...WHAT_HAPPENED_TO_SUMMARY.slice(0, -1),
      ]);
      const [summary = ''] = await person.say('Yes, I agree');
      assert.ok(summary.includes(line), `the summary says:\n${summary}`);
      assert.doesNotMatch(summary, /complained about/);
    }
  });

  it('counts a complaint sent on a Saturday from the Saturday itself, for the NHS website', async () => {
    const person = new TestConversation({ at: '2025-06-07T10:00:00+01:00' });
    await play(person, [
      ['I have a complaint about the NHS website', /^Hello\./, /^I’ll ask you some questions/, /^First, what is your complaint about\?/],
      ['1', /^Are you making this complaint for yourself/],
      ['For myself', 'And what is your name?'],
      ['Jo Smith', /^Please tell me what happened/],
      ['The page about asthma inhalers gives the wrong dose for children.', /^When did this happen\?/],
      ['last Tuesday', 'So that was Tuesday 3 June 2025. Is that right? [Yes | No]'],
      ['yep', /^What would you like to happen/],
      ['Correct the page', /^How can the team contact you/],
      ['07700 900123', /I’ll ask for your phone number/, /^Do you need anything/],
      ['Large print please', /^Before I send your complaint/],
      ['Yes, I agree', /7\. \*\*Help you need:\*\* Large print please/],
      // Day 0 is Saturday 7 June; the 30th working day after it is Friday 18 July (no bank holidays between).
      [
        'send',
        /You should have a response by \*\*Friday 18 July 2025\*\*: that’s 30 working days after the day we received it, Saturday 7 June 2025\.$/s,
        /^Is there anything else/,
      ],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.ok(saved);
    assert.equal(saved.deadlines[0]?.due, '2025-07-18');
    assert.equal(saved.deadlines[0].countsFrom, '2025-06-07', 'a weekend receipt is not moved to Monday');
    assert.equal(saved.procedure, 'nhs-choices');
    assert.equal(saved.complainant.relationship, 'self');
    assert.equal(saved.needs.advocacy, 'not-offered');
    assert.equal(saved.needs.adjustments, 'Large print please');
    assert.equal(saved.contact.phone, '+447700900123');
  });

  it('sends an EHC plan complaint to the Integrated Care Board the person chose, with the acknowledgement date and the six-month rule', async () => {
    const person = new TestConversation();
    await play(person, [
      ['Hi', /^Hello/, /^What would you like to do\?/],
      ['Make a complaint', /^I’ll ask/, /^First/],
      ['Health care in an EHC plan', /^You can choose who looks into your complaint\..*\[NHS service provider \| Integrated Care Board \(commissioner\)\]$/s],
      [
        'the ICB please',
        'Thank you. Your complaint will go to the Integrated Care Board (commissioner): the NHS body that plans and pays for health services in your area.',
        /^Are you making this complaint/,
      ],
      ['for someone else', /^What is your relationship to them\? \[Parent \| Relative or carer \| Advocate \| Other\]$/],
      ['Mum', 'Is the person you’re complaining for under 18? [Yes | No | Not sure]'],
      // Not sure whether they are under 18: checked as if they may be (reg 5), as the person is told.
      ['not sure', /^Thank you\. Your complaint will still be recorded\. Because they may be under 18, the Integrated Care Board/, /^What is their name\?/],
      ['skip', 'And what is your name?'],
      ['Priya Shah', /^Please tell me what happened/],
      ['Speech and language therapy in the plan has never been provided, for a whole school year.', /^When did this happen/],
      ['1/9/2024', 'So that was Sunday 1 September 2024. Is that right? [Yes | No]'],
      ['yes', /^What would you like/],
      ['The therapy to start', /^How can the team contact you/],
      ['priya@example.co.uk or 020 7946 0958', /^Thank you\. How would you prefer the team to contact you\? \[By email \| By phone \| Here in this chat\]$/],
      // Either detail will find the complaint later, whichever they prefer to be contacted by (issue 17 item 1).
      ['By phone', /I’ll ask for your email address or your phone number \(either will do\)\.$/, /^Do you need anything/],
      ['no', /^NHS Complaints Advocacy is a free, independent service.*We can’t promise you an advocate, but would you like us to put you in touch\?/s],
      ['Yes please', /^Before I send/],
      [
        'I agree',
        /^Here’s your complaint.*1\. \*\*What it’s about:\*\* NHS health services in an EHC plan, sent to the Integrated Care Board \(commissioner\).*you’d like to be put in touch with an advocacy service/s,
      ],
      // 3 working days after Monday 2 June is Thursday 5 June; 6 months beginning with 2 June end on Monday 1 December.
      [
        'Send complaint',
        /acknowledgement by Thursday 5 June 2025.*if you haven’t had one by Monday 1 December 2025, they must write to tell you why/s,
        /^Is there anything else/,
      ],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.ok(saved);
    assert.equal(saved.route, 'commissioner');
    assert.equal(saved.complainant.relationship, 'parent');
    assert.deepEqual(saved.personAffected, { name: null, description: null, child: null });
    assert.deepEqual(saved.flags.standing, { check: 'representative-for-child', decision: 'pending' }, 'not known to be an adult: checked');
    assert.equal(saved.deadlines[0]?.due, '2025-12-01');
    assert.deepEqual(saved.contact, { email: 'priya@example.co.uk', phone: '+442079460958', preferred: 'phone' });
    assert.equal(saved.needs.advocacy, 'requested');
    assert.equal(saved.acknowledgement?.due.due, '2025-06-05');
    assert.equal(saved.deadlines[0].kind, 'explanation-duty');
    // The phone number given with the email finds it, written as people write numbers.
    await play(person, [
      ['Check on my complaint', /^What is your complaint reference/],
      [saved.reference, /^Thank you\. To check it’s you/],
      ['020-7946-0958', /^Your complaint \*\*[0-9A-Z-]+\*\* is about NHS health services/, /^Is there anything else/],
    ]);
  });

  it('lets the person change one answer from the summary without starting again', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...WHAT_HAPPENED_TO_SUMMARY,
      [
        'Change something',
        /^Which part would you like to change\? \[What it’s about \| Who it’s for \| What happened \| When \| What you’d like \| Contact details \| Help you need\]$/,
      ],
      ['When', /^When did this happen\?/],
      ['5/4/2025', 'So that was Saturday 5 April 2025. Is that right? [Yes | No]'],
      ['yes', /^Here’s your complaint.*Sam Taylor.*4\. \*\*When:\*\* Saturday 5 April 2025/s],
      ['change the email', /^How can the team contact you/],
      ['sam.t@example.org', /I’ll ask for your email/, /^Here’s your complaint.*sam\.t@example\.org/s],
      ['Send complaint', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.ok(saved);
    assert.equal(saved.when.date, '2025-04-05');
    assert.equal(saved.contact.email, 'sam.t@example.org');
    assert.equal(saved.whatHappened, ACCOUNT, 'everything else is kept');
    assert.equal((await person.cases.listByStatus('open')).length, 1);
  });

  it('accepts a late complaint, asks why, and flags it for a decision', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['3/4/2023', 'So that was Monday 3 April 2023. Is that right? [Yes | No]'],
      ['yes', 'Was Monday 3 April 2023 when it happened, or when you first found out about it? [When it happened | When I found out]'],
      [
        'When it happened',
        /^Normally a complaint should be made within one year of the grounds for it arising, which for this complaint was by Wednesday 3 April 2024\. It can still be looked at if it would not have been reasonable to expect the complaint to be made within the year, and it can still be considered effectively and fairly.*You can still go ahead\.$/s,
        /^Could you tell me briefly why you’re making the complaint now\?/,
      ],
      ['I was in hospital for most of last year', /^What would you like to happen/],
      ['An apology', /^How can the team contact you/],
      ['sam@example.org', /I’ll ask for your email/, /^Do you need anything/],
      ['no', /^A local advocacy service/],
      ['no', /^Before I send/],
      ['yes', /^Here’s your complaint/],
      ['Send complaint', /a manager will first decide whether your complaint can be looked at/, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.ok(saved);
    assert.deepEqual(saved.flags.late, { limitEndedOn: '2024-04-03', reason: 'I was in hospital for most of last year', decision: 'pending' });
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['lodged', 'flagged'],
    );
  });

  it('narrows down vague dates, queries impossible and future ones, and accepts "not sure"', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['tomorrow', /^Tuesday 3 June 2025 is in the future\. When did it happen\?/],
      ['31/02/2025', 'Sorry, February 2025 has no day 31. Could you check the date?'],
      ['13/13/2025', /^Sorry, there is no month 13/],
      ['Easter Monday', 'So that was Monday 21 April 2025. Is that right? [Yes | No]'],
      ['no', 'OK, when did it happen?'],
      ['a fortnight ago', 'So that was around Monday 19 May 2025. Is that right? [Yes | No]'],
      ['in March', /^Do you know which day in March 2025 it was\?/],
      ['the 14th', 'So that was Friday 14 March 2025. Is that right? [Yes | No]'],
      ['actually it was 12/3/2025', 'So that was Wednesday 12 March 2025. Is that right? [Yes | No]'],
      ['no', 'OK, when did it happen?'],
      ['idk', /^That’s fine\. Can you say roughly when\?/],
      ['not sure', 'That’s fine: I’ll note that you’re not sure when it happened. The team can ask you about it.', /^What would you like to happen/],
    ]);
  });

  it('records a month given without a day as that month, never as an invented day', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['sometime in March', /^Do you know which day in March 2025/],
      ["can't remember", 'That’s fine: I’ll note it as sometime in March 2025.', /^What would you like to happen/],
      ['An apology', /^How can the team/],
      ['sam@example.org', /email/, /^Do you need anything/],
      ['no', /^A local advocacy service/],
      ['no', /^Before I send/],
      ['yes', /4\. \*\*When:\*\* sometime in March 2025\n/],
    ]);
    const when = (await person.memory()).draft?.when;
    assert.deepEqual([when?.earliest, when?.latest, when?.certainty], ['2025-03-01', '2025-03-31', 'approximate']);
  });

  it('asks again, kindly, for contact details that are not valid', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When/],
      ['3/4/2025', /^So that was/],
      ['yes', /^What would you like/],
      ['An apology', /^How can the team contact you/],
      ['sam@example', /^Sorry, sam@example does not look like a complete email address\. Please check it and type it again/],
      ['07700', /^I couldn’t find an email address or a UK phone number in that/],
      ['+1 415 555 0100', /is not a UK number/],
      ['07700 900123', /I’ll ask for your phone number/, /^Do you need anything/],
    ]);
  });

  it('asks for more when what happened is too short, or only emoji, and takes a very long account whole', async () => {
    const person = new TestConversation();
    const long = 'The visits kept being cancelled. '.repeat(650).slice(0, 20_000);
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ['bad', /^Could you tell me a little more about what happened\?/],
      ['😡😡😡😡😡', /^Could you tell me a little more/],
      ['   ', /^I didn’t get any words in that|^Could you tell me/],
      [long, /^When did this happen/],
      ['3/4/2025', /^So that was/],
      ['yes', /^What would you like/],
      ['An apology', /^How can/],
      ['sam@example.org', /email/, /^Do you need/],
      ['no', /^A local advocacy service/],
      ['no', /^Before I send/],
      ['yes', /^Here’s your complaint.*3\. \*\*What happened:\*\* The visits kept being cancelled\..{100,300}…/s],
      ['Send complaint', /^Thank you/, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    assert.equal((await person.cases.get(reference!))?.case.whatHappened, long.trim(), 'the whole account is kept');
  });

  it('keeps every answer when saving fails, and saves once when the person tries again', async () => {
    const person = new TestConversation();
    const lodge = sinon.stub(person.cases, 'lodge');
    lodge.onFirstCall().rejects(new StorageUnavailable('lodge'));
    lodge.callThrough();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...WHAT_HAPPENED_TO_SUMMARY,
      ['Send complaint', /^I’m sorry: I couldn’t send your complaint just now.*Your answers are still here.*\[Try again \| Not now\]$/s],
      ['Try again', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
    ]);
    assert.equal((await person.cases.listByStatus('open')).length, 1);
    assert.equal(lodge.callCount, 2);
    assert.equal(lodge.firstCall.args[0].submissionKey, lodge.secondCall.args[0].submissionKey, 'the retry is the same submission');
  });

  it('saves nothing when the person does not agree to the privacy notice', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When/],
      ['3/4/2025', /^So that was/],
      ['yes', /^What would you like/],
      ['An apology', /^How can/],
      ['sam@example.org', /email/, /^Do you need/],
      ['no', /^A local advocacy service/],
      ['no', /^Before I send/],
      ['No', /^Just to check/],
      ['yes', /^That’s fine\. I haven’t saved anything\..*0300 123 4567/s, /^Is there anything else/],
    ]);
    assert.deepEqual(await person.cases.listByStatus('open'), []);
  });

  it('points to the right place when the complaint is about something else', async () => {
    const person = new TestConversation();
    await play(person, [
      ['I want to complain', /^Hello/, /^I’ll ask/, /^First/],
      [
        'Something else',
        /^I can only take complaints about the NHS website, the council’s services.*Other NHS care.*Integrated Care Board.*Housing Ombudsman.*0300 123 4567/s,
        /^Is there anything else/,
      ],
    ]);
    assert.deepEqual(await person.cases.listByStatus('open'), []);
  });
});

describe('making a complaint about a council service or adult social care', () => {
  /** A complaint made for oneself, from the topic question's answer to the lodging message. */
  async function lodgeAbout(person: TestConversation, topic: string, account: string, sent: RegExp): Promise<void> {
    await play(person, [
      ['I want to make a complaint', /^Hello\./, /^I’ll ask you some questions/, /^First, what is your complaint about\?/],
      [topic, /^Are you making this complaint for yourself/],
      ['For myself', 'And what is your name?'],
      ['Jo Smith', /^Please tell me what happened/],
      [account, /^When did this happen\?/],
      ['last Monday', /^So that was Monday 30 November 2026\. Is that right\?/],
      ['yes', /^What would you like to happen/],
      ['Sort it out and say sorry', /^How can the team contact you/],
      ['jo.smith@example.org', /I’ll ask for your email address/, /^Do you need anything/],
    ]);
    // A procedure that names an advocacy service offers it next; the others go on to the privacy notice.
    const next = await person.say('No');
    if (/^A local advocacy service|advocate/.test(next[0] ?? '')) await play(person, [['No, thank you', /^Before I send your complaint/]]);
    else assert.match(next[0] ?? '', /^Before I send your complaint/);
    await play(person, [
      ['Yes, I agree', /^Here’s your complaint\./],
      ['Send complaint', sent, /^Is there anything else/],
    ]);
  }

  async function theCase(person: TestConversation) {
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.ok(saved);
    return saved;
  }

  it('takes a bin complaint under the Complaint Handling Code: acknowledged on the day, answered within 10 working days of it', async () => {
    // Friday 4 December 2026: acknowledged that day by the confirmation; 10 working days after it end on Friday 18 December.
    const person = new TestConversation({ at: '2026-12-04T10:00:00+00:00' });
    await lodgeAbout(
      person,
      'my bins haven’t been emptied for three weeks',
      'The bin lorry has missed our street three weeks running.',
      /\*\*Friday 18 December 2026\*\*/,
    );
    const saved = await theCase(person);
    assert.equal(saved.procedure, 'la-corporate');
    assert.equal(saved.stage, 'stage-1');
    assert.equal(saved.deadlines[0]?.due, '2026-12-18');
    assert.equal(saved.acknowledgement?.acknowledgedAt, '2026-12-04T10:00:00.000Z', 'the confirmation is the acknowledgement, given on the day');
    assert.equal(saved.acknowledgement.due.due, '2026-12-11', 'which the Code asks for within 5 working days');
  });

  it('takes a council tax complaint under the same procedure', async () => {
    const person = new TestConversation({ at: '2026-12-04T10:00:00+00:00' });
    await lodgeAbout(person, 'Council tax', 'I was charged council tax twice for November and nobody answers my emails.', /\*\*Friday 18 December 2026\*\*/);
    assert.equal((await theCase(person)).procedure, 'la-corporate');
  });

  it('takes an adult social care complaint under the 2009 regulations, with the council as the body and the LGSCO after', async () => {
    const person = new TestConversation({ at: '2026-12-04T10:00:00+00:00' });
    await lodgeAbout(
      person,
      'the care workers for my elderly mum keep missing visits',
      'The home care visits for my mother were missed four times this week.',
      /You should get an acknowledgement by Wednesday 9 December 2026\..*if you haven’t had one by .*3 June 2027.*they must write to tell you why/s,
    );
    const saved = await theCase(person);
    assert.equal(saved.procedure, 'la-adult-social-care');
    assert.equal(saved.acknowledgement?.acknowledgedAt, null, 'staff acknowledge it, with the offer to discuss how it will be handled');
    assert.equal(saved.acknowledgement.due.due, '2026-12-09', 'within 3 working days after the day of receipt (SI 2009/309 reg 13(2))');
    assert.equal(saved.deadlines[0]?.kind, 'explanation-duty');
    assert.equal(saved.deadlines[0].due, '2027-06-03', '6 months beginning with 4 December 2026 (reg 14(2))');
  });

  it('still takes a complaint about a child’s social worker under the children’s procedure', async () => {
    const person = new TestConversation({ at: '2026-12-04T10:00:00+00:00' });
    await play(person, [
      ['I want to make a complaint', /^Hello\./, /^I’ll ask you some questions/, /^First, what is your complaint about\?/],
      ['my son’s social worker from the council', /^Are you making this complaint for yourself/],
    ]);
    assert.equal((await person.memory()).draft?.procedure, 'la-childrens-services', 'a child’s social worker, though "council" is said too');
  });
});

describe('changing answers and awkward turns while making a complaint', () => {
  it('asks again who and when after the procedure is changed, since both depend on it, then sends', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...WHAT_HAPPENED_TO_SUMMARY,
      ['Change something', /^Which part would you like to change\?/],
      ['What it’s about', /^First, what is your complaint about\?/],
      ['The NHS website', /^Are you making this complaint for yourself/],
      ['For myself', 'And what is your name?'],
      ['Sam Taylor', /^When did this happen\?/],
      ['3/4/2025', /^So that was Thursday 3 April 2025/],
      ['yes', /^Here’s your complaint.*1\. \*\*What it’s about:\*\* the NHS website.*2\. \*\*Who it’s for:\*\* yourself, Sam Taylor/s],
      ['Send complaint', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.ok(saved);
    assert.equal(saved.procedure, 'nhs-choices');
    assert.equal(saved.stage, 'service-desk');
    assert.equal(saved.complainant.relationship, 'self');
    assert.equal(saved.needs.advocacy, 'not-offered', 'the advocacy offer belongs to the procedure, so it was worked out again');
    assert.equal(saved.whatHappened, ACCOUNT);
  });

  it('lets the person change every part, one at a time, keeping the rest', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...WHAT_HAPPENED_TO_SUMMARY,
      ['Change something', /^Which part/],
      ['Who it’s for', /^Are you making this complaint/],
      ['For myself', 'And what is your name?'],
      // Now the child or young person is complaining, so advocacy is offered to them afresh.
      ['Sam Taylor', /^An advocate can help you say what you want.*the council must arrange an advocate for you if you’d like one, and it’s free/s],
      ['No, thank you', /^Here’s your complaint.*yourself, Sam Taylor/s],
      ['Change something', /^Which part/],
      ['What happened', /^Please tell me what happened/],
      ['The visits stopped in March and nobody told us why.', /^Here’s your complaint.*The visits stopped in March/s],
      ['Change something', /^Which part/],
      ['What you’d like', /^What would you like to happen/],
      ['A written apology', /^Here’s your complaint.*A written apology/s],
      ['Change something', /^Which part/],
      ['Contact details', /^How can the team contact you/],
      ['07700 900123', /I’ll ask for your phone number/, /^Here’s your complaint.*\+447700900123/s],
      ['Change something', /^Which part/],
      ['Help you need', /^Do you need anything to help you/],
      ['Large print', /^An advocate can help you/],
      ['I already have one', /^Here’s your complaint.*Large print; you have an advocate/s],
      ['yes, send it', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.ok(saved);
    assert.equal(saved.complainant.relationship, 'self');
    assert.equal(saved.personAffected, null);
    assert.equal(saved.whatHappened, 'The visits stopped in March and nobody told us why.');
    assert.equal(saved.outcomeWanted, 'A written apology');
    assert.deepEqual(saved.contact, { email: null, phone: '+447700900123', preferred: 'phone' });
    assert.deepEqual(saved.needs, { adjustments: 'Large print', advocacy: 'has-advocate' });
    assert.equal(saved.when.date, '2025-04-03', 'the date was kept');
  });

  it('takes "yes, but" at the summary as the part to change', async () => {
    await play(new TestConversation(), [...PARENT_TO_WHAT_HAPPENED, ...WHAT_HAPPENED_TO_SUMMARY, ['yes but the date is wrong', /^When did this happen\?/]]);
  });

  it('reads "no, it was …" as the right date, and "yes it was" as yes', async () => {
    await play(new TestConversation(), [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['3/4/2025', /^So that was Thursday 3 April 2025/],
      ['no, it was 4/4/2025', 'So that was Friday 4 April 2025. Is that right? [Yes | No]'],
      ['no that’s wrong', 'OK, when did it happen?'],
      ['yesterday', 'So that was Sunday 1 June 2025. Is that right? [Yes | No]'],
      ['Yes it was', /^What would you like to happen/],
    ]);
  });

  it('narrows a year to a month and a day, reading each in the year given', async () => {
    await play(new TestConversation(), [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['2023', /^Do you know which month in 2023 it was\?/],
      ['March', /^Do you know which day in March 2023 it was\?/],
      ['on the 14th', 'So that was Tuesday 14 March 2023. Is that right? [Yes | No]'],
      ['yes', /^Is that when it happened, or when you first found out about it\?|^Was Tuesday 14 March 2023 when it happened/],
    ]);
    await play(new TestConversation(), [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['last year', /^Do you know which month in 2024 it was\?/],
      ['in the summer', 'So that was summer 2024 (June to August). Is that right? [Yes | No]'],
    ]);
    await play(new TestConversation(), [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['not sure, maybe 2024', /^Do you know which month in 2024 it was\?/],
      ['no idea', 'That’s fine: I’ll note it as sometime in 2024.', /^What would you like to happen/],
    ]);
  });

  it('understands "for my son" without asking the relationship, and asks again when it cannot tell', async () => {
    const person = new TestConversation();
    await play(person, [
      ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
      ['2', /^Are you making this complaint for yourself/],
      ['hmm', /^Sorry, I didn’t catch that\. Is the complaint for you, or for someone else/],
      ['it’s for my son', /^What is their name\?/],
      ['Alex', 'And what is your name?'],
      ['Sam', /^Please tell me what happened/],
    ]);
    assert.equal((await person.memory()).draft?.who?.relationship, 'parent');
  });

  it('after two tries at contact details, offers the service desk or to skip, and gives an access code that unlocks the case', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When/],
      ['3/4/2025', /^So that was/],
      ['yes', /^What would you like/],
      ['An apology', /^How can the team contact you/],
      ['sam@example', /^Sorry, sam@example does not look like a complete email address/],
      ['07700', /^I couldn’t find an email address or a UK phone number in that.*call the service desk on 0300 123 4567.*type "skip"/s],
      ['I don’t have one', /^That’s fine\. The team will reply to you here in this chat\..*access code: \*\*\d{4} \d{4} \d{4}\*\*/s, /^Do you need anything/],
      ['no', /^A local advocacy service/],
      ['no', /^Before I send/],
      ['yes', /6\. \*\*Contact details:\*\* none given: the team will reply in this chat, and you have an access code/],
    ]);
    const replies = await person.say('Send complaint');
    const code = /access code \*\*(\d{4} \d{4} \d{4})\*\*/.exec(replies[0] ?? '')?.[1];
    assert.ok(code, replies[0]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.deepEqual(saved?.contact, { email: null, phone: null, preferred: 'chat' });
    assert.equal((await person.cases.verify({ reference: reference!, secondFactor: code.replace(/ /g, ''), requesterKey: 'x' })).ok, true);
  });

  it('keeps an unsent complaint when the person cancels something else, and resumes it', async () => {
    const person = new TestConversation();
    const lodge = sinon.stub(person.cases, 'lodge');
    lodge.onFirstCall().rejects(new StorageUnavailable('lodge'));
    lodge.callThrough();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...WHAT_HAPPENED_TO_SUMMARY,
      ['Send complaint', /^I’m sorry: I couldn’t send your complaint just now/],
      ['Not now', /^OK\. Your answers will be kept for a while/, /^Is there anything else/],
      ['Check on my complaint', /^What is your complaint reference/],
      ['cancel', 'OK, I’ve stopped.', /^Is there anything else/],
      ['Make a complaint', /^Welcome back\. I still have the answers you gave earlier/, /^Here’s your complaint.*Sam Taylor/s],
      ['Send complaint', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
    ]);
    assert.equal((await person.cases.listByStatus('open')).length, 1);
  });

  it('asks again when sending finds an answer missing, instead of failing', async () => {
    const person = new TestConversation();
    await play(person, [...PARENT_TO_WHAT_HAPPENED, ...WHAT_HAPPENED_TO_SUMMARY]);
    await person.editMemory((memory) => {
      delete memory.draft?.outcomeWanted;
    });
    await play(person, [
      ['Send complaint', 'I need a little more before I can send this.', /^What would you like to happen to put things right/],
      ['An apology', /^Here’s your complaint/],
      ['Send complaint', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
    ]);
  });
});

describe('answers that are easy to misread', () => {
  it('takes "no problem" at the privacy question as agreement, and checks before deleting on a no', async () => {
    const person = new TestConversation();
    const toConsent: Exchange[] = [
      [ACCOUNT, /^When/],
      ['3/4/2025', /^So that was/],
      ['yes', /^What would you like/],
      ['An apology', /^How can/],
      ['sam@example.org', /email/, /^Do you need/],
      ['no', /^A local advocacy service/],
      ['no', /^Before I send/],
    ];
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...toConsent,
      [
        'No',
        /^Just to check: without your agreement I can’t send your complaint, and I’ll delete the answers you’ve given\. Shall I delete them\? \[Yes, delete them \| No, go back\]$/,
      ],
      ['No, go back', /^Before I send your complaint, please read this/],
      ['no problem', /^Here’s your complaint/],
    ]);
    const declining = new TestConversation();
    await play(declining, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...toConsent,
      ['no', /^Just to check/],
      ['hmm', /^Sorry, I need a yes or no to that\. Shall I delete your answers\?/],
      ['Yes, delete them', /^That’s fine\. I haven’t saved anything/, /^Is there anything else/],
    ]);
    assert.equal((await declining.memory()).draft, undefined);
  });

  it('reads "yes for sure" at the summary as send, and "no, not again" as not trying again', async () => {
    const person = new TestConversation();
    const lodge = sinon.stub(person.cases, 'lodge');
    lodge.rejects(new StorageUnavailable('lodge'));
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...WHAT_HAPPENED_TO_SUMMARY,
      ['yes for sure', /^I’m sorry: I couldn’t send your complaint just now/],
      ['no, not again', /^OK\. Your answers will be kept for a while/, /^Is there anything else/],
    ]);
    assert.equal(lodge.callCount, 1);
  });

  it('keeps the month being narrowed down through a day that does not exist, and reads a bare day after "yes"', async () => {
    await play(new TestConversation(), [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['February 2025', /^Do you know which day in February 2025 it was\?/],
      ['the 31st', 'Sorry, February 2025 has no day 31. Could you check the date?'],
      ['28th', 'So that was Friday 28 February 2025. Is that right? [Yes | No]'],
      ['yes, the 27th actually', 'So that was Thursday 27 February 2025. Is that right? [Yes | No]'],
    ]);
    await play(new TestConversation({ at: '2025-06-02T10:00:00+01:00' }), [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When did this happen/],
      ['2024', /^Do you know which month in 2024 it was\?/],
      ['14 March', 'So that was Thursday 14 March 2024. Is that right? [Yes | No]'],
    ]);
  });

  it('reads "for my own child" as for someone else', async () => {
    const person = new TestConversation();
    await play(person, [
      ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
      ['2', /^Are you making/],
      ['for my own child', /^What is their name\?/],
      ['Alex', 'And what is your name?'],
      ['Sam', /^Please tell me/],
    ]);
    assert.equal((await person.memory()).draft?.who?.relationship, 'parent');
  });

  it('keeps a very long escalation reason full of control characters without failing', async () => {
    const person = new TestConversation({ at: '2025-06-12T10:00:00+01:00' });
    const { stored } = await person.cases.lodge(lodgeRequest());
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
    );
    await play(person, [
      ['Take my complaint further', /^Hello/, /^What is your complaint reference/],
      [stored.case.reference, /^Thank you/],
      ['sam.taylor@example.org', /^You can ask/, /^Why hasn’t/],
      [`${'\u0001'.repeat(10_000)}${'"'.repeat(9_000)}`, /^Do you have anything new/],
      ['"'.repeat(5000), /^What would you like/],
      ['\\'.repeat(9000), /^I’ll ask for your complaint to go to/],
      ['yes', /^Done\./, /^Is there anything else/],
    ]);
    assert.equal((await person.cases.get(stored.case.reference))?.case.stage, 'stage-2');
  });
});

/** From the menu to the "what happened" question for NHS care in an EHC plan, sent to the provider, for a child. */
const NHS_FOR_A_CHILD: readonly Exchange[] = [
  ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
  ['3', /^You can choose who looks into your complaint/],
  ['NHS service provider', /^Thank you\. Your complaint will go to the NHS service provider/, /^Are you making this complaint/],
  ['for my son', 'Is the person you’re complaining for under 18? [Yes | No | Not sure]'],
];

/** From "what happened" to the summary, after the advocacy question has been asked. */
const ADVOCACY_TO_SUMMARY = (answer: string): Exchange[] => [
  [answer, /^Before I send/],
  ['Yes, I agree', /^Here’s your complaint/],
];

describe('where a complaint goes, who may make it, and advocacy', () => {
  it(
    'lets the person choose the NHS provider or the Integrated Care Board, and asks again, never choosing for them, when the answer names ' + 'neither',
    async () => {
      const person = new TestConversation();
      await play(person, [
        ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
        [
          'Health care in an EHC plan',
          /^You can choose who looks into your complaint\. Either of these can:\n\n- \*\*NHS service provider\*\*: the organisation that gave the service, for example an NHS hospital trust\. Choose this if you want the organisation that gave the care to look into it\.\n- \*\*Integrated Care Board \(commissioner\)\*\*: the NHS body that plans and pays for health services in your area\. Choose this if you would rather complain to the NHS body that plans and pays for the care.*\n\nWhich would you like to complain to\? \[NHS service provider \| Integrated Care Board \(commissioner\)\]$/s,
        ],
        [
          'for my daughter',
          /^Sorry, I couldn’t tell which you’d like\. You can send your complaint to either of these:.*\[NHS service provider \| Integrated Care Board \(commissioner\)\]$/s,
        ],
        [
          'not sure',
          'Either is fine: it’s your choice, and either can look into your complaint. The NHS service provider usually knows the care best, so many ' +
            'people start there. If you’d rather not complain to the provider directly, you can go to the Integrated Care Board (commissioner) instead.',
          /^You can send your complaint to either of these:.*\[NHS service provider \| Integrated Care Board \(commissioner\)\]$/s,
        ],
        ['help', /^Either is fine/, /^You can send your complaint to either/],
        [
          'NHS service provider',
          'Thank you. Your complaint will go to the NHS service provider: the organisation that gave the service, for example an NHS hospital trust.',
          /^Are you making this complaint/,
        ],
      ]);
      assert.equal((await person.memory()).draft?.route, 'provider');

      const byButton = new TestConversation();
      await play(byButton, [
        ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
        ['3', /^You can choose who looks into your complaint/],
        ['Integrated Care Board (commissioner)', /^Thank you\. Your complaint will go to the Integrated Care Board \(commissioner\)/, /^Are you making/],
      ]);
      assert.equal((await byButton.memory()).draft?.route, 'commissioner');

      const inTheirWords = new TestConversation();
      await play(inTheirWords, [
        ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
        ['3', /^You can choose who looks into your complaint/],
        ['the hospital', /^Thank you\. Your complaint will go to the NHS service provider/, /^Are you making/],
      ]);
      assert.equal((await inTheirWords.memory()).draft?.route, 'provider');
    },
  );

  it(
    'takes a complaint made for a child under 18 to the NHS, says kindly that it will be checked first, and flags it for the representative ' + 'check',
    async () => {
      const person = new TestConversation();
      await play(person, [
        ...NHS_FOR_A_CHILD,
        [
          'yes, he is 12',
          'Thank you. Your complaint will still be recorded. Because it’s about a child, the NHS service provider will first check whether there are ' +
            'reasonable grounds for you to complain for the child, rather than the child complaining themselves. This is a usual check, not a doubt about ' +
            'you, and they’ll let you know.',
          /^What is their name\?/,
        ],
        ['Alex', 'And what is your name?'],
        ['Sam Taylor', /^Please tell me what happened/],
        ['The speech and language therapy in his plan stopped in March and nobody told us.', /^When did this happen/],
        ['3/4/2025', /^So that was/],
        ['yes', /^What would you like/],
        ['The therapy to start again', /^How can/],
        ['sam@example.org', /email/, /^Do you need/],
        ['no', /^NHS Complaints Advocacy/],
        ...ADVOCACY_TO_SUMMARY('no'),
      ]);
      const replies = await person.say('Send complaint');
      assert.match(replies[0] ?? '', /Before looking into your complaint, the team will first check who can make it, as I mentioned, and will let you know\./);
      const [reference] = await person.cases.listByStatus('open');
      const saved = (await person.cases.get(reference!))?.case;
      assert.ok(saved);
      assert.equal(saved.complainant.relationship, 'parent');
      assert.deepEqual(saved.personAffected, { name: 'Alex', description: null, child: true });
      assert.deepEqual(saved.flags.standing, { check: 'representative-for-child', decision: 'pending' });
      assert.deepEqual(
        person.notifier.notices.map((notice) => notice.kind),
        ['lodged', 'flagged'],
      );
    },
  );

  it('asks again whether the person is under 18 when the answer does not say, and records "not sure" as not known', async () => {
    const person = new TestConversation();
    await play(person, [
      ...NHS_FOR_A_CHILD,
      ['Alex', 'Sorry, I didn’t catch that. Is the person you’re complaining for under 18? You can say yes, no, or not sure. [Yes | No | Not sure]'],
      ['she’s 19', /^What is their name\?/],
    ]);
    const over = new TestConversation();
    await play(over, [...NHS_FOR_A_CHILD, ['Not sure', /^Thank you/, /^What is their name\?/], ['Alex', 'And what is your name?'], ['Sam', /^Please tell me/]]);
    assert.deepEqual((await over.memory()).draft?.who?.personAffected, { name: 'Alex', description: null, child: null });
  });

  it('tells someone not sure whether the person is under 18 that the NHS body will check, and says nothing of it for an adult', async () => {
    const person = new TestConversation();
    await play(person, [
      ...NHS_FOR_A_CHILD,
      [
        'Not sure',
        'Thank you. Your complaint will still be recorded. Because they may be under 18, the NHS service provider will first check their age and, if ' +
          'they are, whether there are reasonable grounds for you to complain for the child, rather than the child complaining themselves. This is a ' +
          'usual check, not a doubt about you, and they’ll let you know.',
        /^What is their name\?/,
      ],
    ]);
    const adult = new TestConversation();
    await play(adult, [...NHS_FOR_A_CHILD, ['No', /^What is their name\?/]]);
  });

  it('takes a relative’s complaint about children’s social care, says the council will first decide sufficient interest, and flags it', async () => {
    const person = new TestConversation();
    await play(person, [
      ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
      ["children's social care", /^Are you making this complaint/],
      ['For someone else', /^What is your relationship to them\?/],
      [
        'help',
        /^Complaints about this service can be made by:\n\n- the child or young person.*\n- a local authority foster parent \(a foster carer the council has placed the child with\)\n- another person the council decides has sufficient interest.*Your complaint will still be recorded\.$/s,
        /^What is your relationship to them\?/,
      ],
      [
        'Relative or carer',
        'Thank you. Your complaint will still be recorded. First, the council will decide whether you have sufficient interest in the child’s welfare: ' +
          'that is, a real interest in how they are and what happens to them. This is a usual step, not a judgement about you, and they’ll let you know.',
        /^What is their name\?/,
      ],
      ['Alex', 'And what is your name?'],
      ['Pat Taylor', /^Please tell me what happened/],
      [ACCOUNT, /^When/],
      ['3/4/2025', /^So that was/],
      ['yes', /^What would you like/],
      ['An apology', /^How can/],
      ['pat@example.org', /email/, /^Do you need/],
      ['no', /^A local advocacy service/],
      ...ADVOCACY_TO_SUMMARY('no'),
      ['Send complaint', /the team will first check who can make it/, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    const saved = (await person.cases.get(reference!))?.case;
    assert.ok(saved);
    assert.equal(saved.complainant.relationship, 'relative');
    assert.deepEqual(saved.flags.standing, { check: 'sufficient-interest', decision: 'pending' });
    assert.deepEqual(
      person.notifier.notices.map((notice) => notice.kind),
      ['lodged', 'flagged'],
    );

    const fosterCarer = new TestConversation();
    await play(fosterCarer, [
      ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
      ['2', /^Are you making/],
      ['For someone else', /^What is your relationship/],
      // A local authority foster carer may complain: no decision needed, so nothing said about one.
      ['Foster carer (the council placed the child with me)', /^What is their name\?/],
      ['Alex', 'And what is your name?'],
      ['Jo', /^Please tell me what happened/],
    ]);
    assert.equal((await fosterCarer.memory()).draft?.who?.relationship, 'foster-carer');
  });

  it('tells a child or young person that the council must arrange an advocate for them, free, and records their request', async () => {
    const person = new TestConversation();
    await play(person, [
      ['Make a complaint', /^Hello/, /^I’ll ask/, /^First/],
      ['2', /^Are you making/],
      ['For myself', 'And what is your name?'],
      ['Jordan', /^Please tell me/],
      ['My social worker keeps changing and nobody tells me why.', /^When/],
      ['3/4/2025', /^So that was/],
      ['yes', /^What would you like/],
      ['To have one social worker', /^How can/],
      ['jordan@example.org', /email/, /^Do you need/],
      [
        'no',
        'An advocate can help you say what you want and support you through your complaint. They’re on your side, not the council’s. Because you’re a ' +
          'child or young person, the council must arrange an advocate for you if you’d like one, and it’s free. Would you like one? [Yes, please | No, ' +
          'thank you | I already have one]',
      ],
      ['Yes, please', /^Before I send/],
      ['Yes, I agree', /7\. \*\*Help you need:\*\* none; you’d like an advocate/],
      ['Send complaint', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    assert.equal((await person.cases.get(reference!))?.case.needs.advocacy, 'requested');
  });

  it('points an adult complaining for a child to advocacy services without promising one, and says the child can have one arranged', async () => {
    const person = new TestConversation();
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      [ACCOUNT, /^When/],
      ['3/4/2025', /^So that was/],
      ['yes', /^What would you like/],
      ['An apology', /^How can/],
      ['sam@example.org', /email/, /^Do you need/],
    ]);
    const [offer] = await person.say('no');
    assert.match(
      offer ?? '',
      /^A local advocacy service is an independent service that can help you put your complaint across and support you through it; the council’s complaints team can tell you which ones work locally\. We can’t promise you an advocate, but would you like us to put you in touch\?/,
    );
    assert.match(offer ?? '', /If the child or young person wants to have their say, the council must arrange an advocate for them, free\./);
    assert.doesNotMatch(offer ?? '', /arrange (an advocate|one) for you|Would you like the council to arrange/);
    await play(person, [
      ['Yes, please', /^Before I send/],
      ['Yes, I agree', /7\. \*\*Help you need:\*\* none; you’d like to be put in touch with an advocacy service/],
      ['Send complaint', /^Thank you\. Your complaint has been sent/, /^Is there anything else/],
    ]);
    const [reference] = await person.cases.listByStatus('open');
    assert.equal((await person.cases.get(reference!))?.case.needs.advocacy, 'requested');
  });

  it('says why the count starts the next day only when the organisation’s cut-off moved it', async () => {
    const person = new TestConversation({ at: '2025-06-02T17:30:00+01:00', service: { ...SERVICE, cutOff: '17:00' } });
    await play(person, [
      ...PARENT_TO_WHAT_HAPPENED,
      ...WHAT_HAPPENED_TO_SUMMARY,
      // Counted from Tuesday 3 June: the 10th working day after it is Tuesday 17 June.
      [
        'Send complaint',
        /You should have a response by \*\*Tuesday 17 June 2025\*\*: that’s 10 working days after Tuesday 3 June 2025\. Your complaint arrived on Monday 2 June 2025, but it came in at 17:30, after the organisation’s 17:00 cut-off \(a local choice, not the law\), so we count it as received the next day\./,
        /^Is there anything else/,
      ],
    ]);
  });
});

/** From the first message to the question of how the team should contact someone who gave both an email and a phone number. */
const TO_CONTACT_PREFERENCE: readonly Exchange[] = [
  ...PARENT_TO_WHAT_HAPPENED,
  [ACCOUNT, /^When/],
  ['3/4/2025', /^So that was/],
  ['yes', /^What would you like/],
  ['An apology', /^How can the team contact you/],
  ['sam@example.org or 07700 900123', 'Thank you. How would you prefer the team to contact you? [By email | By phone | Here in this chat]'],
];

const PREFERENCE_AGAIN = 'Sorry, I couldn’t tell which you’d prefer. Any of these is fine: please choose one. [By email | By phone | Here in this chat]';

describe('choices asked again until the answer picks one (issue 17, item 5)', () => {
  it('takes the contact preference only when the answer clearly picks one, never what the person said no to', async () => {
    const ANSWERS: readonly (readonly [string, 'email' | 'phone' | 'chat' | 'asked again'])[] = [
      ['By phone', 'phone'],
      ['Here in this chat', 'chat'],
      ['by emial', 'email'],
      ['2', 'phone'],
      ['email please, not phone', 'email'],
      ['no calls, email me', 'email'],
      ["don't email me, ring me", 'phone'],
      ['text me', 'phone'],
      ['here is fine', 'chat'],
      ["I can't talk on the phone so chat please", 'chat'],
      ["I don't want calls", 'asked again'],
      ['phone is no good for me', 'asked again'],
      ['email or phone', 'asked again'],
      ['either', 'asked again'],
      ['dunno', 'asked again'],
      ['yes', 'asked again'],
      ['no', 'asked again'],
      ['banana', 'asked again'],
      [`${'I work shifts and the visits keep being cancelled. '.repeat(6)}Email.`, 'asked again'],
    ];
    for (const [said, preferred] of ANSWERS) {
      const person = new TestConversation();
      await play(person, TO_CONTACT_PREFERENCE);
      if (preferred === 'asked again') {
        await play(person, [
          [said, PREFERENCE_AGAIN],
          ['By email', /I’ll ask for your email address or your phone number/, /^Do you need anything/],
        ]);
      } else {
        await play(person, [[said, /I’ll ask for your email address or your phone number/, /^Do you need anything/]]);
      }
      const expected = preferred === 'asked again' ? 'email' : preferred;
      assert.equal((await person.memory()).draft?.contact?.preferred, expected, `after "${said.slice(0, 60)}"`);
    }
  });

  it('records the answer to the offer of an advocate only when it is clear, and asks again, with the choices, when it is not', async () => {
    const ANSWERS: readonly (readonly [string, 'requested' | 'not-needed' | 'has-advocate' | 'asked again'])[] = [
      ['Yes, please', 'requested'],
      ['yes pleas', 'requested'],
      ['yes', 'requested'],
      ['that would help', 'requested'],
      ['👍', 'requested'],
      ['No, thank you', 'not-needed'],
      ["no thanks, I'm fine", 'not-needed'],
      ['nah', 'not-needed'],
      ["I don't need one", 'not-needed'],
      ['not now', 'not-needed'],
      ['I already have one', 'has-advocate'],
      ['i alredy have one', 'has-advocate'],
      ["no, I've got one", 'has-advocate'],
      ['3', 'has-advocate'],
      ['maybe', 'asked again'],
      ['dunno', 'asked again'],
      ['no idea', 'asked again'],
      ["no, I don't have one", 'asked again'],
      ['what is an advocate?', 'asked again'],
      ['yes but not now', 'asked again'],
      ['yes no', 'asked again'],
      ['banana', 'asked again'],
      [`${'The visits were cancelled again and nobody told us. '.repeat(5)}Yes please.`, 'asked again'],
    ];
    for (const [said, advocacy] of ANSWERS) {
      const person = new TestConversation();
      await play(person, [
        ...PARENT_TO_WHAT_HAPPENED,
        ...WHAT_HAPPENED_TO_SUMMARY.slice(0, 5),
        ['No, thank you', /would you like us to put you in touch\?.*\[Yes, please \| No, thank you \| I already have one\]$/s],
      ]);
      if (advocacy === 'asked again') {
        await play(person, [
          [
            said,
            'Sorry, I couldn’t tell which you’d like. Please choose one of these, or type "help" to hear more about advocates first. [Yes, please | No, ' +
              'thank you | I already have one]',
          ],
          ['No, thank you', /^Before I send/],
        ]);
      } else {
        await play(person, [[said, /^Before I send/]]);
      }
      const expected = advocacy === 'asked again' ? 'not-needed' : advocacy;
      assert.equal((await person.memory()).draft?.advocacy, expected, `after "${said.slice(0, 60)}"`);
    }
  });
});
