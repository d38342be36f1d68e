import type { KubeObject } from '../../api/meta.js';
import type { InformerEvent } from '../informer/types.js';

/**
 * Decides whether an informer event should reach a controller's event handler.
 * A predicate is any function of the event; the ones below filter only updates and let
 * adds and deletes through, as controller-runtime's do.
 */
export type Predicate<T extends KubeObject = KubeObject> = (event: InformerEvent<T>) => boolean;

function shallowEqualMaps(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  if (a === b) return true;
  const ak = a ? Object.keys(a) : [];
  const bk = b ? Object.keys(b) : [];
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (a![k] !== b?.[k]) return false;
  return true;
}

/**
 * Passes updates that changed `metadata.generation` (the spec, for kinds that track it),
 * so status-only writes do not trigger a reconcile. Kinds without a generation (e.g.
 * ConfigMaps) never pass an update through this predicate.
 */
export const generationChanged: Predicate = (e) => e.type !== 'update' || e.old.metadata.generation !== e.object.metadata.generation;

/** Passes updates that changed any label. */
export const labelsChanged: Predicate = (e) => e.type !== 'update' || !shallowEqualMaps(e.old.metadata.labels, e.object.metadata.labels);

/** Passes updates that changed any annotation. */
export const annotationsChanged: Predicate = (e) =>
  e.type !== 'update' || !shallowEqualMaps(e.old.metadata.annotations, e.object.metadata.annotations);

/** Passes updates whose resourceVersion changed (drops re-deliveries of the same version). */
export const resourceVersionChanged: Predicate = (e) =>
  e.type !== 'update' || e.old.metadata.resourceVersion !== e.object.metadata.resourceVersion;

/** Passes an event only when every predicate does (no predicates: passes everything). */
export function and<T extends KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return (e) => {
    for (const p of predicates) if (!p(e)) return false;
    return true;
  };
}

/** Passes an event when at least one predicate does (no predicates: passes nothing). */
export function or<T extends KubeObject>(...predicates: Predicate<T>[]): Predicate<T> {
  return (e) => {
    for (const p of predicates) if (p(e)) return true;
    return false;
  };
}

/** Passes exactly the events `predicate` rejects. */
export function not<T extends KubeObject>(predicate: Predicate<T>): Predicate<T> {
  return (e) => !predicate(e);
}

/** Per-event-type filters for `predicateFuncs`; a missing one passes its events. */
export interface PredicateFuncs<T extends KubeObject> {
  add?(object: T, initial: boolean): boolean;
  update?(old: T, object: T): boolean;
  delete?(object: T): boolean;
}

/**
 * Builds a custom predicate from one function per event type, e.g.
 * `predicateFuncs<Pod>({ update: (old, pod) => old.spec?.nodeName !== pod.spec?.nodeName })`.
 */
export function predicateFuncs<T extends KubeObject>(funcs: PredicateFuncs<T>): Predicate<T> {
  return (e) => {
    switch (e.type) {
      case 'add':
        return funcs.add ? funcs.add(e.object, e.initial === true) : true;
      case 'update':
        return funcs.update ? funcs.update(e.old, e.object) : true;
      case 'delete':
        return funcs.delete ? funcs.delete(e.object) : true;
    }
  };
}

/** Passes events whose object (or, for updates, new object) satisfies `test`. */
export function objectMatches<T extends KubeObject>(test: (object: T) => boolean): Predicate<T> {
  return (e) => test(e.object);
}
