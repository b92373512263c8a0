import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { holdReply } from '../../src/cases/transitions/held-reply.js';
import { isRefusal } from '../../src/cases/transitions/transition.js';
import type { Case, StoredConversationReference } from '../../src/cases/case.js';
import type { OutboxEvent } from '../../src/cases/outbox-event.js';
import { SecondFactorHasher } from '../../src/cases/second-factor.js';
import { RecordingNotifier } from '../../src/notifications/recording-notifier.js';
import { InProcessEffectRunner } from '../../src/outbox/effect-runner.js';
import { contactFor, type EffectDeps, EffectMustWait, performComplainantEffect, performSeenStatus, recordSeen } from '../../src/outbox/effects.js';
import { NotDeliverable } from '../../src/ports/conversation-messenger.js';
import { silentLogger } from '../../src/ports/logger.js';
import { MemoryCaseStore } from '../../src/storage/memory/memory-case-store.js';
import { MemoryEffectLedger } from '../../src/storage/memory/memory-effect-ledger.js';
import { deliveryStatusLine } from '../../src/teams/delivery-line.js';
import { lodgeRequest, newCase } from '../helpers/cases.js';
import { RecordingMailer } from '../helpers/effects.js';
import { policy } from '../helpers/policy.js';
import { TEST_GUARD, TEST_SECRET } from '../helpers/redis.js';

const CHAT: StoredConversationReference = {
  channelId: 'webchat',
  serviceUrl: 'https://widget.local/',
  conversation: { id: 'dlc-open-chat' },
  bot: { id: 'complaints-bot' },
  user: { id: 'dl_person' },
};

/** A chat that is open (messages arrive) or closed (the channel cannot be reached). */
class Chat {
  readonly messages: { text: string; messageId: string | undefined }[] = [];
  open = true;
  send(reference: StoredConversationReference, text: string, options: { messageId?: string } = {}): Promise<void> {
    if (!this.open) return Promise.reject(new NotDeliverable(reference.channelId));
    this.messages.push({ text, messageId: options.messageId });
    return Promise.resolve();
  }
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('effects of a change, run in this process', () => {
  /** A store, its effects' deps and stand-ins, and (unless `run` is false) the in-process runner doing its effects. */
  function setUp(options: { unseenAfterMs?: number; contentAllowed?: boolean; run?: boolean } = {}) {
    const cases = new MemoryCaseStore(new SecondFactorHasher(TEST_SECRET), TEST_GUARD);
    const staff = new RecordingNotifier();
    const chat = new Chat();
    const mailer = new RecordingMailer();
    const ledger = new MemoryEffectLedger();
    const deps: EffectDeps = {
      cases,
      staff,
      chat,
      ledger,
      mailer,
      contentAllowed: options.contentAllowed ?? false,
      unseenAfterMs: options.unseenAfterMs ?? 60_000,
      policy,
      clock: { now: () => new Date() },
      log: silentLogger,
    };
    const runner = new InProcessEffectRunner(deps, ledger, () => Promise.resolve());
    if (options.run !== false) {
      cases.onEvents((events) => {
        runner.written(events);
      });
    }
    return { cases, staff, chat, mailer, runner, deps };
  }

  async function lodgedWithChat(cases: MemoryCaseStore) {
    return (await cases.lodge({ ...lodgeRequest({ case: { conversations: [CHAT] } }) })).stored;
  }

  async function staffWrites(cases: MemoryCaseStore, text: string) {
    const stored = (await cases.get((await cases.listByStatus('open'))[0] ?? assert.fail('no case'))) ?? assert.fail('no case');
    return cases.update(stored, {
      next: stored.case,
      event: { type: 'message-relayed', at: new Date().toISOString(), actor: { kind: 'staff', id: 's1', name: 'Jo' }, summary: 'Message', details: { text } },
      events: [{ type: 'complainant-told', notice: 'message', text }],
      idempotencyKey: `staff:${text}`,
    });
  }

  it('acknowledges a lodged complaint by the preferred contact, with its reference and date and without its words', async () => {
    const { cases, staff, mailer, runner } = setUp();
    const { stored } = await cases.lodge({
      ...lodgeRequest(),
      events: [
        { type: 'staff-alerted', alert: 'lodged' },
        { type: 'complainant-told', notice: 'acknowledgement', text: null },
      ],
    });
    await runner.settled();
    assert.deepEqual(
      staff.notices.map((notice) => notice.kind),
      ['lodged'],
    );
    assert.equal(mailer.sent.length, 1);
    const sent = mailer.sent[0] ?? assert.fail();
    assert.equal(sent.channel, 'email');
    assert.equal(sent.to, 'sam.taylor@example.org');
    assert.equal(sent.notice, 'acknowledgement');
    assert.equal(sent.reference.replace(/-/g, ''), stored.case.reference);
    assert.match(sent.respondBy ?? '', /^[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}$/);
    assert.equal(sent.content, null);
  });

  it('shows a staff message in an open chat, and sends nothing else once the chat confirms it was seen', async () => {
    const { cases, staff, chat, mailer, runner } = setUp({ unseenAfterMs: 50 });
    await lodgedWithChat(cases);
    await staffWrites(cases, 'Could you send the dates?');
    await runner.settled();
    assert.equal(chat.messages.length, 1);
    const messageId = chat.messages[0]?.messageId ?? assert.fail('the message carries its id');
    assert.equal(await runner.seen(messageId, CHAT.conversation.id), true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(mailer.sent.length, 0, 'a seen message is not emailed');
    const line = [...staff.statusLines.values()].at(-1) ?? assert.fail('a status line');
    assert.deepEqual(
      line.steps.map((step) => step.state),
      ['sent', 'seen'],
    );
    assert.equal(staff.statusLines.size, 1, 'one line, updated');
  });

  it('keeps one status line with every step when the chat confirms a message while the line is still being posted', async () => {
    const { cases, staff, chat, runner } = setUp();
    // Teams takes a moment to post the line; the widget confirms the message as soon as it shows it.
    const post = staff.deliveryStatus.bind(staff);
    staff.deliveryStatus = async (status) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return post(status);
    };
    const send = chat.send.bind(chat);
    chat.send = async (reference, text, options) => {
      await send(reference, text, options);
      setTimeout(() => void runner.seen(options?.messageId, CHAT.conversation.id), 5);
    };
    await lodgedWithChat(cases);
    await staffWrites(cases, 'Could you send the dates?');
    await until(() => [...staff.statusLines.values()].some((line) => line.steps.length === 2));
    await runner.settled();
    assert.equal(staff.statusLines.size, 1, 'one line, updated');
    assert.deepEqual(
      [...staff.statusLines.values()][0]?.steps.map((step) => step.state),
      ['sent', 'seen'],
    );
  });

  it('lets one job at a time write a message’s status line: a second one waits its turn, without losing its step', async () => {
    // The jobs are run by hand here, as two workers would run them, so no runner does them too.
    const { cases, staff, chat, deps } = setUp({ run: false });
    const saved: OutboxEvent[] = [];
    cases.onEvents((events) => {
      saved.push(...events);
    });
    const post = staff.deliveryStatus.bind(staff);
    staff.deliveryStatus = async (status) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return post(status);
    };
    await lodgedWithChat(cases);
    await staffWrites(cases, 'Could you send the dates?');
    await new Promise((resolve) => setImmediate(resolve));
    const message = saved.find((event) => event.type === 'complainant-told' && event.notice === 'message') ?? assert.fail('the message event');
    // The message job: it shows the message, then posts the "sent" line (slowly).
    const sending = performComplainantEffect(message, deps);
    await until(() => chat.messages.length === 1);
    // The widget confirms it while the line is still being posted: the "seen" job must wait.
    const seen = (await recordSeen(deps, chat.messages[0]?.messageId, CHAT.conversation.id)) ?? assert.fail('seen recorded');
    await assert.rejects(performSeenStatus(seen, deps), (error: Error) => error instanceof EffectMustWait);
    await sending;
    await performSeenStatus(seen, deps); // the queue runs it again a moment later
    assert.equal(staff.statusLines.size, 1, 'one line');
    assert.deepEqual(
      [...staff.statusLines.values()][0]?.steps.map((step) => step.state),
      ['sent', 'seen'],
    );
  });

  it('keeps a staff message nobody saw, shows it at their next visit, and emails them that there is one, without its words', async () => {
    const { cases, staff, chat, mailer } = setUp({ unseenAfterMs: 30 });
    const lodged = await lodgedWithChat(cases);
    await staffWrites(cases, 'We have found the visit notes.');
    await until(() => mailer.sent.length === 1);
    assert.equal(chat.messages.length, 1, 'it was put into the chat, where nobody looked');
    const sent = mailer.sent[0] ?? assert.fail();
    assert.equal(sent.notice, 'message');
    assert.equal(sent.content, null);
    const kept = (await cases.get(lodged.case.reference))?.case.undelivered ?? [];
    assert.match(kept[0]?.text ?? '', /We have found the visit notes\./);
    await until(() => ([...staff.statusLines.values()].at(-1)?.steps.length ?? 0) === 3);
    assert.deepEqual(
      [...staff.statusLines.values()].at(-1)?.steps.map((step) => step.state),
      ['sent', 'unseen', 'emailed'],
    );
  });

  it('emails at once when the chat cannot be reached at all', async () => {
    const { cases, chat, mailer, runner } = setUp();
    chat.open = false;
    await lodgedWithChat(cases);
    await staffWrites(cases, 'Please call us.');
    await runner.settled();
    assert.equal(mailer.sent.length, 1);
  });

  it('refuses a confirmation from any conversation but the case’s own, or for a made-up message', async () => {
    const { cases, chat, runner } = setUp();
    await lodgedWithChat(cases);
    await staffWrites(cases, 'Hello');
    await runner.settled();
    const messageId = chat.messages[0]?.messageId ?? assert.fail();
    assert.equal(await runner.seen(messageId, 'dlc-someone-else'), false);
    for (const forged of ['', 'nonsense', `${messageId}x`, { id: messageId }, null]) assert.equal(await runner.seen(forged, CHAT.conversation.id), false);
  });

  it('chooses email or text by the preference given, and nothing when they chose the chat only', () => {
    const both = ['email', 'sms'] as const;
    const base = newCase();
    const withContact = (contact: Case['contact']): Case => ({ ...base, reference: 'K7M4QXP2C', contact }) as Case;
    assert.equal(contactFor(withContact({ email: 'a@example.org', phone: '+447700900123', preferred: 'email' }), both)?.channel, 'email');
    assert.equal(contactFor(withContact({ email: 'a@example.org', phone: '+447700900123', preferred: 'phone' }), both)?.channel, 'sms');
    assert.equal(contactFor(withContact({ email: 'a@example.org', phone: '+447700900123', preferred: 'phone' }), ['email'])?.channel, 'email');
    assert.equal(contactFor(withContact({ email: null, phone: null, preferred: 'chat' }), both), null);
    assert.equal(contactFor(withContact({ email: 'a@example.org', phone: null, preferred: 'chat' }), both), null);
  });

  it('tells staff whose held reply could not be sent when its time was up, and that it is still on the case', async () => {
    const { cases, staff } = setUp();
    const stored = await lodgedWithChat(cases);
    const held = holdReply(
      stored.case,
      { id: 'msg-1', text: 'We will call you.', holdMs: 30 },
      { policy, now: new Date(), staff: { id: 's1', name: 'Jo Bloggs' } },
    );
    if (isRefusal(held)) assert.fail(held.explanation);
    await cases.update(stored, { ...held, idempotencyKey: 'msg-1:hold' });
    // The store refuses every write from now on: the reply cannot be released.
    const update = sinon.stub(cases, 'update').rejects(new Error('the store is down'));
    try {
      await until(() => staff.notices.some((notice) => notice.kind === 'delivery-failed'));
    } finally {
      update.restore();
    }
    const failed = staff.notices.find((notice) => notice.kind === 'delivery-failed');
    assert.match(
      failed?.kind === 'delivery-failed' ? failed.what : '',
      /A reply held for the complainant \(from Jo Bloggs\) could not be sent when its time was up\. It is still on the case/,
    );
  });

  it('words the status line for staff as it grows', () => {
    const at = '2026-07-01T09:02:00Z'; // 10:02 in London (summer time)
    assert.equal(deliveryStatusLine([{ state: 'sent', at }]), 'Sent to the complainant’s chat (10:02), not yet seen.');
    assert.match(
      deliveryStatusLine([
        { state: 'sent', at },
        { state: 'seen', at: '2026-07-01T09:05:00Z' },
      ]),
      /^Sent to the complainant’s chat \(10:02\); seen by them \(10:05\)\.$/,
    );
  });
});
