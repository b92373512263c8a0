import { strict as assert } from 'node:assert';
import {
  type Activity,
  ActivityTypes,
  BotAdapter,
  type ConversationReference,
  type ResourceResponse,
  type TurnContext,
  TurnContext as Context,
} from 'botbuilder';
import { StorageUnavailable } from '../../src/cases/errors.js';
import { ConversationStateStore } from '../../src/state/conversation-state.js';
import type { ConversationStorage } from '../../src/state/conversation-storage.js';
import { TurnQueueFull } from '../../src/state/keyed-mutex.js';
import { activityDigest, PROCESSED_ACTIVITIES, TurnConflict, TurnRunner } from '../../src/state/turn-runner.js';
import { MemoryConversationStorage } from '../../src/storage/memory/memory-conversation-storage.js';
import type { RedisClient } from '../../src/storage/redis/scripts.js';
import { productClient, redisConversationStorage, removeKeys, testKeys } from '../helpers/redis.js';

/** An adapter that records what the bot sends, standing in for a channel. */
class RecordingAdapter extends BotAdapter {
  readonly sent: Partial<Activity>[] = [];
  readonly updated: Partial<Activity>[] = [];

  sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    this.sent.push(...activities);
    return Promise.resolve(activities.map((_, index) => ({ id: `sent-${this.sent.length}-${index}` })));
  }

  updateActivity(_context: TurnContext, activity: Partial<Activity>): Promise<void> {
    this.updated.push(activity);
    return Promise.resolve();
  }

  deleteActivity(): Promise<void> {
    return Promise.resolve();
  }

  continueConversation(): Promise<void> {
    return Promise.resolve();
  }

  /** Runs one turn for a message (with id "activity-<text>" unless the overrides say otherwise). */
  turn(text: string, logic: (context: TurnContext) => Promise<void>, overrides: Partial<Activity> = {}): Promise<void> {
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      text,
      id: `activity-${text}`,
      channelId: 'webchat',
      serviceUrl: 'https://example.org/',
      conversation: { id: 'conversation-1', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'user-1', name: 'User' },
      recipient: { id: 'bot', name: 'Bot' },
      ...overrides,
    };
    return this.runMiddleware(new Context(this, activity), logic);
  }

  texts(): string[] {
    return this.sent.map((activity) => activity.text ?? '');
  }
}

/** One bot instance: its own adapter, state store and runner over a given storage. */
function instance(storage: ConversationStorage, maxAttempts = 20) {
  const state = new ConversationStateStore(storage);
  const count = state.createProperty<number>('count');
  const runner = new TurnRunner(state, { maxAttempts });
  const adapter = new RecordingAdapter();
  const logic = async (context: TurnContext): Promise<void> => {
    const next = (await count.get(context, 0)) + 1;
    await count.set(context, next);
    // Take a little time, as a real turn does, so turns really overlap.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
    await context.sendActivity(`count ${next}`);
  };
  return { adapter, runner, state, count, send: (text: string) => adapter.turn(text, (context) => runner.run(context, logic)) };
}

async function storedCount(storage: ConversationStorage): Promise<unknown> {
  return (await storage.read(['webchat/conversations/conversation-1']))['webchat/conversations/conversation-1']?.['count'];
}

function expectEachCountOnce(texts: string[], total: number): void {
  assert.deepEqual(
    [...texts].sort((a, b) => Number(a.split(' ')[1]) - Number(b.split(' ')[1])),
    Array.from({ length: total }, (_, index) => `count ${index + 1}`),
  );
}

function runnerSuite(label: string, openStorage: () => Promise<{ make: () => Promise<ConversationStorage>; cleanup: () => Promise<void> }>): void {
  describe(`turn runner on ${label}`, function () {
    this.timeout(30_000);
    let make: () => Promise<ConversationStorage>;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ make, cleanup } = await openStorage());
    });

    afterEach(async () => {
      await cleanup();
    });

    it('loses nothing when 20 turns of one conversation arrive together on one instance, and answers in order', async () => {
      const bot = instance(await make());
      await Promise.all(Array.from({ length: 20 }, (_, index) => bot.send(`m${index}`)));
      assert.deepEqual(
        bot.adapter.texts(),
        Array.from({ length: 20 }, (_, index) => `count ${index + 1}`),
      );
      assert.equal(await storedCount(await make()), 20);
    });

    it('loses nothing when 20 turns arrive together split across two instances, and sends each reply once', async () => {
      const first = instance(await make());
      const second = instance(await make());
      await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? first : second).send(`m${index}`)));
      expectEachCountOnce([...first.adapter.texts(), ...second.adapter.texts()], 20);
      assert.equal(await storedCount(await make()), 20);
    });
  });
}

runnerSuite('memory', () => {
  // Two instances "on one store": both runners share the one in-memory storage.
  const shared = new MemoryConversationStorage(60_000);
  return Promise.resolve({ make: () => Promise.resolve(shared), cleanup: () => Promise.resolve() });
});

describe('with Redis', function () {
  this.timeout(30_000);
  const clients: RedisClient[] = [];

  after(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  runnerSuite('Redis (each instance with its own connection)', () => {
    const keys = testKeys('turns');
    return Promise.resolve({
      make: async () => {
        const client = await productClient();
        clients.push(client);
        return redisConversationStorage(client, keys);
      },
      cleanup: async () => {
        if (clients[0]) await removeKeys(clients[0], keys.prefix);
      },
    });
  });
});

describe('turn runner edge cases', () => {
  it('gives up with TurnConflict after its attempts, having sent nothing', async () => {
    const storage = new MemoryConversationStorage(60_000);
    storage.writeIfUnchanged = () => Promise.resolve(null); // another instance always wins
    const bot = instance(storage, 3);
    await assert.rejects(bot.send('hello'), (error: unknown) => error instanceof TurnConflict && error.attempts === 3);
    assert.deepEqual(bot.adapter.sent, []);
  });

  it('sends nothing when the state cannot be saved, and reports the storage failure', async () => {
    const storage = new MemoryConversationStorage(60_000);
    storage.writeIfUnchanged = () => Promise.reject(new StorageUnavailable('write state'));
    const bot = instance(storage);
    await assert.rejects(bot.send('hello'), StorageUnavailable);
    assert.deepEqual(bot.adapter.sent, []);
  });

  it('marks the turn as responded when a reply is held, as dialogs expect', async () => {
    const state = new ConversationStateStore(new MemoryConversationStorage(60_000));
    const runner = new TurnRunner(state);
    const adapter = new RecordingAdapter();
    let respondedAfterSend = false;
    await adapter.turn('hi', (context) =>
      runner.run(context, async (turn) => {
        await turn.sendActivity('hello');
        respondedAfterSend = turn.responded;
      }),
    );
    assert.equal(respondedAfterSend, true);
    assert.deepEqual(adapter.texts(), ['hello']);
  });

  it('runs a redelivered activity only once: no second reply, no second change', async () => {
    const storage = new MemoryConversationStorage(60_000);
    const bot = instance(storage);
    await bot.send('same');
    await bot.send('same');
    await bot.send('other');
    assert.deepEqual(bot.adapter.texts(), ['count 1', 'count 2']);
    assert.equal(await storedCount(storage), 2);
  });

  it('remembers activities by a short digest, and still knows one saved by its whole id before', async () => {
    const storage = new MemoryConversationStorage(60_000);
    const key = 'webchat/conversations/conversation-1';
    const longId = 'a6c2f1a0-3b1e-4c1e-9f0a-2d4f5e6a7b8c|0000001';
    // As the state was saved before digests were kept: the whole id of an activity already run.
    assert.notEqual(await storage.writeIfUnchanged(key, JSON.stringify({ count: 1, [PROCESSED_ACTIVITIES]: ['activity-old'] }), null), null);
    const bot = instance(storage);
    await bot.send('old');
    await bot.adapter.turn(
      'new',
      (context) =>
        bot.runner.run(context, async (turn) => {
          await bot.count.set(turn, 2);
          await turn.sendActivity('count 2');
        }),
      { id: longId },
    );
    assert.deepEqual(bot.adapter.texts(), ['count 2'], 'the activity saved by its whole id is not run again');
    const saved = (await storage.read([key]))[key]?.[PROCESSED_ACTIVITIES];
    assert.deepEqual(saved, ['activity-old', activityDigest(longId)]);
    assert.equal(activityDigest(longId).length, 11, 'a digest is kept, not the 44-character id');
  });

  it('still runs activities that carry no id', async () => {
    const state = new ConversationStateStore(new MemoryConversationStorage(60_000));
    const runner = new TurnRunner(state);
    const adapter = new RecordingAdapter();
    const turn = (context: TurnContext) =>
      runner.run(context, async (inner) => {
        await inner.sendActivity('ok');
      });
    const withoutId: Partial<Activity> = { id: undefined };
    await adapter.turn('x', turn, withoutId);
    await adapter.turn('x', turn, withoutId);
    assert.deepEqual(adapter.texts(), ['ok', 'ok']);
  });

  it('holds card updates and deletions with the replies, so a discarded attempt changes nothing', async () => {
    const storage = new MemoryConversationStorage(60_000);
    const write = storage.writeIfUnchanged.bind(storage);
    let losses = 2;
    storage.writeIfUnchanged = (...args) => (losses-- > 0 ? Promise.resolve(null) : write(...args));
    const adapter = new RecordingAdapter();
    const state = new ConversationStateStore(storage);
    const runner = new TurnRunner(state);
    const flag = state.createProperty<number>('n');
    await adapter.turn('go', (context) =>
      runner.run(context, async (turn) => {
        await flag.set(turn, 1);
        await turn.updateActivity({ id: 'card-1', type: 'message' });
        await turn.sendActivity('done');
      }),
    );
    assert.deepEqual(
      adapter.updated.map((activity) => activity.id),
      ['card-1'],
    );
    assert.deepEqual(adapter.texts(), ['done']);
  });

  it('refuses more turns than the queue allows for one conversation', async () => {
    const state = new ConversationStateStore(new MemoryConversationStorage(60_000));
    const runner = new TurnRunner(state, { maxQueued: 2 });
    const adapter = new RecordingAdapter();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const slow = (context: TurnContext) =>
      runner.run(context, async () => {
        await gate;
      });
    const results = Promise.allSettled(['a', 'b', 'c', 'd'].map((text) => adapter.turn(text, slow)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    open();
    const settled = await results;
    assert.equal(settled.filter((result) => result.status === 'rejected' && result.reason instanceof TurnQueueFull).length, 2);
  });

  it('lets the next turn go ahead when one hangs', async () => {
    const state = new ConversationStateStore(new MemoryConversationStorage(60_000));
    const runner = new TurnRunner(state, { holdMs: 100 });
    const adapter = new RecordingAdapter();
    void adapter.turn('hangs', (context) => runner.run(context, () => new Promise<void>(() => undefined)));
    const started = Date.now();
    await adapter.turn('next', (context) =>
      runner.run(context, async (turn) => {
        await turn.sendActivity('went ahead');
      }),
    );
    assert.deepEqual(adapter.texts(), ['went ahead']);
    assert.ok(Date.now() - started < 1000);
  });

  it('refuses an activity that has no conversation', () => {
    const state = new ConversationStateStore(new MemoryConversationStorage(60_000));
    const reference: Partial<ConversationReference> = {};
    assert.throws(() => state.storageKey({ activity: reference } as unknown as TurnContext), /no channel or conversation id/);
  });
});
