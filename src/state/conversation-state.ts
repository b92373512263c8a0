/**
 * Conversation state for one turn: loaded once, read and written through property accessors
 * (what dialogs expect), and saved with compare-and-set. Used in place of Bot Framework's
 * ConversationState, whose save always writes with eTag "*" and so lets a slower turn overwrite
 * a faster one.
 */
import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { isJsonObject } from '../values/is-json-object.js';
import type { ConversationStorage } from './conversation-storage.js';

interface Loaded {
  readonly key: string;
  state: Record<string, unknown>;
  eTag: string | null;
  /** The state's JSON as last read or saved: the turn changed it if its JSON now differs. */
  snapshot: string;
}

/** Stored state that is not a JSON object (damaged, or written by something else) counts as none. */
function stateFrom(json: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(json);
  return isJsonObject(parsed) ? parsed : {};
}

/** The outcome of saving a turn's state. */
export type SaveOutcome = 'saved' | 'unchanged' | 'conflict';

const LOADED = Symbol('conversationState');

/** Loads, exposes and saves one conversation's state per turn. */
export class ConversationStateStore {
  constructor(readonly storage: ConversationStorage) {}

  /** The storage key, as Bot Framework's ConversationState makes it: "<channel>/conversations/<id>". */
  storageKey(context: TurnContext): string {
    // Typed as always present, but a malformed activity from outside may lack either.
    const activity: Partial<Activity> = context.activity;
    const { channelId, conversation } = activity;
    if (!channelId || !conversation?.id) throw new TypeError('The activity has no channel or conversation id, so it has no conversation state');
    return `${channelId}/conversations/${conversation.id}`;
  }

  /** Reads the conversation's state into the turn (again, if `force`). */
  async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const existing = context.turnState.get<Loaded | undefined>(LOADED);
    if (existing && !force) return existing.state;
    const key = this.storageKey(context);
    const stored = await this.storage.readJson(key);
    const state = stored ? stateFrom(stored.json) : {};
    const loaded: Loaded = { key, state, eTag: stored?.eTag ?? null, snapshot: stored?.json ?? '{}' };
    context.turnState.set(LOADED, loaded);
    return state;
  }

  /** Saves the turn's state if it changed, unless another turn saved first ('conflict'). */
  async save(context: TurnContext): Promise<SaveOutcome> {
    const loaded = context.turnState.get<Loaded | undefined>(LOADED);
    if (!loaded) return 'unchanged';
    const snapshot = JSON.stringify(loaded.state);
    if (snapshot === loaded.snapshot) return 'unchanged';
    const eTag = await this.storage.writeIfUnchanged(loaded.key, snapshot, loaded.eTag);
    if (eTag === null) return 'conflict';
    loaded.eTag = eTag;
    loaded.snapshot = snapshot;
    return 'saved';
  }

  /** Clears the turn's state (saved as empty at the end of the turn). */
  async clear(context: TurnContext): Promise<void> {
    const state = await this.load(context);
    for (const name of Object.keys(state)) Reflect.deleteProperty(state, name);
  }

  /** An accessor for one property of the state, as dialogs expect. */
  createProperty<T>(name: string): StatePropertyAccessor<T> {
    const read = (state: Record<string, unknown>, defaultValue?: T): T => {
      if (state[name] === undefined && defaultValue !== undefined) {
        // Like Bot Framework: a default is stored, so changes made to it are kept.
        state[name] = typeof defaultValue === 'object' && defaultValue !== null ? structuredClone(defaultValue) : defaultValue;
      }
      return state[name] as T;
    };
    return {
      // Read many times a turn: once the state is loaded, without waiting on a load again.
      get: (context: TurnContext, defaultValue?: T): Promise<T> => {
        const loaded = context.turnState.get<Loaded | undefined>(LOADED);
        if (loaded) return Promise.resolve(read(loaded.state, defaultValue));
        return this.load(context).then((state) => read(state, defaultValue));
      },
      set: async (context: TurnContext, value: T): Promise<void> => {
        (await this.load(context))[name] = value;
      },
      delete: async (context: TurnContext): Promise<void> => {
        Reflect.deleteProperty(await this.load(context), name);
      },
    };
  }
}
