/**
 * Object metadata, lists and Status: the apimachinery shapes every Kubernetes object shares.
 *
 * These are plain TypeScript types with the exact JSON field names Kubernetes uses, so an
 * object read from the wire needs no conversion. Zod schemas for validation live beside
 * the kinds (see `kinds/`); these types are the contract the store and runtime agree on.
 */

/** The type information every serialized object carries. */
export interface TypeMeta {
  apiVersion?: string;
  kind?: string;
}

/** An owner reference: names the object that owns this one (for garbage collection and adoption). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** One entry of `metadata.managedFields`, written by server-side apply and updates. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** Standard object metadata (`metav1.ObjectMeta`). Timestamps are RFC 3339 strings, as on the wire. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  selfLink?: string;
}

/** Any Kubernetes object: type information, metadata, and kind-specific fields. */
export interface KubeObject extends TypeMeta {
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** List metadata (`metav1.ListMeta`). */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  selfLink?: string;
}

/** A list of objects of one kind, as returned by LIST. */
export interface ObjectList<T extends KubeObject = KubeObject> extends TypeMeta {
  metadata: ListMeta;
  items: T[];
}

/** One cause of a Status failure: usually a field that failed validation. */
export interface StatusCause {
  /** A machine-readable reason such as `FieldValueInvalid`, `FieldValueRequired`, `FieldValueDuplicate`. */
  reason?: string;
  message?: string;
  /** The field path, e.g. `spec.replicas` or `spec.containers[0].image`. */
  field?: string;
}

/** Extra detail of a Status failure (`metav1.StatusDetails`). */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The `metav1.Status` object: the body of every API error and of some successful deletes. */
export interface Status extends TypeMeta {
  metadata?: ListMeta;
  status?: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

/** The types of watch events, as on the wire. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One watch event. For BOOKMARK the object carries only `metadata.resourceVersion` (and annotations). */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: Exclude<WatchEventType, 'ERROR'>;
  object: T;
}

/** The annotation a BOOKMARK carries to mark the end of the initial events of a `sendInitialEvents` watch. */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

/** The key of an object: namespace (empty for cluster-scoped) and name. */
export interface ObjectKey {
  namespace?: string | undefined;
  name: string;
}

/** Formats an object key the way client-go does: `namespace/name`, or `name` when cluster-scoped. */
export function keyString(key: ObjectKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}

/** Returns the key of an object from its metadata. */
export function objectKey(obj: { metadata: ObjectMeta }): ObjectKey {
  const { namespace, name } = obj.metadata;
  return namespace ? { namespace, name: name ?? '' } : { name: name ?? '' };
}

/** Parses `namespace/name` or `name` back into an ObjectKey. */
export function parseKey(key: string): ObjectKey {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
