import { StatusError } from '../api/errors.js';
import type { Status } from '../api/meta.js';

const REASON_BY_CODE: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as Status).kind === 'Status';
}

/**
 * Turns an HTTP error response into a StatusError: from the `metav1.Status` body when there
 * is one (as every Kubernetes API server sends), else from the code and the body's text.
 */
export function statusErrorFromResponse(code: number, body: Buffer | string, retryAfter?: string): StatusError {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) {
    const status = parsed.code ? parsed : { ...parsed, code };
    return StatusError.fromStatus(status, code);
  }
  const details = retryAfter && /^\d+$/.test(retryAfter) ? { retryAfterSeconds: Number(retryAfter) } : undefined;
  const message = text.trim() || `the server responded with HTTP ${code}`;
  return new StatusError(
    REASON_BY_CODE[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest'),
    message.length > 1024 ? `${message.slice(0, 1024)}…` : message,
    { code, ...(details ? { details } : {}) },
  );
}

/**
 * Turns a transport failure (connection refused or reset, TLS failure, timeout) into a
 * StatusError with reason ServiceUnavailable (503), so callers handle one error type.
 */
export function transportError(server: string, err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const e = err as NodeJS.ErrnoException;
  const what = e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
  const out = new StatusError('ServiceUnavailable', `request to ${server} failed: ${what}`, { code: 503 });
  (out as { cause?: unknown }).cause = err;
  return out;
}

/**
 * Parses the `Warning` headers of a response (`299 - "message"`, RFC 7234 style, as the
 * Kubernetes API server sends them) into their messages.
 */
export function parseWarnings(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'warning') continue;
    const value = rawHeaders[i + 1]!;
    const m = /^\s*\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/.exec(value);
    out.push(m ? m[1]!.replace(/\\(.)/g, '$1') : value);
  }
  return out;
}
