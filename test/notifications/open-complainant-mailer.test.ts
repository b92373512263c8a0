import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, serviceDetailsFrom } from '../../src/config/config.js';
import { openComplainantMailer } from '../../src/notifications/open-complainant-mailer.js';
import { acknowledgement } from './fixtures.js';
import { notifyKey, NotifyStandIn, type StandInTemplate } from './notify-stand-in.js';
import { startSmtpServer } from './smtp-test-server.js';

describe('opening the configured email and text mailer', () => {
  const service = serviceDetailsFrom(loadConfig({ LOCAL_DEVELOPMENT: 'true' }));
  const settings = { service, chatUrl: 'https://www.exampleshire.gov.uk/complaints' };
  const open = (env: Record<string, string>, workingDirectory = '/srv/bot') =>
    openComplainantMailer(loadConfig({ LOCAL_DEVELOPMENT: 'true', ...env }), { ...settings, workingDirectory });

  it('with neither Notify nor SMTP, writes to the local outbox and says loudly that nothing is sent', async () => {
    const { mailer, warning } = open({});
    assert.equal(mailer.kind, 'local');
    assert.deepEqual(mailer.channels, ['email', 'sms']);
    assert.match(warning ?? '', /EMAILS AND TEXTS ARE NOT SENT/);
    assert.match(warning ?? '', /tail -f \/srv\/bot\/\.local-outbox\/messages\.jsonl/);
    const folder = await mkdtemp(join(tmpdir(), 'local-outbox-'));
    try {
      const elsewhere = open({ LOCAL_OUTBOX_PATH: 'outbox/mail.jsonl' }, folder);
      assert.match(elsewhere.warning ?? '', new RegExp(`${folder}/outbox/mail\\.jsonl`));
      await elsewhere.mailer.send(acknowledgement());
      assert.match(await readFile(join(folder, 'outbox', 'mail.jsonl'), 'utf8'), /"id":"K7M4QXP2C\.1\.0"/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('with Notify or SMTP alone, sends by it and warns of nothing', () => {
    const byNotify = open({ NOTIFY_API_KEY: notifyKey().key, NOTIFY_EMAIL_TEMPLATE_ID: randomUUID(), NOTIFY_SMS_TEMPLATE_ID: randomUUID() });
    assert.deepEqual([byNotify.mailer.kind, byNotify.mailer.channels, byNotify.warning], ['notify', ['email', 'sms'], null]);
    const bySmtp = open({ SMTP_URL: 'smtp://mail.exampleshire.gov.uk:587', MAIL_FROM: 'complaints@exampleshire.gov.uk' });
    assert.deepEqual([bySmtp.mailer.kind, bySmtp.mailer.channels, bySmtp.warning], ['smtp', ['email'], null]);
  });

  it('with both, sends texts by Notify and email by SMTP, with the words only if allowed', async () => {
    const { key, serviceId, secret } = notifyKey();
    const sms: StandInTemplate = { id: randomUUID(), type: 'sms', body: '((body))' };
    const notify = new NotifyStandIn(serviceId, secret, [sms]);
    const smtp = await startSmtpServer();
    try {
      const { mailer, warning } = open({
        NOTIFY_API_KEY: key,
        NOTIFY_SMS_TEMPLATE_ID: sms.id,
        NOTIFY_BASE_URL: await notify.start(),
        SMTP_URL: smtp.url,
        MAIL_FROM: 'complaints@exampleshire.gov.uk',
        CONTACT_CONTENT_ALLOWED: 'true',
      });
      assert.deepEqual([mailer.kind, mailer.channels, warning], ['notify+smtp', ['email', 'sms'], null]);
      await mailer.send(acknowledgement());
      await mailer.send(acknowledgement({ channel: 'sms', to: '+447700900123' }));
      assert.deepEqual(
        smtp.received.map((email) => email.to),
        [['ann.example@example.org']],
      );
      assert.match(smtp.received[0]?.text ?? '', /medication/);
      assert.deepEqual(
        notify.accepted.map((text) => [text.to, text.reference]),
        [['+447700900123', 'K7M4QXP2C.1.0']],
      );
    } finally {
      await notify.close();
      await smtp.close();
    }
  });
});
