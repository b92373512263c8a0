/**
 * Microsoft's own Direct Line client (botframework-directlinejs, what Web Chat uses) in Node,
 * with the XMLHttpRequest and WebSocket it expects from a browser, and a way to wait for the
 * activities it receives.
 */
import XMLHttpRequest from 'xhr2';
import { type CaseReference, parseReference } from '../../src/cases/reference.js';
import { WebSocket } from 'ws';

const browserish = globalThis as unknown as Record<string, unknown>;
browserish['XMLHttpRequest'] ??= XMLHttpRequest;
browserish['WebSocket'] ??= WebSocket;

// Loaded after the globals are in place: the client captures them when it is created.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const directLine = require('botframework-directlinejs') as typeof import('botframework-directlinejs');

export const { ConnectionStatus, DirectLine } = directLine;
/** An activity as the client gives it, with the text messages carry. */
type Activity = import('botframework-directlinejs').Activity & { readonly text?: string };
type DirectLineOptions = import('botframework-directlinejs').DirectLineOptions;

/** What the widget's token endpoint gives. */
export interface WidgetSession {
  readonly token: string;
  readonly conversationId: string;
  readonly userId: string;
  readonly domain: string;
}

/** A new widget session from the bot's token endpoint. */
export async function newSession(base: string): Promise<WidgetSession> {
  const response = await fetch(`${base}/api/directline/token`, { method: 'POST' });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.json()) as WidgetSession;
}

/** A connected client, with everything it has received. */
export interface ConnectedClient {
  readonly client: InstanceType<typeof DirectLine>;
  readonly received: Activity[];
  readonly statuses: number[];
  /** The first activity received (now or later) that matches. */
  waitFor(match: (activity: Activity) => boolean, timeoutMs?: number): Promise<Activity>;
  /** Waits for one of these connection statuses. */
  waitForStatus(status: readonly number[], timeoutMs?: number): Promise<void>;
  /** Posts a message as the token's user and resolves with its id. */
  say(text: string, extra?: Partial<Activity>): Promise<string>;
  end(): void;
}

/** Connects with Microsoft's client. */
export function connect(options: DirectLineOptions, userId = 'ignored-by-the-server'): ConnectedClient {
  const client = new DirectLine(options);
  const received: Activity[] = [];
  const statuses: number[] = [];
  const waiting = new Set<() => void>();
  const notify = (): void => {
    for (const check of [...waiting]) check();
  };
  const activities = client.activity$.subscribe({
    next: (activity) => {
      received.push(activity);
      notify();
    },
    error: () => undefined,
  });
  const status = client.connectionStatus$.subscribe({
    next: (value) => {
      statuses.push(value);
      notify();
    },
    error: () => undefined,
  });
  function until<T>(test: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = test();
        if (found === undefined) return;
        waiting.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiting.delete(check);
        reject(
          new Error(
            `timed out waiting for ${what}; received: ` +
              `${received.map((activity) => `${activity.type}:${'text' in activity ? String(activity.text).slice(0, 40) : ''}`).join(' | ')}; statuses ` +
              statuses.join(','),
          ),
        );
      }, timeoutMs);
      waiting.add(check);
      check();
    });
  }
  return {
    client,
    received,
    statuses,
    waitFor: (match, timeoutMs = 10_000) => until(() => received.find(match), timeoutMs, 'an activity'),
    waitForStatus: async (values, timeoutMs = 10_000) => {
      await until(() => (statuses.some((status) => values.includes(status)) ? true : undefined), timeoutMs, `status ${values.join(' or ')}`);
    },
    say: (text, extra = {}) =>
      new Promise((resolve, reject) => {
        client.postActivity({ type: 'message', text, from: { id: userId }, ...extra } as Activity).subscribe({ next: resolve, error: reject });
      }),
    end: () => {
      activities.unsubscribe();
      status.unsubscribe();
      client.end();
    },
  };
}

/** The person says something and waits for a new message from the bot matching `expected`; answers its text. */
export async function sayAndWait(person: ConnectedClient, text: string, expected: RegExp): Promise<string> {
  const before = person.received.length;
  await person.say(text);
  const reply = await person.waitFor(
    (activity) =>
      person.received.indexOf(activity) >= before && activity.type === 'message' && activity.from.role !== 'user' && expected.test(activity.text ?? ''),
    15_000,
  );
  return reply.text ?? '';
}

/** Waits until `check` gives something (polling every 50 ms), or fails naming `what`. */
export async function eventually<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Makes Sam Taylor's complaint about children's social care through the widget, from the greeting
 * to "Send complaint", telling what happened in `whatHappened`; answers the reference given.
 */
export async function lodgeThroughWidget(person: ConnectedClient, whatHappened: string): Promise<CaseReference> {
  await person.waitFor((activity) => /What would you like to do\?/.test(activity.text ?? ''));
  await sayAndWait(person, 'I want to make a complaint', /what is your complaint about\?/);
  await sayAndWait(person, "children's social care", /for yourself, or for someone else\?/);
  await sayAndWait(person, 'For myself', /And what is your name\?/);
  await sayAndWait(person, 'Sam Taylor', /Please tell me what happened/);
  await sayAndWait(person, whatHappened, /When did this happen\?/);
  await sayAndWait(person, 'last Tuesday', /Is that right\?/);
  await sayAndWait(person, 'yes', /What would you like to happen/);
  await sayAndWait(person, 'An apology', /How can the team contact you/);
  await sayAndWait(person, 'sam@example.org', /Do you need anything to help you take part/);
  await sayAndWait(person, 'no', /An advocate can help you/);
  await sayAndWait(person, 'no', /Before I send your complaint, please read this/);
  await sayAndWait(person, 'yes', /Please check it\./);
  const confirmation = await sayAndWait(person, 'Send complaint', /Your reference is/);
  const parsed = parseReference(/Your reference is \**([0-9A-Z-]{11})/.exec(confirmation)?.[1] ?? '');
  if (!parsed.ok) throw new Error(`no reference in: ${confirmation}`);
  return parsed.reference;
}
