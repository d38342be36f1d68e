/**
 * Nodes, Leases and pods for the node controllers' tests, and a kubelet stand-in that renews
 * Leases and posts Ready on virtual time.
 */
import { Leases, Nodes, rfc3339, type Lease, type Node, type Pod, type Toleration } from '@converge/core';
import { microTime } from '@converge/core/runtime';
import type { TestEnv } from '@converge/testing';
import { NODE_LEASE_NAMESPACE } from '../node/node-lifecycle-options.js';

/** A Ready node (heartbeat at `now`), with optional labels and spec. */
export function readyNode(name: string, now: number, extra: { labels?: Record<string, string>; spec?: Node['spec'] } = {}): Node {
  const ts = rfc3339(now);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    ...(extra.spec ? { spec: extra.spec } : {}),
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: ts, lastTransitionTime: ts },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', lastHeartbeatTime: ts, lastTransitionTime: ts },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', lastHeartbeatTime: ts, lastTransitionTime: ts },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: ts, lastTransitionTime: ts },
      ],
    },
  } as Node;
}

/** The heartbeat Lease of a node, renewed at `now`. */
export function nodeLease(name: string, now: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: NODE_LEASE_NAMESPACE },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(now) },
  } as Lease;
}

/** A pod of one container, bound to `nodeName` when given. */
export function podOn(name: string, nodeName: string | undefined, tolerations?: Toleration[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [{ name: 'c', image: 'img:1' }],
      ...(nodeName ? { nodeName } : {}),
      ...(tolerations ? { tolerations } : {}),
    },
  } as Pod;
}

/** The toleration DefaultTolerationSeconds admission adds: `key` NoExecute for `seconds`. */
export function tolerateFor(key: string, seconds: number): Toleration {
  return { key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds };
}

/** Renews the Leases of `names` now. */
export async function renewLeases(env: TestEnv, names: readonly string[]): Promise<void> {
  for (const name of names)
    await env.store.patch(
      Leases,
      { namespace: NODE_LEASE_NAMESPACE, name },
      { type: 'merge', body: { spec: { renewTime: microTime(env.clock.now()) } } },
    );
}

/** Lets `ms` pass in 10 s steps, renewing the Leases of `alive` at each step, as their kubelets would. */
export async function runWithLeases(env: TestEnv, ms: number, alive: readonly string[]): Promise<void> {
  for (let left = ms; left > 0; left -= 10_000) {
    await renewLeases(env, alive);
    await env.runFor(Math.min(10_000, left));
  }
}

/** Posts Ready=True for a node now, as its kubelet does when it comes back. */
export async function postReady(env: TestEnv, name: string): Promise<void> {
  const node = readyNode(name, env.clock.now());
  await env.store.patch(Nodes, { name }, { type: 'merge', body: { status: node.status } }, { subresource: 'status' });
}

/** A node's condition of a type. */
export function conditionOf(env: TestEnv, name: string, type: string) {
  return env.store.peek(Nodes, { name })?.status?.conditions?.find((c) => c.type === type);
}

/** A node's taints as `key:effect`, sorted. */
export function taintsOf(env: TestEnv, name: string): string[] {
  return (env.store.peek(Nodes, { name })?.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
}
