import { badRequest, conflict, deepFreeze, notFound, type DeleteOptions, type KubeObject, type ObjectKey } from '@converge/core';
import { isObject } from './json-values.js';
import type { KindInfo } from './kind-info.js';
import type { StoreOps } from './store-ops.js';

/** The finalizer the garbage collector handles for `propagationPolicy: Orphan`. */
export const ORPHAN_FINALIZER = 'orphan';
/** The finalizer the garbage collector handles for `propagationPolicy: Foreground`. */
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

const POLICIES = new Set(['Orphan', 'Background', 'Foreground']);

/**
 * Whether a write that leaves an object being deleted with no finalizer left (and no grace
 * period running) removes it, as Kubernetes' `ShouldDeleteDuringUpdate` decides. A kind's
 * own finalizers (a Namespace's `spec.finalizers`) hold it too.
 */
export function shouldDeleteDuringUpdate(info: KindInfo, obj: KubeObject): boolean {
  const m = obj.metadata;
  if (!m.deletionTimestamp) return false;
  if (m.finalizers && m.finalizers.length > 0) return false;
  if ((m.deletionGracePeriodSeconds ?? 0) !== 0) return false;
  const pending = info.storage.deletion?.pendingFinalizers;
  if (pending && pending(obj).length > 0) return false;
  return true;
}

/**
 * Deletes an object with Kubernetes' semantics: preconditions on uid and resourceVersion; the
 * propagation policy recorded as the `orphan` / `foregroundDeletion` finalizers; an object
 * with finalizers (or in a grace period its kind's deletion rules give, as a Pod's) kept with
 * `deletionTimestamp` and `deletionGracePeriodSeconds` set; otherwise removed. A kind whose
 * deletion rules `mark` it (a Namespace turns Terminating) is always marked first. Returns the removed object, or the object as it now stands.
 */
export async function deleteObject(reg: StoreOps, info: KindInfo, key: ObjectKey, options: DeleteOptions): Promise<KubeObject> {
  checkOptions(options);
  const storageKey = reg.layout.key(info, key.namespace, key.name);
  let current = await reg.backend.get(storageKey);
  for (let attempt = 1; ; attempt++) {
    if (!current) throw notFound(info.qualified, key.name);
    const obj = current.object;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) {
      throw conflict(
        info.qualified,
        key.name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
      throw conflict(
        info.qualified,
        key.name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`,
      );
    }
    // Deletion changes only metadata (and a Namespace's status), which every version shares:
    // it works on the stored form and hands out the served view.
    const next = planDeletion(reg, info, obj, options);
    if (next === 'remove') {
      if (options.dryRun) return reg.view(info, obj);
      const res = await reg.backend.delete(storageKey, current.revision);
      if (res.ok) {
        if (info.storage.removed) await info.storage.removed(obj);
        return reg.view(info, res.stored.object);
      }
      if (res.reason === 'not-found') throw notFound(info.qualified, key.name);
      current = res.current;
    } else {
      if (next === null) return reg.view(info, obj);
      if (options.dryRun)
        return reg.view(
          info,
          deepFreeze({
            ...next,
            metadata: { ...next.metadata, resourceVersion: obj.metadata.resourceVersion ?? String(current.revision) },
          }),
        );
      const res = await reg.backend.update(storageKey, next, current.revision);
      if (res.ok) return reg.view(info, res.stored.object);
      if (res.reason === 'not-found') throw notFound(info.qualified, key.name);
      current = res.current;
    }
    if (attempt >= 64) throw conflict(info.qualified, key.name);
  }
}

function checkOptions(options: DeleteOptions): void {
  if (!isObject(options)) throw badRequest('delete options must be an object');
  const g = options.gracePeriodSeconds;
  if (g !== undefined && (typeof g !== 'number' || !Number.isInteger(g))) throw badRequest('gracePeriodSeconds must be an integer');
  if (options.propagationPolicy !== undefined && !POLICIES.has(options.propagationPolicy as string)) {
    throw badRequest(
      `propagationPolicy: Unsupported value: ${JSON.stringify(options.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  if (options.preconditions !== undefined && !isObject(options.preconditions)) throw badRequest('preconditions must be an object');
}

/** What a delete does to the stored object: remove it, store a new state, or nothing (null). */
function planDeletion(reg: StoreOps, info: KindInfo, obj: KubeObject, options: DeleteOptions): KubeObject | null | 'remove' {
  const m = obj.metadata;
  const finalizers = gcFinalizers(m.finalizers ?? [], options.propagationPolicy);
  const finalizersChanged = !sameSet(finalizers, m.finalizers ?? []);
  const rules = info.storage.deletion;
  const grace = rules?.gracePeriod ? rules.gracePeriod(obj, options) : 0;
  if (rules?.mark) {
    if (!m.deletionTimestamp) return rules.mark(markDeleting(reg, obj, 0, finalizers));
    if (rules.pendingFinalizers && rules.pendingFinalizers(obj).length > 0)
      return finalizersChanged ? withFinalizers(obj, finalizers) : null;
  }
  if (finalizers.length === 0 && grace === 0) return 'remove';
  if (!m.deletionTimestamp) return markDeleting(reg, obj, grace, finalizers);
  const current = m.deletionGracePeriodSeconds ?? 0;
  if (grace < current) {
    const next = withFinalizers(obj, finalizers);
    const ts = reg.timestamp(grace);
    if (ts < (m.deletionTimestamp ?? '')) next.metadata.deletionTimestamp = ts;
    next.metadata.deletionGracePeriodSeconds = grace;
    return next;
  }
  return finalizersChanged ? withFinalizers(obj, finalizers) : null;
}

function markDeleting(reg: StoreOps, obj: KubeObject, grace: number, finalizers: string[]): KubeObject {
  const next = withFinalizers(obj, finalizers);
  next.metadata.deletionTimestamp = reg.timestamp(grace);
  next.metadata.deletionGracePeriodSeconds = grace;
  if (next.metadata.generation !== undefined) next.metadata.generation += 1;
  return next;
}

function withFinalizers(obj: KubeObject, finalizers: string[]): KubeObject {
  const metadata = { ...obj.metadata };
  delete metadata.resourceVersion;
  if (finalizers.length > 0) metadata.finalizers = finalizers;
  else delete metadata.finalizers;
  return { ...obj, metadata };
}

/** The finalizers after applying a propagation policy, as Kubernetes' `deletionFinalizersForGarbageCollection` computes them. */
export function gcFinalizers(existing: readonly string[], policy: DeleteOptions['propagationPolicy']): string[] {
  const hasOrphan = existing.includes(ORPHAN_FINALIZER);
  const hasForeground = existing.includes(FOREGROUND_FINALIZER);
  const orphan = policy === 'Orphan' || (policy === undefined && hasOrphan);
  const foreground = policy === 'Foreground' || (policy === undefined && !hasOrphan && hasForeground);
  const out = existing.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (orphan) out.push(ORPHAN_FINALIZER);
  if (foreground) out.push(FOREGROUND_FINALIZER);
  return sameSet(out, existing) ? [...existing] : out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(b);
  return a.every((x) => s.has(x));
}
