import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import type { Informer, InformerSelection } from '../informer/types.js';

/**
 * Hands out informers, one per kind and selection, so everything asking for the same
 * kind and selection shares one list/watch and one cache. The manager's
 * `SharedInformerFactory` is one; tests may pass a scripted fake.
 */
export interface InformerProvider {
  informerFor<T extends KubeObject>(type: ResourceType<T>, selection?: InformerSelection): Informer<T>;
}
