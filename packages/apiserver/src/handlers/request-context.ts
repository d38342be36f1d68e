/**
 * What every handler of one request shares: the parsed request, the caller, the negotiated
 * representation, and the warnings to send back as `Warning: 299` headers.
 */
import { validateHeaderValue, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ResourceDefinition } from '@converge/core';
import type { UserInfo } from '../auth/user-info.js';
import type { RequestInfo } from '../http/request-info.js';

/** One request being served. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  info: RequestInfo;
  /** The user the request acts as: the caller, or the user it impersonates. */
  user: UserInfo;
  /** The authenticated caller, when the request impersonates someone else (`user`). */
  impersonator?: UserInfo;
  /** The kind addressed (resource requests). */
  definition?: ResourceDefinition;
  /** When the request arrived (clock ms). */
  start: number;
  /** Warnings collected while serving (unknown or duplicate fields under Warn, deprecations). */
  warnings: string[];
  /** Set for server-side apply patches (metrics say APPLY). */
  isApply?: boolean;
}

function escapeWarningChar(ch: string): string {
  if (ch === '\\' || ch === '"') return `\\${ch}`;
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Formats one warning as an HTTP `Warning` header value (RFC 7234 code 299, agent `-`):
 * `299 - "<text>"`. Never throws, whatever the text holds: quotes and backslashes are escaped,
 * and every character outside printable ASCII (control characters, which no header may carry,
 * and any other) is written as `\uXXXX`. Node sends a header's other characters as latin1 or
 * as UTF-8 depending on how the body is written, so ASCII is the only text that arrives intact.
 */
export function warningHeaderValue(message: string): string {
  // Lone surrogates (invalid UTF-16) become U+FFFD first, as they would on the way to UTF-8.
  const wellFormed = message.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return `299 - "${wellFormed.replace(/[^\x20-\x7e]|[\\"]/g, escapeWarningChar)}"`;
}

/**
 * Sets the `Warning` headers of the response from the collected warnings (before the head is
 * sent). Never throws: it runs after writes were committed, when failing the reply would tell
 * the client a stored write failed. A warning Node still refuses is dropped.
 */
export function flushWarnings(ctx: RequestContext): void {
  if (ctx.warnings.length === 0 || ctx.res.headersSent) return;
  const values: string[] = [];
  for (const w of boundedWarnings([...new Set(ctx.warnings)])) {
    const value = warningHeaderValue(w);
    if (validHeaderValue(value)) values.push(value);
  }
  if (values.length === 0) return;
  try {
    ctx.res.setHeader('Warning', values);
  } catch {
    // Unreachable with the checks above; a reply is worth more than its warnings.
  }
}

/** The most characters all warnings of one reply may hold, as Kubernetes bounds them. */
const MAX_WARNINGS_CHARS = 4096;
/** What each warning is cut to once the warnings together are over that bound. */
const MAX_WARNING_CHARS_WHEN_MANY = 256;

/**
 * The warnings that fit in one reply: all of them when their text stays within 4096
 * characters; otherwise each cut to 256 characters, and then only as many as fit (a header
 * of megabytes is one no client reads).
 */
export function boundedWarnings(warnings: readonly string[]): string[] {
  let total = 0;
  for (const w of warnings) total += [...w].length;
  if (total <= MAX_WARNINGS_CHARS) return [...warnings];
  const out: string[] = [];
  total = 0;
  for (const w of warnings) {
    const chars = [...w];
    const cut = chars.length > MAX_WARNING_CHARS_WHEN_MANY ? chars.slice(0, MAX_WARNING_CHARS_WHEN_MANY).join('') : w;
    const n = Math.min(chars.length, MAX_WARNING_CHARS_WHEN_MANY);
    if (total + n > MAX_WARNINGS_CHARS) break;
    total += n;
    out.push(cut);
  }
  return out;
}

function validHeaderValue(value: string): boolean {
  try {
    validateHeaderValue('Warning', value);
    return true;
  } catch {
    return false;
  }
}
