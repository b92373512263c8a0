import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import sinon from 'sinon';
import { botFrameworkAuthentication } from '../../src/server/bot-authentication.js';
import { ReusedClientsAuthentication } from '../../src/server/reused-clients.js';

const ACTIVITY = {
  type: 'message',
  channelId: 'emulator',
  serviceUrl: 'http://127.0.0.1:1/',
  from: { id: 'u' },
  recipient: { id: 'b' },
  conversation: { id: 'c' },
} as Activity;

function claimsFor(appId: string): ClaimsIdentity {
  return new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);
}

/** Something that looks enough like a client to be told apart from another. */
function client(name: string): ConnectorClient & UserTokenClient {
  return { name } as unknown as ConnectorClient & UserTokenClient;
}

/** An inner authentication whose factories count what they make. */
function countingInner(): { inner: BotFrameworkAuthentication; connectors: sinon.SinonStub; userTokens: sinon.SinonStub } {
  const connectors = sinon.stub().callsFake((serviceUrl: string, audience?: string) => Promise.resolve(client(`${serviceUrl}|${audience ?? ''}`)));
  const factory = new (class extends ConnectorFactory {
    create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
      return connectors(serviceUrl, audience) as Promise<ConnectorClient>;
    }
  })();
  const userTokens = sinon.stub().callsFake(() => Promise.resolve(client('user-token')));
  const inner = new (class extends BotFrameworkAuthentication {
    authenticateRequest(): Promise<{ audience: string; claimsIdentity: ClaimsIdentity; callerId: string; connectorFactory: ConnectorFactory }> {
      return Promise.resolve({ audience: 'aud', claimsIdentity: claimsFor('bot-1'), callerId: 'caller', connectorFactory: factory });
    }
    authenticateStreamingRequest(): Promise<{ audience: string; claimsIdentity: ClaimsIdentity }> {
      return Promise.resolve({ audience: 'aud', claimsIdentity: claimsFor('bot-1') });
    }
    createConnectorFactory(): ConnectorFactory {
      return factory;
    }
    createUserTokenClient(claims: ClaimsIdentity): Promise<UserTokenClient> {
      return userTokens(claims) as Promise<UserTokenClient>;
    }
  })();
  return { inner, connectors, userTokens };
}

describe('Bot Framework clients kept between turns', () => {
  it('gives every turn for the same bot, service URL and audience the same connector client', async () => {
    const { inner, connectors } = countingInner();
    const auth = new ReusedClientsAuthentication(inner);
    const first = await (await auth.authenticateRequest(ACTIVITY, '')).connectorFactory!.create('https://a/', 'aud');
    const second = await (await auth.authenticateRequest(ACTIVITY, '')).connectorFactory!.create('https://a/', 'aud');
    const proactive = await auth.createConnectorFactory(claimsFor('bot-1')).create('https://a/', 'aud');
    assert.equal(second, first);
    assert.equal(proactive, first);
    assert.equal(connectors.callCount, 1);
  });

  it('keeps separate clients for another service URL, audience or bot', async () => {
    const { inner, connectors } = countingInner();
    const auth = new ReusedClientsAuthentication(inner);
    const made = await Promise.all([
      auth.createConnectorFactory(claimsFor('bot-1')).create('https://a/', 'aud'),
      auth.createConnectorFactory(claimsFor('bot-1')).create('https://b/', 'aud'),
      auth.createConnectorFactory(claimsFor('bot-1')).create('https://a/', 'other'),
      auth.createConnectorFactory(claimsFor('bot-2')).create('https://a/', 'aud'),
    ]);
    assert.equal(new Set(made).size, 4);
    assert.equal(connectors.callCount, 4);
  });

  it('passes the rest of the authentication result through unchanged', async () => {
    const { inner } = countingInner();
    const result = await new ReusedClientsAuthentication(inner).authenticateRequest(ACTIVITY, '');
    assert.equal(result.audience, 'aud');
    assert.equal(result.callerId, 'caller');
    assert.equal(result.claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim), 'bot-1');
  });

  it('keeps one user-token client per bot', async () => {
    const { inner, userTokens } = countingInner();
    const auth = new ReusedClientsAuthentication(inner);
    const [a, b] = [await auth.createUserTokenClient(claimsFor('bot-1')), await auth.createUserTokenClient(claimsFor('bot-1'))];
    await auth.createUserTokenClient(claimsFor('bot-2'));
    assert.equal(a, b);
    assert.equal(userTokens.callCount, 2);
  });

  it('does not keep a client whose making failed, so the next turn tries again', async () => {
    const { inner, connectors } = countingInner();
    connectors.onFirstCall().rejects(new Error('token endpoint down'));
    const auth = new ReusedClientsAuthentication(inner);
    await assert.rejects(auth.createConnectorFactory(claimsFor('bot-1')).create('https://a/'), /token endpoint down/);
    const made = await auth.createConnectorFactory(claimsFor('bot-1')).create('https://a/');
    assert.equal((made as unknown as { name: string }).name, 'https://a/|');
    assert.equal(connectors.callCount, 2);
  });

  it('keeps at most 64 clients, forgetting the longest-kept (service URLs come from requests)', async () => {
    const { inner, connectors } = countingInner();
    const factory = new ReusedClientsAuthentication(inner).createConnectorFactory(claimsFor('bot-1'));
    for (let i = 0; i < 100; i += 1) await factory.create(`https://host-${String(i)}/`);
    assert.equal(connectors.callCount, 100);
    await factory.create('https://host-99/');
    assert.equal(connectors.callCount, 100, 'a recent one is still kept');
    await factory.create('https://host-0/');
    assert.equal(connectors.callCount, 101, 'the first was forgotten');
  });

  it('reuses the real SDK’s connector client for an unauthenticated local bot', async () => {
    const auth = botFrameworkAuthentication({});
    const one = await auth.authenticateRequest(ACTIVITY, '');
    const two = await auth.authenticateRequest(ACTIVITY, '');
    const a = await one.connectorFactory!.create(ACTIVITY.serviceUrl, one.audience);
    const b = await two.connectorFactory!.create(ACTIVITY.serviceUrl, two.audience);
    assert.equal(a, b);
    assert.ok(typeof a.conversations.sendToConversation === 'function');
    assert.equal(await auth.createUserTokenClient(one.claimsIdentity), await auth.createUserTokenClient(two.claimsIdentity));
  });
});
