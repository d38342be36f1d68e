import type { Deployment, ReplicaSet } from '@converge/core';
import {
  byCreation,
  createdAt,
  DESIRED_REPLICAS_ANNOTATION,
  desiredReplicas,
  isRollingUpdate,
  MAX_REPLICAS_ANNOTATION,
  maxSurge,
  maxUnavailable,
  newReplicaSetReplicas,
  revisionOf,
  specReplicas,
  totalSpecReplicas,
} from './deployment-util.js';

/** What the rollout steps need from the controller: the Deployment and a way to scale one of its ReplicaSets. */
export interface RolloutContext {
  /** The Deployment being rolled out. */
  readonly deployment: Deployment;
  /** Sets a ReplicaSet's replicas (and its desired/max-replicas annotations); returns the ReplicaSet as stored. */
  scale(rs: ReplicaSet, replicas: number): Promise<ReplicaSet>;
}

/**
 * The available pods a ReplicaSet can be counted on for: its reported availability, but
 * never more than its `spec.replicas` (a ReplicaSet just scaled down still reports the pods
 * it is about to delete until its controller catches up).
 */
function availableOf(rs: ReplicaSet): number {
  return Math.min(rs.status?.availableReplicas ?? 0, specReplicas(rs));
}

function replaced(list: readonly ReplicaSet[], rs: ReplicaSet): ReplicaSet[] {
  return list.map((x) => (x.metadata.uid === rs.metadata.uid ? rs : x));
}

/** What `reconcileNewReplicaSet` did. */
export interface NewReplicaSetStep {
  /** Whether it changed the new ReplicaSet's size. */
  scaled: boolean;
  /** The new ReplicaSet as stored afterwards. */
  newRS: ReplicaSet;
}

/**
 * Scales the new ReplicaSet of a rolling update towards the desired count, as far as
 * `maxSurge` allows (down, when it has more than desired). Returns the new ReplicaSet and
 * whether it changed.
 */
export async function reconcileNewReplicaSet(
  ctx: RolloutContext,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet,
): Promise<NewReplicaSetStep> {
  const d = ctx.deployment;
  const want = desiredReplicas(d);
  const have = specReplicas(newRS);
  if (have === want) return { scaled: false, newRS };
  const target = have > want ? want : newReplicaSetReplicas(d, all, newRS);
  if (target === have) return { scaled: false, newRS };
  return { scaled: true, newRS: await ctx.scale(newRS, target) };
}

/**
 * Scales old ReplicaSets down as far as `maxUnavailable` allows: first the pods of old
 * ReplicaSets that are not available anyway (oldest ReplicaSet first), then available ones,
 * never going below `replicas - maxUnavailable` available pods, counting the new
 * ReplicaSet's unavailable pods against the budget. Returns whether it scaled anything.
 */
export async function reconcileOldReplicaSets(
  ctx: RolloutContext,
  all: readonly ReplicaSet[],
  oldRSs: readonly ReplicaSet[],
  newRS: ReplicaSet,
): Promise<boolean> {
  const d = ctx.deployment;
  let olds = oldRSs.filter((rs) => specReplicas(rs) > 0);
  if (totalSpecReplicas(olds) === 0) return false;
  const allPods = totalSpecReplicas(all);
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - availableOf(newRS);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;

  // 1. pods of old ReplicaSets that are not available: removing them costs no availability
  let cleaned = 0;
  for (const rs of [...olds].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = specReplicas(rs) - availableOf(rs);
    if (unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    const scaled = await ctx.scale(rs, specReplicas(rs) - down);
    olds = replaced(olds, scaled);
    cleaned += down;
  }

  // 2. available pods of old ReplicaSets, down to the minimum available
  const everything = [...olds, newRS];
  const available = everything.reduce((n, rs) => n + availableOf(rs), 0);
  let scaledDown = 0;
  if (available > minAvailable) {
    const total = available - minAvailable;
    for (const rs of [...olds].sort(byCreation)) {
      if (scaledDown >= total) break;
      if (specReplicas(rs) === 0) continue;
      const down = Math.min(specReplicas(rs), total - scaledDown);
      await ctx.scale(rs, specReplicas(rs) - down);
      scaledDown += down;
    }
  }
  return cleaned + scaledDown > 0;
}

/** Whether the Deployment's `spec.replicas` differs from what an active ReplicaSet was last scaled for (a scaling event, not a rollout). */
export function isScalingEvent(d: Deployment, all: readonly ReplicaSet[]): boolean {
  const want = String(desiredReplicas(d));
  for (const rs of all) {
    if (specReplicas(rs) === 0) continue;
    const annotated = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    if (annotated !== undefined && annotated !== want) return true;
  }
  return false;
}

/** The only active ReplicaSet, or (when none is active) the new or the newest one; undefined when several are active. */
function activeOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  const all = [...(newRS ? [newRS] : []), ...oldRSs];
  const active = all.filter((rs) => specReplicas(rs) > 0);
  if (active.length === 1) return active[0];
  if (active.length > 1) return undefined;
  if (newRS) return newRS;
  return [...oldRSs].sort((a, b) => createdAt(b) - createdAt(a))[0];
}

/** Whether the new ReplicaSet runs every desired pod, available, for the current replica count. */
function saturated(d: Deployment, newRS: ReplicaSet | undefined): boolean {
  if (!newRS) return false;
  const want = desiredReplicas(d);
  return (
    specReplicas(newRS) === want &&
    newRS.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION] === String(want) &&
    (newRS.status?.availableReplicas ?? 0) === want
  );
}

/**
 * Scales a Deployment's ReplicaSets to a new `spec.replicas` without rolling anything:
 * a single active ReplicaSet takes the new count; a saturated new ReplicaSet lets the old
 * ones go to zero; otherwise (a scale during a rolling update) the change is spread over
 * the active ReplicaSets in proportion to their size, as Kubernetes does, so a rollout in
 * progress keeps its ratio of old to new pods. Leftover replicas from rounding go to the largest.
 */
export async function scaleDeployment(ctx: RolloutContext, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const d = ctx.deployment;
  const want = desiredReplicas(d);
  const single = activeOrLatest(newRS, oldRSs);
  if (single) {
    if (specReplicas(single) !== want) await ctx.scale(single, want);
    return;
  }
  if (saturated(d, newRS)) {
    for (const rs of oldRSs) if (specReplicas(rs) > 0) await ctx.scale(rs, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const active = [...(newRS ? [newRS] : []), ...oldRSs].filter((rs) => specReplicas(rs) > 0);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - totalSpecReplicas(active);
  // larger first; on ties newer first when growing, older first when shrinking
  const sorted = [...active].sort(
    (a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? createdAt(b) - createdAt(a) : createdAt(a) - createdAt(b)),
  );
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of sorted) {
    let proportion = 0;
    if (toAdd !== 0 && specReplicas(rs) > 0 && toAdd !== added) {
      const fraction = replicaSetFraction(rs, d);
      const room = toAdd - added;
      proportion = toAdd > 0 ? Math.min(fraction, room) : Math.max(fraction, room);
    }
    sizes.set(rs, specReplicas(rs) + proportion);
    added += proportion;
  }
  if (toAdd !== added && sorted.length > 0) {
    const first = sorted[0]!;
    sizes.set(first, Math.max(0, sizes.get(first)! + (toAdd - added)));
  }
  for (const rs of sorted) await ctx.scale(rs, sizes.get(rs)!);
}

/** How many replicas a ReplicaSet gains (or loses) when the Deployment scales: its share of the new total against the total it was sized for. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const want = desiredReplicas(d);
  if (want === 0) return -specReplicas(rs);
  const deploymentReplicas = want + maxSurge(d);
  const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION]);
  const sizedFor = Number.isInteger(annotated) && annotated > 0 ? annotated : (d.status?.replicas ?? 0);
  if (sizedFor <= 0) return 0;
  const newSize = (specReplicas(rs) * deploymentReplicas) / sizedFor;
  return Math.round(newSize) - specReplicas(rs);
}

/**
 * The old ReplicaSets to delete beyond `revisionHistoryLimit`, lowest revision first:
 * only those scaled to zero with no pods left and whose status is current.
 */
export function replicaSetsToCleanUp(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined) return [];
  const alive = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return [];
  const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  const out: ReplicaSet[] = [];
  for (const rs of sorted.slice(0, excess)) {
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    out.push(rs);
  }
  return out;
}
