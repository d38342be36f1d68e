import { objectKey, type KubeObject } from '../../api/meta.js';
import { parseApiVersion } from '../../api/resource-type.js';
import type { InformerEvent } from '../informer/types.js';
import type { Request } from '../reconciler/reconciler.js';

/** Puts a request in the controller's queue (duplicates collapse). */
export type Enqueue = (request: Request) => void;

/** Turns an informer event into zero or more requests for the controller's primary kind. */
export type EventHandler<T extends KubeObject = KubeObject> = (event: InformerEvent<T>, enqueue: Enqueue) => void;

/** Enqueues the key of the object the event is about: the handler of a controller's `for` kind. */
export function enqueueForObject<T extends KubeObject = KubeObject>(): EventHandler<T> {
  return (e, enqueue) => {
    if (e.object.metadata.name) enqueue(objectKey(e.object));
  };
}

/** The kind of an owner, as `enqueueForOwner` matches it: group and kind (any version). */
export interface OwnerKind {
  group: string;
  kind: string;
  /** Whether the owner kind is namespaced (then the owner lives in the object's namespace); default true. */
  namespaced?: boolean;
}

/** Options of `enqueueForOwner`. */
export interface EnqueueForOwnerOptions {
  /** Only follow the owner reference marked `controller: true` (default), or every matching one. */
  onlyController?: boolean;
}

/**
 * Enqueues the owner of the object, found through its owner references that name the
 * owner kind (group and kind; the version is ignored). For an update, the owners of the
 * old and the new object are both enqueued, so an owner that lost a child hears of it.
 * This is what `.owns(type)` uses.
 */
export function enqueueForOwner<T extends KubeObject = KubeObject>(
  owner: OwnerKind,
  options: EnqueueForOwnerOptions = {},
): EventHandler<T> {
  const onlyController = options.onlyController ?? true;
  const namespaced = owner.namespaced ?? true;
  const push = (obj: KubeObject, enqueue: Enqueue) => {
    const refs = obj.metadata.ownerReferences;
    if (!refs) return;
    for (const ref of refs) {
      if (onlyController && ref.controller !== true) continue;
      if (ref.kind !== owner.kind || parseApiVersion(ref.apiVersion).group !== owner.group) continue;
      const ns = namespaced ? obj.metadata.namespace : undefined;
      enqueue(ns ? { namespace: ns, name: ref.name } : { name: ref.name });
    }
  };
  return (e, enqueue) => {
    push(e.object, enqueue);
    if (e.type === 'update') push(e.old, enqueue);
  };
}

/** Maps an object to the requests it should trigger. */
export type MapFunc<T extends KubeObject = KubeObject> = (object: T) => readonly Request[] | Request | undefined | null;

/**
 * Enqueues whatever `map` returns for the object: the way to react to kinds that are not
 * owned, e.g. every Foo that references a changed ConfigMap. For an update both the old
 * and the new object are mapped.
 */
export function enqueueMapped<T extends KubeObject = KubeObject>(map: MapFunc<T>): EventHandler<T> {
  const push = (obj: T, enqueue: Enqueue) => {
    const out = map(obj);
    if (!out) return;
    if (Array.isArray(out)) for (const r of out as readonly Request[]) enqueue(r);
    else enqueue(out as Request);
  };
  return (e, enqueue) => {
    push(e.object, enqueue);
    if (e.type === 'update') push(e.old, enqueue);
  };
}
