import type { Observable } from 'rxjs';
import type { KubeObject, ObjectKey, ObjectList, WatchEvent } from '../api/meta.js';
import type { ResourceType } from '../api/resource-type.js';

/** Options of GET. */
export interface GetOptions {
  /** `"0"` = any version (may be served from cache); unset = the most recent. */
  resourceVersion?: string;
  /** A subresource to read, e.g. `status` or `scale` (which returns an autoscaling/v1 Scale). */
  subresource?: string;
}

/** Selection common to LIST, WATCH and DELETECOLLECTION. */
export interface SelectOptions {
  /** Restricts to one namespace; unset = all namespaces (or a cluster-scoped kind). */
  namespace?: string;
  /** A label selector in Kubernetes' string syntax, e.g. `app=web,tier in (fe,be)`. */
  labelSelector?: string;
  /** A field selector, e.g. `spec.nodeName=n1,status.phase!=Running`. */
  fieldSelector?: string;
}

/** Options of LIST. */
export interface ListOptions extends SelectOptions {
  /** Maximum number of items; the list then carries `metadata.continue`. */
  limit?: number;
  /** The continue token of the previous page. */
  continue?: string;
  /** Unset = most recent; `"0"` = any; otherwise per `resourceVersionMatch`. */
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

/** Options of WATCH. */
export interface WatchOptions extends SelectOptions {
  /** Start after this resourceVersion; unset or `"0"` = start with the current state as ADDED events. */
  resourceVersion?: string;
  /** Ask for BOOKMARK events carrying the newest resourceVersion. */
  allowWatchBookmarks?: boolean;
  /** Send the current state first as ADDED events, then a BOOKMARK annotated `k8s.io/initial-events-end`. */
  sendInitialEvents?: boolean;
  /** End the watch (complete the Observable) after this many seconds. */
  timeoutSeconds?: number;
  /**
   * The last known version of an object (deeply frozen, as an informer caches it), if any:
   * a store that decodes events (the RemoteObjectStore) reuses its deeply equal parts in the
   * event's object instead of keeping fresh copies, so unchanged parts are shared between
   * versions. Only memory is shared: the objects delivered are the same. Not sent to the server.
   */
  previous?: (obj: KubeObject) => KubeObject | undefined;
}

/** How a write treats unknown or duplicate fields (kubectl sends `Strict`). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options common to writes. */
export interface WriteOptions {
  /** Validate and return the result without storing it (`dryRun=All`). */
  dryRun?: boolean;
  /** The field manager recorded in managedFields. */
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** Called with each warning (e.g. unknown fields under `Warn`). */
  onWarning?: (message: string) => void;
}

/** Options of CREATE. */
export interface CreateOptions extends WriteOptions {
  /** Create on a subresource of an existing object, e.g. `binding`, `eviction`, `token`. */
  subresource?: string;
  /** The name of the parent object when `subresource` is set. */
  name?: string;
}

/** Options of UPDATE. */
export interface UpdateOptions extends WriteOptions {
  /** Update a subresource (`status`, `scale`) instead of the main resource. */
  subresource?: string;
}

/** The patch formats Kubernetes accepts. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** A patch: its type and its parsed body (an array of operations for `json`, an object otherwise). */
export interface Patch {
  type: PatchType;
  body: unknown;
}

/** Options of PATCH. */
export interface PatchOptions extends WriteOptions {
  subresource?: string;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

/** Options of DELETE. */
export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  /** How dependents are treated; recorded as the `orphan` / `foregroundDeletion` finalizers. */
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** The delete fails with Conflict unless the object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * The one interface every Converge component talks to, with Kubernetes semantics.
 *
 * Implementations: the registry in `@converge/store` (in-process), the remote client in
 * core (HTTP to any API server), and the FakeStore in `@converge/testing`. They behave
 * the same; a difference between them is a bug, caught by the shared conformance suite.
 *
 * - Objects handed out are deeply frozen: copy before changing (see `mutable`).
 * - Failures are `StatusError`s with Kubernetes reasons: NotFound, AlreadyExists, Conflict
 *   (stale resourceVersion), Invalid (with one cause per field), Gone/Expired (a watch or
 *   list asked for history that is no longer kept: relist), Forbidden, BadRequest, ...
 * - `watch` is cold: each subscription opens one watch; unsubscribing closes it.
 */
export interface ObjectStore {
  /** Reads one object (or one of its subresources). */
  get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: GetOptions): Promise<T>;
  /** Lists objects, with selectors and pagination. */
  list<T extends KubeObject>(type: ResourceType<T>, options?: ListOptions): Promise<ObjectList<T>>;
  /** Watches changes; errors with a 410 StatusError when `resourceVersion` is too old. */
  watch<T extends KubeObject>(type: ResourceType<T>, options?: WatchOptions): Observable<WatchEvent<T>>;
  /** Creates an object (or POSTs to a subresource such as `pods/binding`). */
  create<T extends KubeObject>(type: ResourceType<T>, obj: T, options?: CreateOptions): Promise<T>;
  /** Replaces an object; a set `metadata.resourceVersion` makes it conditional (Conflict if stale). */
  update<T extends KubeObject>(type: ResourceType<T>, obj: T, options?: UpdateOptions): Promise<T>;
  /** Patches an object with a JSON, merge, strategic-merge or apply patch. */
  patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options?: PatchOptions): Promise<T>;
  /**
   * Deletes an object. Returns the object as it was removed, or, when finalizers keep it,
   * as it now stands with `deletionTimestamp` set.
   */
  delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: DeleteOptions): Promise<T>;
  /** Deletes every object the selection matches; returns the deleted objects. */
  deleteCollection<T extends KubeObject>(type: ResourceType<T>, options?: SelectOptions & DeleteOptions): Promise<ObjectList<T>>;
}
