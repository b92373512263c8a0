import { strict as assert } from 'node:assert';
import type { TurnContext } from 'botbuilder';
import { ChannelMessenger } from '../../src/bot/channel-messenger.js';
import { SELF_HOSTED_SERVICE_URL } from '../../src/directline/self-hosted-adapter.js';
import { StorageUnavailable } from '../../src/cases/errors.js';
import { addressKeyOf } from '../../src/directline/client-address.js';
import { addressBlock, DirectLineTokens } from '../../src/directline/tokens.js';
import { connect, ConnectionStatus, newSession, type WidgetSession } from '../helpers/directline-client.js';
import { startTestServer, TEST_TOKEN_SECRET, type TestServer } from '../helpers/server.js';

/** How the client reports a conversation the server would not let it join. */
const REFUSED = [ConnectionStatus.ExpiredToken, ConnectionStatus.FailedToConnect];

/** A bot that greets and echoes, saying who it thinks it is talking to. */
async function echo(context: TurnContext): Promise<void> {
  if (context.activity.type === 'conversationUpdate') await context.sendActivity('Hello');
  if (context.activity.type === 'message') await context.sendActivity(`You said "${context.activity.text}" as ${context.activity.from.id}`);
}

describe('the self-hosted Direct Line, through Microsoft’s Direct Line client', function () {
  this.timeout(30_000);
  let server: TestServer;
  const clients: { end(): void }[] = [];
  const open = (...args: Parameters<typeof connect>) => {
    const client = connect(...args);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    server = await startTestServer({ mode: 'closed', logic: echo });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.end();
    await server.close();
  });

  for (const webSocket of [true, false]) {
    it(`starts a conversation, is greeted, and talks, ${webSocket ? 'streaming over a WebSocket' : 'polling with watermarks'}`, async () => {
      const session = await newSession(server.url);
      const person = open({ token: session.token, domain: session.domain, webSocket, pollingInterval: 200 });
      await person.waitFor((activity) => activity.type === 'message' && activity.text === 'Hello');
      await person.say('Make a complaint');
      const reply = await person.waitFor((activity) => activity.type === 'message' && /^You said/.test(activity.text ?? ''));
      assert.equal(reply.text, `You said "Make a complaint" as ${session.userId}`);
    });
  }

  it('uses the token’s user id, whatever the client claims', async () => {
    const session = await newSession(server.url);
    const person = open({ token: session.token, domain: session.domain, webSocket: true }, 'someone-else');
    await person.waitFor((activity) => activity.text === 'Hello');
    await person.say('who am I?');
    const reply = await person.waitFor((activity) => /^You said/.test(activity.text ?? ''));
    assert.equal(reply.text, `You said "who am I?" as ${session.userId}`);
    const mine = person.received.find((activity) => activity.type === 'message' && activity.text === 'who am I?');
    assert.equal(mine?.from.id, session.userId);
  });

  it('lets a second person neither read nor post into the first person’s conversation', async () => {
    const first = await newSession(server.url);
    const person = open({ token: first.token, domain: first.domain, webSocket: true });
    await person.waitFor((activity) => activity.text === 'Hello');
    await person.say('my private complaint');
    await person.waitFor((activity) => /^You said/.test(activity.text ?? ''));

    const second = await newSession(server.url);
    const intruder = open({ token: second.token, domain: second.domain, conversationId: first.conversationId, webSocket: true });
    await intruder.waitForStatus(REFUSED);
    assert.equal(intruder.received.length, 0, 'nothing of the first conversation reached the second person');

    const headers = { Authorization: `Bearer ${second.token}`, 'Content-Type': 'application/json' };
    const read = await fetch(`${first.domain}/conversations/${first.conversationId}/activities`, { headers });
    assert.equal(read.status, 403);
    const post = await fetch(`${first.domain}/conversations/${first.conversationId}/activities`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'message', text: 'injected' }),
    });
    assert.equal(post.status, 403);
    const stream = await fetch(`${first.domain}/conversations/${first.conversationId}/stream?t=${encodeURIComponent(second.token)}`, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    }).catch(() => null);
    assert.notEqual(stream?.status, 101);
    const page = (await (
      await fetch(`${first.domain}/conversations/${first.conversationId}/activities`, { headers: { Authorization: `Bearer ${first.token}` } })
    ).json()) as { activities: { text?: string }[] };
    assert.ok(!page.activities.some((activity) => activity.text === 'injected'));
  });

  it('refuses an expired token, a forged one, and none at all', async () => {
    const session = await newSession(server.url);
    const expired = new DirectLineTokens(TEST_TOKEN_SECRET, 60_000, () => Date.now() - 3_600_000).issue(session.conversationId, session.userId).token;
    const person = open({ token: expired, domain: session.domain, webSocket: true });
    await person.waitForStatus(REFUSED);
    assert.equal(person.received.length, 0);
    const forged = new DirectLineTokens('f'.repeat(32), 60_000).issue(session.conversationId, session.userId).token;
    for (const token of [expired, forged, '']) {
      const response = await fetch(`${session.domain}/conversations/${session.conversationId}/activities`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
      assert.ok([401, 403].includes(response.status), `${response.status}`);
      assert.doesNotMatch(await response.text(), /stack|Error:|node_modules/);
    }
  });

  it('rejoins a conversation after a refresh, with its history, using a refreshed token', async () => {
    const session = await newSession(server.url);
    const before = open({ token: session.token, domain: session.domain, webSocket: true });
    await before.waitFor((activity) => activity.text === 'Hello');
    await before.say('first message');
    await before.waitFor((activity) => /^You said "first message"/.test(activity.text ?? ''));
    before.end();

    const refreshed = (await (
      await fetch(`${session.domain}/tokens/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${session.token}` } })
    ).json()) as WidgetSession;
    assert.equal(refreshed.conversationId, session.conversationId);
    assert.notEqual(refreshed.token, session.token);
    const after = open({ token: refreshed.token, domain: session.domain, conversationId: session.conversationId, webSocket: true });
    await after.waitFor((activity) => /^You said "first message"/.test(activity.text ?? ''));
    assert.equal(after.received.filter((activity) => activity.text === 'Hello').length, 1, 'greeted once, not again on rejoining');
    await after.say('second message');
    await after.waitFor((activity) => /^You said "second message"/.test(activity.text ?? ''));
  });

  it('delivers a message sent outside a turn (a staff reply) to the open widget', async () => {
    const session = await newSession(server.url);
    const person = open({ token: session.token, domain: session.domain, webSocket: true });
    await person.waitFor((activity) => activity.text === 'Hello');
    const messenger = new ChannelMessenger({ selfHosted: server.widget.adapter, cloud: null as never, appId: '' });
    await messenger.send(
      {
        channelId: 'directline',
        serviceUrl: SELF_HOSTED_SERVICE_URL,
        conversation: { id: session.conversationId },
        bot: { id: 'complaints-bot' },
        user: { id: session.userId },
      },
      'A reply from the complaints team',
    );
    const reply = await person.waitFor((activity) => activity.text === 'A reply from the complaints team');
    assert.equal(reply.from.id, 'complaints-bot');
  });

  it('limits how fast one token can post', async () => {
    await server.close();
    server = await startTestServer({ mode: 'closed', logic: echo, perTokenBurst: 3 });
    const session = await newSession(server.url);
    const headers = { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' };
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1) {
      statuses.push(
        (
          await fetch(`${session.domain}/conversations/${session.conversationId}/activities`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ type: 'typing' }),
          })
        ).status,
      );
    }
    assert.ok(statuses.includes(429), statuses.join(','));
  });

  it('refuses attachments and bodies that are not activities, with a clear error', async () => {
    const session = await newSession(server.url);
    const headers = { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' };
    const url = `${session.domain}/conversations/${session.conversationId}/activities`;
    for (const body of [
      '{',
      '[]',
      JSON.stringify({ type: 'message', attachments: [{ contentType: 'text/html', content: '<script>' }] }),
      JSON.stringify({ type: 'invoke' }),
    ]) {
      const response = await fetch(url, { method: 'POST', headers, body });
      assert.equal(response.status, 400, body);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'BadArgument');
    }
    assert.equal((await fetch(`${session.domain}/conversations/${session.conversationId}/upload`, { method: 'POST', headers })).status, 415);
  });

  it('gives the turn an opaque digest of the client’s address (one per IPv6 /64), never keeping it or taking one from the client', async () => {
    const seen: (string | null)[] = [];
    const spoken = await startTestServer({
      mode: 'closed',
      trustProxy: true,
      logic: (context) => {
        if (context.activity.type === 'message') seen.push(addressKeyOf(context.activity));
        return Promise.resolve();
      },
    });
    try {
      const say = async (address: string, channelData: Record<string, unknown> = {}) => {
        const session = await newSession(spoken.url);
        const response = await fetch(`${session.domain}/conversations/${session.conversationId}/activities`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json', 'X-Forwarded-For': address },
          body: JSON.stringify({ type: 'message', text: 'hello', channelData: { clientActivityID: 'c1', ...channelData } }),
        });
        assert.equal(response.status, 200);
        const transcript = await fetch(`${session.domain}/conversations/${session.conversationId}/activities`, {
          headers: { Authorization: `Bearer ${session.token}` },
        });
        return JSON.stringify(await transcript.json());
      };
      const transcripts = [
        await say('198.51.100.7'),
        await say('198.51.100.7', { requester: 'addr.AAAAAAAAAAAAAAAAAAAAAA' }),
        await say('198.51.100.8'),
        await say('2001:db8:1:2::1'),
        await say('2001:0db8:0001:0002:ffff:1:2:3'),
        await say('::ffff:198.51.100.7'),
      ];
      assert.equal(seen.length, 6);
      assert.ok(seen.every((key) => key !== null && /^addr\.[\w-]{22}$/.test(key)));
      assert.equal(seen[1], seen[0], 'a fresh chat from the same address is the same requester, whatever the client claims');
      assert.notEqual(seen[2], seen[0]);
      assert.equal(seen[4], seen[3], 'one IPv6 /64 is one requester');
      assert.equal(seen[5], seen[0], 'an IPv4-mapped address is its IPv4 address');
      for (const transcript of transcripts) {
        assert.doesNotMatch(transcript, /requester|addr\.|198\.51|2001:/);
      }
    } finally {
      await spoken.close();
    }
    assert.equal(addressKeyOf({ serviceUrl: 'https://directline.botframework.com/', channelData: { requester: seen[0] } }), null, 'never from another channel');
  });

  it('counts addresses by block: IPv4 as given, IPv6 by its first 64 bits', () => {
    assert.equal(addressBlock('203.0.113.9'), '203.0.113.9');
    assert.equal(addressBlock('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(addressBlock('2001:DB8::1'), '2001:db8:0:0::/64');
    assert.equal(addressBlock('[2001:db8:0:0:1::9]'), '2001:db8:0:0::/64');
    assert.equal(addressBlock('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressBlock('::1'), '0:0:0:0::/64');
    assert.equal(addressBlock('unknown'), 'unknown');
  });

  it('runs a retried post’s turn when the first try’s failed for storage, once; and a turn no instance finished, from the sweep', async () => {
    const turns: string[] = [];
    let failNext = true;
    const flaky = await startTestServer({
      mode: 'closed',
      turnLeaseMs: 200,
      logic: async (context) => {
        if (context.activity.type !== 'message') return;
        turns.push(context.activity.id ?? '');
        if (failNext) {
          failNext = false;
          throw new StorageUnavailable('test: storage failed under the turn');
        }
        await context.sendActivity(`Reply to ${context.activity.text}`);
      },
    });
    try {
      const session = await newSession(flaky.url);
      const post = async (text: string, clientActivityID: string) => {
        const response = await fetch(`${session.domain}/conversations/${session.conversationId}/activities`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'message', text, channelData: { clientActivityID } }),
        });
        assert.equal(response.status, 200);
        return ((await response.json()) as { id: string }).id;
      };
      const replies = async () =>
        (await flaky.widget.log.read(session.conversationId, 0)).activities.filter((activity) => activity.from?.role !== 'user' && activity.type === 'message');
      const first = await post('hello', 'k-1');
      assert.deepEqual(await replies(), [], 'the first try failed: no reply');
      assert.equal(await post('hello', 'k-1'), first, 'the retry is the same activity');
      assert.deepEqual(
        (await replies()).map((reply) => reply.text),
        ['Reply to hello'],
      );
      assert.equal(await post('hello', 'k-1'), first);
      assert.deepEqual(turns, [first, first], 'run again once for the retry, never for a retry of a turn that was done');
      assert.deepEqual((await flaky.widget.log.read(session.conversationId, 0)).activities.filter((activity) => activity.from?.role === 'user').length, 1);

      // A turn that failed and was never retried is run by the sweep once its claim lapses.
      failNext = true;
      const second = await post('are you there', 'k-2');
      await new Promise((resolve) => setTimeout(resolve, 250));
      assert.equal(await flaky.directLine.resumeUnhandled(), 1);
      assert.equal(await flaky.directLine.resumeUnhandled(), 0);
      assert.deepEqual(turns.slice(2), [second, second]);
      assert.deepEqual(
        (await replies()).map((reply) => reply.text),
        ['Reply to hello', 'Reply to are you there'],
      );
    } finally {
      await flaky.close();
    }
  });

  it('does not run a failed turn again once the person was told to try again (they will, with a new message)', async () => {
    const turns: string[] = [];
    const failing = await startTestServer({
      mode: 'closed',
      turnLeaseMs: 100,
      logic: (context) => {
        if (context.activity.type === 'message') turns.push(context.activity.id ?? '');
        return Promise.reject(new StorageUnavailable('test: storage failed under the turn'));
      },
    });
    failing.widget.adapter.onTurnError = async (context) => {
      await context.sendActivity('Sorry: please try again.');
    };
    try {
      const session = await newSession(failing.url);
      const post = () =>
        fetch(`${session.domain}/conversations/${session.conversationId}/activities`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'message', text: 'hello', channelData: { clientActivityID: 'k-9' } }),
        });
      assert.equal((await post()).status, 200);
      assert.equal((await post()).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal(await failing.directLine.resumeUnhandled(), 0);
      assert.equal(turns.length, 1, 'run once: the apology reached the chat');
      const said = (await failing.widget.log.read(session.conversationId, 0)).activities.filter((activity) => activity.text === 'Sorry: please try again.');
      assert.equal(said.length, 1);
    } finally {
      await failing.close();
    }
  });
});
