import 'reflect-metadata';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import { ControllerBuilder, type ControllerBlueprint, type OwnsOptions, type ControllerWatchOptions } from '../controller/builder.js';
import { enqueueMapped, type EventHandler } from '../controller/event-handlers.js';
import type { Predicate } from '../controller/predicates.js';
import type { RateLimiter } from '../queue/rate-limiters.js';
import type { Reconciler, Request } from '../reconciler/reconciler.js';

/** A watch declared in `@Controller({ watches: [...] })`: `.watches(type, handler, options)`. */
export interface WatchDeclaration<T extends KubeObject = KubeObject> extends ControllerWatchOptions<T> {
  type: ResourceType<T>;
  handler: EventHandler<T>;
}

/** An owned kind declared in `@Controller({ owns: [...] })`: a type, or a type with options. */
export type OwnsDeclaration = ResourceType | ({ type: ResourceType } & OwnsOptions);

/** The options of `@Controller`. */
export interface ControllerDecoratorOptions {
  /** The controller's name; default the primary kind in lower case. */
  name?: string;
  /** The primary kind: `.for(type)`. */
  for?: ResourceType;
  /** Kinds the primary kind owns: each is `.owns(type)`. */
  owns?: readonly OwnsDeclaration[];
  /** Other watches: each is `.watches(type, handler, options)`. */
  watches?: readonly WatchDeclaration[];
  /** Predicates on the primary kind's events: `.for(type, { predicates })`. */
  predicates?: readonly Predicate[];
  /** `.withOptions({ maxConcurrentReconciles })`; default 1. */
  maxConcurrentReconciles?: number;
  /** `.withOptions({ namespace })`: limit every namespaced watch to one namespace. */
  namespace?: string;
  /** `.for(type, { labelSelector })`: watch only primary objects matching this selector. */
  labelSelector?: string;
  /** `.for(type, { fieldSelector })`. */
  fieldSelector?: string;
  /** `.withOptions({ needLeaderElection })`; default true (see also `@LeaderOnly`). */
  needLeaderElection?: boolean;
  /** `.withOptions({ rateLimiter })`. */
  rateLimiter?: () => RateLimiter<string>;
  /** `.withOptions({ cacheSyncTimeoutMs })`. */
  cacheSyncTimeoutMs?: number;
}

/** Everything the decorators recorded on a class. */
export interface ControllerMetadata {
  options: ControllerDecoratorOptions;
  owns: OwnsDeclaration[];
  watches: WatchDeclaration[];
  mappers: { type: ResourceType; method: string | symbol; options: ControllerWatchOptions }[];
  filters: Predicate[];
}

const CONTROLLER = Symbol.for('converge.controller');
const OWNS = Symbol.for('converge.controller.owns');
const WATCHES = Symbol.for('converge.controller.watches');
const MAPPERS = Symbol.for('converge.controller.mappers');
const FILTERS = Symbol.for('converge.controller.filters');
/** The metadata key of `@LeaderOnly` (shared by controllers and plugins). */
export const LEADER_ONLY = Symbol.for('converge.leaderOnly');

// Class decorators run bottom-up; prepending keeps the lists in source order.
function prepend<T>(key: symbol, target: object, item: T): void {
  const list = (Reflect.getOwnMetadata(key, target) as T[] | undefined) ?? [];
  Reflect.defineMetadata(key, [item, ...list], target);
}

/**
 * Declares a class as a controller whose `reconcile(request, context)` method is its
 * reconciler. `@Controller({ for: Foo, owns: [Pod], watches, predicates, ... })` is
 * `controllerFor(Foo, { predicates, labelSelector, fieldSelector }).owns(Pod)...
 * .withOptions({ maxConcurrentReconciles, namespace, ... }).complete(instance)`.
 *
 * Register the class with `manager.add(FooController)`: the manager creates it through its
 * inversify container (constructor injection with `@inject(...)`; no `@injectable()`
 * needed) and builds the controller over its shared informers.
 */
export function Controller(options: ControllerDecoratorOptions): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(CONTROLLER, options, target);
  };
}

/**
 * Watches a kind the primary kind owns. `@Owns(Pods)` is `.owns(Pods)`, which is
 * `.watches(Pods, enqueueForOwner(<primary kind>, { onlyController: true }))`.
 */
export function Owns<T extends KubeObject>(type: ResourceType<T>, options: OwnsOptions<T> = {}): ClassDecorator {
  return (target) => prepend<OwnsDeclaration>(OWNS, target, { type: type as ResourceType, ...(options as OwnsOptions) });
}

/** Watches a kind with an event handler. `@Watches(Secrets, handler, options)` is `.watches(Secrets, handler, options)`. */
export function Watches<T extends KubeObject>(
  type: ResourceType<T>,
  handler: EventHandler<T>,
  options: ControllerWatchOptions<T> = {},
): ClassDecorator {
  return (target) => prepend<WatchDeclaration>(WATCHES, target, { type, handler, ...options } as unknown as WatchDeclaration);
}

/**
 * Marks a method that maps objects of another kind to requests. On a method
 * `configMapToFoos(cm): Request[]`, `@MapFrom(ConfigMaps)` is
 * `.watches(ConfigMaps, enqueueMapped((cm) => instance.configMapToFoos(cm)))`, so the method
 * can use the instance's injected dependencies (e.g. a cache to look up referrers).
 */
export function MapFrom<T extends KubeObject>(type: ResourceType<T>, options: ControllerWatchOptions<T> = {}): MethodDecorator {
  return (target, propertyKey) => {
    const ctor = (target as { constructor: object }).constructor;
    const list = (Reflect.getOwnMetadata(MAPPERS, ctor) as ControllerMetadata['mappers'] | undefined) ?? [];
    Reflect.defineMetadata(MAPPERS, [...list, { type, method: propertyKey, options }], ctor);
  };
}

/** Filters the events of every watch. `@WithEventFilter(p)` is `.withEventFilter(p)`. */
export function WithEventFilter(predicate: Predicate): ClassDecorator {
  return (target) => prepend(FILTERS, target, predicate);
}

/**
 * Says whether a controller or plugin runs only on the elected leader.
 * `@LeaderOnly()` is `.withOptions({ needLeaderElection: true })` (the default for
 * controllers); `@LeaderOnly(false)` lets a controller run on every replica. On a
 * `@Plugin` it is `manager.add(plugin, { needLeaderElection })`.
 */
export function LeaderOnly(value = true): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(LEADER_ONLY, value, target);
  };
}

/** The metadata the decorators left on a class, or undefined when it is not a `@Controller`. */
export function controllerMetadataOf(cls: object): ControllerMetadata | undefined {
  const options = Reflect.getMetadata(CONTROLLER, cls) as ControllerDecoratorOptions | undefined;
  if (!options) return undefined;
  return {
    options,
    owns: (Reflect.getMetadata(OWNS, cls) as OwnsDeclaration[] | undefined) ?? [],
    watches: (Reflect.getMetadata(WATCHES, cls) as WatchDeclaration[] | undefined) ?? [],
    mappers: (Reflect.getMetadata(MAPPERS, cls) as ControllerMetadata['mappers'] | undefined) ?? [],
    filters: (Reflect.getMetadata(FILTERS, cls) as Predicate[] | undefined) ?? [],
  };
}

/** True when `cls` carries `@Controller`. */
export function isDecoratedController(cls: unknown): boolean {
  return typeof cls === 'function' && Reflect.hasMetadata(CONTROLLER, cls);
}

function watchOptionsOf(d: ControllerWatchOptions): ControllerWatchOptions {
  const o: ControllerWatchOptions = {};
  if (d.predicates) o.predicates = d.predicates;
  if (d.namespace) o.namespace = d.namespace;
  if (d.labelSelector) o.labelSelector = d.labelSelector;
  if (d.fieldSelector) o.fieldSelector = d.fieldSelector;
  return o;
}

/**
 * Turns an instance of a `@Controller` class into a blueprint by making exactly the
 * builder calls its decorators stand for. The manager calls this; tests may too.
 */
export function controllerBlueprintOf(instance: Reconciler): ControllerBlueprint {
  const cls = (instance as unknown as { constructor: object }).constructor;
  const meta = controllerMetadataOf(cls);
  if (!meta) throw new Error(`${(cls as { name?: string }).name ?? 'class'} is not decorated with @Controller`);
  if (typeof instance.reconcile !== 'function')
    throw new Error(`@Controller class ${(cls as { name?: string }).name} has no reconcile method`);
  const o = meta.options;
  const b = new ControllerBuilder();
  if (o.for) {
    const forOptions: ControllerWatchOptions = {};
    if (o.predicates) forOptions.predicates = o.predicates;
    if (o.labelSelector) forOptions.labelSelector = o.labelSelector;
    if (o.fieldSelector) forOptions.fieldSelector = o.fieldSelector;
    b.for(o.for, forOptions);
  }
  if (o.name) b.named(o.name);
  for (const d of [...(o.owns ?? []), ...meta.owns]) {
    if ('type' in d && typeof d.type === 'object') {
      const { type, ...rest } = d as { type: ResourceType } & OwnsOptions;
      b.owns(type, rest);
    } else {
      b.owns(d as ResourceType);
    }
  }
  for (const w of [...(o.watches ?? []), ...meta.watches]) b.watches(w.type, w.handler, watchOptionsOf(w));
  for (const m of meta.mappers) {
    const fn = (instance as unknown as Record<string | symbol, (obj: KubeObject) => Request[] | Request | undefined>)[m.method];
    if (typeof fn !== 'function') throw new Error(`@MapFrom: ${String(m.method)} is not a method`);
    b.watches(
      m.type,
      enqueueMapped((obj) => fn.call(instance, obj)),
      m.options,
    );
  }
  for (const f of meta.filters) b.withEventFilter(f);
  const leaderOnly = Reflect.getMetadata(LEADER_ONLY, cls) as boolean | undefined;
  const needLeaderElection = o.needLeaderElection ?? leaderOnly;
  const options: Parameters<ControllerBuilder['withOptions']>[0] = {};
  if (o.maxConcurrentReconciles !== undefined) options.maxConcurrentReconciles = o.maxConcurrentReconciles;
  if (o.namespace) options.namespace = o.namespace;
  if (needLeaderElection !== undefined) options.needLeaderElection = needLeaderElection;
  if (o.rateLimiter) options.rateLimiter = o.rateLimiter;
  if (o.cacheSyncTimeoutMs !== undefined) options.cacheSyncTimeoutMs = o.cacheSyncTimeoutMs;
  b.withOptions(options);
  return b.complete(instance);
}
