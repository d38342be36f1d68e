import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authorizer } from './authorizer.js';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cv-auth-'));
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, 'alice-token,alice,1001,"dev,ops"\nbob-token,bob,1002\n');
  t = await startTestServer({ dataDir: dir, authentication: { tokenFile } });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const whoami = async (opts: { token?: string | null; cert?: { certPem: string; keyPem: string } }) => {
  const r = await call(t.api, {
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    ...opts,
  });
  return { status: r.status, body: r.json<{ status: { userInfo: { username: string; groups: string[]; uid?: string } } }>() };
};

/** Creates the namespace's `default` ServiceAccount: a server alone has none (the controller-manager makes them). */
async function createDefaultServiceAccount(ns: string): Promise<void> {
  const r = await call(t.api, {
    method: 'POST',
    path: `/api/v1/namespaces/${ns}/serviceaccounts`,
    body: { metadata: { name: 'default' } },
  });
  if (r.status !== 201 && r.status !== 409) throw new Error(`creating the default service account in ${ns}: ${r.status}`);
}

describe('authentication', () => {
  it('knows the admin token as a member of system:masters', async () => {
    const r = await whoami({});
    expect(r.status).toBe(201);
    expect(r.body.status.userInfo).toMatchObject({ username: 'admin', groups: ['system:masters', 'system:authenticated'] });
  });

  it('reads users, uids and groups from a static token file', async () => {
    expect((await whoami({ token: 'alice-token' })).body.status.userInfo).toEqual({
      username: 'alice',
      uid: '1001',
      groups: ['dev', 'ops', 'system:authenticated'],
    });
    expect((await whoami({ token: 'bob-token' })).body.status.userInfo).toMatchObject({
      username: 'bob',
      groups: ['system:authenticated'],
    });
  });

  it('authenticates client certificates signed by the cluster CA: CN is the user, O the groups', async () => {
    const cert = t.api.issueClientCertificate('carol', ['team-a', 'team-b']);
    const r = await whoami({ token: null, cert });
    expect(r.status).toBe(201);
    expect(r.body.status.userInfo).toMatchObject({ username: 'carol', groups: ['team-a', 'team-b', 'system:authenticated'] });
  });

  it('keeps the CA, serving certificate, signing key and admin token in the data dir across restarts', async () => {
    const again = await startTestServer({ dataDir: dir });
    try {
      expect(again.api.caCertPem).toBe(t.api.caCertPem);
      expect(again.api.adminToken).toBe(t.api.adminToken);
    } finally {
      await again.close();
    }
  });

  it('issues service-account tokens that authenticate as the service account until it is deleted', async () => {
    await createDefaultServiceAccount('default');
    const tr = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/serviceaccounts/default/token',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
    });
    expect(tr.status).toBe(201);
    const body = tr.json<{ kind: string; status: { token: string; expirationTimestamp: string }; spec: { audiences: string[] } }>();
    expect(body.kind).toBe('TokenRequest');
    expect(body.spec.audiences).toEqual(['https://kubernetes.default.svc.cluster.local']);
    const token = body.status.token;
    const me = await whoami({ token });
    expect(me.status).toBe(201);
    expect(me.body.status.userInfo).toMatchObject({
      username: 'system:serviceaccount:default:default',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
    });
    const review = await call(t.api, {
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    expect(review.json()).toMatchObject({ status: { authenticated: true, user: { username: 'system:serviceaccount:default:default' } } });
    const other = await call(t.api, {
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/tokenreviews',
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: ['vault'] } },
    });
    expect(other.json<{ status: { authenticated?: boolean } }>().status.authenticated).toBeUndefined();

    await call(t.api, { method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'sa-gone' } } });
    await createDefaultServiceAccount('sa-gone');
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/sa-gone/serviceaccounts', body: { metadata: { name: 'temp' } } });
    const tempToken = await t.api.serviceAccountToken('sa-gone', 'temp');
    expect((await whoami({ token: tempToken })).status).toBe(201);
    await call(t.api, { method: 'DELETE', path: '/api/v1/namespaces/sa-gone/serviceaccounts/temp' });
    expect((await whoami({ token: tempToken })).status).toBe(401);
  });

  it('refuses a token request for a missing service account or too short a lifetime', async () => {
    const missing = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/serviceaccounts/nobody/token',
      body: { spec: {} },
    });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ message: 'serviceaccounts "nobody" not found' });
    const short = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/serviceaccounts/default/token',
      body: { spec: { expirationSeconds: 60 } },
    });
    expect(short.status).toBe(400);
  });
});

describe('authorization reviews', () => {
  it('answers SelfSubjectAccessReview and SubjectAccessReview from the authorizer', async () => {
    const self = await call(t.api, {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: 'create', group: 'apps', resource: 'deployments', namespace: 'default' } },
      },
    });
    expect(self.status).toBe(201);
    expect(self.json()).toMatchObject({ kind: 'SelfSubjectAccessReview', status: { allowed: true } });
    const sar = await call(t.api, {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: 'nobody', groups: ['x'], nonResourceAttributes: { path: '/healthz', verb: 'get' } },
      },
    });
    expect(sar.json()).toMatchObject({ status: { allowed: false } });
  });

  it('lists the rules of the caller for kubectl auth can-i --list', async () => {
    const r = await call(t.api, {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } },
    });
    expect(r.json()).toMatchObject({
      status: {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      },
    });
  });

  it('asks the authorizer plug point for every request and answers 403 when it refuses', async () => {
    const denyDeletes: Authorizer = {
      async authorize(a) {
        return a.verb === 'delete' ? { decision: 'deny', reason: 'no deletes here' } : { decision: 'allow' };
      },
      async rulesFor() {
        return { resourceRules: [], nonResourceRules: [], incomplete: true };
      },
    };
    const s = await startTestServer({ authorizer: denyDeletes });
    try {
      await call(s.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { metadata: { name: 'keep' } } });
      const r = await call(s.api, { method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/keep' });
      expect(r.status).toBe(403);
      expect(r.json()).toMatchObject({
        reason: 'Forbidden',
        message:
          'configmaps "keep" is forbidden: User "admin" cannot delete resource "configmaps" in API group "" in the namespace "default": no deletes here',
      });
      expect((await call(s.api, { path: '/api/v1/namespaces/default/configmaps/keep' })).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('admission', () => {
  it('refuses to delete the system namespaces', async () => {
    const r = await call(t.api, { method: 'DELETE', path: '/api/v1/namespaces/kube-system' });
    expect(r.status).toBe(403);
    expect(r.json()).toMatchObject({
      reason: 'Forbidden',
      message: 'namespaces "kube-system" is forbidden: this namespace may not be deleted',
    });
  });

  it('refuses to create in a namespace that does not exist', async () => {
    const r = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/nowhere/configmaps', body: { metadata: { name: 'x' } } });
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ message: 'namespaces "nowhere" not found' });
  });

  it('gives pods the default service account', async () => {
    const r = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: { metadata: { name: 'sa-pod' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    });
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({ spec: { serviceAccountName: 'default' } });
  });

  it('gives pods the defaults real clusters add: priority, not-ready/unreachable tolerations, API credentials', async () => {
    const r = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: { metadata: { name: 'defaults-pod' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    });
    expect(r.status).toBe(201);
    const spec = r.json<{ spec: Record<string, any> }>().spec;
    expect(spec['priority']).toBe(0);
    expect(spec['preemptionPolicy']).toBe('PreemptLowerPriority');
    expect(spec['tolerations']).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const volume = spec['volumes'][0];
    expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(spec['containers'][0].volumeMounts).toEqual([
      { name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ]);
    const missing = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: { metadata: { name: 'no-class' }, spec: { priorityClassName: 'gold', containers: [{ name: 'c', image: 'x' }] } },
    });
    expect(missing.status).toBe(403);
    expect(missing.json()).toMatchObject({
      reason: 'Forbidden',
      message: 'pods "no-class" is forbidden: no PriorityClass with name gold was found',
    });
  });
});
