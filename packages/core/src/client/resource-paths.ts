import type { ObjectKey } from '../api/meta.js';
import type { ResourceType } from '../api/resource-type.js';

/**
 * REST paths of the Kubernetes API: `/api/v1/...` for the core group, `/apis/<group>/<version>/...`
 * otherwise; `/namespaces/<ns>/` for namespaced kinds when a namespace is given (a namespaced
 * collection without one is the all-namespaces collection); `/<name>/<subresource>` below.
 */
export function groupVersionPath(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
}

/** The path of a collection: all namespaces (or a cluster-scoped kind) without `namespace`. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  const ns = type.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(type)}${ns}/${type.resource}`;
}

/** The path of one object, or of one of its subresources. */
export function objectPath(type: ResourceType, key: ObjectKey, subresource?: string): string {
  const base = `${collectionPath(type, key.namespace)}/${encodeURIComponent(key.name)}`;
  return subresource ? `${base}/${subresource}` : base;
}

/** A query string builder that skips unset values and writes booleans as `true`. */
export class Query {
  private readonly params = new URLSearchParams();

  /** Adds `name=value` when the value is set (not undefined, null or empty). */
  set(name: string, value: string | number | boolean | undefined | null): this {
    if (value === undefined || value === null || value === '' || value === false) return this;
    this.params.set(name, value === true ? 'true' : String(value));
    return this;
  }

  /** `?a=b&c=d`, or the empty string when nothing is set. */
  toString(): string {
    const s = this.params.toString();
    return s ? `?${s}` : '';
  }
}
