/**
 * What every handler of one request shares: the parsed request, the caller, the negotiated
 * representation, and the warnings to send back as `Warning: 299` headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** Formats one warning as an HTTP `Warning` header value (RFC 7234 code 299). */
export function warningHeaderValue(message: string): string {
  const text = message.replace(/[\r\n]+/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return `299 - "${text}"`;
}

/** Sets the `Warning` headers of the response from the collected warnings (before the head is sent). */
export function flushWarnings(ctx: RequestContext): void {
  if (ctx.warnings.length === 0 || ctx.res.headersSent) return;
  const unique = [...new Set(ctx.warnings)];
  ctx.res.setHeader('Warning', unique.map(warningHeaderValue));
}
