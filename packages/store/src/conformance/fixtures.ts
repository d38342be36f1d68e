import { firstValueFrom, take, toArray, timeout, type Observable } from 'rxjs';
import { StatusError, type KubeObject, type ObjectStore, type ResourceType, type WatchEvent } from '@converge/core';

/** core/v1 namespaces, addressed by identity only. */
export const NamespacesType: ResourceType = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
/** core/v1 configmaps. */
export const ConfigMapsType: ResourceType = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
/** core/v1 pods. */
export const PodsType: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
/** core/v1 nodes. */
export const NodesType: ResourceType = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
/** core/v1 replicationcontrollers. */
export const ReplicationControllersType: ResourceType = {
  group: '',
  version: 'v1',
  resource: 'replicationcontrollers',
  kind: 'ReplicationController',
  namespaced: true,
};
/** core/v1 bindings (create only). */
export const BindingsType: ResourceType = { group: '', version: 'v1', resource: 'bindings', kind: 'Binding', namespaced: true };
/** apps/v1 deployments. */
export const DeploymentsType: ResourceType = {
  group: 'apps',
  version: 'v1',
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
};
/** policy/v1 poddisruptionbudgets. */
export const PodDisruptionBudgetsType: ResourceType = {
  group: 'policy',
  version: 'v1',
  resource: 'poddisruptionbudgets',
  kind: 'PodDisruptionBudget',
  namespaced: true,
};

/** The namespace the conformance tests work in. */
export const NS = 'conformance';

/** Creates the test namespace. */
export async function createNamespace(store: ObjectStore, name = NS): Promise<KubeObject> {
  return store.create(NamespacesType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** A ConfigMap body. */
export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>, namespace = NS): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace };
  if (labels) metadata.labels = labels;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

/** A minimal valid Pod body. */
export function pod(name: string, options: { labels?: Record<string, string>; nodeName?: string; namespace?: string } = {}): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: options.namespace ?? NS };
  if (options.labels) metadata.labels = options.labels;
  const spec: Record<string, unknown> = { containers: [{ name: 'main', image: 'busybox:1.36' }] };
  if (options.nodeName) spec.nodeName = options.nodeName;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** A minimal valid Deployment body. */
export function deployment(name: string, replicas = 1): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
    },
  };
}

/** Resolves with the StatusError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function statusErrorOf(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw new Error(`expected a StatusError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The first `n` events of a watch, or a failure after `ms` milliseconds. */
export function nextEvents<T extends KubeObject>(watch: Observable<WatchEvent<T>>, n: number, ms = 5000): Promise<WatchEvent<T>[]> {
  return firstValueFrom(watch.pipe(take(n), toArray(), timeout(ms)));
}

/**
 * Collects the events of a watch as they arrive, so a test can write and then await the
 * events it expects.
 */
export class EventRecorder<T extends KubeObject = KubeObject> {
  readonly events: WatchEvent<T>[] = [];
  error: unknown;
  completed = false;
  private waiters: (() => void)[] = [];
  private readonly subscription;

  constructor(watch: Observable<WatchEvent<T>>) {
    this.subscription = watch.subscribe({
      next: (e) => {
        this.events.push(e);
        this.wake();
      },
      error: (err) => {
        this.error = err;
        this.wake();
      },
      complete: () => {
        this.completed = true;
        this.wake();
      },
    });
  }

  /** Waits until `count` events arrived (or the watch ended), failing after `ms`. */
  async waitFor(count: number, ms = 5000): Promise<WatchEvent<T>[]> {
    await this.until(
      () => this.events.length >= count || this.error !== undefined || this.completed,
      ms,
      `${count} events (got ${this.events.length})`,
    );
    return this.events.slice(0, count);
  }

  /** Waits until the watch ended with an error or completed, failing after `ms`. */
  async waitForEnd(ms = 5000): Promise<void> {
    await this.until(() => this.error !== undefined || this.completed, ms, 'the end of the watch');
  }

  /** Waits until `test` holds, failing after `ms`. */
  async until(test: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Types of the events so far. */
  types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** Stops watching. */
  stop(): void {
    this.subscription.unsubscribe();
  }

  private wake(): void {
    const w = this.waiters.splice(0);
    for (const f of w) f();
  }
}
