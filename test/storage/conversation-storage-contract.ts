/**
 * The conversation-storage contract: Bot Framework's storage semantics (real eTags, "*" and
 * eTag-less writes overwrite, stale writes refused), keys of any shape, large values, batches,
 * idle expiry, and the compare-and-set the turn runner relies on. Every ConversationStorage must
 * pass it unchanged.
 */
import { strict as assert } from 'node:assert';
import { AutoSaveStateMiddleware, ConversationState, MessageFactory, type StoreItem, TestAdapter } from 'botbuilder';
import { Dialog, DialogSet, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import { type ConversationStorage, StateConflict } from '../../src/state/conversation-storage.js';

/** A storage under test, opened with the given idle lifetime, and how to tidy up after it. */
export interface ConversationStorageUnderTest {
  readonly storage: ConversationStorage;
  readonly cleanup: () => Promise<void>;
}

/** Keys shaped like the ones channels really produce, and ones made to collide if escaping were naive. */
export const AWKWARD_KEYS = [
  'msteams/conversations/19:a1b2c3@thread.tacv2;messageid=1700000000000',
  'directline/conversations/4Ef5GhIjKlMnOpQr-eu|0000001',
  'webchat/conversations/a:b',
  'webchat/conversations/a%3Ab',
  'webchat/conversations/a%003ab',
  'x{tag}y',
  'x}{y',
  '{}',
  '%',
  '%%',
  ' leading and trailing spaces ',
  'tab\tand\nnewline',
  'émigré/ĉu/日本語/🙂',
  '\ud800 lone surrogate',
  '!@#$%^&*()~/\\><,.?\';"`~',
  'k'.repeat(2000),
];

/** Registers the contract suite for one kind of conversation storage. */
export function conversationStorageContract(label: string, open: (idleMs: number) => Promise<ConversationStorageUnderTest>): void {
  describe(`conversation storage contract: ${label}`, function () {
    this.timeout(30_000);
    let subject: ConversationStorageUnderTest;
    let storage: ConversationStorage;

    beforeEach(async () => {
      subject = await open(60_000);
      storage = subject.storage;
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    it('reads nothing for a key never written', async () => {
      assert.deepEqual(await storage.read(['unknown']), {});
    });

    it('creates items, each read back with an eTag', async () => {
      await storage.write({ first: { id: 1 }, second: { id: 2, nested: { list: [1, 2, 3] } } });
      const items = await storage.read(['first', 'second']);
      assert.equal(items['first']?.id, 1);
      assert.deepEqual(items['second']?.nested, { list: [1, 2, 3] });
      assert.ok(typeof items['first']?.eTag === 'string' && items['first'].eTag.length > 0);
      assert.notEqual(items['first']?.eTag, items['second']?.eTag);
    });

    it('updates with the current eTag, refuses a stale one, and lets "*" and eTag-less writes overwrite', async () => {
      await storage.write({ item: { count: 1 } });
      const loaded = (await storage.read(['item']))['item'] as StoreItem;
      await storage.write({ item: { ...loaded, count: 2 } });
      const reloaded = (await storage.read(['item']))['item'] as StoreItem;
      assert.equal(reloaded['count'], 2);
      assert.notEqual(reloaded.eTag, loaded.eTag);

      await assert.rejects(storage.write({ item: { ...loaded, count: 99 } }), StateConflict);
      assert.equal((await storage.read(['item']))['item']?.['count'], 2);

      await storage.write({ item: { ...loaded, count: 3, eTag: '*' } });
      assert.equal((await storage.read(['item']))['item']?.['count'], 3);
      await storage.write({ item: { count: 4 } });
      assert.equal((await storage.read(['item']))['item']?.['count'], 4);
    });

    it('refuses a write with an eTag for an item that has since been deleted', async () => {
      await storage.write({ gone: { a: 1 } });
      const loaded = (await storage.read(['gone']))['gone'] as StoreItem;
      await storage.delete(['gone']);
      await assert.rejects(storage.write({ gone: { ...loaded, a: 2 } }), StateConflict);
      assert.deepEqual(await storage.read(['gone']), {});
    });

    it('deletes items, and deleting an unknown key is not an error', async () => {
      await storage.write({ doomed: { a: 1 } });
      await storage.delete(['doomed', 'never-there']);
      assert.deepEqual(await storage.read(['doomed']), {});
    });

    it('keeps keys of any shape apart', async () => {
      await storage.write(Object.fromEntries(AWKWARD_KEYS.map((key, index) => [key, { index }])));
      const items = await storage.read(AWKWARD_KEYS);
      AWKWARD_KEYS.forEach((key, index) => {
        assert.equal(items[key]?.['index'], index, JSON.stringify(key).slice(0, 60));
      });
    });

    it('stores a large value (about 1 MB) intact', async () => {
      const big = { text: 'é🙂'.repeat(170_000), list: Array.from({ length: 1000 }, (_, index) => ({ index })) };
      await storage.write({ big });
      assert.deepEqual(withoutETag((await storage.read(['big']))['big']), big);
    });

    it('reads, writes and deletes in batches', async () => {
      const keys = Array.from({ length: 25 }, (_, index) => `batch-${index}`);
      await storage.write(Object.fromEntries(keys.map((key, index) => [key, { index }])));
      const items = await storage.read(keys);
      assert.equal(Object.keys(items).length, 25);
      await storage.delete(keys);
      assert.deepEqual(await storage.read(keys), {});
    });

    it('accepts an empty batch and refuses a missing one', async () => {
      await storage.write({});
      await assert.rejects(storage.write(null as unknown as Record<string, StoreItem>));
      await assert.rejects(storage.read(null as unknown as string[]));
    });

    it('reads one item as the JSON written and its eTag, as read() sees it', async () => {
      assert.equal(await storage.readJson('unknown'), null);
      const json = JSON.stringify({ text: 'é🙂 "quoted" \\ \u2028', list: [1, { deep: null }] });
      const eTag = await storage.writeIfUnchanged('as-json', json, null);
      assert.deepEqual(await storage.readJson('as-json'), { json, eTag });
      assert.deepEqual((await storage.read(['as-json']))['as-json'], { ...(JSON.parse(json) as object), eTag });
      await storage.write({ 'as-json': { written: 'by write', eTag: '*' } });
      const stored = await storage.readJson('as-json');
      assert.deepEqual(JSON.parse(stored?.json ?? 'null'), { written: 'by write' }, 'the eTag is not part of the stored JSON');
      assert.equal(stored?.eTag, (await storage.read(['as-json']))['as-json']?.eTag);
    });

    it('stores long JSON intact through the compare-and-set write', async () => {
      const json = JSON.stringify({
        whatHappened: 'The visit was cancelled. '.repeat(300),
        names: Array.from({ length: 200 }, (_, index) => `é${String(index)}🙂`),
      });
      const eTag = await storage.writeIfUnchanged('long', json, null);
      assert.deepEqual(await storage.readJson('long'), { json, eTag });
    });

    describe('compare-and-set', () => {
      it('creates only when absent', async () => {
        const eTag = await storage.writeIfUnchanged('cas', JSON.stringify({ v: 1 }), null);
        assert.ok(eTag);
        assert.equal(await storage.writeIfUnchanged('cas', JSON.stringify({ v: 2 }), null), null);
        assert.equal((await storage.read(['cas']))['cas']?.['v'], 1);
      });

      it('replaces only the version read, and never resurrects a deleted item', async () => {
        const first = await storage.writeIfUnchanged('cas', JSON.stringify({ v: 1 }), null);
        const second = await storage.writeIfUnchanged('cas', JSON.stringify({ v: 2 }), first);
        assert.ok(second && second !== first);
        assert.equal(await storage.writeIfUnchanged('cas', JSON.stringify({ v: 3 }), first), null, 'stale eTag');
        assert.equal((await storage.read(['cas']))['cas']?.['v'], 2);
        assert.equal((await storage.read(['cas']))['cas']?.eTag, second);
        await storage.delete(['cas']);
        assert.equal(await storage.writeIfUnchanged('cas', JSON.stringify({ v: 4 }), second), null);
        assert.deepEqual(await storage.read(['cas']), {});
      });

      it('lets exactly one of many writers with the same eTag win', async () => {
        const base = await storage.writeIfUnchanged('race', JSON.stringify({ n: 0 }), null);
        const results = await Promise.all(Array.from({ length: 10 }, (_, n) => storage.writeIfUnchanged('race', JSON.stringify({ n: n + 1 }), base)));
        assert.equal(results.filter((result) => result !== null).length, 1);
      });
    });

    it('forgets idle state after its lifetime', async () => {
      const short = await open(300);
      try {
        await short.storage.write({ brief: { a: 1 } });
        assert.equal((await short.storage.read(['brief']))['brief']?.['a'], 1);
        await new Promise((resolve) => setTimeout(resolve, 450));
        assert.deepEqual(await short.storage.read(['brief']), {});
      } finally {
        await short.cleanup();
      }
    });

    it('carries a Bot Framework waterfall through ConversationState, turn after turn', async () => {
      const conversationState = new ConversationState(storage);
      const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
      dialogs.add(
        new TextPrompt('name', async (prompt) => {
          if ((prompt.recognized.value ?? '').length > 3) return true;
          await prompt.context.sendActivity(MessageFactory.text(`Longer, please (${prompt.attemptCount})`));
          return false;
        }),
      );
      dialogs.add(
        new WaterfallDialog('flow', [
          async (step) => {
            await step.context.sendActivity('step one');
            return Dialog.EndOfTurn;
          },
          async (step) => step.prompt('name', { prompt: MessageFactory.text('Your name?') }),
          async (step) => {
            await step.context.sendActivity(`Thanks, ${String(step.result)}`);
            return step.endDialog();
          },
        ]),
      );
      const adapter = new TestAdapter(async (context) => {
        const dc = await dialogs.createContext(context);
        await dc.continueDialog();
        if (!context.responded) await dc.beginDialog('flow');
      }).use(new AutoSaveStateMiddleware(conversationState));
      await adapter
        .send('hi')
        .assertReply('step one')
        .send('hi')
        .assertReply('Your name?')
        .send('Al')
        .assertReply('Longer, please (1)')
        .send('Alexandra')
        .assertReply('Thanks, Alexandra')
        .startTest();
    });
  });
}

function withoutETag(item: StoreItem | undefined): unknown {
  if (!item) return item;
  const copy: Record<string, unknown> = { ...item };
  delete copy['eTag'];
  return copy;
}
