/**
 * A stand-in for the scheduler and the kubelet in controller tests: it "runs" pods by
 * writing the status a kubelet would, after a virtual delay, so workload controllers
 * (ReplicaSets, Deployments, ...) see their pods become Running and Ready without nodes.
 *
 * What it does NOT model: no containers run, no images are pulled, no probes run (a pod is
 * Ready as soon as it is Running), no resources or node capacity are checked, no restarts
 * happen after the pod is up, no volumes, no Node objects or leases. Pods without a node
 * are bound to the test node at once (no scheduling decisions).
 */
import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  isNotFound,
  objectKey,
  ObjectStoreToken,
  Pods,
  rfc3339,
  type Clock,
  type ControllerBlueprint,
  type ObjectStore,
  type Pod,
  type Reconciler,
  type Request,
  type Result,
} from '@converge/core';
import { controllerBlueprintOf } from '@converge/core/runtime';
import { inject, optional } from 'inversify';

/** Options of the test kubelet. */
export interface TestKubeletOptions {
  /** Virtual ms between a pod's creation (or its binding) and its start; default 1,000. */
  delayMs?: number;
  /** Virtual ms a pod being deleted keeps terminating before the kubelet removes it; default 0. */
  terminationDelayMs?: number;
  /** The node pods without one are bound to, and whose pods it runs; default `test-node`. */
  nodeName?: string;
  /** Also run pods bound to other nodes; default false. */
  allNodes?: boolean;
  /** Pods for which this returns true start but never become ready: their containers crash-loop. */
  fail?: (pod: Pod) => boolean;
}

/** The inversify token of the test kubelet's options (optional; defaults apply without it). */
export const TestKubeletOptionsToken = Symbol.for('converge.testing.TestKubeletOptions');

/**
 * Marks pods Running and Ready the way a kubelet reports them: `status.phase: Running`,
 * conditions PodScheduled, Initialized, ContainersReady and Ready, a ready container
 * status per container, `startTime`, `hostIP` and a `podIP` from 127.0.0.0/8; and removes
 * pods being deleted (a delete with grace period 0). Time is the injected Clock.
 *
 * Like a kubelet's pod workers, it handles up to 64 pods at once.
 *
 * `@Controller({ for: Pods, maxConcurrentReconciles: 64 })`; add it as `env.add(TestKubelet)` (defaults) or
 * `env.add(testKubelet({ store, clock, delayMs: 500 }))`.
 */
@Controller({ name: 'test-kubelet', for: Pods, maxConcurrentReconciles: 64 })
export class TestKubelet implements Reconciler {
  private readonly delayMs: number;
  private readonly terminationDelayMs: number;
  private readonly nodeName: string;
  private nextIp = 0;

  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(TestKubeletOptionsToken) @optional() private readonly options: TestKubeletOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 1000;
    this.terminationDelayMs = options.terminationDelayMs ?? 0;
    this.nodeName = options.nodeName ?? 'test-node';
  }

  /** Moves one pod along: bind, start after the delay, or finish its deletion. */
  async reconcile(request: Request): Promise<Result | void> {
    let pod: Pod;
    try {
      pod = await this.store.get(Pods, request);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const node = pod.spec?.nodeName;
    if (node && node !== this.nodeName && !this.options.allNodes) return;
    const now = this.clock.now();
    if (pod.metadata.deletionTimestamp) return this.finishDeletion(pod, now);
    const phase = pod.status?.phase;
    if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') return;
    const createdAt = Date.parse(pod.metadata.creationTimestamp ?? '') || now;
    const startAt = createdAt + this.delayMs;
    if (now < startAt) return { requeueAfter: startAt - now };
    if (!node) pod = await this.bind(pod);
    await this.start(pod, now);
  }

  private async bind(pod: Pod): Promise<Pod> {
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.metadata.name!, namespace: pod.metadata.namespace! },
      target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName },
    };
    return (await this.store.create(Pods, binding as never, { subresource: 'binding', name: pod.metadata.name! })) as Pod;
  }

  private async start(pod: Pod, now: number): Promise<void> {
    const ts = rfc3339(now);
    const failing = this.options.fail?.(pod) ?? false;
    const ready = failing ? 'False' : 'True';
    const containers = pod.spec?.containers ?? [];
    const status = {
      phase: 'Running',
      startTime: ts,
      hostIP: '127.0.0.1',
      hostIPs: [{ ip: '127.0.0.1' }],
      podIP: this.allocateIp(),
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: ts },
        { type: 'Initialized', status: 'True', lastTransitionTime: ts },
        { type: 'ContainersReady', status: ready, lastTransitionTime: ts, ...(failing ? { reason: 'ContainersNotReady' } : {}) },
        { type: 'Ready', status: ready, lastTransitionTime: ts, ...(failing ? { reason: 'ContainersNotReady' } : {}) },
      ],
      containerStatuses: containers.map((c, i) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: `test://${c.image ?? ''}`,
        containerID: `test://${pod.metadata.uid ?? ''}-${i}`,
        ready: !failing,
        started: !failing,
        restartCount: failing ? 1 : 0,
        state: failing
          ? { waiting: { reason: 'CrashLoopBackOff', message: 'the test kubelet fails this pod' } }
          : { running: { startedAt: ts } },
      })),
    };
    (status as Record<string, unknown>)['podIPs'] = [{ ip: status.podIP }];
    try {
      await this.store.patch(Pods, objectKey(pod), { type: 'merge', body: { status } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async finishDeletion(pod: Pod, now: number): Promise<Result | void> {
    const grace = pod.metadata.deletionGracePeriodSeconds ?? 0;
    const requestedAt = (Date.parse(pod.metadata.deletionTimestamp!) || now) - grace * 1000;
    const goneAt = requestedAt + this.terminationDelayMs;
    if (now < goneAt) return { requeueAfter: goneAt - now };
    try {
      await this.store.delete(Pods, objectKey(pod), { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid! } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** 127.1.0.1, 127.1.0.2, ...: loopback addresses, never .0 or .255. */
  private allocateIp(): string {
    const n = this.nextIp++;
    const host = (n % 254) + 1;
    const mid = Math.floor(n / 254) % 256;
    const high = 1 + (Math.floor(n / (254 * 256)) % 254);
    return `127.${high}.${mid}.${host}`;
  }
}

/** Options of `testKubelet`: the store and clock it works with, and its behaviour. */
export interface TestKubeletBlueprintOptions extends TestKubeletOptions {
  /** Where pods are read and their status written (e.g. `env.store`). */
  store: ObjectStore;
  /** The clock the delays run on (e.g. `env.clock`). */
  clock: Clock;
}

/**
 * A TestKubelet with options, as a blueprint a test environment or manager adds:
 * `env.add(testKubelet({ store: env.store, clock: env.clock, delayMs: 500 }))`.
 */
export function testKubelet(options: TestKubeletBlueprintOptions): ControllerBlueprint {
  const { store, clock, ...rest } = options;
  return controllerBlueprintOf(new TestKubelet(store, clock, rest));
}
