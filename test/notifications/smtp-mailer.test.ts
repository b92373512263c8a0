import { strict as assert } from 'node:assert';
import { ContactDeferred, ProviderCredentialsRefused } from '../../src/notifications/errors.js';
import { SmtpMailer } from '../../src/notifications/smtp-mailer.js';
import { ContactRefused } from '../../src/ports/complainant-mailer.js';
import { acknowledgement, councilWriter } from './fixtures.js';
import { type SmtpTestServer, startSmtpServer } from './smtp-test-server.js';

describe('email by SMTP', () => {
  let smtp: SmtpTestServer;

  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await smtp.close();
  });

  function mailer(contentAllowed = false, url = smtp.url): SmtpMailer {
    return new SmtpMailer({
      url,
      from: '"Exampleshire complaints" <complaints@exampleshire.gov.uk>',
      writer: councilWriter(contentAllowed),
      answerWithinMs: 2000,
    });
  }

  it('delivers an acknowledgement with the reference and date, and not the complaint’s words', async () => {
    await mailer().send(acknowledgement());
    assert.equal(smtp.received.length, 1);
    const email = smtp.received[0]!;
    assert.equal(email.from, 'complaints@exampleshire.gov.uk');
    assert.deepEqual(email.to, ['ann.example@example.org']);
    assert.equal(email.headers.get('subject'), 'We have received your complaint: K7M-4QX-P2C');
    assert.equal(email.headers.get('message-id'), '<complaint-notice.K7M4QXP2C.1.0@exampleshire.gov.uk>');
    assert.equal(email.headers.get('auto-submitted'), 'auto-generated');
    assert.match(email.text, /Your reference is K7M-4QX-P2C\./);
    assert.match(email.text, /We will respond by Friday 4 December 2026\./);
    assert.doesNotMatch(email.text, /medication/);
  });

  it('includes the complaint’s words when the organisation allows them', async () => {
    await mailer(true).send(acknowledgement());
    assert.match(smtp.received[0]?.text ?? '', /What you told us:\n\nMy mother was left without her medication for three days/);
  });

  it('sends a retried message with the same Message-ID, so it is recognisably the same', async () => {
    await mailer().send(acknowledgement());
    await mailer().send(acknowledgement());
    await mailer().send(acknowledgement({ id: 'K7M4QXP2C.2.0', notice: 'response' }));
    const ids = smtp.received.map((email) => email.headers.get('message-id'));
    assert.equal(ids[0], ids[1]);
    assert.notEqual(ids[2], ids[0]);
  });

  it('a recipient the server refuses for good is ContactRefused, without the address', async () => {
    await assert.rejects(mailer().send(acknowledgement({ to: 'nobody@exampleshire.gov.uk' })), (error: unknown) => {
      assert.ok(error instanceof ContactRefused, String(error));
      assert.equal(error.channel, 'email');
      assert.match(error.reason, /550/);
      assert.doesNotMatch(`${error.message} ${error.reason}`, /nobody/);
      return true;
    });
    assert.equal(smtp.received.length, 0);
  });

  it('a server that is down is worth trying again later', async () => {
    const { url } = smtp;
    await smtp.close();
    await assert.rejects(mailer(false, url).send(acknowledgement()), (error: unknown) => {
      assert.ok(error instanceof ContactDeferred, String(error));
      assert.ok(!(error instanceof ContactRefused));
      assert.match(error.reason, /ECONNECTION|ECONNREFUSED/);
      return true;
    });
    smtp = await startSmtpServer();
  });

  it('a temporary refusal (451) is worth trying again later', async () => {
    await smtp.close();
    smtp = await startSmtpServer({
      onMailFrom(_address, _session, callback) {
        callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      },
    });
    await assert.rejects(mailer().send(acknowledgement()), ContactDeferred);
  });

  it('refused credentials say which setting to correct, and are not a refused contact', async () => {
    await smtp.close();
    smtp = await startSmtpServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(_auth, _session, callback) {
        callback(new Error('Invalid username or password'));
      },
    });
    const url = smtp.url.replace('smtp://', 'smtp://bot:wrong@');
    await assert.rejects(mailer(false, url).send(acknowledgement()), (error: unknown) => {
      assert.ok(error instanceof ProviderCredentialsRefused, String(error));
      assert.match(error.message, /SMTP_URL/);
      assert.doesNotMatch(error.message, /wrong/);
      return true;
    });
  });

  it('refuses a text message: SMTP carries email only', async () => {
    const smtpMailer = mailer();
    assert.deepEqual(smtpMailer.channels, ['email']);
    await assert.rejects(smtpMailer.send(acknowledgement({ channel: 'sms', to: '+447700900123' })), ContactRefused);
    assert.equal(smtp.received.length, 0);
  });
});
