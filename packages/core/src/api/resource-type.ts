import type { ZodType } from 'zod';
import type { KubeObject, StatusCause } from './meta.js';

/** Group, version and plural resource name: how a REST path names a collection. */
export interface GroupVersionResource {
  /** The API group; `''` for the core (legacy `/api/v1`) group. */
  group: string;
  version: string;
  /** The plural lower-case resource name, e.g. `deployments`. */
  resource: string;
}

/** Group, version and kind: how a serialized object names its type. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The scale subresource of a kind: where its replica counts and selector live (dotted JSON paths). */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  /** Path of the label selector in status (a string selector), or of a `LabelSelector` in spec for built-ins. */
  labelSelectorPath?: string;
}

/**
 * The identity of a kind, enough to address it in any ObjectStore: `store.get(Pods, key)`.
 *
 * `T` is a phantom type: it types what the store hands back and is never read at run time.
 */
export interface ResourceType<T extends KubeObject = KubeObject> extends GroupVersionResource {
  kind: string;
  /** Whether objects live in a namespace. */
  namespaced: boolean;
  /** Phantom field carrying the object type; always undefined. */
  readonly __object?: T;
}

/** A column of `kubectl get` output (`additionalPrinterColumns` for custom resources). */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A JSONPath into the object (custom resources) ... */
  jsonPath?: string;
  /** ... or a function computing the cell (built-in kinds). */
  value?: (obj: KubeObject, now: number) => unknown;
  description?: string;
  format?: string;
  /** 0 = always shown; higher = only with `-o wide`. */
  priority?: number;
}

/**
 * How the registry treats writes of one kind: the "strategy" of Kubernetes' generic registry.
 *
 * Every hook is optional; the registry applies the common semantics (uid, resourceVersion,
 * generation on spec change, status split, finalizers) itself.
 */
export interface ResourceStrategy<T extends KubeObject = KubeObject> {
  /** Fills in defaults on a mutable copy before validation (create and update). */
  default?(obj: T): void;
  /**
   * Kind-specific validation beyond the schema; returns one cause per bad field.
   * `old` is set on update, so transition rules (immutable fields) can be checked.
   */
  validate?(obj: T, old: T | undefined): StatusCause[];
  /** Dotted paths of fields that may not change after create (checked generically on update). */
  immutableFields?: readonly string[];
  /** Top-level fields that are the "status" (split off the main resource); default `['status']` when the kind has a status subresource. */
  statusFields?: readonly string[];
  /**
   * Whether objects of this kind carry `metadata.generation` (1 on create, bumped when
   * `generationChanged` says so). Default false, as in Kubernetes, whose generic store sets
   * no generation unless the kind's strategy does: in 1.32 the workloads, PodDisruptionBudget,
   * Ingress, IngressClass, NetworkPolicy, EndpointSlice, CRDs and custom resources track it;
   * ConfigMap, Secret, Service, Pod, Namespace, Node, Event, Lease, HPA and the others do not.
   */
  tracksGeneration?: boolean;
  /** Whether a change to this object bumps `metadata.generation` (kinds that track it): default, any change outside metadata and status. */
  generationChanged?(obj: T, old: T): boolean;
  /** Per-kind field selectors beyond metadata.name / metadata.namespace, e.g. `spec.nodeName`. */
  selectableFields?: Readonly<Record<string, (obj: T) => string | undefined>>;
  /** Whether an update may omit resourceVersion (unconditional update); Kubernetes allows it for most kinds. */
  allowUnconditionalUpdate?: boolean;
}

/**
 * Where and in which form the objects of a served version are stored, when several served
 * versions are views of the same objects (as core/v1 and events.k8s.io/v1 Events, or
 * autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers, are in Kubernetes).
 *
 * A definition without a `storage` mapping stores its own objects in its own form under its
 * own group and resource. A definition with one stores them under the storage form's group and
 * resource, so every version naming the same storage shares one copy of each object (one uid,
 * one resourceVersion, one watch history), and the registry converts on every read, write,
 * list and watch. Validation, defaulting and field selectors are those of the served version.
 *
 * The conversion functions must be pure: they take an object (possibly deeply frozen) and
 * return a new top-level object, which may share nested values with the input; metadata is
 * carried over unchanged (annotations may be added or removed, as Kubernetes does to keep
 * fields a version cannot express).
 */
export interface StorageMapping {
  /** The API group of the storage form (with `resource`, it names the storage key prefix). */
  group: string;
  /** The version of the storage form: the `apiVersion` stored objects carry. */
  version: string;
  /** The plural resource name of the storage form. */
  resource: string;
  /** The kind of the storage form. */
  kind: string;
  /** Converts an object of the served version to the storage form. */
  toStorage(obj: KubeObject): KubeObject;
  /** Converts a stored object to the served version. */
  fromStorage(obj: KubeObject): KubeObject;
}

/**
 * Everything the cluster knows about one kind: identity, names, discovery facts, schema and
 * strategy. Built-in kinds are defined in `kinds/`; custom resources with `defineCustomResource`.
 */
export interface ResourceDefinition<T extends KubeObject = KubeObject> extends ResourceType<T> {
  /** The kind of the list, e.g. `PodList`. */
  listKind: string;
  singular: string;
  shortNames?: readonly string[];
  categories?: readonly string[];
  /** Verbs served (defaults to all of get, list, watch, create, update, patch, delete, deletecollection). */
  verbs?: readonly string[];
  subresources?: {
    status?: boolean;
    scale?: ScaleSubresource;
    /** Other subresources served by the API server (e.g. `log`, `exec`, `binding`, `eviction`, `token`). */
    others?: readonly string[];
  };
  /** The zod schema of the whole object (validated on every write). */
  schema: ZodType;
  /** A one-sentence description of the kind (OpenAPI, `kubectl explain`). */
  description?: string;
  strategy?: ResourceStrategy<T>;
  printerColumns?: readonly PrinterColumn[];
  /**
   * Whether `kubectl get` tables open with a Name column before `printerColumns` (default
   * true). Events have none in Kubernetes: their columns carry the name at the end.
   */
  nameColumn?: boolean;
  /** The OpenAPI schema name, e.g. `io.k8s.api.apps.v1.Deployment`. */
  openAPIName?: string;
  /** Whether the kind is served only for creates (reviews, TokenRequest) and never stored. */
  virtual?: boolean;
  /**
   * Where this version's objects are stored when it shares them with another served version
   * (its storage version), and how to convert; unset = stored as itself. See `StorageMapping`.
   */
  storage?: StorageMapping;
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(gv: { group: string; version: string }): string {
  return gv.group ? `${gv.group}/${gv.version}` : gv.version;
}

/** Splits an `apiVersion` into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The key a catalog files a GVR under. */
export function gvrKey(r: GroupVersionResource): string {
  return `${r.group}/${r.version}/${r.resource}`;
}
