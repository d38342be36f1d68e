/**
 * Authentication of the plain-HTTP mode (`tls: false`, loopback only), as kube-apiserver's old
 * insecure port worked: a request without credentials acts as the unsecured administrator
 * (`system:unsecured`, group `system:masters`). kubectl sends no bearer token over `http://`, so
 * without this no client could use the mode. Credentials a request does carry are checked as
 * usual (a bad token is still a 401). Only for a server bound to a loopback address.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { RequestAuthenticator } from '../auth/request-authenticator.js';
import { ANONYMOUS_USER, AUTHENTICATED_GROUP, MASTERS_GROUP, type UserInfo } from '../auth/user-info.js';

/** The user of credential-less requests on the plain-HTTP loopback port. */
export const UNSECURED_USER: UserInfo = Object.freeze({
  username: 'system:unsecured',
  groups: [MASTERS_GROUP, AUTHENTICATED_GROUP],
}) as UserInfo;

/** Whether an address is a loopback address (or `localhost`). */
export function isLoopbackAddress(address: string): boolean {
  if (address === 'localhost') return true;
  const bare = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  return bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

/** Authenticates as `RequestAuthenticator` does, but lets credential-less loopback callers act as `system:unsecured`. */
export class InsecureLoopbackAuthenticator extends RequestAuthenticator {
  override async authenticate(req: IncomingMessage): Promise<UserInfo> {
    const user = await super.authenticate(req);
    if (user !== ANONYMOUS_USER) return user;
    // The server listens on loopback only; a peer from elsewhere (never expected) stays anonymous.
    return isLoopbackAddress(req.socket.remoteAddress ?? '') ? UNSECURED_USER : user;
  }
}
