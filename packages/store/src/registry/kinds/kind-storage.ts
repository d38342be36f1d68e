import type { CreateOptions, DeleteOptions, KubeObject, ObjectKey, ResourceDefinition, UpdateOptions } from '@converge/core';

/**
 * A subresource the API server serves itself rather than through the store's verbs: a
 * connection proxied to the kubelet of a pod's node (`pods/log`, `exec`, `attach`,
 * `portforward`, `proxy`), to a node's kubelet (`nodes/proxy`), to a Service's endpoints
 * (`services/proxy`), or a token minted by the API server (`serviceaccounts/token`).
 */
export type ServedSubresource = 'kubelet' | 'node-proxy' | 'service-proxy' | 'token-request';

/** What the claims of a write (a Service's cluster IP and node ports) do once the write is decided. */
export interface WriteClaims {
  /** Releases what the write claimed: the write failed. */
  revert(): Promise<void>;
  /** Releases what the object no longer holds: the write succeeded. */
  commit(): Promise<void>;
}

/** Creates through a subresource (`pods/<name>/binding`), given the parent kind's definition. */
export type CreateSubresource = (def: ResourceDefinition, body: KubeObject, options: CreateOptions) => Promise<KubeObject>;

/** Updates through a subresource (`namespaces/<name>/finalize`). */
export type UpdateSubresource = (def: ResourceDefinition, key: ObjectKey, body: KubeObject, options: UpdateOptions) => Promise<KubeObject>;

/**
 * What one kind's storage does beyond the generic store, as the per-kind strategies and
 * subresource storage of Kubernetes' registry do: the parts of a write that need the store
 * (claims, deletion rules, subresources). The pure parts (defaulting, validation, immutable
 * fields, status fields, generation, field selectors) are the `strategy` of the kind's
 * `ResourceDefinition` in core.
 *
 * The generic store asks a kind's storage and never tests kind names. A kind without an
 * entry in the kinds table gets `GENERIC_STORAGE` (no hooks). Every member is optional.
 */
export interface KindStorage {
  /** Whether a create keeps the status fields (a Node registers with its status) instead of resetting them. */
  readonly keepsStatusOnCreate?: boolean;
  /**
   * A last step of the update of the main resource, on the validated object (a copy the
   * hook may change): Namespaces keep `spec.finalizers`, which only `finalize` changes.
   */
  prepareUpdate?(obj: KubeObject, current: KubeObject): void;
  /** How objects of the kind are deleted, when not as every other kind is (removed at once unless finalizers hold them). */
  readonly deletion?: DeletionRules;
  /**
   * Claims what a create needs before it is stored (changing `obj` in place, e.g. a
   * Service's cluster IP); the claims are reverted when the create fails.
   */
  claimCreate?(obj: KubeObject, dryRun: boolean): Promise<WriteClaims | undefined>;
  /** Claims what an update needs (changing `next` in place); committed or reverted with the write. */
  claimUpdate?(next: KubeObject, current: KubeObject, dryRun: boolean): Promise<WriteClaims | undefined>;
  /** Told after a successful create, or an update that claimed something. */
  written?(): void;
  /** Releases what a removed object held. */
  removed?(obj: KubeObject): Promise<void>;
  /** Subresources served by a create (`binding`, `eviction`), by name. */
  readonly create?: Readonly<Record<string, CreateSubresource>>;
  /** Subresources served by an update (`finalize`), by name. */
  readonly update?: Readonly<Record<string, UpdateSubresource>>;
  /** Subresources the API server serves itself (proxies, kubelet connections, tokens), by name. */
  readonly served?: Readonly<Record<string, ServedSubresource>>;
  /**
   * For a create-only virtual kind (core/v1 `bindings`): what a create does instead of storing
   * an object (it binds the Pod the Binding names).
   */
  createInstead?(body: KubeObject, options: CreateOptions): Promise<KubeObject>;
  /** Stops background work (timers, watches) when the store closes. */
  close?(): void;
}

/** How a kind's objects are deleted when it is not the generic way. */
export interface DeletionRules {
  /**
   * The grace period of a delete (a Pod on a node gets the requested period, else its
   * `terminationGracePeriodSeconds`); default 0, which removes the object at once when no
   * finalizer holds it.
   */
  gracePeriod?(obj: KubeObject, options: DeleteOptions): number;
  /**
   * Marks the object when its deletion starts (a Namespace turns `Terminating`); a kind with
   * this hook is always marked first, never removed by the first delete.
   */
  mark?(obj: KubeObject): KubeObject;
  /** Finalizers of the kind's own that hold a deleted object besides `metadata.finalizers` (a Namespace's `spec.finalizers`). */
  pendingFinalizers?(obj: KubeObject): readonly string[];
}

/** The storage of a kind with no hooks: the generic store alone. */
export const GENERIC_STORAGE: KindStorage = Object.freeze({});
