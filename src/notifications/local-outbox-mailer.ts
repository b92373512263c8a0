/**
 * Where email and text go when neither GOV.UK Notify nor SMTP is set (`npm start`): one JSON line
 * per message in a file, with the words exactly as they would have been sent, so a developer can
 * read them (`tail -f .local-outbox/messages.jsonl`). Nothing leaves the machine. A message whose
 * id is already in the file is not written again, as a provider would not send it twice; the file
 * is meant for one process.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ComplainantMailer, ComplainantMessage, ContactChannel } from '../ports/complainant-mailer.js';
import type { NoticeWriter } from './notice-wording.js';

/** One line of the local outbox. */
export interface LocalOutboxEntry {
  readonly id: string;
  /** When it was written here. */
  readonly at: string;
  readonly channel: ContactChannel;
  readonly to: string;
  readonly notice: ComplainantMessage['notice'];
  readonly reference: string;
  /** The email's subject; null for a text. */
  readonly subject: string | null;
  readonly body: string;
}

/** Writes messages to a local file instead of sending them. */
export class LocalOutboxMailer implements ComplainantMailer {
  readonly kind = 'local';
  readonly channels: readonly ContactChannel[] = ['email', 'sms'];
  private written: Promise<Set<string>> | null = null;
  /** Sends one after another, so two sends of one id at once still write it once. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    /** The file, absolute or relative to the working directory. */
    readonly path: string,
    private readonly writer: NoticeWriter,
    private readonly now: () => Date = () => new Date(),
  ) {}

  send(message: ComplainantMessage): Promise<void> {
    const sent = this.queue.then(() => this.write(message));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  private async write(message: ComplainantMessage): Promise<void> {
    const written = await this.idsWritten();
    if (written.has(message.id)) return;
    const email = message.channel === 'email' ? this.writer.email(message) : null;
    const entry: LocalOutboxEntry = {
      id: message.id,
      at: this.now().toISOString(),
      channel: message.channel,
      to: message.to,
      notice: message.notice,
      reference: message.reference,
      subject: email?.subject ?? null,
      body: email?.body ?? this.writer.text(message),
    };
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(entry)}\n`, 'utf8');
    written.add(message.id);
  }

  /** The ids already in the file, read once: the file outlives restarts, and so does "sent once". */
  private idsWritten(): Promise<Set<string>> {
    this.written ??= readFile(this.path, 'utf8').then(
      (text) => new Set(text.split('\n').flatMap((line) => idOf(line) ?? [])),
      (error: unknown) => {
        if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return new Set<string>();
        this.written = null;
        throw error;
      },
    );
    return this.written;
  }
}

/** The id on a line of the outbox, or null for a line that is not one of ours. */
function idOf(line: string): string | null {
  if (!line.trim()) return null;
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string' ? parsed.id : null;
  } catch {
    return null;
  }
}
