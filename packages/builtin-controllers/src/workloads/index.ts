export type { PodExpectationsOptions, PendingWrites } from './expectations.js';
export { PodExpectations, EXPECTATIONS_TTL_MS } from './expectations.js';
export { podFromTemplate, createPod } from './pod-control.js';
export { compareForDeletion, podsToDelete, POD_DELETION_COST_ANNOTATION } from './pod-ranking.js';
export { isPodActive, isPodTerminating, isPodReady, isPodAvailable, podReadyCondition, podReadySince, podRestarts } from './pod-status.js';
export type { SlowStartResult } from './slow-start.js';
export { slowStartBatch } from './slow-start.js';
export type { ReplicaStatus, ReplicaObject, ReplicaKind, ReplicaManagerOptions } from './replica-manager.js';
export { ReplicaManager, ReplicaController, ReplicaFailure, BURST_REPLICAS } from './replica-manager.js';
export { ReplicaSetController, replicaSetKind } from './replicaset.controller.js';
export { ReplicationControllerController, replicationControllerKind } from './replicationcontroller.controller.js';
export type { ClaimOptions } from './claim.js';
export { claimChildren } from './claim.js';
export type { Fenceposts } from './deployment-util.js';
export {
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  scaledValue,
  resolveFenceposts,
  maxSurge,
  maxUnavailable,
  computeTemplateHash,
  templatesEqualIgnoringHash,
  revisionOf,
} from './deployment-util.js';
export type { DeploymentStatus, DeploymentCondition } from './deployment-status.js';
export {
  DeploymentReasons,
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  hasProgressDeadline,
} from './deployment-status.js';
export type { RolloutContext, NewReplicaSetStep } from './deployment-rollout.js';
export {
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  scaleDeployment,
  isScalingEvent,
  replicaSetsToCleanUp,
} from './deployment-rollout.js';
export type { DeploymentSyncDeps } from './deployment-sync.js';
export { DeploymentSync } from './deployment-sync.js';
export { DeploymentController } from './deployment.controller.js';
