import {
  getControllerOf,
  isConflict,
  isNotFound,
  objectKey,
  ownerReferenceFor,
  type KubeObject,
  type ObjectStore,
  type ResourceType,
} from '@converge/core';
import type { LabelSelectorMatcher } from '@converge/core/selectors';

/** Options of `claimChildren`. */
export interface ClaimOptions<O extends KubeObject, C extends KubeObject> {
  /** Where the children are read and patched. */
  store: ObjectStore;
  /** The controller object (ReplicaSet, Deployment, ...). */
  owner: O;
  /** Its kind. */
  ownerType: ResourceType<O>;
  /** The kind of its children. */
  childType: ResourceType<C>;
  /** The selector children must match. */
  selector: LabelSelectorMatcher;
  /** Candidate children (e.g. every object of the child kind in the owner's namespace). */
  candidates: readonly C[];
}

/**
 * Claims children as Kubernetes' ControllerRefManager does: children the owner controls
 * and that match stay; children it controls that no longer match are released (their
 * owner reference removed, unless the owner is being deleted); matching children without
 * a controller are adopted (after re-reading the owner, so nothing is adopted by an owner
 * that is being deleted or was replaced). Children controlled by another owner are left
 * alone. Writes are merge patches conditional on the child's resourceVersion; a child that
 * changed or vanished meanwhile is skipped (its event brings the owner back).
 * Returns the children the owner controls afterwards.
 */
export async function claimChildren<O extends KubeObject, C extends KubeObject>(o: ClaimOptions<O, C>): Promise<C[]> {
  const uid = o.owner.metadata.uid;
  const deleting = o.owner.metadata.deletionTimestamp !== undefined;
  const mine: C[] = [];
  let canAdopt: boolean | undefined;
  for (const child of o.candidates) {
    const ref = getControllerOf(child);
    const matches = o.selector.matches(child.metadata.labels ?? {});
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches || deleting) mine.push(child);
      else
        await patchOwners(
          o,
          child,
          (child.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid),
        );
      continue;
    }
    if (!matches || child.metadata.deletionTimestamp || deleting) continue;
    canAdopt ??= await ownerStillCurrent(o);
    if (!canAdopt) continue;
    const ownRef = ownerReferenceFor(o.owner, { ownerType: o.ownerType as ResourceType, controller: true, blockOwnerDeletion: true });
    const adopted = await patchOwners(o, child, [...(child.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid), ownRef]);
    if (adopted) mine.push(adopted);
  }
  return mine;
}

async function ownerStillCurrent<O extends KubeObject, C extends KubeObject>(o: ClaimOptions<O, C>): Promise<boolean> {
  try {
    const fresh = await o.store.get(o.ownerType, objectKey(o.owner));
    return fresh.metadata.uid === o.owner.metadata.uid && !fresh.metadata.deletionTimestamp;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function patchOwners<O extends KubeObject, C extends KubeObject>(
  o: ClaimOptions<O, C>,
  child: C,
  refs: NonNullable<C['metadata']['ownerReferences']>,
): Promise<C | undefined> {
  const body = { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: child.metadata.resourceVersion } };
  try {
    return await o.store.patch(o.childType, objectKey(child), { type: 'merge', body });
  } catch (err) {
    if (isNotFound(err) || isConflict(err)) return undefined;
    throw err;
  }
}
