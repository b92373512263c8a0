/**
 * Small HTTP helpers shared by the routes: reading a JSON body within a size limit, and
 * answering with JSON or with nothing, so error responses never carry internals.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the server refuses, with the status to answer and a short, public reason. */
export class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly publicMessage: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${status} ${code}: ${publicMessage}`);
  }
}

/** Reads and parses a JSON body, refusing one over `limitBytes` (413) or not JSON (400). */
export async function readJson(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new HttpRefusal(413, 'PayloadTooLarge', 'The request is too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) throw new HttpRefusal(413, 'PayloadTooLarge', 'The request is too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpRefusal(400, 'BadArgument', 'The request body is not valid JSON');
  }
  return parsed;
}

/** Answers with a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  response.end(text);
}

/** Answers with a status and no body at all. */
export function sendEmpty(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Length': '0', 'Cache-Control': 'no-store', ...headers });
  response.end();
}

/** Answers a refusal as Direct Line does: {"error": {"code", "message"}}. */
export function sendRefusal(response: ServerResponse, refusal: HttpRefusal, headers: Record<string, string> = {}): void {
  const text = JSON.stringify({ error: { code: refusal.code, message: refusal.publicMessage } });
  response.writeHead(refusal.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(text);
}
