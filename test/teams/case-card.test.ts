/**
 * Every card the staff side builds, checked with Microsoft's Adaptive Cards library: it parses
 * with no warnings at version 1.5 (what Teams renders), validates, and uses nothing newer; the
 * complainant's text only ever appears in TextRuns; overdue deadlines and flags stand out; who
 * may complain, a late response and an agreed NHS response date are shown as the policy says.
 */
import { strict as assert } from 'node:assert';
import { type Case, caseSchema, deadlineRecord } from '../../src/cases/case.js';
import { generateReference } from '../../src/cases/reference.js';
import { caseCard, decisionState } from '../../src/teams/cards/case-card.js';
import { concernWordsCard } from '../../src/teams/cards/concern-card.js';
import { messageCard } from '../../src/teams/cards/message-card.js';
import { historyCard } from '../../src/teams/cards/history-card.js';
import { newCase } from '../helpers/cases.js';
import { at, d, policy } from '../helpers/policy.js';
import { stringsOf } from '../helpers/teams.js';
import { problemsWith } from '../helpers/adaptive-cards.js';

const REFERENCE = generateReference();

function aCase(overrides: Partial<Omit<Case, 'reference'>> = {}): Case {
  return { ...newCase(overrides), reference: REFERENCE };
}

const HOSTILE = '**bold** _it_ [link](https://evil.example) ![img](https://evil.example/x.png) <at>All</at> @channel <script>x</script>';

/** Received Monday 2 June 2025, 10:00 London, as `newCase` is. */
const RECEIVED = at('2025-06-02T09:00:00Z');

/** A children's services complaint from a grandparent: flagged for a sufficient-interest decision. */
function fromARelative(decision: 'pending' | 'accepted' | 'declined' = 'pending'): Case {
  return aCase({
    complainant: { name: 'Pat Taylor', relationship: 'relative', relationshipDetail: 'grandmother' },
    flags: { safeguarding: null, late: null, standing: { check: 'sufficient-interest', decision }, lateEscalation: null },
  });
}

/** An NHS complaint made by a parent for a child, flagged for the representative check (reg 5), its 6 months from 2 June 2025. */
function nhsForAChild(overrides: Partial<Omit<Case, 'reference'>> = {}): Case {
  const deadline = policy.responseDeadline({ procedure: 'nhs-health', stage: 'local-resolution', stageStartedAt: RECEIVED });
  return aCase({
    procedure: 'nhs-health',
    stage: 'local-resolution',
    route: 'provider',
    deadlines: [deadlineRecord(deadline)],
    personAffected: { name: 'Alex', description: 'my son', child: true },
    flags: { safeguarding: null, late: null, standing: { check: 'representative-for-child', decision: 'pending' }, lateEscalation: null },
    ...overrides,
  });
}

/** The same, with a response date of Thursday 31 July 2025 agreed on 3 June. */
function nhsWithAgreedDate(): Case {
  const value = nhsForAChild();
  const agreed = policy.agreedResponseDeadline({
    procedure: 'nhs-health',
    stage: 'local-resolution',
    agreedAt: at('2025-06-03T10:00:00Z'),
    agreedOn: d('2025-07-31'),
  });
  return { ...value, deadlines: [...value.deadlines, deadlineRecord(agreed)] };
}

/** A case at Stage 3, lodged there on 2 June 2025: the panel meets within 30 working days, then reports (5), then the council responds (15). */
function atStage3(): Case {
  return aCase({
    stage: 'stage-3',
    deadlines: [deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-3', received: RECEIVED }))],
  });
}

function cardText(value: Case, now: Date): string {
  return JSON.stringify(caseCard({ case: value, recent: [], policy, now }));
}

const STATES: readonly [string, Case, Date][] = [
  ['a new case', aCase(), new Date('2025-06-03T10:00:00Z')],
  ['an overdue case', aCase({ status: 'awaiting-response', handler: { id: 'staff-1', name: 'Jo Bloggs' } }), new Date('2025-09-01T10:00:00Z')],
  [
    'a case with every flag',
    aCase({
      flags: {
        safeguarding: { raisedAt: '2025-06-02T09:00:00Z', notes: ['he hits me', HOSTILE] },
        late: { limitEndedOn: '2025-05-01' as never, reason: HOSTILE, decision: 'pending' },
        standing: { check: 'sufficient-interest', decision: 'pending' },
        lateEscalation: { to: 'stage-2', windowClosedOn: '2025-07-01' as never, requestedAt: '2025-08-01T09:00:00Z', whyLate: HOSTILE, decision: 'pending' },
      },
      status: 'responded',
    }),
    new Date('2025-08-02T10:00:00Z'),
  ],
  [
    'a responded case',
    aCase({
      status: 'responded',
      responses: [{ stage: 'stage-1', at: '2025-06-10T10:00:00Z', text: 'Our answer', by: { kind: 'staff', id: 's', name: 'Jo' }, outcome: 'not-upheld' }],
    }),
    new Date('2025-06-11T10:00:00Z'),
  ],
  [
    'a case at the final stage with an independence conflict',
    aCase({ stage: 'stage-3', status: 'open', decisions: [{ stage: 'stage-2', decidedBy: 'staff-1' }] }),
    new Date('2025-06-11T10:00:00Z'),
  ],
  ['a closed case', aCase({ status: 'closed' }), new Date('2025-06-11T10:00:00Z')],
  ['a complaint from a relative, waiting for the sufficient-interest decision', fromARelative(), new Date('2025-06-03T10:00:00Z')],
  ['an NHS complaint for a child with an agreed response date, overdue', nhsWithAgreedDate(), new Date('2025-08-05T10:00:00Z')],
  ['an overdue Stage 3 case', atStage3(), new Date('2026-01-20T10:00:00Z')],
  [
    'a case full of hostile text',
    aCase({
      whatHappened: HOSTILE.repeat(200),
      outcomeWanted: HOSTILE,
      complainant: { name: HOSTILE.slice(0, 150), relationship: 'other', relationshipDetail: HOSTILE.slice(0, 150) },
      needs: { adjustments: HOSTILE, advocacy: 'requested' },
    }),
    new Date('2025-06-03T10:00:00Z'),
  ],
];

describe('case cards', () => {
  for (const [name, value, now] of STATES) {
    it(`builds a valid Adaptive Card 1.5 for ${name}`, () => {
      const card = caseCard({ case: value, recent: [], policy, now });
      assert.equal(card.version, '1.5');
      assert.deepEqual(problemsWith(card), []);
      assert.ok(Buffer.byteLength(JSON.stringify(card), 'utf8') < 28_000, 'within Teams’ card size limit');
      for (const entry of stringsOf(card).filter((item) => item.value.includes('evil.example') || item.value.includes('<at>'))) {
        assert.equal(entry.type, 'TextRun', `the complainant’s words only in TextRuns (found in ${entry.type}.${entry.key})`);
      }
      const executes = JSON.stringify(card).match(/"type":"Action\.Execute"/g) ?? [];
      assert.ok(executes.length > 0, 'actions are Universal Actions');
      assert.doesNotMatch(JSON.stringify(card), /Action\.Submit/);
      // Writing to the complainant is never tucked under "More actions", however busy the card.
      const shown = (card.actions ?? []).map((action) => action.title);
      assert.ok(shown.includes('Reply to complainant'), shown.join(', '));
      assert.ok(shown.length <= 5);
    });
  }

  it('shows staff the range an approximate date could be, marked approximate, and an exact date as read', () => {
    const whenLine = (when: Case['when']): string | undefined => {
      const card = caseCard({ case: aCase({ when }), recent: [], policy, now: RECEIVED });
      return stringsOf(card).find((entry) => entry.type === 'TextRun' && entry.value.startsWith(when.said))?.value;
    };
    assert.equal(
      whenLine({ date: d('2024-08-31'), earliest: d('2024-06-01'), latest: d('2024-08-31'), basis: 'happened', certainty: 'approximate', said: 'summer 2024' }),
      'summer 2024 [approximate: between Saturday 1 June 2024 and Saturday 31 August 2024]',
    );
    assert.equal(
      whenLine({ date: d('2025-04-30'), earliest: null, latest: d('2025-04-30'), basis: 'happened', certainty: 'approximate', said: 'the other day' }),
      'the other day [approximate: on or before Wednesday 30 April 2025]',
    );
    assert.equal(
      whenLine({ date: d('2025-05-20'), earliest: d('2025-05-20'), latest: d('2025-05-20'), basis: 'happened', certainty: 'exact', said: '20/5/2025' }),
      '20/5/2025 [read as Tuesday 20 May 2025]',
    );
    assert.equal(whenLine({ date: null, earliest: null, latest: null, basis: 'happened', certainty: 'unknown', said: 'no idea' }), 'no idea [date not known]');
  });

  it('still reads a case stored before dates had ranges, showing its approximate day as approximate', () => {
    const stored = JSON.parse(JSON.stringify(aCase())) as Record<string, unknown>;
    stored['when'] = { date: '2025-03-31', basis: 'happened', certainty: 'approximate', said: 'March 2025' };
    const value = caseSchema.parse(stored);
    assert.deepEqual(value.when, { date: '2025-03-31', earliest: null, latest: null, basis: 'happened', certainty: 'approximate', said: 'March 2025' });
    const card = caseCard({ case: value, recent: [], policy, now: RECEIVED });
    assert.ok(stringsOf(card).some((entry) => entry.value === 'March 2025 [approximate: around Monday 31 March 2025]'));
    assert.throws(
      () => caseSchema.parse({ ...stored, when: { ...value.when, earliest: '2025-04-02', latest: '2025-04-01' } }),
      /earliest day must not be after the latest/,
    );
  });

  it('fits Teams’ size limit with every field full of non-ASCII text and a full history', () => {
    const long = (n: number): string => 'ŵ"“\\'.repeat(Math.ceil(n / 4)).slice(0, n);
    const value = aCase({
      whatHappened: long(50_000),
      outcomeWanted: long(10_000),
      complainant: { name: long(200), relationship: 'other', relationshipDetail: long(200) },
      personAffected: { name: long(200), description: long(500), child: true },
      when: { date: null, earliest: null, latest: null, basis: 'happened', certainty: 'unknown', said: long(500) },
      needs: { adjustments: long(2000), advocacy: 'requested' },
      flags: {
        safeguarding: { raisedAt: '2025-06-02T09:00:00Z', notes: Array.from({ length: 10 }, () => long(1000)) },
        late: { limitEndedOn: '2025-05-01' as never, reason: long(2000), decision: 'pending' },
        standing: { check: 'sufficient-interest', decision: 'pending' },
        lateEscalation: { to: 'stage-2', windowClosedOn: '2025-07-01' as never, requestedAt: '2025-08-01T09:00:00Z', whyLate: long(2000), decision: 'pending' },
      },
    });
    const recent = Array.from({ length: 6 }, (_, index) => ({
      id: String(index),
      type: 'message-relayed' as const,
      at: '2025-06-03T10:00:00Z',
      stage: 'stage-1',
      summary: 'Message from the complainant',
      actor: { kind: 'complainant' as const, id: null, name: null },
      details: { text: long(5000) },
    }));
    const card = caseCard({ case: value, recent, policy, now: new Date('2025-06-03T10:00:00Z') });
    assert.ok(Buffer.byteLength(JSON.stringify(card), 'utf8') <= 28_000, `${String(Buffer.byteLength(JSON.stringify(card), 'utf8'))} bytes`);
    assert.deepEqual(problemsWith(card), []);
  });

  it('makes an overdue deadline impossible to miss, and counts working days left otherwise', () => {
    const overdue = caseCard({ case: STATES[1]?.[1] ?? assert.fail(), recent: [], policy, now: new Date('2025-09-01T10:00:00Z') });
    assert.match(JSON.stringify(overdue), /"style":"attention".*OVERDUE: response due Monday 16 June 2025, \d+ working days ago/);
    const fresh = caseCard({ case: aCase(), recent: [], policy, now: new Date('2025-06-03T10:00:00Z') });
    assert.match(JSON.stringify(fresh), /Response due Monday 16 June 2025 \(9 working days left\)/);
  });

  it('offers only the actions the procedure and the case allow', () => {
    const open = JSON.stringify(caseCard({ case: aCase(), recent: [], policy, now: new Date('2025-06-03T10:00:00Z') }));
    for (const verb of ['assign', 'respond', 'extend', 'redirect', 'close', 'note', 'refresh']) assert.match(open, new RegExp(`"verb":"${verb}"`));
    assert.match(open, /"id":"respond:text"/);
    assert.doesNotMatch(open, /"verb":"escalate"/);
    const closed = JSON.stringify(caseCard({ case: aCase({ status: 'closed' }), recent: [], policy, now: new Date('2025-06-03T10:00:00Z') }));
    assert.doesNotMatch(closed, /"verb":"(assign|respond|extend|redirect|close)"/);
    assert.match(closed, /"verb":"note"/);
    const responded = JSON.stringify(caseCard({ case: STATES[3]?.[1] ?? assert.fail(), recent: [], policy, now: new Date('2025-06-11T10:00:00Z') }));
    assert.match(responded, /"title":"Move to Stage 2[^"]*","verb":"escalate"/);
    const independence = JSON.stringify(caseCard({ case: STATES[4]?.[1] ?? assert.fail(), recent: [], policy, now: new Date('2025-06-11T10:00:00Z') }));
    assert.match(independence, /Independence: Whoever decided Stage 2/);
  });

  it('asks staff to decide sufficient interest first, in the rulebook’s words with its citation, and offers both decisions', () => {
    const card = cardText(fromARelative(), new Date('2025-06-03T10:00:00Z'));
    assert.match(
      card,
      /"style":"warning","items":\[\{"type":"TextBlock","text":"WHO MAY COMPLAIN: DECIDE FIRST\. Before the complaint is considered, decide whether the person has sufficient interest in the child’s welfare \(Children Act 1989 s26\(3\)/,
    );
    assert.match(card, /tells them and takes no further action/, 'what the rule asks, in full');
    assert.match(card, /"title":"Accept: may complain for them","verb":"accept-standing"/);
    assert.match(card, /"id":"decline-standing:message"[^}]*"isRequired":true/, 'declining needs the words the complainant is sent');
    assert.match(card, /"verb":"decline-standing"/);
  });

  it('asks for the representative check on an NHS complaint for a child (reg 5)', () => {
    const card = cardText(nhsForAChild(), new Date('2025-06-03T10:00:00Z'));
    assert.match(
      card,
      /WHO MAY COMPLAIN: DECIDE FIRST\. Before the complaint is considered, decide whether there are reasonable grounds for someone else to complain for the child \(SI 2009\/309 reg 5/,
    );
    assert.match(card, /"verb":"accept-standing"/);
    assert.doesNotMatch(card, /not sure whether the person is under 18/);
    const unsure = cardText(nhsForAChild({ personAffected: { name: 'Alex', description: null, child: null } }), new Date('2025-06-03T10:00:00Z'));
    assert.match(unsure, /WHO MAY COMPLAIN: DECIDE FIRST.*The complainant was not sure whether the person is under 18: check their age first\./);
    assert.doesNotMatch(
      cardText(aCase(), new Date('2025-06-03T10:00:00Z')),
      /WHO MAY COMPLAIN|-standing"/,
      'a parent’s children’s services complaint asks nothing',
    );
  });

  it('shows a standing decision once made, without its actions, and a stale card for it', () => {
    const accepted = cardText(fromARelative('accepted'), new Date('2025-06-03T10:00:00Z'));
    assert.match(accepted, /Who may complain: accepted: the complainant has sufficient interest in the child’s welfare/);
    assert.doesNotMatch(accepted, /WHO MAY COMPLAIN|-standing"/);
    const declined = cardText({ ...fromARelative('declined'), status: 'closed' }, new Date('2025-06-03T10:00:00Z'));
    assert.match(declined, /Who may complain: declined/);
    assert.notEqual(decisionState(fromARelative('pending')), decisionState(fromARelative('accepted')), 'a card shown before the decision is stale after it');
  });

  it('offers to move an overdue Stage 1 case on at the complainant’s request, and says why', () => {
    const overdue = cardText(aCase({ status: 'awaiting-response', handler: { id: 'staff-1', name: 'Jo Bloggs' } }), new Date('2025-06-17T10:00:00Z'));
    assert.match(overdue, /OVERDUE: response due Monday 16 June 2025, 1 working day ago/);
    assert.match(overdue, /The response is late: at the complainant’s request the case may move to Stage 2: Investigation now \(SI 2006\/1738 regs 14 and 17/);
    assert.match(overdue, /"title":"Move to Stage 2: Investigation \(response late\)","verb":"escalate"/);
    const dueToday = cardText(aCase({ status: 'awaiting-response' }), new Date('2025-06-16T16:00:00Z'));
    assert.match(dueToday, /Response due Monday 16 June 2025 \(today\)/);
    assert.doesNotMatch(dueToday, /"verb":"escalate"|The response is late/, 'not on the last day');
  });

  it('tells staff the complainant may go to the ombudsman now when the last stage, or the NHS, is late', () => {
    // Meeting by 14 July (30 working days), report by 21 July (5), response by 11 August 2025 (15).
    const stage3 = atStage3();
    assert.doesNotMatch(
      cardText(stage3, new Date('2025-07-14T10:00:00Z')),
      /may go to the [^"]*ombudsman|LGSCO\) now/i,
      'not while the panel can still meet in time (the card offers only to record an ombudsman looking at it)',
    );
    // The meeting is late, though the council's response is not yet due: staff see what the complainant is told.
    assert.match(
      cardText(stage3, new Date('2025-08-11T10:00:00Z')),
      /The panel meeting is late: the complainant may go to the Local Government and Social Care Ombudsman \(LGSCO\) now, without waiting for the response \(Local Government Act 1974 s26\(5\)\)/,
    );
    const late = cardText(stage3, new Date('2025-08-12T10:00:00Z'));
    assert.match(
      late,
      /The response is late: the complainant may go to the Local Government and Social Care Ombudsman \(LGSCO\) now, without waiting for it \(Local Government Act 1974 s26\(5\)\)/,
    );
    assert.doesNotMatch(late, /"verb":"escalate"/, 'there is no stage after the last');
    // Six months beginning with 2 June 2025 end on 1 December 2025.
    assert.doesNotMatch(cardText(nhsForAChild(), new Date('2025-12-01T10:00:00Z')), /PHSO\) now/);
    assert.match(
      cardText(nhsForAChild(), new Date('2025-12-02T10:00:00Z')),
      /OVERDUE: if no response, explain why by Monday 1 December 2025, 1 working day ago.*the complainant may go to the Parliamentary and Health Service Ombudsman \(PHSO\) now, without waiting for it \(Health Service Commissioners Act 1993 s4\(5\)/,
    );
  });

  it('offers to record an agreed NHS response date while the response is owed, and then counts to it', () => {
    const owed = cardText(nhsForAChild(), new Date('2025-06-03T10:00:00Z'));
    assert.match(owed, /"title":"Record agreed response date"/);
    assert.match(
      owed,
      /"type":"Input\.Date","id":"record-agreed-response:agreedOn","label":"Response date agreed with the complainant","isRequired":true,"errorMessage":"[^"]+","min":"2025-06-03"/,
    );
    assert.doesNotMatch(cardText(aCase(), new Date('2025-06-03T10:00:00Z')), /record-agreed-response/, 'children’s services time limits are fixed');
    assert.doesNotMatch(
      cardText(nhsForAChild({ status: 'responded' }), new Date('2025-06-03T10:00:00Z')),
      /record-agreed-response/,
      'nothing to agree once responded',
    );
    // 3 June to 31 July 2025: 19 working days left in June after the 3rd, 23 in July.
    const agreed = cardText(nhsWithAgreedDate(), new Date('2025-06-03T10:00:00Z'));
    assert.match(agreed, /Response agreed for Thursday 31 July 2025 \(42 working days left\)/);
    assert.match(agreed, /"title":"Change agreed response date"/);
    const late = cardText(nhsWithAgreedDate(), new Date('2025-08-05T10:00:00Z'));
    assert.match(late, /OVERDUE: response agreed for Thursday 31 July 2025, 3 working days ago/);
    assert.match(late, /\(PHSO\) now, without waiting for it/, 'late after the agreed date, not six months');
  });

  it('counts a Saturday receipt from the Saturday, and recounts a deadline recorded under the old count', () => {
    // Saturday 7 June 2025: day 0; the 10th working day after it is Friday 20 June.
    const saturday = at('2025-06-07T11:00:00Z');
    const counted = deadlineRecord(policy.deadline({ procedure: 'la-childrens-services', stage: 'stage-1', received: saturday }));
    assert.equal(counted.due, '2025-06-20');
    assert.match(cardText(aCase({ deadlines: [counted] }), new Date('2025-06-09T10:00:00Z')), /Response due Friday 20 June 2025 \(9 working days left\)/);
    // Recorded before the change: counted from Monday 9 June, due Monday 23 June.
    const old = { ...counted, countsFrom: d('2025-06-09'), due: d('2025-06-23'), endsAt: '2025-06-23T22:59:59.999Z' };
    const card = cardText(aCase({ deadlines: [old] }), new Date('2025-06-23T10:00:00Z'));
    assert.match(card, /OVERDUE: response due Friday 20 June 2025, 1 working day ago/, 'the date the policy judges lateness by');
    assert.match(card, /"verb":"escalate"/);
  });

  it('gives staff the complainant’s number and address, with call and email buttons nothing typed can turn into another link', () => {
    const card = JSON.stringify(
      caseCard({
        case: aCase({ contact: { email: 'sam.taylor@example.org', phone: '+44 7700 900123', preferred: 'phone' } }),
        recent: [],
        policy,
        now: new Date('2025-06-03T10:00:00Z'),
      }),
    );
    assert.match(card, /"text":"prefers phone; \+44 7700 900123; sam\.taylor@example\.org"/);
    assert.match(card, /\{"type":"Action\.OpenUrl","title":"Call \+447700900123","url":"tel:\+447700900123"\}/);
    assert.match(card, /"url":"mailto:sam\.taylor%40example\.org"/);
    const hostile = caseCard({
      case: aCase({ contact: { email: null, phone: '07700 900123 javascript:alert(1)', preferred: 'phone' } }),
      recent: [],
      policy,
      now: new Date('2025-06-03T10:00:00Z'),
    });
    assert.match(JSON.stringify(hostile), /"url":"tel:077009001231"/, 'only what a number can hold');
    assert.deepEqual(problemsWith(hostile), []);
    const chatOnly = JSON.stringify(
      caseCard({ case: aCase({ contact: { email: null, phone: null, preferred: 'chat' } }), recent: [], policy, now: new Date('2025-06-03T10:00:00Z') }),
    );
    assert.doesNotMatch(chatOnly, /tel:|mailto:/);
  });

  it('dates and times each history entry, and pages the whole history newest first', () => {
    const events = Array.from({ length: 45 }, (_, index) => ({
      id: String(index),
      type: index % 2 === 0 ? ('note' as const) : ('discussion' as const),
      at: new Date(Date.parse('2026-07-01T08:00:00Z') + index * 3_600_000).toISOString(),
      stage: 'stage-1',
      summary: `Entry ${String(index + 1)}`,
      actor: { kind: 'staff' as const, id: 'staff-1', name: 'Jo Bloggs' },
      details: { text: `words ${String(index + 1)}` },
    }));
    const card = JSON.stringify(caseCard({ case: aCase(), recent: events.slice(-2), policy, now: new Date('2026-07-03T10:00:00Z') }));
    // 08:00 UTC on 1 July 2026 is 09:00 in London (summer time); the 45th entry is 44 hours later.
    assert.match(card, /Fri, 3 Jul 2026, 05:00, Jo Bloggs \[internal note\]: Entry 45: words 45/);
    assert.match(card, /"verb":"history","data":\{"reference":"[0-9A-Z]+","page":"1"\}/);
    const first = historyCard(aCase(), events, 1);
    assert.deepEqual(problemsWith(first), []);
    const text = JSON.stringify(first);
    assert.match(text, /45 entries, newest first\. Page 1 of 3\./);
    assert.ok(text.indexOf('Entry 45') < text.indexOf('Entry 26') && !text.includes('Entry 25:'), 'the newest twenty');
    assert.match(text, /Thu, 2 Jul 2026, 10:00, Jo Bloggs \[team discussion\]: Entry 26: words 26/);
    assert.match(text, /\[team discussion\]/);
    assert.match(text, /"title":"Older","verb":"history","data":\{"reference":"[0-9A-Z]+","page":"2"\}/);
    assert.doesNotMatch(text, /"title":"Newer"/);
    const last = JSON.stringify(historyCard(aCase(), events, 3));
    assert.match(last, /Entry 1: words 1/);
    assert.match(last, /"title":"Newer"/);
    assert.doesNotMatch(last, /"title":"Older"/);
  });

  it('builds valid message and concern cards that show words literally', () => {
    for (const card of [messageCard('The complainant wrote:', HOSTILE), concernWordsCard({ note: HOSTILE, raisedAt: '2025-06-02T09:00:00Z' }, policy)]) {
      assert.deepEqual(problemsWith(card), []);
      for (const entry of stringsOf(card).filter((item) => item.value.includes('evil.example'))) assert.equal(entry.type, 'TextRun');
    }
  });
});
