import { rfc3339, type Deployment, type ReplicaSet } from '@converge/core';
import { desiredReplicas, maxUnavailable, totalStatus } from './deployment-util.js';

/** The status of a Deployment. */
export type DeploymentStatus = NonNullable<Deployment['status']>;
/** One condition of a Deployment. */
export type DeploymentCondition = NonNullable<DeploymentStatus['conditions']>[number];

/** Reasons of the Deployment conditions, as Kubernetes spells them. */
export const DeploymentReasons = {
  /** Progressing: a rollout created its ReplicaSet. */
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  /** Progressing: the Deployment was first seen with its current ReplicaSet. */
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  /** Progressing: pods moved forward. */
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  /** Progressing: the rollout is complete. */
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  /** Progressing (False): nothing moved for progressDeadlineSeconds. */
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  /** Available: enough pods are available. */
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  /** Available (False): too few pods are available. */
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  /** Progressing (Unknown): the Deployment is paused. */
  DeploymentPaused: 'DeploymentPaused',
  /** Progressing (Unknown): the Deployment was resumed. */
  DeploymentResumed: 'DeploymentResumed',
  /** ReplicaFailure: pods or a ReplicaSet could not be created. */
  FailedCreate: 'FailedCreate',
} as const;

/** The condition of the given type, if present. */
export function deploymentCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Sets a condition as Kubernetes' deployment utilities do: nothing changes when one of the
 * same type, status and reason is already there; the transition time is kept when only the
 * reason or message changes; `lastUpdateTime` is now.
 */
export function setDeploymentCondition(
  status: DeploymentStatus,
  condition: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>,
  nowMs: number,
): void {
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === condition.type);
  const existing = i >= 0 ? conditions[i] : undefined;
  if (existing && existing.status === condition.status && existing.reason === condition.reason) return;
  const now = rfc3339(nowMs);
  const next: DeploymentCondition = {
    ...condition,
    lastUpdateTime: now,
    lastTransitionTime: existing && existing.status === condition.status ? existing.lastTransitionTime! : now,
  };
  if (i >= 0) conditions[i] = next;
  else conditions.push(next);
}

/** Removes the condition of the given type. */
export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

/**
 * The status the Deployment's ReplicaSets add up to: replicas and readyReplicas/available
 * across all of them, updatedReplicas of the new one, unavailable = desired - available
 * (at least 0), and the Available condition (True once at least `replicas - maxUnavailable`
 * pods are available).
 */
export function calculateStatus(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, nowMs: number): DeploymentStatus {
  const available = totalStatus(all, 'availableReplicas');
  const status: DeploymentStatus = {
    ...structuredClone(d.status ?? {}),
    observedGeneration: d.metadata.generation ?? 0,
    replicas: totalStatus(all, 'replicas'),
    updatedReplicas: newRS ? (newRS.status?.replicas ?? 0) : 0,
    readyReplicas: totalStatus(all, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, desiredReplicas(d) - available),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setDeploymentCondition(
      status,
      {
        type: 'Available',
        status: 'True',
        reason: DeploymentReasons.MinimumReplicasAvailable,
        message: 'Deployment has minimum availability.',
      },
      nowMs,
    );
  } else {
    setDeploymentCondition(
      status,
      {
        type: 'Available',
        status: 'False',
        reason: DeploymentReasons.MinimumReplicasUnavailable,
        message: 'Deployment does not have minimum availability.',
      },
      nowMs,
    );
  }
  return status;
}

/** Whether a progress deadline applies (`progressDeadlineSeconds` set and not the "never" value). */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
}

/** Whether the rollout is complete: every desired pod updated and available, none extra, this generation observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const want = desiredReplicas(d);
  return (
    status.updatedReplicas === want &&
    status.replicas === want &&
    status.availableReplicas === want &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** Whether the new status shows progress over the stored one: more updated, fewer old, more ready or more available pods. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** Whether the rollout made no progress for `progressDeadlineSeconds` since the Progressing condition was last updated. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = deploymentCondition(status, 'Progressing');
  if (!c) return false;
  if (c.reason === DeploymentReasons.NewReplicaSetAvailable) return false;
  if (c.reason === DeploymentReasons.ProgressDeadlineExceeded) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + d.spec!.progressDeadlineSeconds! * 1000 < nowMs;
}
