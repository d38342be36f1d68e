import type { KubeObject } from '../api/meta.js';
import { rfc3339, type Clock } from '../util/clock.js';

/** The status of a condition. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A status condition (`metav1.Condition`, and the older per-kind shapes with extra times). */
export interface StatusCondition {
  type: string;
  status: ConditionStatus | string;
  reason?: string | undefined;
  message?: string | undefined;
  observedGeneration?: number | undefined;
  lastTransitionTime?: string | undefined;
  [extra: string]: unknown;
}

/** What to set: a condition; its `lastTransitionTime` is usually left out (then it is now). */
export type ConditionInput = StatusCondition;

/** Where the current time comes from: a Clock, or a time in ms. */
export type Now = Clock | number;

function nowOf(now: Now): string {
  return rfc3339(typeof now === 'number' ? now : now.now());
}

/** The condition of the given type in a list, if present. */
export function findCondition<C extends StatusCondition>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the condition of the given type is present with status `True`. */
export function isConditionTrue(conditions: readonly StatusCondition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/** Whether the condition of the given type is present with status `False`. */
export function isConditionFalse(conditions: readonly StatusCondition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'False';
}

/**
 * Sets a condition in a mutable list, as Kubernetes' `meta.SetStatusCondition` does, and
 * returns whether anything changed:
 *
 * - a new type is appended, with `lastTransitionTime` = the input's or now;
 * - for an existing type, `lastTransitionTime` changes only when `status` changes (to the
 *   input's time or now); reason, message, observedGeneration (and any extra field) are
 *   updated whenever they differ.
 */
export function setCondition(conditions: StatusCondition[], input: ConditionInput, now: Now): boolean {
  const existing = findCondition(conditions, input.type);
  if (!existing) {
    conditions.push({ ...input, lastTransitionTime: input.lastTransitionTime ?? nowOf(now) });
    return true;
  }
  let changed = false;
  if (existing.status !== input.status) {
    existing.status = input.status;
    existing.lastTransitionTime = input.lastTransitionTime ?? nowOf(now);
    changed = true;
  }
  // reason, message and observedGeneration follow the input (absent = cleared), as in Kubernetes;
  // any other field the input carries (e.g. lastProbeTime of a Pod condition) is copied.
  const keys = new Set(['reason', 'message', 'observedGeneration', ...Object.keys(input)]);
  for (const k of keys) {
    if (k === 'type' || k === 'status' || k === 'lastTransitionTime') continue;
    const v = input[k];
    if (existing[k] === v) continue;
    if (v === undefined) {
      if (!(k in existing)) continue;
      delete existing[k];
    } else {
      existing[k] = v;
    }
    changed = true;
  }
  return changed;
}

/** Removes the condition of the given type from a mutable list in place; returns whether it was there. */
export function removeCondition(conditions: StatusCondition[], type: string): boolean {
  const i = conditions.findIndex((c) => c.type === type);
  if (i < 0) return false;
  conditions.splice(i, 1);
  return true;
}

/** The shape the object helpers below read: `status.conditions` and `status.observedGeneration`. */
type WithConditions = KubeObject & { status?: { conditions?: StatusCondition[]; observedGeneration?: number; [k: string]: unknown } };

/**
 * Sets a condition in `obj.status.conditions` of a mutable object (status and the list are
 * created if missing); returns whether anything changed. For kinds whose conditions carry
 * `observedGeneration` (`metav1.Condition`, most custom resources), pass
 * `observedGeneration: obj.metadata.generation` in the input; the older built-in condition
 * types (Deployment, Pod, Node ...) have no such field.
 */
export function setStatusCondition(obj: KubeObject, input: ConditionInput, now: Now): boolean {
  const o = obj as WithConditions;
  o.status ??= {};
  o.status.conditions ??= [];
  return setCondition(o.status.conditions, input, now);
}

/** The condition of the given type in `obj.status.conditions`, if present. */
export function findStatusCondition(obj: KubeObject, type: string): StatusCondition | undefined {
  return findCondition((obj as WithConditions).status?.conditions, type);
}

/** Sets `status.observedGeneration` of a mutable object to its `metadata.generation`; returns whether it changed. */
export function setObservedGeneration(obj: KubeObject): boolean {
  const o = obj as WithConditions;
  const gen = obj.metadata.generation;
  if (gen === undefined || o.status?.observedGeneration === gen) return false;
  o.status ??= {};
  o.status.observedGeneration = gen;
  return true;
}
