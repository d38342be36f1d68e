/**
 * Impersonation with the real kubectl (`--as`, `--as-group`) against a server whose authorizer
 * lets only the admin impersonate, and lets `bob` only read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizationAttributes, Authorizer } from './authorizer.js';
import type { Kubectl } from '../testing/kubectl.js';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';

const asked: AuthorizationAttributes[] = [];
const authorizer: Authorizer = {
  async authorize(a) {
    asked.push(a);
    if (a.verb === 'impersonate')
      return a.user.username === 'admin' ? { decision: 'allow' } : { decision: 'noOpinion', reason: 'only the admin impersonates' };
    if (a.user.username === 'bob')
      return ['get', 'list', 'watch', 'create'].includes(a.verb) &&
        (a.verb !== 'create' || a.resource === 'selfsubjectreviews' || a.resource === 'selfsubjectaccessreviews')
        ? { decision: 'allow' }
        : { decision: 'noOpinion' };
    return a.user.groups.includes('system:authenticated') ? { decision: 'allow' } : { decision: 'noOpinion' };
  },
  async rulesFor() {
    return { resourceRules: [], nonResourceRules: [], incomplete: true };
  },
};

let t: TestServer;
let k: Kubectl;
beforeAll(async () => {
  t = await startTestServer({ authorizer, authentication: { tokens: [{ token: 'alice-token', user: 'alice', uid: 'a1', groups: [] }] } });
  k = t.kubectl();
});
afterAll(async () => {
  await t?.close();
});

describe('kubectl --as', () => {
  it('auth whoami --as=bob --as-group=devs prints bob and his groups', async () => {
    const out = await k.ok(['auth', 'whoami', '--as=bob', '--as-group=devs']);
    expect(out).toMatch(/Username\s+bob/);
    expect(out).toMatch(/Groups\s+\[devs system:authenticated\]/);
    expect(asked.filter((a) => a.verb === 'impersonate').map((a) => `${a.resource}/${a.name}`)).toEqual(
      expect.arrayContaining(['users/bob', 'groups/devs']),
    );
  });

  it('authorizes the request as the impersonated user', async () => {
    expect((await k.run(['auth', 'can-i', 'delete', 'pods', '--as=bob'])).stdout.trim()).toBe('no');
    expect((await k.run(['auth', 'can-i', 'delete', 'pods'])).stdout.trim()).toBe('yes');
    const r = await k.run(['create', 'configmap', 'as-bob', '--as=bob']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('User "bob" cannot create resource "configmaps" in API group "" in the namespace "default"');
    expect(await k.ok(['get', 'namespaces', 'default', '--as=bob', '-o', 'name'])).toBe('namespace/default\n');
  });

  it('refuses impersonation to a caller the authorizer does not allow it', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces', token: 'alice-token', headers: { 'Impersonate-User': 'admin' } });
    expect(r.status).toBe(403);
    expect(r.json()).toMatchObject({
      reason: 'Forbidden',
      message:
        'users "admin" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope: only the admin impersonates',
    });
  });

  it('refuses groups without a user', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces', headers: { 'Impersonate-Group': 'devs' } });
    expect(r.status).toBe(400);
  });
});
