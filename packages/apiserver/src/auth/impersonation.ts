/**
 * Impersonation: a request carrying `Impersonate-User` (kubectl `--as`), `Impersonate-Group`
 * (`--as-group`, repeatable), `Impersonate-Uid` (`--as-uid`) or `Impersonate-Extra-<key>`
 * headers runs as the user they name, once the authorizer allows the real caller the
 * `impersonate` verb on each thing asked for:
 *
 * | header | resource (API group) | name |
 * |---|---|---|
 * | `Impersonate-User` | `users` (core), or `serviceaccounts` in the account's namespace for `system:serviceaccount:<ns>:<name>` | the user name |
 * | `Impersonate-Group` | `groups` (core) | each group |
 * | `Impersonate-Extra-<key>` | `userextras/<key>` (`authentication.k8s.io`) | each value |
 * | `Impersonate-Uid` | `uids` (`authentication.k8s.io`) | the uid |
 *
 * The impersonated user has exactly the groups asked for, plus `system:serviceaccounts` and
 * `system:serviceaccounts:<ns>` for a service account, plus `system:authenticated` (or
 * `system:unauthenticated` when impersonating `system:anonymous`). Groups, extras or a uid
 * without a user are a 400; a refused check is a 403 naming what was refused.
 */
import type { IncomingMessage } from 'node:http';
import { badRequest, forbidden, type QualifiedResource } from '@converge/core';
import type { Authorizer, AuthorizationAttributes } from './authorizer.js';
import { ANONYMOUS_USER, AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP, type UserInfo } from './user-info.js';

/** The header naming the user to act as (lower case, as Node names headers). */
export const IMPERSONATE_USER_HEADER = 'impersonate-user';
/** The header naming a group to act as (repeatable). */
export const IMPERSONATE_GROUP_HEADER = 'impersonate-group';
/** The header naming the uid to act as. */
export const IMPERSONATE_UID_HEADER = 'impersonate-uid';
/** The prefix of headers naming extra user information (`Impersonate-Extra-<percent-encoded key>`). */
export const IMPERSONATE_EXTRA_PREFIX = 'impersonate-extra-';

/** What a request asks to impersonate. */
export interface ImpersonationRequest {
  user?: string;
  uid?: string;
  groups: string[];
  extra: Record<string, string[]>;
}

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

function values(req: IncomingMessage, name: string): string[] {
  const distinct = req.headersDistinct?.[name];
  const raw = distinct ?? (req.headers[name] === undefined ? [] : ([] as string[]).concat(req.headers[name] as string | string[]));
  return raw.map((v) => v.trim()).filter((v) => v !== '');
}

function decodeExtraKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded).toLowerCase();
  } catch {
    return encoded.toLowerCase();
  }
}

/** Reads the impersonation headers of a request; undefined when it has none. */
export function impersonationOf(req: IncomingMessage): ImpersonationRequest | undefined {
  let found = false;
  const out: ImpersonationRequest = { groups: [], extra: {} };
  const user = values(req, IMPERSONATE_USER_HEADER);
  if (user.length > 0) {
    out.user = user[0]!;
    found = true;
  }
  const uid = values(req, IMPERSONATE_UID_HEADER);
  if (uid.length > 0) {
    out.uid = uid[0]!;
    found = true;
  }
  const groups = values(req, IMPERSONATE_GROUP_HEADER);
  if (groups.length > 0) {
    out.groups = groups;
    found = true;
  }
  for (const name of Object.keys(req.headers)) {
    if (!name.startsWith(IMPERSONATE_EXTRA_PREFIX) || name.length === IMPERSONATE_EXTRA_PREFIX.length) continue;
    const vs = values(req, name);
    if (vs.length === 0) continue;
    const key = decodeExtraKey(name.slice(IMPERSONATE_EXTRA_PREFIX.length));
    (out.extra[key] ??= []).push(...vs);
    found = true;
  }
  return found ? out : undefined;
}

/** One `impersonate` check, with what to call the thing in a refusal. */
interface Check {
  attributes: Omit<AuthorizationAttributes, 'user' | 'verb' | 'resourceRequest'>;
  qualified: QualifiedResource;
  name: string;
}

function checksOf(request: ImpersonationRequest & { user: string }): Check[] {
  const checks: Check[] = [];
  if (request.user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace = '', name = ''] = request.user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    checks.push({
      attributes: { apiGroup: '', apiVersion: 'v1', resource: 'serviceaccounts', namespace, name },
      qualified: { resource: 'serviceaccounts' },
      name,
    });
  } else {
    checks.push({
      attributes: { apiGroup: '', apiVersion: 'v1', resource: 'users', name: request.user },
      qualified: { resource: 'users' },
      name: request.user,
    });
  }
  for (const g of request.groups)
    checks.push({
      attributes: { apiGroup: '', apiVersion: 'v1', resource: 'groups', name: g },
      qualified: { resource: 'groups' },
      name: g,
    });
  for (const [key, vs] of Object.entries(request.extra)) {
    for (const v of vs) {
      checks.push({
        attributes: { apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'userextras', subresource: key, name: v },
        qualified: { group: 'authentication.k8s.io', resource: 'userextras' },
        name: v,
      });
    }
  }
  if (request.uid !== undefined) {
    checks.push({
      attributes: { apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'uids', name: request.uid },
      qualified: { group: 'authentication.k8s.io', resource: 'uids' },
      name: request.uid,
    });
  }
  return checks;
}

/** The user a (checked) impersonation request stands for. */
export function impersonatedUser(request: ImpersonationRequest & { user: string }): UserInfo {
  const groups = [...request.groups];
  const add = (g: string) => {
    if (!groups.includes(g)) groups.push(g);
  };
  if (request.user.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace = ''] = request.user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    add('system:serviceaccounts');
    add(`system:serviceaccounts:${namespace}`);
  }
  add(request.user === ANONYMOUS_USER.username ? UNAUTHENTICATED_GROUP : AUTHENTICATED_GROUP);
  const user: UserInfo = { username: request.user, groups };
  if (request.uid !== undefined) user.uid = request.uid;
  if (Object.keys(request.extra).length > 0) user.extra = request.extra;
  return user;
}

/**
 * The user a request acts as: the requester itself when the request carries no impersonation
 * headers, else the impersonated user once every `impersonate` check is allowed. Throws a 400
 * StatusError for groups, extras or a uid without a user and a 403 for a refused check.
 */
export async function actingUser(
  req: IncomingMessage,
  requester: UserInfo,
  authorizer: Authorizer,
): Promise<{ user: UserInfo; impersonator?: UserInfo }> {
  const request = impersonationOf(req);
  if (!request) return { user: requester };
  if (request.user === undefined) {
    const asked = [
      ...request.groups.map((g) => `group ${JSON.stringify(g)}`),
      ...Object.keys(request.extra).map((k) => `extra ${JSON.stringify(k)}`),
      ...(request.uid !== undefined ? [`uid ${JSON.stringify(request.uid)}`] : []),
    ];
    throw badRequest(`requested ${asked.join(', ')} without impersonating a user`);
  }
  const withUser = request as ImpersonationRequest & { user: string };
  for (const check of checksOf(withUser)) {
    const d = await authorizer.authorize({ user: requester, verb: 'impersonate', resourceRequest: true, ...check.attributes });
    if (d.decision === 'allow') continue;
    const a = check.attributes;
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const scope = a.namespace ? ` in the namespace "${a.namespace}"` : ' at the cluster scope';
    const why = d.reason ? `: ${d.reason}` : '';
    throw forbidden(
      check.qualified,
      check.name,
      `User "${requester.username}" cannot impersonate resource "${resource}" in API group "${a.apiGroup}"${scope}${why}`,
    );
  }
  return { user: impersonatedUser(withUser), impersonator: requester };
}
