import { Deployments, Events, forbidden, Pods, ReplicaSets, type Deployment, type Pod, type ReplicaSet } from '@converge/core';
import { fail, startTestEnv, testKubelet, type TestEnv, type TestKubeletOptions } from '@converge/testing';
import '@converge/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentController } from './deployment.controller.js';
import { computeTemplateHash, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from './deployment-util.js';
import { ReplicaSetController } from './replicaset.controller.js';

const deployment = (name: string, replicas: number, spec: Partial<NonNullable<Deployment['spec']>> = {}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
    ...spec,
  },
});

const KEY = { namespace: 'default', name: 'web' };
let env: TestEnv | undefined;

async function start(objects: Deployment[], kubelet: TestKubeletOptions = {}): Promise<TestEnv> {
  env = await startTestEnv({ objects, controllers: [DeploymentController, ReplicaSetController] });
  env.add(testKubelet({ store: env.store, clock: env.clock, delayMs: 1_000, ...kubelet }));
  return env;
}

const settle = () => env!.runUntilQuiescent({ maxReconciles: 20_000 });

async function replicaSets(): Promise<ReplicaSet[]> {
  return (await env!.store.list(ReplicaSets, { namespace: 'default' })).items;
}

async function activePods(): Promise<Pod[]> {
  return (await env!.store.list(Pods, { namespace: 'default' })).items.filter((p) => !p.metadata.deletionTimestamp);
}

async function setImage(image: string): Promise<void> {
  await env!.store.patch(Deployments, KEY, {
    type: 'json',
    body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: image }],
  });
}

function condition(d: Deployment | undefined, type: string) {
  return d?.status?.conditions?.find((c) => c.type === type);
}

/** What `kubectl rollout status` waits for. */
function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === want &&
    (s.replicas ?? 0) === want &&
    (s.availableReplicas ?? 0) === want
  );
}

afterEach(async () => {
  await env?.stop();
  env = undefined;
});

describe('DeploymentController', () => {
  it('makes one ReplicaSet with the pod-template-hash and revision 1, and ten running pods', async () => {
    await start([deployment('web', 10)]);
    await settle();
    const rss = await replicaSets();
    expect(rss).toHaveLength(1);
    const rs = rss[0]!;
    const hash = rs.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec?.selector?.matchLabels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
    expect(rs.spec?.template?.metadata?.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
    expect(rs.metadata.annotations).toMatchObject({
      [REVISION_ANNOTATION]: '1',
      'deployment.kubernetes.io/desired-replicas': '10',
      'deployment.kubernetes.io/max-replicas': '13',
    });
    expect(rs.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    const pods = await activePods();
    expect(pods).toHaveLength(10);
    expect(pods.every((p) => p.metadata.labels?.[POD_TEMPLATE_HASH_LABEL] === hash && p.status?.phase === 'Running')).toBe(true);
    const d = env!.peek(Deployments, KEY)!;
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('1');
    expect(d.status).toMatchObject({
      replicas: 10,
      updatedReplicas: 10,
      readyReplicas: 10,
      availableReplicas: 10,
      unavailableReplicas: 0,
      observedGeneration: 1,
    });
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(rolledOut(d)).toBe(true);
    await env!.manager.container.get(DeploymentController).events.flush();
    const events = (await env!.store.list(Events, { namespace: 'default' })).items;
    expect(events.map((e) => [e.involvedObject?.kind, e.reason, e.message])).toContainEqual([
      'Deployment',
      'ScalingReplicaSet',
      `Scaled up replica set ${rs.metadata.name} from 0 to 10`,
    ]);
  });

  it('rolls a new image over while keeping maxSurge and maxUnavailable at every moment of the pod watch', async () => {
    // 25% of 10: surge rounds up to 3, unavailability down to 2
    await start([
      deployment('web', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }),
    ]);
    await settle();
    const pods = new Map<string, Pod>();
    for (const p of await activePods()) pods.set(p.metadata.name!, p);
    let maxPods = 0;
    let minReady = Infinity;
    const sub = env!.store
      .watch(Pods, { namespace: 'default', resourceVersion: env!.store.peek(Deployments, KEY)!.metadata.resourceVersion! })
      .subscribe((e) => {
        if (e.type === 'BOOKMARK') return;
        const p = e.object as Pod;
        if (e.type === 'DELETED' || p.metadata.deletionTimestamp) pods.delete(p.metadata.name!);
        else pods.set(p.metadata.name!, p);
        const all = [...pods.values()];
        maxPods = Math.max(maxPods, all.length);
        minReady = Math.min(
          minReady,
          all.filter((x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length,
        );
      });
    await setImage('app:2');
    await settle();
    sub.unsubscribe();
    expect(maxPods).toBeLessThanOrEqual(13);
    expect(maxPods).toBeGreaterThan(10); // it did surge
    expect(minReady).toBeGreaterThanOrEqual(8);
    const rss = await replicaSets();
    expect(rss).toHaveLength(2);
    const current = rss.find((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'app:2')!;
    const old = rss.find((rs) => rs !== current)!;
    expect(current.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    expect(old.spec?.replicas).toBe(0);
    expect((await activePods()).every((p) => p.spec?.containers[0]?.image === 'app:2')).toBe(true);
    const d = env!.peek(Deployments, KEY)!;
    expect(d.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
    expect(rolledOut(d)).toBe(true);
    expect(condition(d, 'Progressing')).toMatchObject({
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${current.metadata.name}" has successfully progressed.`,
    });
  });

  it('returns to the old ReplicaSet on rollout undo, bumping its revision', async () => {
    await start([deployment('web', 4)]);
    await settle();
    await setImage('app:2');
    await settle();
    const first = (await replicaSets()).find((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === '1')!;
    // what `kubectl rollout undo` does: put the old ReplicaSet's template (without the hash label) back
    const template = structuredClone(first.spec!.template!) as NonNullable<Deployment['spec']>['template'];
    delete template.metadata!.labels![POD_TEMPLATE_HASH_LABEL];
    await env!.store.patch(Deployments, KEY, { type: 'json', body: [{ op: 'replace', path: '/spec/template', value: template }] });
    await settle();
    const rss = await replicaSets();
    expect(rss).toHaveLength(2);
    const back = rss.find((rs) => rs.metadata.uid === first.metadata.uid)!;
    expect(back.spec?.replicas).toBe(4);
    expect(back.metadata.annotations).toMatchObject({ [REVISION_ANNOTATION]: '3', [REVISION_HISTORY_ANNOTATION]: '1' });
    expect(env!.peek(Deployments, KEY)!.metadata.annotations?.[REVISION_ANNOTATION]).toBe('3');
    expect((await activePods()).every((p) => p.spec?.containers[0]?.image === 'app:1')).toBe(true);
  });

  it('starts a new ReplicaSet on rollout restart (a template annotation)', async () => {
    await start([deployment('web', 2)]);
    await settle();
    await env!.store.patch(Deployments, KEY, {
      type: 'merge',
      body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-07T19:00:00Z' } } } } },
    });
    await settle();
    const rss = await replicaSets();
    expect(rss).toHaveLength(2);
    const current = rss.find((rs) => rs.spec?.replicas === 2)!;
    expect(current.spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe('2026-12-07T19:00:00Z');
    expect(current.metadata.annotations?.[REVISION_ANNOTATION]).toBe('2');
  });

  it('does not roll out while paused, still scales, and rolls out once resumed', async () => {
    await start([deployment('web', 3)]);
    await settle();
    await env!.store.patch(Deployments, KEY, { type: 'merge', body: { spec: { paused: true } } });
    await setImage('app:2');
    await settle();
    expect(await replicaSets()).toHaveLength(1);
    expect(condition(env!.peek(Deployments, KEY), 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    await env!.store.patch(Deployments, KEY, { type: 'merge', body: { spec: { replicas: 5 } } });
    await settle();
    const rss = await replicaSets();
    expect(rss).toHaveLength(1);
    expect(rss[0]!.spec?.replicas).toBe(5);
    expect(await activePods()).toHaveLength(5);
    await env!.store.patch(Deployments, KEY, { type: 'merge', body: { spec: { paused: false } } });
    await settle();
    expect(await replicaSets()).toHaveLength(2);
    expect((await activePods()).every((p) => p.spec?.containers[0]?.image === 'app:2')).toBe(true);
    expect(rolledOut(env!.peek(Deployments, KEY)!)).toBe(true);
  });

  it('reports ProgressDeadlineExceeded when the new pods never become ready', async () => {
    await start([deployment('web', 3, { progressDeadlineSeconds: 60 })], { fail: (p) => p.spec?.containers[0]?.image === 'app:broken' });
    await settle();
    const before = env!.clock.now();
    await setImage('app:broken');
    await settle();
    const d = env!.peek(Deployments, KEY)!;
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(env!.clock.now() - before).toBeGreaterThanOrEqual(60_000);
    // old pods keep serving: maxUnavailable is 25% of 3 rounded down, 0, so only the one surge pod was tried
    expect(d.status?.availableReplicas).toBe(3);
    expect(condition(d, 'Available')).toMatchObject({ status: 'True' });
    expect(rolledOut(d)).toBe(false);
  });

  it('replaces every old pod before starting new ones with the Recreate strategy', async () => {
    await start([deployment('web', 3, { strategy: { type: 'Recreate' } })]);
    await settle();
    const live = new Map<string, Pod>();
    for (const p of await activePods()) live.set(p.metadata.name!, p);
    let overlap = false;
    const sub = env!.store
      .watch(Pods, { namespace: 'default', resourceVersion: env!.store.peek(Deployments, KEY)!.metadata.resourceVersion! })
      .subscribe((e) => {
        if (e.type === 'BOOKMARK') return;
        const p = e.object as Pod;
        if (e.type === 'DELETED') live.delete(p.metadata.name!);
        else live.set(p.metadata.name!, p);
        const images = new Set([...live.values()].map((x) => x.spec?.containers[0]?.image));
        if (images.size > 1) overlap = true;
      });
    await setImage('app:2');
    await settle();
    sub.unsubscribe();
    expect(overlap).toBe(false);
    expect((await activePods()).map((p) => p.spec?.containers[0]?.image)).toEqual(['app:2', 'app:2', 'app:2']);
    expect(rolledOut(env!.peek(Deployments, KEY)!)).toBe(true);
  });

  it('reports a ReplicaFailure when its pods cannot be created, and clears it once they can', async () => {
    await start([]);
    const quota = env!.store.intercept(
      { verb: 'create', resource: 'pods' },
      fail(forbidden({ resource: 'pods' }, '', 'exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0')),
    );
    await env!.store.create(Deployments, deployment('web', 2));
    await env!.runUntilQuiescent({ maxReconciles: 20_000, allowDelayed: true });
    const failing = env!.peek(Deployments, KEY)!;
    expect(condition(failing, 'ReplicaFailure')).toMatchObject({
      status: 'True',
      reason: 'FailedCreate',
      message: expect.stringContaining('exceeded quota'),
    });
    expect(condition(failing, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    quota.remove();
    await settle();
    const fine = env!.peek(Deployments, KEY)!;
    expect(condition(fine, 'ReplicaFailure')).toBeUndefined();
    expect(rolledOut(fine)).toBe(true);
  });

  it('counts a hash collision and names its ReplicaSet with the next hash', async () => {
    await start([]);
    // paused: no ReplicaSet yet; meanwhile a ReplicaSet takes the name its template hashes to
    const d = await env!.store.create(Deployments, { ...deployment('web', 1), spec: { ...deployment('web', 1).spec!, paused: true } });
    await settle();
    expect(await replicaSets()).toEqual([]);
    const taken = `web-${computeTemplateHash(d.spec!.template)}`;
    await env!.store.create(ReplicaSets, {
      metadata: { name: taken, namespace: 'default' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { other: 'x' } },
        template: { metadata: { labels: { other: 'x' } }, spec: { containers: [{ name: 'c', image: 'else:1' }] } },
      },
    } as ReplicaSet);
    await env!.store.patch(Deployments, KEY, { type: 'merge', body: { spec: { paused: false } } });
    await env!.runUntilQuiescent({ maxReconciles: 20_000, allowDelayed: true });
    await settle();
    const after = env!.peek(Deployments, KEY)!;
    expect(after.status?.collisionCount).toBe(1);
    const mine = (await replicaSets()).filter((rs) => rs.metadata.name !== taken);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.metadata.name).toBe(`web-${computeTemplateHash(after.spec!.template, 1)}`);
    expect(rolledOut(after)).toBe(true);
  });

  it('deletes old ReplicaSets beyond revisionHistoryLimit', async () => {
    await start([deployment('web', 1, { revisionHistoryLimit: 1 })]);
    await settle();
    for (const image of ['app:2', 'app:3', 'app:4']) {
      await setImage(image);
      await settle();
    }
    const rss = await replicaSets();
    expect(rss.map((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION]).sort()).toEqual(['3', '4']);
  });

  it('spreads a scale-up during a rollout over the ReplicaSets in proportion to their size', async () => {
    await start([deployment('web', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } } })], {
      fail: (p) => p.spec?.containers[0]?.image === 'app:stuck',
    });
    await settle();
    await setImage('app:stuck'); // the new pods never get ready: the rollout stops at 10 old + 3 new
    await settle();
    let rss = await replicaSets();
    const newRS = () => rss.find((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'app:stuck')!;
    const oldRS = () => rss.find((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'app:1')!;
    expect([oldRS().spec?.replicas, newRS().spec?.replicas]).toEqual([10, 3]);
    await env!.store.patch(Deployments, KEY, { type: 'merge', body: { spec: { replicas: 20 } } });
    await settle();
    rss = await replicaSets();
    // 20 + 3 surge = 23 allowed, 13 today: +10 split 10:3 -> old +8 (round(10*23/13) - 10), new +2, leftover 0
    expect([oldRS().spec?.replicas, newRS().spec?.replicas]).toEqual([18, 5]);
    expect(oldRS().metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('20');
  });
});
