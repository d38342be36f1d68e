/**
 * Authenticates a request: a verified client certificate (CN = user, O = groups), or a bearer
 * token known to one of the token authenticators; otherwise the anonymous user, whom the
 * server admits only to public paths (`/version`, `/healthz`, `/livez`, `/readyz`).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { StatusError } from '@converge/core';
import { ANONYMOUS_USER, withAuthenticatedGroup, type TokenAuthenticator, type UserInfo } from './user-info.js';

/** The 401 every failed authentication gets. */
export function unauthorized(): StatusError {
  return new StatusError('Unauthorized', 'Unauthorized');
}

/** The user of a verified client certificate: CN is the name, each O a group. */
export function userFromCertificate(socket: TLSSocket): UserInfo | undefined {
  if (typeof socket.getPeerCertificate !== 'function' || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const cn = cert.subject.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return undefined;
  const o = cert.subject.O as string | string[] | undefined;
  const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
  return withAuthenticatedGroup({ username: name, groups });
}

/** Reads `Authorization: Bearer <token>`; undefined when absent. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m) throw unauthorized();
  return m[1];
}

/** Authenticates requests with client certificates and a chain of token authenticators. */
export class RequestAuthenticator {
  constructor(private readonly tokenAuthenticators: TokenAuthenticator[]) {}

  /** The user of a bearer token, or undefined when no authenticator knows it. */
  async authenticateToken(token: string): Promise<{ user: UserInfo; audiences?: string[] } | undefined> {
    for (const a of this.tokenAuthenticators) {
      const r = await a.authenticateToken(token);
      if (r) return { ...r, user: withAuthenticatedGroup(r.user) };
    }
    return undefined;
  }

  /** The caller of a request; throws a 401 StatusError for a bad token. */
  async authenticate(req: IncomingMessage): Promise<UserInfo> {
    const token = bearerToken(req);
    if (token !== undefined) {
      const r = await this.authenticateToken(token);
      if (!r) throw unauthorized();
      return r.user;
    }
    const certUser = userFromCertificate(req.socket as TLSSocket);
    return certUser ?? ANONYMOUS_USER;
  }
}
