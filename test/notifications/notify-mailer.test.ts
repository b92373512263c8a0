import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { ContactDeferred, ProviderCredentialsRefused } from '../../src/notifications/errors.js';
import { NotifyMailer } from '../../src/notifications/notify-mailer.js';
import { ContactRefused } from '../../src/ports/complainant-mailer.js';
import { acknowledgement, councilWriter } from './fixtures.js';
import { notifyKey, NotifyStandIn, notifyToken, type StandInTemplate } from './notify-stand-in.js';

const EMAIL_TEMPLATE: StandInTemplate = { id: randomUUID(), type: 'email', subject: '((subject))', body: '((body))\n\nReference: ((reference))' };
const SMS_TEMPLATE: StandInTemplate = { id: randomUUID(), type: 'sms', body: '((body))' };

describe('email and text by GOV.UK Notify', () => {
  const { key, serviceId, secret } = notifyKey();
  let notify: NotifyStandIn;
  let baseUrl: string;

  beforeEach(async () => {
    notify = new NotifyStandIn(serviceId, secret, [EMAIL_TEMPLATE, SMS_TEMPLATE]);
    baseUrl = await notify.start();
  });
  afterEach(async () => {
    await notify.close();
  });

  function mailer(options: { apiKey?: string; contentAllowed?: boolean; smsTemplateId?: string | null; emailTemplateId?: string } = {}): NotifyMailer {
    return new NotifyMailer({
      apiKey: options.apiKey ?? key,
      baseUrl,
      emailTemplateId: options.emailTemplateId ?? EMAIL_TEMPLATE.id,
      smsTemplateId: options.smsTemplateId === undefined ? SMS_TEMPLATE.id : options.smsTemplateId,
      writer: councilWriter(options.contentAllowed ?? false),
      answerWithinMs: 1000,
    });
  }

  it('sends an email from the email template, with the event id as its reference and no complaint words', async () => {
    await mailer().send(acknowledgement());
    assert.equal(notify.accepted.length, 1);
    const email = notify.accepted[0]!;
    assert.equal(email.type, 'email');
    assert.equal(email.templateId, EMAIL_TEMPLATE.id);
    assert.equal(email.to, 'ann.example@example.org');
    assert.equal(email.reference, 'K7M4QXP2C.1.0');
    assert.deepEqual(Object.keys(email.personalisation).sort(), ['body', 'reference', 'subject']);
    assert.equal(email.subject, 'We have received your complaint: K7M-4QX-P2C');
    assert.match(email.body, /We will respond by Friday 4 December 2026\./);
    assert.match(email.body, /Reference: K7M-4QX-P2C$/);
    assert.doesNotMatch(email.body, /medication/);
  });

  it('sends a text from the text template, short and with the event id as its reference', async () => {
    await mailer().send(acknowledgement({ id: 'K7M4QXP2C.4.1', channel: 'sms', to: '+447700900123', notice: 'message' }));
    const text = notify.accepted[0]!;
    assert.equal(text.type, 'sms');
    assert.equal(text.templateId, SMS_TEMPLATE.id);
    assert.equal(text.to, '+447700900123');
    assert.equal(text.reference, 'K7M4QXP2C.4.1');
    assert.match(text.body, /^You have a new message about your complaint K7M-4QX-P2C/);
    assert.ok(text.body.length <= 306);
  });

  it('includes the words when the organisation allows them', async () => {
    await mailer({ contentAllowed: true }).send(acknowledgement());
    assert.match(notify.accepted[0]?.body ?? '', /medication/);
  });

  it('sends a message once however often it is retried: Notify already has its reference', async () => {
    const notifyMailer = mailer();
    await notifyMailer.send(acknowledgement());
    await notifyMailer.send(acknowledgement());
    await mailer().send(acknowledgement());
    assert.equal(notify.accepted.length, 1);
    await notifyMailer.send(acknowledgement({ channel: 'sms', to: '07700 900123' }));
    assert.equal(notify.accepted.length, 2, 'the same event by text is another message');
  });

  it('the stand-in refuses a token signed with another secret, or issued more than 30 seconds ago', async () => {
    const stale = await fetch(`${baseUrl}/v2/notifications`, {
      headers: { authorization: `Bearer ${notifyToken(serviceId, secret, Date.now() / 1000 - 60)}` },
    });
    assert.equal(stale.status, 403);
    const fresh = await fetch(`${baseUrl}/v2/notifications`, { headers: { authorization: `Bearer ${notifyToken(serviceId, secret, Date.now() / 1000)}` } });
    assert.equal(fresh.status, 200);
    const other = notifyKey();
    await assert.rejects(mailer({ apiKey: `test_key-${serviceId}-${other.secret}` }).send(acknowledgement()), (error: unknown) => {
      assert.ok(error instanceof ProviderCredentialsRefused, String(error));
      assert.match(error.message, /NOTIFY_API_KEY/);
      assert.doesNotMatch(error.message, new RegExp(other.secret));
      return true;
    });
    assert.equal(notify.accepted.length, 0);
  });

  it('a number Notify will not text is ContactRefused, without the number', async () => {
    await assert.rejects(mailer().send(acknowledgement({ channel: 'sms', to: '+442079460000' })), (error: unknown) => {
      assert.ok(error instanceof ContactRefused, String(error));
      assert.equal(error.channel, 'sms');
      assert.match(error.reason, /400 ValidationError: phone_number Not a UK mobile number/);
      assert.doesNotMatch(error.message, /2079460000/);
      return true;
    });
  });

  it('a template that needs a field we do not send is ContactRefused, naming the field', async () => {
    await notify.close();
    const greeting: StandInTemplate = { id: randomUUID(), type: 'email', subject: '((subject))', body: 'Dear ((first_name))\n\n((body))' };
    notify = new NotifyStandIn(serviceId, secret, [greeting]);
    baseUrl = await notify.start();
    await assert.rejects(
      mailer({ emailTemplateId: greeting.id }).send(acknowledgement()),
      (error: unknown) => error instanceof ContactRefused && /^400 BadRequestError: Missing personalisation: first_name$/.test(error.reason),
    );
    await assert.rejects(mailer({ emailTemplateId: randomUUID() }).send(acknowledgement()), ContactRefused);
  });

  for (const [status, error, message] of [
    [500, 'Exception', 'Internal server error'],
    [429, 'RateLimitError', 'Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds'],
  ] as const) {
    it(`a ${String(status)} from Notify is worth trying again later, and the retry sends it`, async () => {
      notify.failNext(status, error, message);
      await assert.rejects(mailer().send(acknowledgement()), (thrown: unknown) => {
        assert.ok(thrown instanceof ContactDeferred, String(thrown));
        assert.ok(!(thrown instanceof ContactRefused));
        assert.match(thrown.reason, new RegExp(`^${String(status)} ${error}`));
        return true;
      });
      await mailer().send(acknowledgement());
      assert.equal(notify.accepted.length, 1);
    });
  }

  it('Notify unreachable, or not answering in time, is worth trying again later', async () => {
    notify.neverAnswerNext();
    await assert.rejects(mailer().send(acknowledgement()), /no answer within 1000 ms/);
    await notify.close();
    await assert.rejects(mailer().send(acknowledgement()), (error: unknown) => error instanceof ContactDeferred && /ECONNREFUSED/.test(error.reason));
  });

  it('offers only the channels it has templates for, and refuses a text without one', async () => {
    const emailOnly = mailer({ smsTemplateId: null });
    assert.deepEqual(emailOnly.channels, ['email']);
    await assert.rejects(emailOnly.send(acknowledgement({ channel: 'sms', to: '+447700900123' })), ContactRefused);
    assert.deepEqual(mailer().channels, ['email', 'sms']);
    assert.equal(notify.requests.length, 0);
  });
});
