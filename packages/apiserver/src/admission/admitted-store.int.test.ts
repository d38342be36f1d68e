import { deepFreeze, Namespaces, Pods, PriorityClasses, StatusError, type Pod } from '@converge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';
import { CONTROLLER_MANAGER_USER, nodeUser } from '../auth/system-users.js';
import type { AdmissionPlugin, AdmissionRequest } from './admission.js';
import { defaultAdmissionPlugins } from '../server/api-server.js';

/** Records what the chain is asked to admit (after the default plugins). */
class RecordingPlugin implements AdmissionPlugin {
  readonly name = 'Recording';
  readonly seen: AdmissionRequest[] = [];
  validate(req: AdmissionRequest): void {
    this.seen.push({ ...req });
  }
}

const recorder = new RecordingPlugin();
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ admissionPlugins: [...defaultAdmissionPlugins(), recorder] });
  await t.registry.create(Namespaces, { metadata: { name: 'going' } });
  await t.registry.create(Namespaces, { metadata: { name: 'team' } });
  // No namespace controller runs here: `going` stays Terminating.
  await t.registry.delete(Namespaces, { name: 'going' });
  await t.registry.create(PriorityClasses, {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'high' },
    value: 1000,
  } as never);
});
afterAll(async () => {
  await t?.close();
});

function pod(name: string, namespace: string, spec: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }], ...spec },
  } as Pod;
}

function lastSeen(): AdmissionRequest {
  const r = recorder.seen.at(-1);
  if (!r) throw new Error('nothing admitted');
  return r;
}

describe('the admitted store of a running API server', () => {
  it('refuses a create in a terminating namespace with the same error as the HTTP API', async () => {
    const store = t.api.admittedStore({ user: CONTROLLER_MANAGER_USER });
    const inProcess = await store.create(Pods, pod('late', 'going')).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(inProcess).toBeInstanceOf(StatusError);
    expect((inProcess as StatusError).code).toBe(403);
    const overHttp = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/going/pods', body: pod('late', 'going') });
    expect(overHttp.status).toBe(403);
    expect((inProcess as StatusError).message).toBe(overHttp.json()['message']);
    expect((inProcess as StatusError).message).toContain('because it is being terminated');
    // The registry underneath, written to directly, would have taken it.
    await expect(t.registry.get(Pods, { namespace: 'going', name: 'late' })).rejects.toThrow(/not found/);
  });

  it('applies the mutating plugins to a create, as the writer, without changing the caller’s frozen object', async () => {
    const store = t.api.admittedStore({ user: CONTROLLER_MANAGER_USER });
    const given = deepFreeze(pod('web-1', 'team', { priorityClassName: 'high' }));
    const created = await store.create(Pods, given);
    expect(created.spec?.serviceAccountName).toBe('default');
    expect(created.spec?.priority).toBe(1000);
    expect(created.spec?.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(created.spec?.volumes?.[0]?.name).toMatch(/^kube-api-access-/);
    expect(given.spec?.tolerations).toBeUndefined();
    expect(lastSeen()).toMatchObject({
      operation: 'CREATE',
      namespace: 'team',
      name: 'web-1',
      user: { username: 'system:kube-controller-manager' },
      dryRun: false,
    });
  });

  it('admits a dry-run create and stores nothing', async () => {
    const store = t.api.admittedStore({ user: CONTROLLER_MANAGER_USER });
    const answered = await store.create(Pods, pod('dry', 'team'), { dryRun: true });
    expect(answered.spec?.tolerations).toHaveLength(2);
    expect(lastSeen()).toMatchObject({ operation: 'CREATE', name: 'dry', dryRun: true });
    await expect(t.registry.get(Pods, { namespace: 'team', name: 'dry' })).rejects.toThrow(/not found/);
  });

  it('admits updates with their object, patches and deletes without one, as the HTTP handler does', async () => {
    const store = t.api.admittedStore({ user: nodeUser('n1') });
    const current = await t.registry.get(Pods, { namespace: 'team', name: 'web-1' });
    await store.update(Pods, { ...current, status: { phase: 'Running' } } as Pod, { subresource: 'status' });
    expect(lastSeen()).toMatchObject({ operation: 'UPDATE', subresource: 'status', name: 'web-1', user: { username: 'system:node:n1' } });
    expect(lastSeen().object?.metadata.name).toBe('web-1');
    await store.patch(Pods, { namespace: 'team', name: 'web-1' }, { type: 'merge', body: { metadata: { labels: { a: 'b' } } } });
    expect(lastSeen()).toMatchObject({ operation: 'UPDATE', name: 'web-1', namespace: 'team' });
    expect(lastSeen().object).toBeUndefined();
    expect(lastSeen().apply).toBeUndefined();
    await store.delete(Pods, { namespace: 'team', name: 'web-1' }, { dryRun: true });
    expect(lastSeen()).toMatchObject({ operation: 'DELETE', name: 'web-1', dryRun: true });
    expect(await t.registry.get(Pods, { namespace: 'team', name: 'web-1' })).toBeDefined();
  });

  it('refuses what the validating plugins refuse on deletes: the default namespace stays', async () => {
    const store = t.api.admittedStore({ user: CONTROLLER_MANAGER_USER });
    await expect(store.delete(Namespaces, { name: 'default' })).rejects.toThrow(/may not be deleted/);
    expect((await t.registry.get(Namespaces, { name: 'default' })).metadata.deletionTimestamp).toBeUndefined();
  });

  it('passes reads and watches through unadmitted', async () => {
    const store = t.api.admittedStore({ user: CONTROLLER_MANAGER_USER });
    const before = recorder.seen.length;
    expect((await store.get(Namespaces, { name: 'team' })).metadata.name).toBe('team');
    expect((await store.list(Pods, { namespace: 'team' })).items.map((p) => p.metadata.name)).toEqual(['web-1']);
    expect(recorder.seen.length).toBe(before);
  });
});
