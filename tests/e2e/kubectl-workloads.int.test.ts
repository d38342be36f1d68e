/**
 * Workloads as kubectl drives them against `converge up --simulated-nodes 2`: the Deployment
 * and ReplicaSet controllers run in process and the simulated node agent (kwok-style: no
 * containers run) binds the pods and reports them Running and Ready, so rollouts complete.
 * Then the same `kubectl create deployment` without simulated nodes: pods exist, Pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startConvergeCluster, type ConvergeCluster } from './support/converge-cluster.js';

let c: ConvergeCluster;
let plain: ConvergeCluster;
beforeAll(async () => {
  [c, plain] = await Promise.all([startConvergeCluster({ args: ['--simulated-nodes', '2'] }), startConvergeCluster()]);
});
afterAll(async () => {
  if (c) expect(await c.stop()).toBe(0);
  if (plain) expect(await plain.stop()).toBe(0);
});

interface Item {
  metadata: {
    name: string;
    uid: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string }[];
    deletionTimestamp?: string;
  };
  spec?: { nodeName?: string; replicas?: number; template?: { spec: { containers: { image: string }[] } } };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

function items(cluster: ConvergeCluster, ns: string, resource: string, selector?: string): Item[] {
  const args = ['-n', ns, 'get', resource, '-o', 'json', ...(selector ? ['-l', selector] : [])];
  return (JSON.parse(ok(cluster.kubectl(args))) as { items: Item[] }).items;
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const live = (pods: Item[]) => pods.filter((p) => !p.metadata.deletionTimestamp);
const image = (rs: Item) => rs.spec?.template?.spec.containers[0]?.image;
const rollout = (ns: string, name = 'web') =>
  ok(c.kubectl(['-n', ns, 'rollout', 'status', `deployment/${name}`, '--timeout=60s'], { timeoutMs: 65_000 }));

describe('kubectl and Deployments on simulated nodes', () => {
  it('registers Ready Nodes with addresses on 127.0.0.x', () => {
    const nodes = JSON.parse(ok(c.kubectl(['get', 'nodes', '-o', 'json']))) as {
      items: {
        metadata: { name: string };
        status: {
          addresses: { type: string; address: string }[];
          conditions: { type: string; status: string }[];
          capacity: Record<string, string>;
        };
      }[];
    };
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(['converge-node-1', 'converge-node-2']);
    for (const n of nodes.items) {
      expect(n.status.conditions.find((x) => x.type === 'Ready')?.status).toBe('True');
      expect(n.status.addresses.find((a) => a.type === 'InternalIP')?.address).toMatch(/^127\.0\.0\.\d+$/);
      expect(n.status.capacity['pods']).toBe('110');
    }
    expect(ok(c.kubectl(['get', 'nodes']))).toMatch(/converge-node-1\s+Ready/);
  });

  it('create, scale, set image, rollout status, history, undo and restart', async () => {
    ok(c.kubectl(['create', 'namespace', 'w1']));
    ok(c.kubectl(['-n', 'w1', 'create', 'deployment', 'web', '--image=nginx', '--replicas=3']));
    expect(rollout('w1')).toContain('successfully rolled out');
    const [rs1] = items(c, 'w1', 'replicasets');
    expect(rs1!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web' });
    const pods = items(c, 'w1', 'pods');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', uid: rs1!.metadata.uid });
      expect(p.status?.phase).toBe('Running');
      expect(p.spec?.nodeName).toMatch(/^converge-node-[12]$/);
    }
    // Round-robin binding: both nodes get pods.
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(2);

    ok(c.kubectl(['-n', 'w1', 'scale', 'deployment', 'web', '--replicas=5']));
    expect(rollout('w1')).toContain('successfully rolled out');
    expect(live(items(c, 'w1', 'pods'))).toHaveLength(5);

    ok(c.kubectl(['-n', 'w1', 'set', 'image', 'deployment/web', 'nginx=nginx:2']));
    expect(rollout('w1')).toContain('successfully rolled out');
    const afterSet = items(c, 'w1', 'replicasets');
    expect(afterSet).toHaveLength(2);
    const rs2 = afterSet.find((r) => image(r) === 'nginx:2')!;
    expect(rs2.spec?.replicas).toBe(5);
    expect(afterSet.find((r) => image(r) === 'nginx')!.spec?.replicas).toBe(0);
    await until(() => live(items(c, 'w1', 'pods')).length === 5 && items(c, 'w1', 'pods').length === 5, 'the old pods to be removed');

    const history = ok(c.kubectl(['-n', 'w1', 'rollout', 'history', 'deployment/web']));
    expect(history).toMatch(/^1\s/m);
    expect(history).toMatch(/^2\s/m);

    ok(c.kubectl(['-n', 'w1', 'rollout', 'undo', 'deployment/web']));
    expect(rollout('w1')).toContain('successfully rolled out');
    const dep = JSON.parse(ok(c.kubectl(['-n', 'w1', 'get', 'deployment', 'web', '-o', 'json']))) as Item;
    expect(image(dep)).toBe('nginx');
    expect(dep.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    // The undo brought back the first ReplicaSet (revision 3 now), no third one.
    expect(items(c, 'w1', 'replicasets')).toHaveLength(2);

    ok(c.kubectl(['-n', 'w1', 'rollout', 'restart', 'deployment/web']));
    const restarted = JSON.parse(ok(c.kubectl(['-n', 'w1', 'get', 'deployment', 'web', '-o', 'json']))) as {
      spec: { template: { metadata: { annotations?: Record<string, string> } } };
    };
    expect(restarted.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    expect(rollout('w1')).toContain('successfully rolled out');
    const afterRestart = items(c, 'w1', 'replicasets');
    expect(afterRestart).toHaveLength(3);
    expect(afterRestart.filter((r) => (r.spec?.replicas ?? 0) > 0)).toHaveLength(1);
    expect(ok(c.kubectl(['-n', 'w1', 'rollout', 'history', 'deployment/web']))).toMatch(/^4\s/m);
  });

  it('a paused Deployment makes no new ReplicaSet until it is resumed', async () => {
    ok(c.kubectl(['create', 'namespace', 'w2']));
    ok(c.kubectl(['-n', 'w2', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']));
    rollout('w2');
    ok(c.kubectl(['-n', 'w2', 'rollout', 'pause', 'deployment/web']));
    ok(c.kubectl(['-n', 'w2', 'set', 'image', 'deployment/web', 'nginx=nginx:2']));
    // Give the controller time to (wrongly) act; the Deployment's observedGeneration shows it saw the change.
    await until(() => {
      const d = JSON.parse(ok(c.kubectl(['-n', 'w2', 'get', 'deployment', 'web', '-o', 'json']))) as {
        metadata: { generation: number };
        status?: { observedGeneration?: number };
      };
      return d.status?.observedGeneration === d.metadata.generation;
    }, 'the paused Deployment to be observed');
    expect(items(c, 'w2', 'replicasets')).toHaveLength(1);
    ok(c.kubectl(['-n', 'w2', 'rollout', 'resume', 'deployment/web']));
    expect(rollout('w2')).toContain('successfully rolled out');
    const sets = items(c, 'w2', 'replicasets');
    expect(sets).toHaveLength(2);
    expect(sets.find((r) => image(r) === 'nginx:2')?.spec?.replicas).toBe(2);
  });

  it('kubectl delete deployment --cascade=foreground, orphan and background, then delete namespace', async () => {
    ok(c.kubectl(['create', 'namespace', 'w3']));
    for (const name of ['fg', 'orphan', 'bg']) {
      ok(c.kubectl(['-n', 'w3', 'create', 'deployment', name, '--image=nginx', '--replicas=2']));
      rollout('w3', name);
    }
    ok(c.kubectl(['-n', 'w3', 'delete', 'deployment', 'fg', '--cascade=foreground'], { timeoutMs: 60_000 }));
    expect(items(c, 'w3', 'replicasets', 'app=fg')).toEqual([]);
    expect(items(c, 'w3', 'pods', 'app=fg')).toEqual([]);

    ok(c.kubectl(['-n', 'w3', 'delete', 'deployment', 'orphan', '--cascade=orphan'], { timeoutMs: 60_000 }));
    const orphans = items(c, 'w3', 'replicasets', 'app=orphan');
    expect(orphans).toHaveLength(1);
    expect(orphans[0]!.metadata.ownerReferences ?? []).toEqual([]);
    expect(live(items(c, 'w3', 'pods', 'app=orphan'))).toHaveLength(2);

    ok(c.kubectl(['-n', 'w3', 'delete', 'deployment', 'bg', '--cascade=background']));
    await until(
      () => items(c, 'w3', 'replicasets', 'app=bg').length === 0 && items(c, 'w3', 'pods', 'app=bg').length === 0,
      'the background deletion to finish',
    );

    ok(c.kubectl(['delete', 'namespace', 'w3'], { timeoutMs: 60_000 }));
    expect(c.kubectl(['get', 'namespace', 'w3']).status).not.toBe(0);
  });
});

describe('kubectl and Deployments without simulated nodes', () => {
  it('kubectl create deployment gives a ReplicaSet and its pods as objects, Pending (nothing runs them)', async () => {
    ok(plain.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=3']));
    await until(() => items(plain, 'default', 'pods').length === 3, 'three pods');
    const [rs] = items(plain, 'default', 'replicasets');
    for (const p of items(plain, 'default', 'pods')) {
      expect(p.metadata.ownerReferences?.[0]?.uid).toBe(rs!.metadata.uid);
      expect(p.status?.phase).toBe('Pending');
      expect(p.spec?.nodeName).toBeUndefined();
    }
    expect(ok(plain.kubectl(['get', 'nodes', '-o', 'name']))).toBe('');
  });
});
