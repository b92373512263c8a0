/**
 * The widget conversation-log contract: ownership, appends numbered by watermark, client retries
 * appended once, reading pages, announcements to subscribers (on another instance too, where
 * there is one), and the length limit. Memory and Redis logs pass it unchanged.
 */
import { strict as assert } from 'node:assert';
import { type ConversationLog, ConversationFull, MAX_ACTIVITIES } from '../../src/directline/conversation-log.js';

/** A log under test, a second instance on the same data if there can be one, and how to tidy up. */
export interface ConversationLogUnderTest {
  readonly log: ConversationLog;
  readonly another?: () => Promise<ConversationLog>;
  readonly cleanup: () => Promise<void>;
}

function message(id: string, text: string) {
  return { id, type: 'message', text };
}

/** Registers the contract suite for one kind of conversation log. */
/** How long a claim on a turn lasts in these tests. */
const LEASE_MS = 300;

/** Registers the contract suite for one kind of conversation log (opened with claims on turns lasting `turnLeaseMs`). */
export function conversationLogContract(label: string, open: (turnLeaseMs: number) => Promise<ConversationLogUnderTest>): void {
  describe(`widget conversation log contract: ${label}`, function () {
    this.timeout(30_000);
    let subject: ConversationLogUnderTest;
    beforeEach(async () => {
      subject = await open(LEASE_MS);
    });
    afterEach(async () => {
      await subject.log.close();
      await subject.cleanup();
    });

    it('records who owns a conversation, once', async () => {
      assert.equal(await subject.log.owner('c-1'), null);
      assert.equal(await subject.log.create('c-1', 'user-a'), true);
      assert.equal(await subject.log.create('c-1', 'user-b'), false);
      assert.equal(await subject.log.owner('c-1'), 'user-a');
    });

    it('numbers activities by watermark and reads them a page at a time', async () => {
      await subject.log.create('c-2', 'user-a');
      for (let index = 1; index <= 5; index += 1) {
        assert.deepEqual(await subject.log.append('c-2', message(`a-${index}`, `message ${index}`)), {
          watermark: index,
          id: `a-${index}`,
          fresh: true,
          unhandled: null,
        });
      }
      const page = await subject.log.read('c-2', 1, 2);
      assert.deepEqual(
        page.activities.map((activity) => activity.text),
        ['message 2', 'message 3'],
      );
      assert.equal(page.watermark, 3);
      assert.deepEqual(await subject.log.read('c-2', 5), { activities: [], watermark: 5 });
      assert.deepEqual(await subject.log.read('no-such-conversation', 0), { activities: [], watermark: 0 });
    });

    it('appends a client’s retried post once, answering with the first one’s id', async () => {
      await subject.log.create('c-3', 'user-a');
      assert.equal((await subject.log.append('c-3', message('first-id', 'hello'), { clientActivityId: 'client-1' })).fresh, true);
      assert.deepEqual(await subject.log.append('c-3', message('second-id', 'hello'), { clientActivityId: 'client-1' }), {
        watermark: 1,
        id: 'first-id',
        fresh: false,
        unhandled: null,
      });
      assert.equal((await subject.log.read('c-3', 0)).activities.length, 1);
    });

    it('gives a retried post’s activity back while its turn is undone, and not once it is done', async () => {
      await subject.log.create('c-6', 'user-a');
      await subject.log.append('c-6', message('bot-1', 'Hello'));
      assert.equal((await subject.log.append('c-6', message('p-1', 'hello'), { clientActivityId: 'k-1', awaitsTurn: true })).fresh, true);
      const retried = await subject.log.append('c-6', message('p-1-again', 'hello'), { clientActivityId: 'k-1', awaitsTurn: true });
      assert.deepEqual(retried, { watermark: 2, id: 'p-1', fresh: false, unhandled: message('p-1', 'hello') });
      await subject.log.turnDone('c-6', 'p-1');
      assert.equal((await subject.log.append('c-6', message('p-1-third', 'hello'), { clientActivityId: 'k-1', awaitsTurn: true })).unhandled, null);
      assert.equal((await subject.log.read('c-6', 0)).activities.length, 2);
    });

    it('lets one instance claim turns nobody finished once their claim lapses, in the order posted, and none that are done', async () => {
      await subject.log.create('c-7', 'user-a');
      await subject.log.create('c-8', 'user-b');
      for (const id of ['q-1', 'q-2', 'q-3']) await subject.log.append('c-7', message(id, id), { awaitsTurn: true });
      await subject.log.append('c-8', message('r-1', 'r-1'), { awaitsTurn: true });
      await subject.log.append('c-8', message('bot', 'a reply'));
      await subject.log.turnDone('c-7', 'q-2');
      assert.deepEqual(await subject.log.claimUnhandled(10), [], 'nothing while the claims made at append hold');
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 50));
      const other = subject.another ? await subject.another() : subject.log;
      try {
        const [first, second] = await Promise.all([subject.log.claimUnhandled(10), other.claimUnhandled(10)]);
        const claimed = [...first, ...second].map(({ conversationId, activity }) => `${conversationId}:${activity.id}`);
        assert.deepEqual(claimed.toSorted(), ['c-7:q-1', 'c-7:q-3', 'c-8:r-1'], 'each claimed once, between the two');
        const inOrder = [...first, ...second].filter(({ conversationId }) => conversationId === 'c-7').map(({ activity }) => activity.id);
        assert.deepEqual(inOrder, ['q-1', 'q-3']);
        assert.deepEqual(await subject.log.claimUnhandled(10), [], 'claimed afresh: not again until that claim lapses');
        for (const id of ['q-1', 'q-3']) await subject.log.turnDone('c-7', id);
        await subject.log.turnDone('c-8', 'r-1');
        await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 50));
        assert.deepEqual(await subject.log.claimUnhandled(10), []);
      } finally {
        if (other !== subject.log) await other.close();
      }
    });

    it('refuses to append to a conversation that was never started', async () => {
      await assert.rejects(subject.log.append('never-started', message('x', 'x')));
    });

    it('tells subscribers about each append', async () => {
      await subject.log.create('c-4', 'user-a');
      const other = subject.another ? await subject.another() : subject.log;
      try {
        let heard = 0;
        const heardOne = new Promise<void>((resolve) => {
          const stop = other.subscribe('c-4', () => {
            heard += 1;
            stop();
            resolve();
          });
        });
        // Give a fresh subscription a moment to be in place before announcing.
        await new Promise((resolve) => setTimeout(resolve, 200));
        await subject.log.append('c-4', message('a-1', 'hello'));
        await heardOne;
        assert.equal(heard, 1);
      } finally {
        if (other !== subject.log) await other.close();
      }
    });

    it(`stops a conversation at ${MAX_ACTIVITIES} activities`, async () => {
      await subject.log.create('c-5', 'user-a');
      await Promise.all(Array.from({ length: MAX_ACTIVITIES }, (_, index) => subject.log.append('c-5', message(`a-${index}`, 'x'))));
      await assert.rejects(subject.log.append('c-5', message('one-too-many', 'x')), ConversationFull);
    });
  });
}
