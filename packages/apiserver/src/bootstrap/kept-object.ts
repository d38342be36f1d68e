/**
 * Keeping one object as the server wants it: created when missing, repaired when it drifted.
 * The building block of the `kubernetes` Service reconciler (the Service, its Endpoints and
 * EndpointSlice).
 */
import {
  hasReason,
  isAlreadyExists,
  isConflict,
  isNotFound,
  mutable,
  type KubeObject,
  type ObjectKey,
  type ObjectStore,
  type ResourceDefinition,
} from '@converge/core';

/** What an object should be. */
export interface KeptObjectSpec {
  /** The object to create when it is missing. */
  desired(): KubeObject;
  /**
   * The repaired object when `current` drifted from what it should be (a mutable copy changed in
   * place is fine), or undefined when it is fine as it is. Unset = never repaired, only recreated.
   */
  repair?(current: KubeObject): KubeObject | undefined;
}

/** What `keepObject` did. */
export type KeepOutcome = 'unchanged' | 'created' | 'repaired' | 'gone';

/** Attempts of a repair that meets concurrent writers (Conflict) before giving up. */
const ATTEMPTS = 5;

/** Whether an error means the namespace is gone or going (nothing to keep there any more). */
function namespaceGone(err: unknown): boolean {
  return isNotFound(err) || hasReason(err, 'Forbidden');
}

/**
 * Makes the object at `key` what `spec` says: creates it when missing, writes the repaired object
 * when it drifted (retrying on conflicts with other writers), leaves it alone otherwise.
 * Resolves `gone` when its namespace is gone or being deleted.
 */
export async function keepObject(store: ObjectStore, def: ResourceDefinition, key: ObjectKey, spec: KeptObjectSpec): Promise<KeepOutcome> {
  for (let attempt = 1; ; attempt++) {
    let current: KubeObject;
    try {
      current = await store.get(def, key);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        await store.create(def, spec.desired());
        return 'created';
      } catch (createErr) {
        if (isAlreadyExists(createErr) && attempt < ATTEMPTS) continue; // someone else made it: check theirs
        if (isAlreadyExists(createErr)) return 'unchanged';
        if (namespaceGone(createErr)) return 'gone';
        throw createErr;
      }
    }
    if (!spec.repair || current.metadata.deletionTimestamp) return 'unchanged';
    const repaired = spec.repair(mutable(current));
    if (!repaired) return 'unchanged';
    try {
      await store.update(def, repaired);
      return 'repaired';
    } catch (err) {
      if ((isConflict(err) || isNotFound(err)) && attempt < ATTEMPTS) continue;
      throw err;
    }
  }
}
