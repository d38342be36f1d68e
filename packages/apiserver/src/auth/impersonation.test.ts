import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { StatusError } from '@converge/core';
import { AllowAuthenticatedAuthorizer, type AuthorizationAttributes, type Authorizer } from './authorizer.js';
import { actingUser, impersonationOf } from './impersonation.js';
import type { UserInfo } from './user-info.js';

/** A request with the given raw headers (name, value pairs; names may repeat). */
function request(pairs: [string, string][]): IncomingMessage {
  const headers: Record<string, string> = {};
  const headersDistinct: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    const n = k.toLowerCase();
    headers[n] = headers[n] === undefined ? v : `${headers[n]}, ${v}`;
    (headersDistinct[n] ??= []).push(v);
  }
  return { headers, headersDistinct } as unknown as IncomingMessage;
}

const alice: UserInfo = { username: 'alice', groups: ['system:authenticated'] };

/** Records every check and allows all but those `deny` refuses. */
class RecordingAuthorizer implements Authorizer {
  readonly seen: AuthorizationAttributes[] = [];
  constructor(private readonly deny: (a: AuthorizationAttributes) => boolean = () => false) {}
  async authorize(a: AuthorizationAttributes) {
    this.seen.push(a);
    return this.deny(a) ? { decision: 'deny' as const, reason: 'not today' } : { decision: 'allow' as const };
  }
  async rulesFor() {
    return { resourceRules: [], nonResourceRules: [], incomplete: false };
  }
}

describe('impersonation', () => {
  it('acts as the user and groups asked for, adding system:authenticated, after asking the authorizer for each', async () => {
    const authz = new RecordingAuthorizer();
    const req = request([
      ['Impersonate-User', 'bob'],
      ['Impersonate-Group', 'devs'],
      ['Impersonate-Group', 'ops, east'],
      ['Impersonate-Uid', 'u-1'],
      ['Impersonate-Extra-Scopes', 'view'],
      ['Impersonate-Extra-acme.com%2Fproject', 'p1'],
    ]);
    const r = await actingUser(req, alice, authz);
    expect(r.impersonator).toBe(alice);
    expect(r.user).toEqual({
      username: 'bob',
      uid: 'u-1',
      groups: ['devs', 'ops, east', 'system:authenticated'],
      extra: { scopes: ['view'], 'acme.com/project': ['p1'] },
    });
    expect(authz.seen.map((a) => [a.user.username, a.verb, a.apiGroup, a.resource, a.subresource ?? '', a.name])).toEqual([
      ['alice', 'impersonate', '', 'users', '', 'bob'],
      ['alice', 'impersonate', '', 'groups', '', 'devs'],
      ['alice', 'impersonate', '', 'groups', '', 'ops, east'],
      ['alice', 'impersonate', 'authentication.k8s.io', 'userextras', 'scopes', 'view'],
      ['alice', 'impersonate', 'authentication.k8s.io', 'userextras', 'acme.com/project', 'p1'],
      ['alice', 'impersonate', 'authentication.k8s.io', 'uids', '', 'u-1'],
    ]);
  });

  it('checks a service account in its namespace and gives it the service-account groups', async () => {
    const authz = new RecordingAuthorizer();
    const r = await actingUser(request([['Impersonate-User', 'system:serviceaccount:apps:robot']]), alice, authz);
    expect(r.user.groups).toEqual(['system:serviceaccounts', 'system:serviceaccounts:apps', 'system:authenticated']);
    expect(authz.seen[0]).toMatchObject({ verb: 'impersonate', resource: 'serviceaccounts', namespace: 'apps', name: 'robot' });
  });

  it('gives an impersonated anonymous user system:unauthenticated', async () => {
    const r = await actingUser(request([['Impersonate-User', 'system:anonymous']]), alice, new RecordingAuthorizer());
    expect(r.user.groups).toEqual(['system:unauthenticated']);
  });

  it('leaves requests without the headers alone', async () => {
    expect(impersonationOf(request([['Accept', 'application/json']]))).toBeUndefined();
    const r = await actingUser(request([]), alice, new RecordingAuthorizer());
    expect(r).toEqual({ user: alice });
  });

  it('refuses groups without a user with a 400', async () => {
    const err = await actingUser(request([['Impersonate-Group', 'devs']]), alice, new RecordingAuthorizer()).catch((e: unknown) => e);
    expect(err instanceof StatusError && err.code).toBe(400);
    expect(String((err as Error).message)).toContain('without impersonating a user');
  });

  it('refuses with a 403 naming what the authorizer refused', async () => {
    const authz = new RecordingAuthorizer((a) => a.resource === 'groups' && a.name === 'system:masters');
    const err = await actingUser(
      request([
        ['Impersonate-User', 'bob'],
        ['Impersonate-Group', 'system:masters'],
      ]),
      alice,
      authz,
    ).catch((e: unknown) => e);
    expect(err instanceof StatusError && err.code).toBe(403);
    expect((err as Error).message).toBe(
      'groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope: not today',
    );
  });

  it('is allowed to every authenticated user by the default authorizer, and to no one else', async () => {
    const req = request([['Impersonate-User', 'bob']]);
    expect((await actingUser(req, alice, new AllowAuthenticatedAuthorizer())).user.username).toBe('bob');
    const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    await expect(actingUser(req, anonymous, new AllowAuthenticatedAuthorizer())).rejects.toThrow(/cannot impersonate/);
  });
});
