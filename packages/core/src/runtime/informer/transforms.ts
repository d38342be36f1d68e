import type { KubeObject } from '../../api/meta.js';

/**
 * An informer transform that drops `metadata.managedFields` (often the largest part of an
 * object, and rarely read by controllers) before caching. Objects without them pass as they are.
 */
export function dropManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
