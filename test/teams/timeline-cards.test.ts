/**
 * The timeline's cards (a reminder offering "Assign to me", the daily digest), checked with
 * Microsoft's Adaptive Cards library as Teams would render them at 1.5, and what they say.
 */
import { strict as assert } from 'node:assert';
import { generateReference } from '../../src/cases/reference.js';
import { decisionState } from '../../src/teams/cards/case-card.js';
import { digestCard } from '../../src/teams/cards/digest-card.js';
import { threadLink } from '../../src/teams/thread-link.js';
import { reminderCard } from '../../src/teams/cards/reminder-card.js';
import { buildDigest } from '../../src/timekeeping/digest.js';
import { newCase } from '../helpers/cases.js';
import { at, policy } from '../helpers/policy.js';
import { stringsOf } from '../helpers/teams.js';
import { problemsWith } from '../helpers/adaptive-cards.js';

describe('the timeline’s cards', () => {
  it('a reminder for an unassigned case carries the case card’s own "Assign to me", with the case’s decision state', () => {
    const value = { ...newCase(), reference: generateReference() };
    const card = reminderCard('Reminder: the response is due Monday 16 June 2025 (in 3 working days). Nobody is assigned to this case yet.', value);
    assert.deepEqual(problemsWith(card), []);
    assert.deepEqual(card['actions'], [
      { type: 'Action.Execute', title: 'Assign to me', verb: 'assign', data: { reference: value.reference, state: decisionState(value) } },
    ]);
  });

  it('the digest counts and lists the urgent cases, each linked to its thread, with nothing a complainant wrote', () => {
    const thread = {
      conversationId: '19:desk@thread.tacv2;messageid=1700000000001',
      rootActivityId: '1700000000001',
      serviceUrl: 'https://smba.trafficmanager.net/uk/',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      channelId: '19:desk@thread.tacv2',
    };
    // Lodged 2 June 2025, due 16 June: overdue on the 20th, and unassigned.
    const late = { ...newCase({ teamsThread: thread }), reference: generateReference() };
    const digest = buildDigest([late], policy, at('2025-06-20T09:00:00+01:00'));
    assert.deepEqual(digest.counts, { dueThisWeek: 0, overdue: 1, unassigned: 1, decisionsWaiting: 0 });
    const card = digestCard(digest);
    assert.deepEqual(problemsWith(card), []);
    const texts = stringsOf(card).map((entry) => entry.value);
    assert.ok(texts.includes('Complaints today, Friday 20 June 2025'));
    const line = texts.find((text) => text.includes(threadLink(thread)));
    assert.ok(line, 'the case links to its thread');
    assert.match(line, /OVERDUE, was due Monday 16 June 2025; not assigned$/);
    assert.equal(
      threadLink(thread),
      'https://teams.microsoft.com/l/message/19%3Adesk%40thread.tacv2/1700000000001?tenantId=72f988bf-86f1-41af-91ab-2d7cd011db47&parentMessageId=1700000000001',
    );
    assert.ok(!JSON.stringify(card).includes('social worker'), 'no complaint text in the digest');
  });

  it('says so when nothing needs anyone', () => {
    const card = digestCard(buildDigest([], policy, at('2025-06-20T09:00:00+01:00')));
    assert.deepEqual(problemsWith(card), []);
    assert.ok(stringsOf(card).some((entry) => /^Nothing is overdue/.test(entry.value)));
  });
});
