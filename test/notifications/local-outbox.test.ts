import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalOutboxMailer, type LocalOutboxEntry } from '../../src/notifications/local-outbox-mailer.js';
import { acknowledgement, councilWriter } from './fixtures.js';

describe('the local outbox, for running without Notify or SMTP', () => {
  let folder: string;
  let path: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'local-outbox-'));
    path = join(folder, '.local-outbox', 'messages.jsonl');
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function entries(): Promise<LocalOutboxEntry[]> {
    const text = await readFile(path, 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LocalOutboxEntry);
  }

  it('writes each message as one line with the words that would have been sent', async () => {
    const outbox = new LocalOutboxMailer(path, councilWriter(false), () => new Date('2026-11-20T10:00:00Z'));
    await outbox.send(acknowledgement());
    await outbox.send(acknowledgement({ id: 'K7M4QXP2C.2.0', channel: 'sms', to: '+447700900123', notice: 'response' }));
    const written = await entries();
    const email = written[0]!;
    const text = written[1]!;
    assert.equal(email.id, 'K7M4QXP2C.1.0');
    assert.equal(email.at, '2026-11-20T10:00:00.000Z');
    assert.equal(email.to, 'ann.example@example.org');
    assert.equal(email.subject, 'We have received your complaint: K7M-4QX-P2C');
    assert.match(email.body, /We will respond by Friday 4 December 2026/);
    assert.doesNotMatch(email.body, /medication/);
    assert.equal(text.channel, 'sms');
    assert.equal(text.subject, null);
    assert.match(text.body, /^We have responded to your complaint K7M-4QX-P2C/);
  });

  it('writes a message once, however often or at once it is sent, and after a restart', async () => {
    const outbox = new LocalOutboxMailer(path, councilWriter(false));
    await Promise.all([outbox.send(acknowledgement()), outbox.send(acknowledgement())]);
    await outbox.send(acknowledgement());
    await new LocalOutboxMailer(path, councilWriter(false)).send(acknowledgement());
    assert.equal((await entries()).length, 1);
    await new LocalOutboxMailer(path, councilWriter(false)).send(acknowledgement({ id: 'K7M4QXP2C.2.0' }));
    assert.deepEqual(
      (await entries()).map((entry) => entry.id),
      ['K7M4QXP2C.1.0', 'K7M4QXP2C.2.0'],
    );
  });
});
