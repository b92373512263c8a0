/**
 * The case-store contract: one suite every CaseStore must pass unchanged (in memory, on one Redis
 * server, on a Redis Cluster). Each run opens a fresh, isolated store and cleans up after it.
 */
import { strict as assert } from 'node:assert';
import type { Case } from '../../src/cases/case.js';
import type { CaseStore, QueueRequest } from '../../src/cases/case-store.js';
import { caseFactsOf } from '../../src/cases/case-facts.js';
import { NOTHING_OWED } from '../../src/cases/indexing.js';
import { updateCase } from '../../src/cases/case-store.js';
import { CaseConflict, InvalidCaseData, UnknownReference } from '../../src/cases/errors.js';
import { generateReference, parseReference } from '../../src/cases/reference.js';
import { erase } from '../../src/cases/transitions/erase.js';
import { rectify } from '../../src/cases/transitions/rectify.js';
import { isRefusal } from '../../src/cases/transitions/transition.js';
import { change, changeWithoutKey, closeCase, lodgeRequest } from '../helpers/cases.js';
import { policy } from '../helpers/policy.js';
import { TEST_GUARD } from '../helpers/redis.js';

/** A store under test, and how to tidy up after it. */
export interface CaseStoreUnderTest {
  readonly store: CaseStore;
  /** A second, independent instance on the same data (another connection), where the store has one. */
  readonly another?: () => Promise<CaseStore>;
  readonly cleanup: () => Promise<void>;
}

/** Registers the contract suite for one kind of store. */
export function caseStoreContract(label: string, open: () => Promise<CaseStoreUnderTest>, options: { readonly hasAnotherInstance?: boolean } = {}): void {
  describe(`case store contract: ${label}`, function () {
    this.timeout(30_000);
    let subject: CaseStoreUnderTest;
    let store: CaseStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    describe('lodging and reading', () => {
      it('saves a new case with a valid reference at version 1, with a "lodged" history entry', async () => {
        const { stored, created } = await store.lodge(lodgeRequest());
        assert.equal(created, true);
        assert.equal(stored.version, 1);
        assert.ok(parseReference(stored.case.reference).ok);
        const read = await store.get(stored.case.reference);
        assert.deepEqual(read, stored);
        const history = await store.history(stored.case.reference);
        assert.deepEqual(
          history.map((event) => [event.type, event.stage]),
          [['lodged', 'stage-1']],
        );
      });

      it('returns null for a reference nobody has', async () => {
        assert.equal(await store.get(generateReference()), null);
        assert.deepEqual(await store.history(generateReference()), []);
      });

      it('makes one case from the same submission delivered twice, and another from a new one', async () => {
        const request = lodgeRequest({ submissionKey: 'webchat/conv-1/activity-7' });
        const [first, second] = await Promise.all([store.lodge(request), store.lodge(request)]);
        assert.equal(first.stored.case.reference, second.stored.case.reference);
        assert.deepEqual([first.created, second.created].sort(), [false, true]);
        const third = await store.lodge(request);
        assert.equal(third.created, false);
        assert.equal(third.stored.case.reference, first.stored.case.reference);
        const other = await store.lodge(lodgeRequest({ submissionKey: 'webchat/conv-1/activity-8' }));
        assert.notEqual(other.stored.case.reference, first.stored.case.reference);
        assert.equal((await store.history(first.stored.case.reference)).length, 1);
      });

      it('draws a different reference for every case', async () => {
        const references = await Promise.all(Array.from({ length: 40 }, async () => (await store.lodge(lodgeRequest())).stored.case.reference));
        assert.equal(new Set(references).size, 40);
      });

      it('keeps 20,000 characters of what happened exactly, with emoji and right-to-left text', async () => {
        const long = `${'مرحبا 👋🏽 '.repeat(1000)}${'x'.repeat(11_000)}`.slice(0, 20_000);
        const { stored } = await store.lodge(lodgeRequest({ case: { whatHappened: long } }));
        assert.equal((await store.get(stored.case.reference))?.case.whatHappened, long);
      });

      it('refuses an invalid case and saves nothing, so the same submission can be sent again corrected', async () => {
        const bad = lodgeRequest({ submissionKey: 'webchat/conv-2/activity-1', case: { contact: { email: 'not-an-email', phone: null, preferred: 'email' } } });
        await assert.rejects(store.lodge(bad), InvalidCaseData);
        assert.deepEqual(await store.listByStatus('open'), []);
        const fixed = await store.lodge(lodgeRequest({ submissionKey: 'webchat/conv-2/activity-1' }));
        assert.equal(fixed.created, true);
      });

      it('hands out frozen cases, so nobody can change one by editing it in place', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        assert.throws(() => {
          (stored.case as { whatHappened: string }).whatHappened = 'tampered';
        }, TypeError);
        const read = await store.get(stored.case.reference);
        assert.ok(read);
        assert.throws(() => {
          (read.case.contact as { email: string | null }).email = null;
        }, TypeError);
        assert.equal((await store.get(stored.case.reference))?.case.contact.email, 'sam.taylor@example.org');
      });

      it('refuses a second factor that could not protect the case', async () => {
        for (const factor of ['n/a', 'none', '', '123', 'me@', '07700']) {
          await assert.rejects(store.lodge(lodgeRequest({ secondFactor: factor })), InvalidCaseData, JSON.stringify(factor));
        }
      });
    });

    describe('changing a case', () => {
      it('applies a change at the current version, recording it in order in the history', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const assigned = await store.update(
          stored,
          change(
            stored,
            (value) => {
              value.status = 'awaiting-response';
              value.handler = { id: 'staff-7', name: 'Jo Bloggs' };
            },
            { summary: 'Assigned to Jo Bloggs' },
          ),
        );
        assert.equal(assigned.applied, true);
        assert.equal(assigned.stored.version, 2);
        const noted = await store.update(
          assigned.stored,
          change(assigned.stored, () => undefined, { summary: 'Called the family' }),
        );
        assert.equal(noted.stored.version, 3);
        const history = await store.history(stored.case.reference);
        assert.deepEqual(
          history.map((event) => event.summary),
          ['Complaint lodged in the web chat', 'Assigned to Jo Bloggs', 'Called the family'],
        );
        assert.equal((await store.get(stored.case.reference))?.case.handler?.name, 'Jo Bloggs');
      });

      it('refuses a change made from an old version, and changes nothing', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        await store.update(
          stored,
          change(stored, (value) => {
            value.status = 'awaiting-response';
          }),
        );
        await assert.rejects(
          store.update(
            stored,
            change(stored, (value) => {
              value.status = 'closed';
            }),
          ),
          (error: unknown) => error instanceof CaseConflict && error.expectedVersion === 1 && error.actualVersion === 2,
        );
        const read = await store.get(stored.case.reference);
        assert.equal(read?.case.status, 'awaiting-response');
        assert.equal((await store.history(stored.case.reference)).length, 2);
      });

      it('does nothing the second time a change with the same idempotency key arrives', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const first = await store.update(
          stored,
          change(
            stored,
            (value) => {
              value.status = 'closed';
            },
            { idempotencyKey: 'invoke-123' },
          ),
        );
        const replay = await store.update(
          stored,
          change(
            stored,
            (value) => {
              value.status = 'closed';
            },
            { idempotencyKey: 'invoke-123' },
          ),
        );
        assert.equal(first.applied, true);
        assert.equal(replay.applied, false);
        assert.equal(replay.stored.version, 2);
        assert.equal((await store.history(stored.case.reference)).length, 2);
      });

      it('refuses an invalid change, a change of reference and a change to an unknown case', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        await assert.rejects(
          store.update(
            stored,
            change(stored, (value) => {
              value.whatHappened = '';
            }),
          ),
          InvalidCaseData,
        );
        await assert.rejects(
          store.update(
            stored,
            change(stored, (value) => {
              value.reference = generateReference();
            }),
          ),
          InvalidCaseData,
        );
        const ghost = { ...stored, case: { ...stored.case, reference: generateReference() } };
        await assert.rejects(
          store.update(
            ghost,
            change(ghost, () => undefined),
          ),
          UnknownReference,
        );
        assert.equal((await store.get(stored.case.reference))?.version, 1);
      });

      it('refuses a change made from a picture of the case that differs from what is stored', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const wrongPicture = { case: { ...stored.case, status: 'closed' as const }, version: stored.version };
        await assert.rejects(
          store.update(
            wrongPicture,
            change(wrongPicture, (value) => {
              value.status = 'open';
            }),
          ),
          CaseConflict,
        );
        assert.deepEqual(await store.listByStatus('open'), [stored.case.reference]);
        assert.deepEqual(await store.listByStatus('closed'), []);
      });

      it('applies a change once however often it is retried under one key', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const decide = (current: typeof stored) =>
          changeWithoutKey(current, (value) => {
            value.outcomeWanted += ' and a meeting';
          });
        const first = await updateCase(store, stored.case.reference, 'activity-9:add-outcome', decide);
        const again = await updateCase(store, stored.case.reference, 'activity-9:add-outcome', decide);
        assert.equal(first?.applied, true);
        assert.equal(again?.applied, false);
        assert.equal((await store.get(stored.case.reference))?.case.outcomeWanted, 'An apology and a named contact. and a meeting');
      });

      it('lets exactly one of ten writers with the same version win', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, index) =>
            store.update(
              stored,
              change(stored, (value) => {
                value.outcomeWanted = `writer ${index}`;
              }),
            ),
          ),
        );
        assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
        assert.ok(results.every((result) => result.status === 'fulfilled' || result.reason instanceof CaseConflict));
        assert.equal((await store.history(stored.case.reference)).length, 2);
      });

      it('keeps all 50 of 50 concurrent changes, each retried on fresh data, in 50 history entries', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            updateCase(store, reference, `change-${index}`, (current) =>
              changeWithoutKey(
                current,
                (value) => {
                  value.outcomeWanted = `${value.outcomeWanted} +${index}`;
                },
                { summary: `change ${index}` },
              ),
            ),
          ),
        );
        const read = await store.get(reference);
        assert.equal(read?.version, 51);
        const history = await store.history(reference);
        assert.equal(history.length, 51);
        assert.deepEqual(new Set(history.slice(1).map((event) => event.summary)).size, 50);
        assert.equal(read.case.outcomeWanted.split('+').length, 51);
      });
    });

    describe('indexes', () => {
      it('lists cases due in a window, soonest first, and drops them once nothing is owed', async () => {
        const lodged = await Promise.all([0, 1, 2].map(() => store.lodge(lodgeRequest())));
        const dueAt = Date.parse(lodged[0]!.stored.case.deadlines[0]!.endsAt);
        const soon = await store.dueBetween(new Date(dueAt - 3_600_000), new Date(dueAt + 3_600_000));
        assert.deepEqual(new Set(soon.map((entry) => entry.reference)), new Set(lodged.map((entry) => entry.stored.case.reference)));
        assert.ok(soon.every((entry) => entry.dueAt === dueAt));
        assert.deepEqual(await store.dueBetween(new Date(dueAt + 1), new Date(dueAt + 86_400_000)), []);
        assert.deepEqual(await store.dueBetween(new Date(dueAt - 3_600_000), new Date(dueAt)), [], 'the end of the window is exclusive');

        const closed = await store.update(
          lodged[0]!.stored,
          change(lodged[0]!.stored, (value) => {
            value.status = 'closed';
          }),
        );
        const later = structuredClone(lodged[1]!.stored.case.deadlines[0]!);
        later.endsAt = new Date(dueAt + 2 * 86_400_000).toISOString();
        await store.update(
          lodged[1]!.stored,
          change(lodged[1]!.stored, (value) => {
            value.deadlines.push(later);
          }),
        );
        const after = await store.dueBetween(new Date(dueAt - 3_600_000), new Date(dueAt + 3 * 86_400_000));
        assert.deepEqual(
          after.map((entry) => entry.reference),
          [lodged[2]!.stored.case.reference, lodged[1]!.stored.case.reference],
        );
        assert.ok(!after.some((entry) => entry.reference === closed.stored.case.reference));
      });

      it('lists cases by status, stage and handler, following every change', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        assert.deepEqual(await store.listByStatus('open'), [reference]);
        assert.deepEqual(await store.listByStage('la-childrens-services', 'stage-1'), [reference]);
        assert.deepEqual(await store.listByHandler(null), [reference]);
        await store.update(
          stored,
          change(stored, (value) => {
            value.status = 'escalation-requested';
            value.stage = 'stage-2';
            value.handler = { id: 'aad:0f2c;x', name: 'Jo' };
          }),
        );
        assert.deepEqual(await store.listByStatus('open'), []);
        assert.deepEqual(await store.listByStatus('escalation-requested'), [reference]);
        assert.deepEqual(await store.listByStage('la-childrens-services', 'stage-1'), []);
        assert.deepEqual(await store.listByStage('la-childrens-services', 'stage-2'), [reference]);
        assert.deepEqual(await store.listByHandler(null), []);
        assert.deepEqual(await store.listByHandler('aad:0f2c;x'), [reference]);
      });
      it('keeps each case’s facts for the figures, following every change, and nothing personal in them', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        assert.deepEqual(await store.factsOf([generateReference(), reference]), [caseFactsOf(stored.case)], 'a reference with no case is left out');
        const changed = await store.update(
          stored,
          change(stored, (value) => {
            value.status = 'responded';
            value.responses.push({
              stage: 'stage-1',
              at: value.updatedAt,
              text: 'We are sorry.',
              by: { kind: 'staff', id: 'aad:jo', name: 'Jo' },
              outcome: 'upheld',
            });
          }),
        );
        const [facts] = await store.factsOf([reference]);
        assert.ok(facts);
        assert.deepEqual(facts, caseFactsOf(changed.stored.case));
        assert.equal(facts.responses[0]?.outcome, 'upheld');
        assert.doesNotMatch(JSON.stringify(facts), /Sam|Taylor|example\.org|sorry|Jo\b/);
      });

      it('gives the open cases as the queue, a page at a time, what is owed soonest first, filtered by its indexes', async () => {
        const day = 86_400_000;
        const base = lodgeRequest().case.deadlines[0]!;
        const lodgeDue = async (days: number, overrides: Partial<Omit<Case, 'reference'>> = {}) =>
          (
            await store.lodge(
              lodgeRequest({
                case: {
                  deadlines: [{ ...base, stage: overrides.stage ?? base.stage, endsAt: new Date(Date.parse(base.endsAt) + days * day).toISOString() }],
                  ...overrides,
                },
              }),
            )
          ).stored.case.reference;
        const first = await lodgeDue(0);
        const second = await lodgeDue(1, { status: 'awaiting-response', handler: { id: 'aad:jo', name: 'Jo' } });
        const third = await lodgeDue(2, { stage: 'stage-2' });
        const responded = await lodgeDue(3, { status: 'responded' });
        await lodgeDue(-1, { status: 'closed' });
        const dueAt = Date.parse(base.endsAt);
        const everything = { from: 0, to: Infinity, within: [], offset: 0, limit: 10 };

        const all = await store.queue(everything);
        assert.equal(all.total, 4, 'the closed case is not in the queue');
        assert.deepEqual(
          all.entries.map((entry) => entry.reference),
          [first, second, third, responded],
          'by deadline, and a case owing nothing last',
        );
        assert.equal(all.entries[0]?.dueAt, dueAt);
        assert.equal(all.entries[3]?.dueAt, NOTHING_OWED);
        const page = await store.queue({ ...everything, offset: 1, limit: 2 });
        assert.deepEqual([page.total, page.entries.map((entry) => entry.reference)], [4, [second, third]]);
        const range = await store.queue({ ...everything, from: dueAt + 1, to: dueAt + 2 * day + 1 });
        assert.deepEqual([range.total, range.entries.map((entry) => entry.reference)], [2, [second, third]], 'a range: from inclusive, to exclusive');
        assert.deepEqual((await store.dueBetween(new Date(0), new Date(8.64e15))).length, 3, 'and a deadline query never reaches a case owing nothing');

        const within = async (groups: QueueRequest['within'], from = 0, to = Infinity) =>
          (await store.queue({ ...everything, within: groups, from, to })).entries.map((entry) => entry.reference);
        assert.deepEqual(await within([[{ handlerId: null }]]), [first, third, responded], 'unassigned');
        assert.deepEqual(await within([[{ handlerId: 'aad:jo' }]]), [second], 'a handler’s');
        assert.deepEqual(await within([[{ handlerId: null }]], dueAt, dueAt + 1), [first], 'a narrow range among a larger set');
        assert.deepEqual(
          await within([
            [
              { procedure: 'la-childrens-services', stage: 'stage-1' },
              { procedure: 'la-childrens-services', stage: 'stage-2' },
            ],
          ]),
          [first, second, third, responded],
          'a procedure: any of its stages',
        );
        assert.deepEqual(
          await within([[{ status: 'open' }, { status: 'responded' }], [{ handlerId: null }]]),
          [first, third, responded],
          'every group must hold it',
        );
        assert.deepEqual(await within([[{ status: 'open' }], [{ procedure: 'la-childrens-services', stage: 'stage-2' }]]), [third]);
        assert.deepEqual(await store.queue({ ...everything, within: [[]] }), { total: 0, entries: [] }, 'a group of no index matches nothing');

        // A change moves the case in the queue: the first responded to now owes nothing, so it goes last.
        const read = (await store.get(first))!;
        await store.update(
          read,
          change(read, (value) => {
            value.status = 'responded';
          }),
        );
        // Cases owing nothing share a place and are listed by reference.
        const owingNothing = [first, responded].sort();
        assert.deepEqual(
          (await store.queue(everything)).entries.map((entry) => entry.reference),
          [second, third, ...owingNothing],
        );
      });
    });

    describe('looking a case up with its second factor', () => {
      const requesterKey = 'webchat/conversations/abc';

      it('opens the case with the email or phone given at lodging, however it is typed', async () => {
        const { stored } = await store.lodge(lodgeRequest({ secondFactor: '07700 900123' }));
        const reference = stored.case.reference;
        for (const typed of ['07700900123', '+44 7700 900123', '0044 (0)7700-900-123']) {
          const result = await store.verify({ reference, secondFactor: typed, requesterKey });
          assert.equal(result.ok, true, typed);
        }
        const byEmail = await store.lodge(lodgeRequest({ secondFactor: 'Sam.Taylor@Example.org' }));
        const result = await store.verify({ reference: byEmail.stored.case.reference, secondFactor: '  sam.taylor@example.ORG ', requesterKey });
        assert.ok(result.ok);
        assert.equal(result.stored.case.reference, byEmail.stored.case.reference);
      });

      it('answers a wrong detail and an unknown reference alike', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const wrongDetail = await store.verify({ reference: stored.case.reference, secondFactor: 'someone@else.org', requesterKey: 'c1' });
        const unknown = await store.verify({ reference: generateReference(), secondFactor: 'sam.taylor@example.org', requesterKey: 'c2' });
        assert.deepEqual(wrongDetail, unknown);
        assert.deepEqual(wrongDetail, { ok: false, refused: false, failures: 1, retryAfterSeconds: null });
      });

      it('refuses one chat for a while after too many wrong details for a reference, even with the right one', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        const results = [];
        for (let attempt = 0; attempt < 3; attempt += 1) {
          results.push(await store.verify({ reference, secondFactor: `guess${attempt}@example.org`, requesterKey: 'guesser' }));
        }
        assert.deepEqual(
          results.map((result) => !result.ok && result.refused),
          [false, false, true],
        );
        const again = await store.verify({ reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'guesser' });
        assert.ok(!again.ok && again.refused && (again.retryAfterSeconds ?? 0) > 0 && (again.retryAfterSeconds ?? 0) <= 60);
      });

      it('never stops the owner for five strangers’ failures from fresh chats, only slows the strangers down', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        const failures: number[] = [];
        for (let stranger = 0; stranger < 5; stranger += 1) {
          // Each stranger opens a fresh chat and guesses until that chat is refused; two share an address.
          for (let attempt = 0; attempt < 3; attempt += 1) {
            const result = await store.verify({
              reference,
              secondFactor: `stranger${stranger}.${attempt}@example.org`,
              requesterKey: `stranger-chat-${stranger}`,
              addressKey: `addr.stranger-${Math.min(stranger, 3)}`,
            });
            assert.equal(result.ok, false);
            failures.push(result.failures);
          }
        }
        assert.equal(failures.at(-1), 15, 'the reference’s own count grows, so the dialog answers strangers ever more slowly');
        const owner = await store.verify({ reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'owner-chat', addressKey: 'addr.owner' });
        assert.equal(owner.ok, true);
        // The owner mistyping once, from their own chat, is answered (slowly) and not refused.
        const slip = await store.verify({ reference, secondFactor: 'sam.tayler@example.org', requesterKey: 'owner-chat', addressKey: 'addr.owner' });
        assert.ok(!slip.ok && !slip.refused);
        assert.equal(
          (await store.verify({ reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'owner-chat', addressKey: 'addr.owner' })).ok,
          true,
        );
      });

      it('compares at most maxFailuresPerAddress guesses from one address in a window, however many chats it opens (the README’s bound)', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        // The bound: an address's guesses are compared only while its count is under the limit,
        // and the count's window (lockoutMs) starts with its first guess, so one address gets at
        // most maxFailuresPerAddress comparisons per window: 8 here, 20 an hour (480 a day) by default.
        const results = [];
        for (let chat = 0; chat < 40; chat += 1) {
          results.push(
            await store.verify({ reference, secondFactor: `guess${chat}@example.org`, requesterKey: `chat-${chat}`, addressKey: 'addr.botnet-node' }),
          );
        }
        const answered = results.filter((result) => !result.ok && !result.refused).length;
        assert.equal(answered, TEST_GUARD.maxFailuresPerAddress - 1, 'plain answers: every comparison but the last, which is answered as refused');
        const found = await store.verify({ reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'chat-41', addressKey: 'addr.botnet-node' });
        assert.ok(!found.ok && found.refused, 'the right details from the same address are refused too until the window ends: no comparison is made');
        assert.equal((await store.verify({ reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'owner', addressKey: 'addr.owner' })).ok, true);
      });

      it('lets no more guesses through than the limits, however many arrive at once', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        const oneChat = await Promise.all(
          Array.from({ length: 30 }, (_, index) => store.verify({ reference, secondFactor: `guess${index}@example.org`, requesterKey: 'one-chat' })),
        );
        assert.ok(oneChat.every((result) => !result.ok));
        assert.equal(oneChat.filter((result) => !result.refused).length, TEST_GUARD.maxFailuresPerReference - 1, 'at most limit - 1 plain failures');
        const oneAddress = await Promise.all(
          Array.from({ length: 30 }, (_, index) =>
            store.verify({ reference, secondFactor: `guess${index}@example.org`, requesterKey: `fresh-${index}`, addressKey: 'addr.one' }),
          ),
        );
        assert.equal(oneAddress.filter((result) => !result.ok && !result.refused).length, TEST_GUARD.maxFailuresPerAddress - 1);
        const owner = await store.verify({ reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'owner' });
        assert.equal(owner.ok, true);
      });

      it('never counts the right details against anyone', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        for (let attempt = 0; attempt < 8; attempt += 1) {
          assert.equal((await store.verify({ reference: stored.case.reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'owner' })).ok, true);
        }
      });

      it('never matches an empty or meaningless detail', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        for (const typed of ['', '   ', 'n/a']) {
          assert.equal((await store.verify({ reference: stored.case.reference, secondFactor: typed, requesterKey: `r-${typed}` })).ok, false);
        }
      });

      it('refuses a requester who keeps guessing across many references', async () => {
        for (let attempt = 0; attempt < 5; attempt += 1) {
          await store.verify({ reference: generateReference(), secondFactor: 'x@example.org', requesterKey: 'roaming' });
        }
        const { stored } = await store.lodge(lodgeRequest());
        const result = await store.verify({ reference: stored.case.reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'roaming' });
        assert.ok(!result.ok && result.refused);
        const elsewhere = await store.verify({ reference: stored.case.reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'fresh' });
        assert.equal(elsewhere.ok, true);
      });
    });

    if (options.hasAnotherInstance) {
      it('shows changes made through another instance, and refuses stale writes from either', async () => {
        const another = await subject.another!();
        try {
          const { stored } = await store.lodge(lodgeRequest());
          const reference = stored.case.reference;
          const seen = await another.get(reference);
          assert.deepEqual(seen, stored);
          await another.update(
            seen,
            change(seen, (value) => {
              value.status = 'awaiting-response';
            }),
          );
          await assert.rejects(
            store.update(
              stored,
              change(stored, (value) => {
                value.status = 'closed';
              }),
            ),
            CaseConflict,
          );
          assert.equal((await store.get(reference))?.case.status, 'awaiting-response');
        } finally {
          await another.close();
        }
      });
    }

    describe('what the rights need', () => {
      const staff = { id: 'entra-dpo', name: 'Dee Peo' };
      const at = new Date('2025-07-01T10:00:00Z');

      it('finds a person’s cases by email or phone however they are written, and nobody else’s', async () => {
        const mine = await store.lodge(lodgeRequest());
        const phoneOnly = await store.lodge(
          lodgeRequest({ secondFactor: '07700 900123', case: { contact: { email: null, phone: '+447700900123', preferred: 'phone' } } }),
        );
        const theirs = await store.lodge(
          lodgeRequest({ secondFactor: 'pat@example.net', case: { contact: { email: 'pat@example.net', phone: '+447700900999', preferred: 'email' } } }),
        );
        assert.deepEqual(await store.findByContact(' SAM.TAYLOR@example.org'), [mine.stored.case.reference]);
        assert.deepEqual(await store.findByContact('+44 (0) 7700 900123'), [mine.stored.case.reference, phoneOnly.stored.case.reference].sort());
        assert.deepEqual(await store.findByContact('pat@example.net'), [theirs.stored.case.reference]);
        assert.deepEqual(await store.findByContact('nobody@example.org'), []);
      });

      it('moves a corrected email in the index and in what unlocks the case, keeping the phone', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        const result = await updateCase(store, reference, 'rectify-1', (current) => {
          const decided = rectify(current.case, { email: 'sam.t@example.org', reason: 'Typo at lodging, confirmed by phone' }, { policy, now: at, staff });
          assert.ok(!isRefusal(decided));
          return decided;
        });
        assert.equal(result?.stored.case.contact.email, 'sam.t@example.org');
        assert.deepEqual(await store.findByContact('sam.t@example.org'), [reference]);
        assert.deepEqual(await store.findByContact('sam.taylor@example.org'), []);
        assert.equal((await store.verify({ reference, secondFactor: 'Sam.T@example.org', requesterKey: 'chat-1' })).ok, true);
        assert.equal((await store.verify({ reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'chat-2' })).ok, false);
        assert.equal((await store.verify({ reference, secondFactor: '07700900123', requesterKey: 'chat-3' })).ok, true);
        const history = await store.history(reference);
        assert.deepEqual(history.at(-1)?.details, { fields: ['email'], reason: 'Typo at lodging, confirmed by phone' });
        assert.doesNotMatch(JSON.stringify(history.at(-1)), /sam\.taylor/);
      });

      it('lists finished cases by when they finished, and not once reopened or erased', async () => {
        const first = await store.lodge(lodgeRequest());
        const second = await store.lodge(lodgeRequest());
        const closeAt = async (stored: typeof first.stored, when: string) =>
          (
            await store.update(stored, {
              ...change(stored, (value) => {
                value.status = 'closed';
              }),
              event: { type: 'closed', at: when, actor: { kind: 'staff', ...staff }, summary: 'Closed' },
            })
          ).stored;
        const closedFirst = await closeAt(first.stored, '2025-07-01T10:00:00.000Z');
        const closedSecond = await closeAt(second.stored, '2025-07-02T10:00:00.000Z');
        assert.deepEqual(await store.finishedBefore(new Date('2025-07-01T10:00:00.000Z')), []);
        assert.deepEqual(await store.finishedBefore(new Date('2025-07-03T00:00:00Z')), [first.stored.case.reference, second.stored.case.reference]);
        // A note on a finished case does not restart its clock.
        const noted = (
          await store.update(
            closedFirst,
            change(closedFirst, () => undefined),
          )
        ).stored;
        assert.deepEqual(await store.finishedBefore(new Date('2025-07-01T12:00:00Z')), [first.stored.case.reference]);
        await store.update(
          noted,
          change(noted, (value) => {
            value.status = 'awaiting-response';
          }),
        );
        assert.deepEqual(await store.finishedBefore(new Date('2025-07-03T00:00:00Z')), [second.stored.case.reference]);
        const decided = erase(
          closedSecond.case,
          await store.history(closedSecond.case.reference),
          { basis: 'request', reason: 'Asked in writing' },
          { now: at, actor: { kind: 'staff', ...staff } },
        );
        assert.ok(!isRefusal(decided));
        await store.erase(closedSecond, { ...decided, idempotencyKey: 'erase-1' });
        assert.deepEqual(await store.finishedBefore(new Date('2025-07-03T00:00:00Z')), []);
      });

      it('erases a case whole: anonymous record and history, no way in by the old details, once', async () => {
        const { stored } = await store.lodge(lodgeRequest());
        const reference = stored.case.reference;
        const closed = await closeCase(store, stored);
        const history = await store.history(reference);
        const decided = erase(closed.case, history, { basis: 'request', reason: 'Asked in writing' }, { now: at, actor: { kind: 'staff', ...staff } });
        assert.ok(!isRefusal(decided));
        const result = await store.erase(closed, { ...decided, idempotencyKey: 'erase-1' });
        assert.equal(result.applied, true);
        assert.equal(result.stored.version, closed.version + 1);
        const read = await store.get(reference);
        assert.deepEqual(read, result.stored);
        const kept = JSON.stringify([read, await store.history(reference)]);
        for (const personal of ['Sam Taylor', 'sam.taylor', '7700900123', 'Alex', 'cancelled three visits', 'named contact', '20/5/2025']) {
          assert.ok(!kept.includes(personal), `"${personal}" is gone`);
        }
        assert.deepEqual(
          (await store.history(reference)).map((event) => event.type),
          [...history.map((event) => event.type), 'erased'],
        );
        assert.equal((await store.verify({ reference, secondFactor: 'sam.taylor@example.org', requesterKey: 'chat-9' })).ok, false);
        assert.deepEqual(await store.findByContact('sam.taylor@example.org'), []);
        const again = await store.erase(closed, { ...decided, idempotencyKey: 'erase-1' });
        assert.equal(again.applied, false);
        assert.equal(again.stored.version, result.stored.version);
        await assert.rejects(store.erase(closed, { ...decided, idempotencyKey: 'erase-2' }), CaseConflict);
      });
    });
  });
}
