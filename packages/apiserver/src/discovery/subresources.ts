/**
 * The subresources Kubernetes serves, with the kind each answers with and its verbs, as
 * discovery lists them (`pods/log`, `deployments/scale`, `serviceaccounts/token`, ...).
 */
import type { GroupVersionKind, ResourceDefinition } from '@converge/core';

/** One subresource as discovery describes it. */
export interface SubresourceInfo {
  name: string;
  /** The kind the subresource reads or writes. */
  kind: GroupVersionKind;
  verbs: readonly string[];
}

const STATUS_VERBS = ['get', 'patch', 'update'] as const;

function describe(def: ResourceDefinition, name: string): SubresourceInfo {
  const core = (kind: string): GroupVersionKind => ({ group: '', version: 'v1', kind });
  switch (name) {
    case 'status':
      return { name, kind: { group: def.group, version: def.version, kind: def.kind }, verbs: STATUS_VERBS };
    case 'scale':
      return { name, kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: STATUS_VERBS };
    case 'log':
      return { name, kind: core('Pod'), verbs: ['get'] };
    case 'exec':
      return { name, kind: core('PodExecOptions'), verbs: ['create', 'get'] };
    case 'attach':
      return { name, kind: core('PodAttachOptions'), verbs: ['create', 'get'] };
    case 'portforward':
      return { name, kind: core('PodPortForwardOptions'), verbs: ['create', 'get'] };
    case 'binding':
      return { name, kind: core('Binding'), verbs: ['create'] };
    case 'eviction':
      return { name, kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] };
    case 'token':
      return { name, kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }, verbs: ['create'] };
    case 'ephemeralcontainers':
    case 'resize':
      return { name, kind: { group: def.group, version: def.version, kind: def.kind }, verbs: STATUS_VERBS };
    case 'finalize':
      return { name, kind: { group: def.group, version: def.version, kind: def.kind }, verbs: ['update'] };
    case 'approval':
      return { name, kind: { group: def.group, version: def.version, kind: def.kind }, verbs: STATUS_VERBS };
    case 'proxy':
      return { name, kind: core(`${def.kind}ProxyOptions`), verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    default:
      return { name, kind: { group: def.group, version: def.version, kind: def.kind }, verbs: ['get'] };
  }
}

/** Subresources of built-in kinds Kubernetes always serves, used when a definition lists none. */
const DEFAULT_OTHERS: Record<string, readonly string[]> = {
  '/pods': ['attach', 'binding', 'eviction', 'exec', 'log', 'portforward'],
  '/serviceaccounts': ['token'],
};

/** The names of the non-status, non-scale subresources of a kind. */
export function otherSubresources(def: ResourceDefinition): readonly string[] {
  return def.subresources?.others ?? DEFAULT_OTHERS[`${def.group}/${def.resource}`] ?? [];
}

/** Every subresource of a kind, sorted by name. */
export function subresourcesOf(def: ResourceDefinition): SubresourceInfo[] {
  const names = new Set<string>(otherSubresources(def));
  if (def.subresources?.status) names.add('status');
  if (def.subresources?.scale) names.add('scale');
  return [...names].sort().map((n) => describe(def, n));
}

/** Whether a kind serves the named subresource. */
export function hasSubresource(def: ResourceDefinition, name: string): boolean {
  if (name === 'status') return def.subresources?.status === true;
  if (name === 'scale') return def.subresources?.scale !== undefined;
  return otherSubresources(def).includes(name);
}
