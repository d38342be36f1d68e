/**
 * Every built-in kind Converge serves, and a catalog of them.
 */
import type { ResourceDefinition } from '../api/resource-type.js';
import { ResourceCatalog } from '../api/resource-catalog.js';
import { Deployments } from './apps/deployment.kind.js';
import { ConfigMaps } from './core/configmap.kind.js';
import { Namespaces } from './core/namespace.kind.js';
import { Pods } from './core/pod.kind.js';

/** The definitions of all built-in kinds, core group first, in `kubectl api-resources` order within a group. */
export const builtinResources: readonly ResourceDefinition[] = Object.freeze(
  [ConfigMaps, Namespaces, Pods, Deployments] as unknown as ResourceDefinition[],
);

/** Creates a catalog holding every built-in kind (a new one each call: CRDs are added per cluster). */
export function createBuiltinCatalog(): ResourceCatalog {
  return new ResourceCatalog(builtinResources);
}
