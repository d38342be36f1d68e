import {
  SharedInformer,
  type Clock,
  type InformerEvent,
  type KubeObject,
  type Logger,
  type ObjectStore,
  type Source,
  type SourceContext,
} from '@converge/core';
import type { Subscription } from 'rxjs';
import { isDeletable, KindResolver, type DiscoveredKind, type KindDiscovery } from '../discovery/kind-discovery.js';
import type { GraphWork, OwnerGraph } from './owner-graph.js';

/** Kinds the garbage collector never follows, as in Kubernetes (`DefaultIgnoredResources`): Events. */
export const GC_IGNORED_RESOURCES: readonly string[] = ['/events', 'events.k8s.io/events'];

/** Options of a GraphMonitor. */
export interface GraphMonitorOptions {
  store: ObjectStore;
  clock: Clock;
  logger: Logger;
  discovery: KindDiscovery;
  graph: OwnerGraph;
  /** How long the first sync of every kind may take; default 120 s. */
  syncTimeoutMs?: number;
}

/** Keeps only what the graph needs, as Kubernetes' metadata-only informers do. */
function metadataOnly(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  const metadata: KubeObject['metadata'] = {};
  if (m.name !== undefined) metadata.name = m.name;
  if (m.uid !== undefined) metadata.uid = m.uid;
  if (m.resourceVersion !== undefined) metadata.resourceVersion = m.resourceVersion;
  if (m.namespace) metadata.namespace = m.namespace;
  if (m.ownerReferences) metadata.ownerReferences = m.ownerReferences;
  if (m.finalizers) metadata.finalizers = m.finalizers;
  if (m.deletionTimestamp) metadata.deletionTimestamp = m.deletionTimestamp;
  const out: KubeObject = { metadata };
  if (obj.apiVersion) out.apiVersion = obj.apiVersion;
  if (obj.kind) out.kind = obj.kind;
  return out;
}

interface Monitor {
  kind: DiscoveredKind;
  informer: SharedInformer<KubeObject>;
  subscription: Subscription;
}

/**
 * The garbage collector's source of work: one metadata-only informer per deletable kind the
 * cluster serves (built-in and custom alike), following discovery so kinds that appear
 * (a new CRD) are monitored at once and kinds that go are dropped, without a restart. Every
 * informer event updates the owner graph; the nodes the change concerns are enqueued by uid.
 *
 * It counts as synced once every kind known at start has synced, so the collector never
 * judges an owner absent from a half-filled graph.
 */
export class GraphMonitor implements Source {
  private readonly monitors = new Map<string, Monitor>();
  private resolver = new KindResolver([]);
  /** The informers of the kinds of the first discovery answer: the graph is complete once they synced. */
  private initial: Monitor[] | undefined;
  private firstDiscovery: Promise<void> = new Promise(() => undefined);
  private discovered: () => void = () => undefined;
  private synced = false;
  private discoverySub: Subscription | undefined;
  private context: SourceContext | undefined;

  /** Makes a stopped monitor. */
  constructor(private readonly options: GraphMonitorOptions) {}

  /** Resolves owner references' kinds against what discovery reports now. */
  kinds(): KindResolver {
    return this.resolver;
  }

  /** The kinds being monitored. */
  monitored(): DiscoveredKind[] {
    return [...this.monitors.values()].map((m) => m.kind);
  }

  start(context: SourceContext): { unsubscribe(): void } {
    this.context = context;
    this.options.graph.clear();
    this.initial = undefined;
    this.synced = false;
    this.firstDiscovery = new Promise((resolve) => (this.discovered = resolve));
    this.discoverySub = this.options.discovery.changes.subscribe({
      next: (kinds) => {
        this.sync(kinds);
        if (!this.initial) {
          this.initial = [...this.monitors.values()];
          this.discovered();
        }
      },
      error: (err: unknown) => context.log.error({ err }, 'garbage collector: discovery failed'),
    });
    return { unsubscribe: () => this.stop() };
  }

  /**
   * Waits for the first discovery answer and for every kind it listed to sync. A kind that
   * does not sync in time (e.g. one this client may not list) is logged and not waited for,
   * as Kubernetes' collector goes on after its sync timeout.
   */
  async waitForSync(timeoutMs: number): Promise<void> {
    const limit = Math.min(timeoutMs, this.options.syncTimeoutMs ?? timeoutMs);
    await this.firstDiscovery;
    await Promise.all(
      (this.initial ?? []).map((m) =>
        m.informer
          .waitForCacheSync(limit)
          .catch((err: unknown) =>
            this.context?.log.warn(
              { err, resource: m.kind.resource, group: m.kind.group },
              'garbage collector: a kind did not sync in time; going on without it',
            ),
          ),
      ),
    );
    this.synced = true;
  }

  hasSynced(): boolean {
    return this.synced || (this.initial !== undefined && this.initial.every((m) => m.informer.hasSynced()));
  }

  toString(): string {
    return 'garbage collector graph monitor';
  }

  private sync(kinds: readonly DiscoveredKind[]): void {
    this.resolver = new KindResolver(kinds);
    const wanted = new Map<string, DiscoveredKind>();
    for (const k of kinds) {
      if (!k.preferred || !isDeletable(k) || GC_IGNORED_RESOURCES.includes(`${k.group}/${k.resource}`)) continue;
      wanted.set(`${k.group}/${k.version}/${k.resource}`, k);
    }
    for (const [key, m] of this.monitors) {
      if (wanted.has(key)) continue;
      m.subscription.unsubscribe();
      m.informer.stop();
      this.monitors.delete(key);
      this.context?.log.info({ resource: key }, 'garbage collector: stopped monitoring a kind that is no longer served');
    }
    for (const [key, kind] of wanted) {
      if (this.monitors.has(key)) continue;
      const informer = new SharedInformer<KubeObject>({
        store: this.options.store,
        type: kind,
        clock: this.options.clock,
        logger: this.options.logger,
        transform: metadataOnly,
      });
      const subscription = informer.events.subscribe((e) => this.apply(kind, e));
      this.monitors.set(key, { kind, informer, subscription });
      informer.start();
    }
  }

  private apply(kind: DiscoveredKind, e: InformerEvent<KubeObject>): void {
    const graph = this.options.graph;
    const work: GraphWork = e.type === 'delete' ? graph.remove(e.object.metadata.uid ?? '') : graph.observe(kind, e.object);
    this.enqueue(work.attempt);
  }

  /** Enqueues nodes (by uid) on the collector's queue; nothing while stopped. */
  enqueue(uids: readonly string[]): void {
    const enqueue = this.context?.enqueue;
    if (!enqueue) return;
    for (const uid of uids) enqueue({ name: uid });
  }

  private stop(): void {
    this.discoverySub?.unsubscribe();
    for (const m of this.monitors.values()) {
      m.subscription.unsubscribe();
      m.informer.stop();
    }
    this.monitors.clear();
    this.context = undefined;
  }
}
