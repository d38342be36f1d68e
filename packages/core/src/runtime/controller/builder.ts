import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import type { Clock } from '../../util/clock.js';
import type { InformerSelection } from '../informer/types.js';
import type { Logger } from '../logging/logger.js';
import type { RuntimeMetrics } from '../metrics/runtime-metrics.js';
import type { RateLimiter } from '../queue/rate-limiters.js';
import type { Reconciler } from '../reconciler/reconciler.js';
import { ControllerRunner, type ControllerOptions } from './controller.js';
import { enqueueForObject, enqueueForOwner, type EventHandler } from './event-handlers.js';
import type { InformerProvider } from './informer-provider.js';
import type { Predicate } from './predicates.js';
import { kindSource, type Source } from './sources.js';

/** Options of one watch: which objects (selection) and which events (predicates). */
export interface ControllerWatchOptions<T extends KubeObject = KubeObject> {
  /** Only events passing every predicate reach the handler. */
  predicates?: readonly Predicate<T>[];
  /** Watch one namespace (default: the controller's namespace, or all). */
  namespace?: string;
  /** Watch only objects matching this label selector. */
  labelSelector?: string;
  /** Watch only objects matching this field selector. */
  fieldSelector?: string;
}

/** Options of `.owns(type)`. */
export interface OwnsOptions<T extends KubeObject = KubeObject> extends ControllerWatchOptions<T> {
  /** Follow only the owner reference marked `controller: true` (default), or every owner reference of the primary kind. */
  onlyController?: boolean;
}

/** One watch of a controller: a kind, a selection, an event handler and predicates. */
export interface WatchSpec<T extends KubeObject = KubeObject> {
  type: ResourceType<T>;
  handler: EventHandler<T>;
  options: ControllerWatchOptions<T>;
}

/** Controller-wide options of the builder (`withOptions`). */
export interface ControllerBuilderOptions {
  /** How many reconciles may run at once; default 1. */
  maxConcurrentReconciles?: number;
  /** Makes the rate limiter of the queue; default `defaultControllerRateLimiter`. */
  rateLimiter?: () => RateLimiter<string>;
  /** Whether the controller runs only on the elected leader; default true. */
  needLeaderElection?: boolean;
  /** How long to wait for caches to sync; default 120 s. */
  cacheSyncTimeoutMs?: number;
  /** The namespace every namespaced watch is limited to, unless a watch names its own. */
  namespace?: string;
}

/** What a blueprint needs to become a running controller; the manager supplies it. */
export interface ControllerDependencies {
  informers: InformerProvider;
  clock?: Clock;
  logger?: Logger;
  metrics?: RuntimeMetrics;
}

const BLUEPRINT_BRAND = Symbol.for('converge.ControllerBlueprint');

/**
 * A complete description of a controller (what the builder and `@Controller` produce):
 * its watches, options and reconciler. `build` turns it into a ControllerRunner over a given
 * informer provider; `Manager.add(blueprint)` does that with the manager's shared informers.
 */
export class ControllerBlueprint {
  /** True for blueprints, even across two copies of this package (where `instanceof` fails). */
  static is(x: unknown): x is ControllerBlueprint {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BLUEPRINT_BRAND] === true;
  }

  /** The brand `ControllerBlueprint.is` checks. */
  readonly [BLUEPRINT_BRAND] = true;

  /** Made by `ControllerBuilder.complete`. */
  constructor(
    /** The controller's name. */
    readonly name: string,
    /** The primary kind, if any. */
    readonly forType: ResourceType | undefined,
    /** Every watch, the primary one first. */
    readonly watches: readonly WatchSpec[],
    /** Sources added as they are (`watchesSource`). */
    readonly sources: readonly Source[],
    /** The controller-wide options. */
    readonly options: ControllerBuilderOptions,
    /** The reconciler. */
    readonly reconciler: Reconciler,
  ) {}

  /** Whether the controller runs only on the elected leader. */
  get needLeaderElection(): boolean {
    return this.options.needLeaderElection ?? true;
  }

  /** The informer selection a watch resolves to. */
  selectionOf(spec: WatchSpec): InformerSelection {
    const sel: InformerSelection = {};
    const ns = spec.options.namespace ?? (spec.type.namespaced ? this.options.namespace : undefined);
    if (ns && spec.type.namespaced) sel.namespace = ns;
    if (spec.options.labelSelector) sel.labelSelector = spec.options.labelSelector;
    if (spec.options.fieldSelector) sel.fieldSelector = spec.options.fieldSelector;
    return sel;
  }

  /** Builds the controller, getting one (shared) informer per watch from `deps.informers`. */
  build(deps: ControllerDependencies): ControllerRunner {
    const sources: Source[] = this.watches.map((w) =>
      kindSource(deps.informers.informerFor(w.type, this.selectionOf(w)), w.handler, w.options.predicates ?? []),
    );
    const opts: ControllerOptions = { name: this.name, reconciler: this.reconciler, sources: [...sources, ...this.sources] };
    if (this.options.maxConcurrentReconciles !== undefined) opts.maxConcurrentReconciles = this.options.maxConcurrentReconciles;
    if (this.options.rateLimiter) opts.rateLimiter = this.options.rateLimiter;
    if (this.options.cacheSyncTimeoutMs !== undefined) opts.cacheSyncTimeoutMs = this.options.cacheSyncTimeoutMs;
    opts.needLeaderElection = this.needLeaderElection;
    if (deps.clock) opts.clock = deps.clock;
    if (deps.logger) opts.logger = deps.logger;
    if (deps.metrics) opts.metrics = deps.metrics;
    return new ControllerRunner(opts);
  }
}

interface PendingOwns {
  type: ResourceType;
  options: OwnsOptions;
}

/**
 * Builds a controller step by step, as controller-runtime's builder does:
 *
 * ```ts
 * const blueprint = controllerFor(ReplicaSets)
 *   .owns(Pods)
 *   .watches(ConfigMaps, enqueueMapped((cm) => replicaSetsUsing(cm)))
 *   .withEventFilter(generationChanged)
 *   .withOptions({ maxConcurrentReconciles: 4 })
 *   .complete(new ReplicaSetReconciler(store));
 * manager.add(blueprint);
 * ```
 */
export class ControllerBuilder {
  private forSpec: WatchSpec | undefined;
  private ownsSpecs: PendingOwns[] = [];
  private watchSpecs: WatchSpec[] = [];
  private rawSources: Source[] = [];
  private filters: Predicate[] = [];
  private options: ControllerBuilderOptions = {};
  private controllerName: string | undefined;

  /**
   * Sets the primary kind: its events enqueue the object's own key (`enqueueForObject`).
   * Options select which objects (namespace, label and field selectors) and filter events.
   */
  for<T extends KubeObject>(type: ResourceType<T>, options: ControllerWatchOptions<T> = {}): this {
    if (this.forSpec) throw new Error('ControllerBuilder: for() may be called only once');
    this.forSpec = { type, handler: enqueueForObject<T>(), options } as unknown as WatchSpec;
    return this;
  }

  /**
   * Watches a kind the primary kind owns: `.owns(Pods)` is
   * `.watches(Pods, enqueueForOwner(<primary kind>, { onlyController: true }))`.
   */
  owns<T extends KubeObject>(type: ResourceType<T>, options: OwnsOptions<T> = {}): this {
    this.ownsSpecs.push({ type, options: options as OwnsOptions });
    return this;
  }

  /** Watches a kind with any event handler, e.g. `enqueueMapped(fn)` or `enqueueForOwner(kind)`. */
  watches<T extends KubeObject>(type: ResourceType<T>, handler: EventHandler<T>, options: ControllerWatchOptions<T> = {}): this {
    this.watchSpecs.push({ type, handler, options } as unknown as WatchSpec);
    return this;
  }

  /** Adds a source as it is (e.g. `observableSource(timer$)`), for requests from outside the cluster. */
  watchesSource(source: Source): this {
    this.rawSources.push(source);
    return this;
  }

  /** Adds a predicate applied to every watch (controller-runtime's `WithEventFilter`). */
  withEventFilter(predicate: Predicate): this {
    this.filters.push(predicate);
    return this;
  }

  /** Sets controller-wide options (merged with earlier calls). */
  withOptions(options: ControllerBuilderOptions): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  /** Names the controller; default the primary kind in lower case. */
  named(name: string): this {
    this.controllerName = name;
    return this;
  }

  /** Finishes the description with the reconciler. */
  complete(reconciler: Reconciler): ControllerBlueprint {
    const name = this.controllerName ?? this.forSpec?.type.kind.toLowerCase();
    if (!name) throw new Error('ControllerBuilder: a controller needs for() or named()');
    const primary = this.forSpec?.type;
    if (this.ownsSpecs.length > 0 && !primary) throw new Error(`ControllerBuilder ${name}: owns() needs for() to know the owner kind`);
    const watches: WatchSpec[] = [];
    if (this.forSpec) watches.push(this.forSpec);
    for (const o of this.ownsSpecs) {
      const ownerOptions = o.options.onlyController === undefined ? {} : { onlyController: o.options.onlyController };
      watches.push({
        type: o.type,
        handler: enqueueForOwner({ group: primary!.group, kind: primary!.kind, namespaced: primary!.namespaced }, ownerOptions),
        options: o.options,
      });
    }
    watches.push(...this.watchSpecs);
    if (watches.length === 0 && this.rawSources.length === 0) throw new Error(`ControllerBuilder ${name}: nothing to watch`);
    const filters = this.filters;
    const withFilters =
      filters.length === 0
        ? watches
        : watches.map((w) => ({ ...w, options: { ...w.options, predicates: [...(w.options.predicates ?? []), ...filters] } }));
    return new ControllerBlueprint(name, primary, withFilters, this.rawSources, this.options, reconciler);
  }
}

/** Starts a builder for a controller of the primary kind `type`: `controllerFor(Deployments).owns(ReplicaSets).complete(r)`. */
export function controllerFor<T extends KubeObject>(type: ResourceType<T>, options: ControllerWatchOptions<T> = {}): ControllerBuilder {
  return new ControllerBuilder().for(type, options);
}

/** Starts a builder for a controller without a primary kind (it must be `named` and watch something). */
export function controllerNamed(name: string): ControllerBuilder {
  return new ControllerBuilder().named(name);
}
