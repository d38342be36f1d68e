import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  Deployments,
  EventRecorder,
  getControllerOf,
  isNotFound,
  labelSelectorFromObject,
  LoggerToken,
  MapFrom,
  ObjectStoreToken,
  patchStatus,
  Pods,
  ReplicaSets,
  type Clock,
  type Deployment,
  type Logger,
  type ObjectStore,
  type Pod,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from '@converge/core';
import { inject, optional } from 'inversify';
import { claimChildren } from './claim.js';
import { isScalingEvent } from './deployment-rollout.js';
import { DeploymentSync } from './deployment-sync.js';
import { isRollingUpdate, POD_TEMPLATE_HASH_LABEL } from './deployment-util.js';

/**
 * Kubernetes' Deployment controller: rolls a Deployment's pod template out through
 * ReplicaSets.
 *
 * - Each template gets its own ReplicaSet `<deployment>-<hash>`, the hash (of the template
 *   and `status.collisionCount`) also set as the `pod-template-hash` label on the
 *   ReplicaSet, its selector and its pods, so ReplicaSets of one Deployment never share pods.
 * - Revisions: the current ReplicaSet carries `deployment.kubernetes.io/revision` (one above
 *   every old one), so does the Deployment. `kubectl rollout undo` patches the template back
 *   to an old ReplicaSet's: that ReplicaSet becomes current again with a new revision (its
 *   earlier ones in `revision-history`). Old ReplicaSets beyond `revisionHistoryLimit` that
 *   run no pods are deleted. `kubectl rollout restart` changes a template annotation: a new
 *   ReplicaSet.
 * - RollingUpdate: the new ReplicaSet grows while all pods stay within `replicas + maxSurge`,
 *   old ones shrink while at least `replicas - maxUnavailable` pods are available (surge
 *   rounds up, unavailability down; both 0 means 1 unavailable). Recreate: every old pod is
 *   gone before the new ReplicaSet scales up.
 * - Scaling (a new `spec.replicas`) during a rollout is spread over the ReplicaSets in
 *   proportion to their size (`desired-replicas` / `max-replicas` annotations).
 * - Paused: no rollout (no new ReplicaSet), scaling still applies; the Progressing condition
 *   says `DeploymentPaused`, then `DeploymentResumed`.
 * - Status: replicas, updatedReplicas, readyReplicas, availableReplicas,
 *   unavailableReplicas, observedGeneration, collisionCount; conditions Available
 *   (MinimumReplicasAvailable / MinimumReplicasUnavailable) and Progressing
 *   (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable,
 *   or ProgressDeadlineExceeded after `progressDeadlineSeconds` without progress): what
 *   `kubectl rollout status` reads.
 *
 * `@Controller({ for: Deployments, owns: [ReplicaSets] })`, plus `@MapFrom(Pods)` for pod
 * deletions (a Recreate rollout waits for the old pods to be gone).
 */
@Controller({ name: 'deployment', for: Deployments, owns: [ReplicaSets] })
export class DeploymentController implements Reconciler {
  /** The Events it records (`ScalingReplicaSet`, ...). */
  readonly events: EventRecorder;

  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(LoggerToken) @optional() logger?: Logger,
  ) {
    this.events = new EventRecorder({ store, component: 'deployment-controller', clock, ...(logger ? { logger } : {}) });
  }

  /**
   * Maps a deleted pod to the Deployment of its ReplicaSet, named `<deployment>-<hash>`
   * with the hash in the pod's `pod-template-hash` label (no lookup needed).
   */
  @MapFrom(Pods, { predicates: [(e) => e.type === 'delete'] })
  deploymentOfPod(pod: Pod): Request | undefined {
    const ref = getControllerOf(pod);
    const hash = pod.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    if (!ref || ref.kind !== 'ReplicaSet' || !hash || !ref.name.endsWith(`-${hash}`)) return undefined;
    return { namespace: pod.metadata.namespace!, name: ref.name.slice(0, -hash.length - 1) };
  }

  /** Reconciles one Deployment (see the class documentation). */
  async reconcile(request: Request, _context?: ReconcileContext): Promise<Result | void> {
    let d: Deployment;
    try {
      d = await this.store.get(Deployments, request);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const sel = d.spec?.selector;
    if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) {
      this.events.warning(d, 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', {
        type: Deployments,
      });
      await patchStatus(this.store, Deployments, d, { ...d.status, observedGeneration: d.metadata.generation ?? 0 });
      return;
    }
    const candidates = (await this.store.list(ReplicaSets, { namespace: d.metadata.namespace! })).items;
    const owned = await claimChildren({
      store: this.store,
      owner: d,
      ownerType: Deployments,
      childType: ReplicaSets,
      selector: labelSelectorFromObject(sel),
      candidates,
    });
    const sync = new DeploymentSync({ store: this.store, clock: this.clock, events: this.events }, d, owned);
    if (d.metadata.deletionTimestamp) return sync.syncStatusOnly();
    await sync.checkPausedConditions();
    if (d.spec?.paused) return sync.sync();
    if (isScalingEvent(d, owned)) return sync.sync();
    return isRollingUpdate(d) ? sync.rolloutRolling() : sync.rolloutRecreate();
  }
}
