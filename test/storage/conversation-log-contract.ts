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
export function conversationLogContract(label: string, open: () => Promise<ConversationLogUnderTest>): void {
  describe(`widget conversation log contract: ${label}`, function () {
    this.timeout(30_000);
    let subject: ConversationLogUnderTest;
    beforeEach(async () => {
      subject = await open();
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
        assert.deepEqual(await subject.log.append('c-2', message(`a-${index}`, `message ${index}`)), { watermark: index, id: `a-${index}`, fresh: true });
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
      assert.equal((await subject.log.append('c-3', message('first-id', 'hello'), 'client-1')).fresh, true);
      assert.deepEqual(await subject.log.append('c-3', message('second-id', 'hello'), 'client-1'), { watermark: 1, id: 'first-id', fresh: false });
      assert.equal((await subject.log.read('c-3', 0)).activities.length, 1);
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
