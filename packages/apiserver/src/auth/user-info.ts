/**
 * Who made a request, as authenticators find it and authorizers, admission and the auth
 * reviews see it (Kubernetes' `user.Info`).
 */
import type { IncomingMessage } from 'node:http';

/** An authenticated (or anonymous) user. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** The group every authenticated user belongs to. */
export const AUTHENTICATED_GROUP = 'system:authenticated';
/** The group of anonymous requests. */
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
/** The group of cluster administrators. */
export const MASTERS_GROUP = 'system:masters';

/** The anonymous user. */
export const ANONYMOUS_USER: UserInfo = Object.freeze({ username: 'system:anonymous', groups: [UNAUTHENTICATED_GROUP] }) as UserInfo;

/**
 * One way of recognising a caller. Returns the user, `undefined` when the request carries no
 * credentials of this kind, and throws a 401 StatusError when it carries bad ones.
 */
export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

/** Recognises a bearer token (static tokens, service-account JWTs, ...). */
export interface TokenAuthenticator {
  /** The user a token belongs to, or undefined when this authenticator does not know it. */
  authenticateToken(token: string): Promise<{ user: UserInfo; audiences?: string[] } | undefined>;
}

/** Adds `system:authenticated` to a user's groups when missing. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(AUTHENTICATED_GROUP) || user.username === ANONYMOUS_USER.username) return user;
  return { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}
