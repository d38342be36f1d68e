/**
 * How the API server routes the requests of one kind where the kind's definition does not
 * say, as Kubernetes' per-kind REST storage declares it: known from the kinds table alone,
 * without a store, so that request routing names no kind.
 */
export interface KindRouting {
  /**
   * Whether the kind, though cluster-scoped, is addressed under the namespace path of its own
   * name (`/api/v1/namespaces/<name>`, `.../namespaces/<name>/finalize`): Namespaces.
   */
  readonly addressedAsNamespace?: boolean;
  /**
   * For a create-only virtual kind: a create is a create of this subresource of the object of
   * the same name of `resource`, in the kind's group and version (core/v1 `bindings` are
   * `pods/<name>/binding`).
   */
  readonly createAs?: { readonly resource: string; readonly subresource: string };
}

/** The routing of a kind the kinds table says nothing about: as its definition alone says. */
export const DEFAULT_ROUTING: KindRouting = Object.freeze({});
