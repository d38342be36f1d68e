/**
 * What the API server answers to a request Node's HTTP parser refuses before any handler sees
 * it: a status, as Go's server (and so Kubernetes) writes one, never a silently dropped
 * connection. Headers over the limit are a 431, a request that took too long to arrive a 408,
 * anything else the parser cannot read a 400; each closes the connection.
 */
import type { Duplex } from 'node:stream';

/** The most bytes a request line and its headers may take: Go's 1 MiB default plus the 4 KiB its reader allows over it. */
export const MAX_HEADER_BYTES = 1024 * 1024 + 4096;

const ANSWERS: Record<string, { code: number; text: string }> = {
  HPE_HEADER_OVERFLOW: { code: 431, text: 'Request Header Fields Too Large' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 408, text: 'Request Timeout' },
  HPE_HEADERS_TIMEOUT: { code: 408, text: 'Request Timeout' },
};

/** The raw HTTP/1.1 answer to a request the parser refused with this error code. */
export function clientErrorResponse(code: string | undefined): string {
  const answer = ANSWERS[code ?? ''] ?? { code: 400, text: 'Bad Request' };
  const body = `${answer.code} ${answer.text}`;
  return `HTTP/1.1 ${answer.code} ${answer.text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Answers a `clientError` of the HTTP server on its socket, then closes it. A connection the
 * client already reset, or one whose socket can no longer be written, is only closed.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (socket.destroyed) return;
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  // A response already on its way on this connection (keep-alive) cannot be followed by ours.
  if ((socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorResponse(err.code));
}
