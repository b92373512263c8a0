/**
 * A stand-in for the Bot Connector service: the bot sends its replies here (the activities'
 * serviceUrl), as it would to Azure Bot Service. It answers at once and counts what it got; when
 * asked, it also keeps each conversation's reply texts, to check a conversation went as scripted.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APOLOGY_MARK, REFERENCE_MARK } from './conversation.js';

const ACTIVITIES = /^\/v3\/conversations\/([^/]+)\/activities/;

/** What the stand-in received. */
export interface ConnectorCounts {
  replies: number;
  /** Replies giving a case reference: conversations that lodged a complaint. */
  references: number;
  /** Replies apologising for a failed turn. */
  apologies: number;
}

/** The running stand-in. */
export class ConnectorStub {
  readonly counts: ConnectorCounts = { replies: 0, references: 0, apologies: 0 };
  /** Reply texts per conversation id, while `recording` is on. */
  readonly transcripts = new Map<string, string[]>();
  recording = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ConnectorStub> {
    const server = createServer();
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => {
      server.listen(0, '127.0.0.1', resolve);
    });
    const stub = new ConnectorStub(server, `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/`);
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const match = request.method === 'POST' ? ACTIVITIES.exec(request.url ?? '') : null;
        if (match) stub.received(decodeURIComponent(match[1] ?? ''), Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(`{"id":"r${String(stub.counts.replies)}"}`);
      });
    });
    return stub;
  }

  private received(conversation: string, body: string): void {
    this.counts.replies += 1;
    // A substring test is enough to count, and keeps this process's share of the CPU small.
    if (body.includes(REFERENCE_MARK)) this.counts.references += 1;
    if (body.includes(APOLOGY_MARK)) this.counts.apologies += 1;
    if (!this.recording) return;
    const text = (JSON.parse(body) as { text?: unknown }).text;
    const transcript = this.transcripts.get(conversation) ?? [];
    transcript.push(typeof text === 'string' ? text : '');
    this.transcripts.set(conversation, transcript);
  }

  /**
   * Waits until no reply has come for `quietMs` (at most `maxMs` in all). When a timed run ends,
   * the bot is still finishing the turns that were in flight; their replies belong to that run,
   * and the next run should start on an idle bot.
   */
  async quiet(quietMs = 250, maxMs = 10_000): Promise<void> {
    const until = performance.now() + maxMs;
    let last = this.counts.replies;
    while (performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      if (this.counts.replies === last) return;
      last = this.counts.replies;
    }
  }

  /** A copy of the counts so far. */
  snapshot(): ConnectorCounts {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
