/**
 * WebSocket streaming for the self-hosted Direct Line, as the real service offers it: the client
 * connects to the stream URL (token in the "t" parameter), receives what it missed after its
 * watermark, then each new activity as it is written, by any instance.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../ports/logger.js';
import { HttpRefusal } from '../http/responses.js';
import type { ConversationLog } from './conversation-log.js';
import { parseWatermark, type SelfHostedDirectLine } from './self-hosted-directline.js';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([^/]+)\/stream$/;

/** How often an open stream looks for activities it was not told about. */
const SAFETY_POLL_MS = 10_000;

/** Open streams, to close on shutdown. */
export interface DirectLineStreams {
  close(): void;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  socket.destroy();
}

/** Serves Direct Line streams on an HTTP server's upgrade requests. */
export function attachDirectLineStreams(server: HttpServer, directLine: SelfHostedDirectLine, log: ConversationLog, logger: Logger): DirectLineStreams {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = STREAM_PATH.exec(url.pathname);
    if (!match?.[1]) {
      refuse(socket, 404, 'Not Found');
      return;
    }
    const conversationId = decodeURIComponent(match[1]);
    let expiresAt: number;
    try {
      expiresAt = directLine.authorise(url.searchParams.get('t') ?? undefined, conversationId).expiresAt;
    } catch (error) {
      refuse(socket, error instanceof HttpRefusal ? error.status : 401, 'Unauthorized');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      serve(ws, conversationId, parseWatermark(url.searchParams.get('watermark') ?? undefined), expiresAt);
    });
  });

  function serve(ws: WebSocket, conversationId: string, from: number, expiresAt: number): void {
    // One read at a time; an announcement during a read makes it read once more afterwards.
    const state = { sent: from, reading: false, again: false };
    const askedAgain = (): boolean => state.again;
    const pump = async (): Promise<void> => {
      if (state.reading) {
        state.again = true;
        return;
      }
      state.reading = true;
      try {
        do {
          state.again = false;
          const page = await log.read(conversationId, state.sent);
          if (page.activities.length > 0 && ws.readyState === WebSocket.OPEN) {
            ws.send(JSON.stringify({ activities: page.activities, watermark: String(page.watermark) }));
            state.sent = page.watermark;
          }
          // (Read through a function: the announcement sets it while the read above awaits.)
        } while (askedAgain());
      } catch (error) {
        logger.warn('directline.stream-failed', { error: error instanceof Error ? error.name : 'unknown' });
      } finally {
        state.reading = false;
      }
    };
    const unsubscribe = log.subscribe(conversationId, () => {
      void pump();
    });
    // A safety net should an announcement be lost (a pub/sub reconnect): look again now and then.
    const poll = setInterval(() => {
      void pump();
    }, SAFETY_POLL_MS);
    poll.unref();
    // The token's lifetime is the stream's: the client refreshes its token and reconnects.
    const expiry = setTimeout(
      () => {
        ws.close(1000, 'token expired');
      },
      Math.max(0, expiresAt - Date.now()),
    );
    expiry.unref();
    ws.on('close', () => {
      unsubscribe();
      clearInterval(poll);
      clearTimeout(expiry);
    });
    ws.on('message', () => undefined); // clients send empty keep-alives
    void pump();
  }

  return {
    close: () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
    },
  };
}
