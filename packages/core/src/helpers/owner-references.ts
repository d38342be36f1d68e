import type { KubeObject, ObjectMeta, OwnerReference } from '../api/meta.js';
import { apiVersionOf, parseApiVersion, type ResourceType } from '../api/resource-type.js';

/** Anything that can own an object: its type information and metadata. */
export interface OwnerLike {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

/** Options of the owner-reference helpers. */
export interface OwnerReferenceOptions {
  /** Supplies `apiVersion` and `kind` when the owner object lacks them. */
  ownerType?: ResourceType;
  /** Set `blockOwnerDeletion` (foreground deletion waits for this object); default true for a controller reference, unset otherwise. */
  blockOwnerDeletion?: boolean;
}

/** Thrown by `setControllerReference` when another controller already owns the object. */
export class AlreadyOwnedError extends Error {
  /** The controller reference already on the object. */
  readonly owner: OwnerReference;

  /** Makes the error for `obj`, owned by `owner`. */
  constructor(obj: KubeObject, owner: OwnerReference) {
    const m = obj.metadata;
    super(
      `Object ${m.namespace ? `${m.namespace}/` : ''}${m.name ?? ''} is already owned by another ${owner.kind} controller ${owner.name}`,
    );
    this.name = 'AlreadyOwnedError';
    this.owner = owner;
  }
}

function typeOf(owner: OwnerLike, options: OwnerReferenceOptions): { apiVersion: string; kind: string } {
  const apiVersion = owner.apiVersion ?? (options.ownerType ? apiVersionOf(options.ownerType) : undefined);
  const kind = owner.kind ?? options.ownerType?.kind;
  if (!apiVersion || !kind) throw new Error(`the owner ${owner.metadata.name ?? ''} has no apiVersion/kind; pass ownerType`);
  return { apiVersion, kind };
}

/** Whether two references name the same owner: same API group, kind and name (as controller-runtime compares them). */
export function sameOwner(
  a: Pick<OwnerReference, 'apiVersion' | 'kind' | 'name'>,
  b: Pick<OwnerReference, 'apiVersion' | 'kind' | 'name'>,
): boolean {
  return parseApiVersion(a.apiVersion).group === parseApiVersion(b.apiVersion).group && a.kind === b.kind && a.name === b.name;
}

/** Builds the owner reference pointing at `owner`. */
export function ownerReferenceFor(owner: OwnerLike, options: OwnerReferenceOptions & { controller?: boolean } = {}): OwnerReference {
  const { apiVersion, kind } = typeOf(owner, options);
  const { name, uid } = owner.metadata;
  if (!name || !uid) throw new Error(`the owner ${kind} ${name ?? ''} has no name or uid (it must be read from the store first)`);
  const ref: OwnerReference = { apiVersion, kind, name, uid };
  if (options.controller) ref.controller = true;
  const block = options.blockOwnerDeletion ?? (options.controller ? true : undefined);
  if (block !== undefined) ref.blockOwnerDeletion = block;
  return ref;
}

/**
 * Checks Kubernetes' scoping rule for owners: a namespaced owner must be in the object's
 * namespace, and a cluster-scoped object cannot have a namespaced owner.
 */
function validateOwner(owner: OwnerLike, obj: KubeObject): void {
  const ownerNs = owner.metadata.namespace;
  if (!ownerNs) return;
  const objNs = obj.metadata.namespace;
  if (!objNs) throw new Error(`cluster-scoped resource must not have a namespace-scoped owner, owner's namespace ${ownerNs}`);
  if (objNs !== ownerNs)
    throw new Error(`cross-namespace owner references are disallowed, owner's namespace ${ownerNs}, obj's namespace ${objNs}`);
}

function upsert(refs: OwnerReference[], ref: OwnerReference): OwnerReference[] {
  const i = refs.findIndex((r) => sameOwner(r, ref));
  if (i < 0) return [...refs, ref];
  const out = refs.slice();
  out[i] = ref;
  return out;
}

/**
 * Makes `owner` the controller of `obj` (an owner reference with `controller: true` and
 * `blockOwnerDeletion: true`), as a controller does for the children it creates, so the
 * garbage collector deletes them with it and `enqueueForOwner` maps their events back.
 *
 * Adoption rules: throws `AlreadyOwnedError` if a different controller owns `obj` (an
 * object has at most one controller); updates the reference if `owner` already owns it;
 * refuses cross-namespace owners and namespaced owners of cluster-scoped objects.
 *
 * Changes `obj` in place (it must be mutable: one you are building, or a `mutable()` copy)
 * and returns it.
 */
export function setControllerReference<T extends KubeObject>(owner: OwnerLike, obj: T, options: OwnerReferenceOptions = {}): T {
  validateOwner(owner, obj);
  const ref = ownerReferenceFor(owner, { ...options, controller: true });
  const existing = getControllerOf(obj);
  if (existing && !sameOwner(existing, ref)) throw new AlreadyOwnedError(obj, existing);
  obj.metadata.ownerReferences = upsert(obj.metadata.ownerReferences ?? [], ref);
  return obj;
}

/**
 * Adds (or updates) a non-controller owner reference to `owner` on `obj`; an existing
 * reference to the same owner keeps its `controller` flag. Changes `obj` in place and returns it.
 */
export function setOwnerReference<T extends KubeObject>(owner: OwnerLike, obj: T, options: OwnerReferenceOptions = {}): T {
  validateOwner(owner, obj);
  const ref = ownerReferenceFor(owner, options);
  const existing = obj.metadata.ownerReferences?.find((r) => sameOwner(r, ref));
  if (existing?.controller) ref.controller = true;
  obj.metadata.ownerReferences = upsert(obj.metadata.ownerReferences ?? [], ref);
  return obj;
}

/** Removes the owner reference to `owner` from `obj` in place; returns whether there was one. */
export function removeOwnerReference(owner: OwnerLike, obj: KubeObject, options: Pick<OwnerReferenceOptions, 'ownerType'> = {}): boolean {
  const { apiVersion, kind } = typeOf(owner, options);
  const target = { apiVersion, kind, name: owner.metadata.name ?? '' };
  const refs = obj.metadata.ownerReferences ?? [];
  const kept = refs.filter((r) => !sameOwner(r, target));
  if (kept.length === refs.length) return false;
  if (kept.length > 0) obj.metadata.ownerReferences = kept;
  else delete obj.metadata.ownerReferences;
  return true;
}

/** The controller reference of an object (the owner reference with `controller: true`), if any. */
export function getControllerOf(obj: { metadata: ObjectMeta }): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** Whether `owner` (matched by uid) is the controller of `obj`. */
export function isControlledBy(obj: { metadata: ObjectMeta }, owner: { metadata: ObjectMeta }): boolean {
  const ref = getControllerOf(obj);
  return ref !== undefined && ref.uid === owner.metadata.uid;
}

/** Whether `obj` has an owner reference (controller or not) to `owner`, matched by uid. */
export function hasOwnerReference(obj: { metadata: ObjectMeta }, owner: { metadata: ObjectMeta }): boolean {
  return obj.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid) ?? false;
}
