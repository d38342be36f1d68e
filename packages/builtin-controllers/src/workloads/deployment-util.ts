import { jsonEqual, type Deployment, type PodTemplateSpec, type ReplicaSet } from '@converge/core';

/** The label (on ReplicaSets, their selectors and pods) telling ReplicaSets of one Deployment apart: a hash of the pod template. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** The revision of a Deployment and of each of its ReplicaSets (`kubectl rollout history`). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Earlier revisions a ReplicaSet had before a rollback made it current again. */
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
/** The Deployment's `spec.replicas` when it last scaled this ReplicaSet. */
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
/** The Deployment's `spec.replicas + maxSurge` when it last scaled this ReplicaSet (for proportional scaling). */
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const NOT_COPIED = new Set([
  LAST_APPLIED,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** Whether a Deployment annotation is copied onto its ReplicaSets (everything but kubectl's and the controller's own). */
export function copiedAnnotation(key: string): boolean {
  return !NOT_COPIED.has(key);
}

/**
 * Resolves an int-or-percent against a total: a number as it is, `'25%'` as 25 % of `total`
 * rounded up (`roundUp`) or down.
 */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    const n = Number(value);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid value for IntOrString: ${value}`);
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** The bounds of a rolling update, in pods. */
export interface Fenceposts {
  /** How many pods may exist above the desired count. */
  surge: number;
  /** How many desired pods may be unavailable. */
  unavailable: number;
}

/**
 * A RollingUpdate's bounds for `replicas` desired pods, rounded as Kubernetes rounds them:
 * the surge up, the unavailability down; both zero would stall, so unavailability becomes 1.
 */
export function resolveFenceposts(
  maxSurge: number | string | undefined,
  maxUnavailable: number | string | undefined,
  replicas: number,
): Fenceposts {
  const surge = scaledValue(maxSurge ?? '25%', replicas, true);
  let unavailable = scaledValue(maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** Whether the Deployment uses the RollingUpdate strategy (the default). */
export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** The Deployment's desired replicas. */
export function desiredReplicas(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

/** How many pods a rolling update may add above the desired count (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, desiredReplicas(d)).surge;
}

/** How many desired pods may be unavailable during a rolling update (0 for Recreate; never more than desired). */
export function maxUnavailable(d: Deployment): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return Math.min(replicas, resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).unavailable);
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let h = seed;
  const bytes = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The pod-template-hash of a template: a 32-bit FNV-1a hash of its canonical JSON (and of
 * `collisionCount`, when set, so a collision gives a new name), written with Kubernetes'
 * vowel-free alphabet so it never spells words. Stable for equal templates.
 */
export function computeTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let h = fnv1a32(canonicalJson(template ?? {}));
  if (collisionCount !== undefined && collisionCount > 0) h = fnv1a32(`#${collisionCount}`, h);
  return [...String(h)].map((c) => SAFE_ALPHABET[c.charCodeAt(0) % SAFE_ALPHABET.length]).join('');
}

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const t = { ...(template ?? {}) } as PodTemplateSpec;
  const labels = t.metadata?.labels;
  if (labels && POD_TEMPLATE_HASH_LABEL in labels) {
    const { [POD_TEMPLATE_HASH_LABEL]: _h, ...rest } = labels;
    t.metadata = { ...t.metadata, labels: rest };
  }
  return t;
}

/** Whether two pod templates are equal once the pod-template-hash label is left out of both. */
export function templatesEqualIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return jsonEqual(withoutHash(a), withoutHash(b));
}

/** The revision of a Deployment or ReplicaSet (0 when it has none). */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const n = Number(obj.metadata.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The highest revision among ReplicaSets. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) max = Math.max(max, revisionOf(rs));
  return max;
}

/** A ReplicaSet's `spec.replicas`. */
export function specReplicas(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 0;
}

/** The sum of `spec.replicas` over ReplicaSets. */
export function totalSpecReplicas(rss: readonly (ReplicaSet | undefined)[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += specReplicas(rs);
  return n;
}

/** The sum of a status field over ReplicaSets. */
export function totalStatus(rss: readonly (ReplicaSet | undefined)[], field: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  let n = 0;
  for (const rs of rss) if (rs) n += rs.status?.[field] ?? 0;
  return n;
}

/** Milliseconds of a ReplicaSet's creation (0 when unknown), for oldest/newest ordering. */
export function createdAt(rs: ReplicaSet): number {
  return Date.parse(rs.metadata.creationTimestamp ?? '') || 0;
}

/** Orders ReplicaSets oldest first (name order on ties). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return createdAt(a) - createdAt(b) || (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0);
}

/**
 * How many replicas the new ReplicaSet should have now: all of them for Recreate; for a
 * rolling update, as many as fit under `replicas + maxSurge` pods in total.
 */
export function newReplicaSetReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const desired = desiredReplicas(d);
  const current = newRS ? specReplicas(newRS) : 0;
  if (!isRollingUpdate(d)) return desired;
  const maxTotal = desired + maxSurge(d);
  const currentPods = totalSpecReplicas(all);
  if (currentPods >= maxTotal) return current;
  const scaleUp = Math.min(maxTotal - currentPods, desired - current);
  return current + Math.max(0, scaleUp);
}
