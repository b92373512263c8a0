import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import { correlated, JsonLogger } from '../../src/logging/json-logger.js';
import { silentLogger, turnLogger } from '../../src/ports/logger.js';
import { newSession } from '../helpers/directline-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('the JSON logger', () => {
  it('writes one JSON line per event, a child adding its fields to every line but dropping personal ones', () => {
    const lines: string[] = [];
    const root = new JsonLogger(
      (line) => lines.push(line),
      () => new Date('2026-11-22T10:00:00Z'),
    );
    const child = root.child({ correlationId: 'c-1', email: 'sam@example.org' });
    child.info('lodge.saved', { procedure: 'nhs-health', name: 'Sam Taylor' });
    root.warn('server.listening');
    assert.ok(lines.every((line) => line.endsWith('\n')));
    assert.deepEqual(
      lines.map((line) => JSON.parse(line) as unknown),
      [
        { time: '2026-11-22T10:00:00.000Z', level: 'info', event: 'lodge.saved', correlationId: 'c-1', procedure: 'nhs-health' },
        { time: '2026-11-22T10:00:00.000Z', level: 'warn', event: 'server.listening' },
      ],
    );
  });

  it('gives each correlated logger an id of its own', () => {
    const lines: string[] = [];
    const root = new JsonLogger((line) => lines.push(line));
    correlated(root).info('one');
    correlated(root).info('two');
    const [first, second] = lines.map((line) => (JSON.parse(line) as { correlationId?: string }).correlationId);
    assert.match(first ?? '', /^[0-9a-f-]{36}$/);
    assert.notEqual(first, second);
  });
});

describe('correlation ids in a running server', function () {
  this.timeout(30_000);
  let server: TestServer;

  /** A turn that logs a line of its own and then fails (but for a chat opening), so the adapter logs too. */
  async function failingTurn(context: TurnContext): Promise<void> {
    turnLogger(context, silentLogger).info('test.turn-began', { type: context.activity.type });
    await Promise.resolve();
    if (context.activity.type !== 'conversationUpdate') throw new Error('boom');
  }

  beforeEach(async () => {
    server = await startTestServer({ mode: 'local-unauthenticated', logic: failingTurn });
  });
  afterEach(async () => {
    await server.close();
  });

  const idsOf = (events: readonly string[]): unknown[] =>
    server.logger.lines.filter((line) => events.includes(line.event)).map((line) => line.fields['correlationId']);

  it('marks every line of one channel request with one id, and the next request with another', async () => {
    for (const id of ['activity-1', 'activity-2']) {
      const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        // An event, not a message: the bot does not apologise for it, so nothing is sent to the channel.
        body: JSON.stringify({
          type: 'event',
          name: 'test',
          id,
          channelId: 'emulator',
          serviceUrl: 'http://127.0.0.1:9/',
          from: { id: 'user-1' },
          recipient: { id: 'bot' },
          conversation: { id: 'conversation-1' },
        }),
      });
      assert.equal(response.status, 200);
    }
    const began = idsOf(['test.turn-began']);
    const failed = idsOf(['turn.failed']);
    assert.equal(began.length, 2);
    assert.deepEqual(failed, began, 'the adapter’s line carries the id of the turn it is about');
    assert.equal(typeof began[0], 'string');
    assert.notEqual(began[0], began[1]);
  });

  it('marks a widget turn’s lines with an id of their own, not the id of the request that started the chat', async () => {
    const session = await newSession(server.url);
    const started = idsOf(['widget.session-started']);
    const headers = { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' };
    const conversation = await fetch(`${session.domain}/conversations`, { method: 'POST', headers, body: '{}' });
    assert.ok(conversation.ok);
    await fetch(`${session.domain}/conversations/${session.conversationId}/activities`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'message', text: 'hello', from: { id: session.userId } }),
    });
    const deadline = Date.now() + 5000;
    while (idsOf(['directline.turn-failed']).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const turn = server.logger.lines.filter((line) => line.fields['type'] === 'message' || line.event === 'directline.turn-failed');
    assert.deepEqual(
      turn.map((line) => line.event),
      ['test.turn-began', 'directline.turn-failed'],
    );
    assert.equal(turn[0]?.fields['correlationId'], turn[1]?.fields['correlationId']);
    assert.equal(typeof turn[0]?.fields['correlationId'], 'string');
    assert.equal(started.length, 1);
    assert.notEqual(turn[0]?.fields['correlationId'], started[0]);
  });
});
