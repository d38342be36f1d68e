import {
  Deployments,
  getControllerOf,
  isAlreadyExists,
  isControlledBy,
  mutable,
  objectKey,
  ownerReferenceFor,
  patchFrom,
  patchStatus,
  Pods,
  ReplicaSets,
  rfc3339,
  jsonEqual,
  type Clock,
  type Deployment,
  type EventRecorder,
  type ObjectStore,
  type ReplicaSet,
  type Result,
} from '@converge/core';
import {
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  replicaSetsToCleanUp,
  scaleDeployment,
  type RolloutContext,
} from './deployment-rollout.js';
import {
  calculateStatus,
  deploymentComplete,
  deploymentCondition,
  deploymentProgressing,
  DeploymentReasons,
  deploymentTimedOut,
  hasProgressDeadline,
  removeDeploymentCondition,
  setDeploymentCondition,
  type DeploymentStatus,
} from './deployment-status.js';
import {
  byCreation,
  computeTemplateHash,
  copiedAnnotation,
  DESIRED_REPLICAS_ANNOTATION,
  desiredReplicas,
  MAX_REPLICAS_ANNOTATION,
  maxRevision,
  maxSurge,
  newReplicaSetReplicas,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  revisionOf,
  specReplicas,
  templatesEqualIgnoringHash,
} from './deployment-util.js';

/** What a DeploymentSync needs. */
export interface DeploymentSyncDeps {
  /** Where Deployments and ReplicaSets are read and written. */
  store: ObjectStore;
  /** Time for conditions and the progress deadline. */
  clock: Clock;
  /** Where Events go. */
  events: EventRecorder;
}

/** The new ReplicaSet (if any) and the old ones. */
interface ReplicaSetsOfDeployment {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/**
 * One reconcile of one Deployment: holds the Deployment as last written and the latest
 * version of each ReplicaSet it scaled, and runs the strategy (see `DeploymentController`).
 */
export class DeploymentSync implements RolloutContext {
  private d: Deployment;
  private readonly latest = new Map<string, ReplicaSet>();

  /** Starts a reconcile of `deployment` over the ReplicaSets it controls. */
  constructor(
    private readonly deps: DeploymentSyncDeps,
    deployment: Deployment,
    private readonly owned: ReplicaSet[],
  ) {
    this.d = deployment;
  }

  /** The Deployment as last read or written in this reconcile. */
  get deployment(): Deployment {
    return this.d;
  }

  private current(rs: ReplicaSet): ReplicaSet {
    return this.latest.get(rs.metadata.uid!) ?? rs;
  }

  /** Sets a ReplicaSet's replicas and its desired/max-replicas annotations; records a ScalingReplicaSet event when the size changes. */
  async scale(rs: ReplicaSet, replicas: number): Promise<ReplicaSet> {
    rs = this.current(rs);
    const d = this.d;
    const desired = String(desiredReplicas(d));
    const max = String(desiredReplicas(d) + maxSurge(d));
    const before = specReplicas(rs);
    const ann = rs.metadata.annotations ?? {};
    if (before === replicas && ann[DESIRED_REPLICAS_ANNOTATION] === desired && ann[MAX_REPLICAS_ANNOTATION] === max) return rs;
    // a merge patch of the fields it decides: the ReplicaSet controller's status writes in between do not conflict with it
    const body = {
      metadata: { annotations: { [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max } },
      spec: { replicas },
    };
    const updated = await this.deps.store.patch(ReplicaSets, objectKey(rs), { type: 'merge', body });
    this.latest.set(updated.metadata.uid!, updated);
    if (before !== replicas)
      this.deps.events.normal(
        d,
        'ScalingReplicaSet',
        `Scaled ${replicas > before ? 'up' : 'down'} replica set ${rs.metadata.name} from ${before} to ${replicas}`,
        { type: Deployments },
      );
    return updated;
  }

  /** Writes the status when it changed. */
  private async writeStatus(status: DeploymentStatus): Promise<void> {
    this.d = await patchStatus(this.deps.store, Deployments, this.d, status);
  }

  /** Sets the Progressing condition to say the rollout is paused or resumed, when that changed. */
  async checkPausedConditions(): Promise<void> {
    const d = this.d;
    if (!hasProgressDeadline(d)) return;
    const cond = deploymentCondition(d.status, 'Progressing');
    if (cond?.reason === DeploymentReasons.ProgressDeadlineExceeded) return;
    const pausedCond = cond?.reason === DeploymentReasons.DeploymentPaused;
    const status = mutable(d.status ?? {});
    if (d.spec?.paused && !pausedCond)
      setDeploymentCondition(
        status,
        { type: 'Progressing', status: 'Unknown', reason: DeploymentReasons.DeploymentPaused, message: 'Deployment is paused' },
        this.deps.clock.now(),
      );
    else if (!d.spec?.paused && pausedCond)
      setDeploymentCondition(
        status,
        { type: 'Progressing', status: 'Unknown', reason: DeploymentReasons.DeploymentResumed, message: 'Deployment is resumed' },
        this.deps.clock.now(),
      );
    else return;
    await this.writeStatus(status);
  }

  /** Scales without rolling out (paused, or `spec.replicas` changed), cleans up when paused, and updates the status. */
  async sync(): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSets(false);
    await scaleDeployment(this, newRS, oldRSs);
    if (this.d.spec?.paused) await this.cleanup(oldRSs);
    const all = this.all(newRS, oldRSs);
    await this.writeStatus(calculateStatus(this.d, all, newRS && this.current(newRS), this.deps.clock.now()));
  }

  /** Only recomputes the status (a Deployment being deleted). */
  async syncStatusOnly(): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSets(false);
    await this.writeStatus(calculateStatus(this.d, this.all(newRS, oldRSs), newRS, this.deps.clock.now()));
  }

  /** The RollingUpdate strategy: scale the new ReplicaSet up within maxSurge, then old ones down within maxUnavailable. */
  async rolloutRolling(): Promise<Result | void> {
    const found = await this.replicaSets(true);
    let newRS = found.newRS!;
    const oldRSs = found.oldRSs;
    const step = await reconcileNewReplicaSet(this, [...oldRSs, newRS], newRS);
    newRS = step.newRS;
    if (step.scaled) return this.syncRolloutStatus(newRS, oldRSs);
    const scaledDown = await reconcileOldReplicaSets(this, [...oldRSs, newRS], oldRSs, newRS);
    if (scaledDown) return this.syncRolloutStatus(newRS, oldRSs);
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(oldRSs);
    return this.syncRolloutStatus(newRS, oldRSs);
  }

  /** The Recreate strategy: scale every old ReplicaSet to zero, wait until their pods are gone, then scale the new one up. */
  async rolloutRecreate(): Promise<Result | void> {
    let { newRS, oldRSs } = await this.replicaSets(false);
    const activeOld = oldRSs.filter((rs) => specReplicas(rs) > 0);
    if (activeOld.length > 0) {
      for (const rs of activeOld) await this.scale(rs, 0);
      return this.syncRolloutStatus(newRS, oldRSs);
    }
    if (await this.oldPodsRunning(oldRSs)) return this.syncRolloutStatus(newRS, oldRSs);
    if (!newRS) ({ newRS, oldRSs } = await this.replicaSets(true));
    if (specReplicas(this.current(newRS!)) !== desiredReplicas(this.d)) newRS = await this.scale(newRS!, desiredReplicas(this.d));
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanup(oldRSs);
    return this.syncRolloutStatus(newRS, oldRSs);
  }

  private all(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
    return [...oldRSs, ...(newRS ? [newRS] : [])].map((rs) => this.current(rs));
  }

  private async oldPodsRunning(oldRSs: readonly ReplicaSet[]): Promise<boolean> {
    if (oldRSs.some((rs) => (this.current(rs).status?.replicas ?? 0) > 0)) return true;
    if (oldRSs.length === 0) return false;
    const uids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    const pods = (await this.deps.store.list(Pods, { namespace: this.d.metadata.namespace! })).items;
    return pods.some((p) => {
      const ref = getControllerOf(p);
      if (!ref || !uids.has(ref.uid)) return false;
      return p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';
    });
  }

  /**
   * Finds the new ReplicaSet (the oldest one whose template equals the Deployment's, the
   * pod-template-hash label aside) and the old ones, and brings revisions in line: the new
   * ReplicaSet gets revision `max(old revisions) + 1` (a rollback to an old ReplicaSet
   * bumps its revision and records the previous one in `revision-history`), the Deployment
   * the same revision. With `create`, makes the new ReplicaSet when there is none.
   */
  private async replicaSets(create: boolean): Promise<ReplicaSetsOfDeployment> {
    const d = this.d;
    const sorted = this.owned.map((rs) => this.current(rs)).sort(byCreation);
    let newRS = sorted.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template));
    const oldRSs = sorted.filter((rs) => rs !== newRS);
    const newRevision = maxRevision(oldRSs) + 1;
    if (newRS) newRS = await this.syncExistingNewReplicaSet(newRS, newRevision);
    else if (create) newRS = await this.createNewReplicaSet(oldRSs, newRevision);
    if (newRS) await this.setDeploymentRevision(String(revisionOf(newRS)));
    return { newRS, oldRSs };
  }

  private annotateNewReplicaSet(rs: ReplicaSet, newRevision: number): void {
    const ann = (rs.metadata.annotations ??= {});
    for (const [k, v] of Object.entries(this.d.metadata.annotations ?? {})) if (copiedAnnotation(k)) ann[k] = v;
    const old = revisionOf(rs);
    if (old < newRevision) {
      if (old > 0) {
        const history = ann[REVISION_HISTORY_ANNOTATION];
        ann[REVISION_HISTORY_ANNOTATION] = history ? `${history},${old}` : String(old);
      }
      ann[REVISION_ANNOTATION] = String(newRevision);
    }
  }

  private async syncExistingNewReplicaSet(rs: ReplicaSet, newRevision: number): Promise<ReplicaSet> {
    const next = mutable(rs);
    this.annotateNewReplicaSet(next, newRevision);
    const minReady = this.d.spec?.minReadySeconds ?? 0;
    if ((next.spec!.minReadySeconds ?? 0) !== minReady) next.spec!.minReadySeconds = minReady;
    let current = rs;
    if (!jsonEqual(next.metadata.annotations, rs.metadata.annotations) || next.spec!.minReadySeconds !== rs.spec?.minReadySeconds) {
      current = await patchFrom(this.deps.store, ReplicaSets, rs, next);
      this.latest.set(current.metadata.uid!, current);
    }
    if (hasProgressDeadline(this.d) && !deploymentCondition(this.d.status, 'Progressing')) {
      const status = mutable(this.d.status ?? {});
      setDeploymentCondition(
        status,
        {
          type: 'Progressing',
          status: 'True',
          reason: DeploymentReasons.FoundNewReplicaSet,
          message: `Found new replica set "${rs.metadata.name}"`,
        },
        this.deps.clock.now(),
      );
      await this.writeStatus(status);
    }
    return current;
  }

  private async createNewReplicaSet(oldRSs: readonly ReplicaSet[], newRevision: number): Promise<ReplicaSet> {
    const d = this.d;
    const hash = computeTemplateHash(d.spec?.template, d.status?.collisionCount);
    const template = mutable(d.spec!.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = mutable(d.spec!.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const draft: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace!,
        labels: { ...template.metadata.labels },
        ownerReferences: [ownerReferenceFor(d, { ownerType: Deployments, controller: true, blockOwnerDeletion: true })],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    } as ReplicaSet;
    this.annotateNewReplicaSet(draft, newRevision);
    const replicas = newReplicaSetReplicas(d, oldRSs, draft);
    draft.spec!.replicas = replicas;
    draft.metadata.annotations![DESIRED_REPLICAS_ANNOTATION] = String(desiredReplicas(d));
    draft.metadata.annotations![MAX_REPLICAS_ANNOTATION] = String(desiredReplicas(d) + maxSurge(d));
    let created: ReplicaSet;
    try {
      created = await this.deps.store.create(ReplicaSets, draft);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        this.deps.events.warning(
          d,
          'FailedCreate',
          `Failed to create new replica set "${draft.metadata.name}": ${err instanceof Error ? err.message : String(err)}`,
          { type: Deployments },
        );
        throw err;
      }
      const existing = await this.deps.store.get(ReplicaSets, objectKey(draft));
      if (isControlledBy(existing, d) && templatesEqualIgnoringHash(existing.spec?.template, d.spec?.template)) return existing; // ours: a cache that lagged
      // a hash collision: another template produced the same name; count it so the next hash differs
      const status = mutable(d.status ?? {});
      status.collisionCount = (status.collisionCount ?? 0) + 1;
      await this.writeStatus(status);
      throw new Error(
        `replica set ${draft.metadata.name} already exists with another template (hash collision); retrying with collisionCount ${status.collisionCount}`,
        { cause: err },
      );
    }
    this.latest.set(created.metadata.uid!, created);
    this.owned.push(created);
    if (replicas > 0)
      this.deps.events.normal(d, 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`, {
        type: Deployments,
      });
    const status = mutable(this.d.status ?? {});
    if (hasProgressDeadline(d))
      setDeploymentCondition(
        status,
        {
          type: 'Progressing',
          status: 'True',
          reason: DeploymentReasons.NewReplicaSetCreated,
          message: `Created new replica set "${created.metadata.name}"`,
        },
        this.deps.clock.now(),
      );
    await this.writeStatus(status);
    return created;
  }

  private async setDeploymentRevision(revision: string): Promise<void> {
    if (this.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    const next = mutable(this.d);
    next.metadata.annotations = { ...next.metadata.annotations, [REVISION_ANNOTATION]: revision };
    this.d = await patchFrom(this.deps.store, Deployments, this.d, next);
  }

  /** Deletes old ReplicaSets beyond `revisionHistoryLimit` (scaled to zero, pods gone). */
  private async cleanup(oldRSs: readonly ReplicaSet[]): Promise<void> {
    for (const rs of replicaSetsToCleanUp(
      this.d,
      oldRSs.map((x) => this.current(x)),
    )) {
      await this.deps.store.delete(ReplicaSets, objectKey(rs), { preconditions: { uid: rs.metadata.uid! } }).catch(() => undefined);
    }
  }

  /**
   * Updates the status and the Progressing condition: NewReplicaSetAvailable once complete,
   * ReplicaSetUpdated whenever pods moved forward (refreshing its update time),
   * ProgressDeadlineExceeded once nothing moved for `progressDeadlineSeconds`; copies a
   * ReplicaFailure condition of a ReplicaSet. Asks to come back when the deadline would pass.
   */
  private async syncRolloutStatus(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): Promise<Result | void> {
    const now = this.deps.clock.now();
    const d = this.d;
    const all = this.all(newRS, oldRSs);
    const rs = newRS && this.current(newRS);
    const status = calculateStatus(d, all, rs, now);
    if (!hasProgressDeadline(d)) removeDeploymentCondition(status, 'Progressing');
    const cond = deploymentCondition(status, 'Progressing');
    const complete = status.replicas === status.updatedReplicas && cond?.reason === DeploymentReasons.NewReplicaSetAvailable;
    if (hasProgressDeadline(d) && !complete) {
      const name = rs?.metadata.name ?? '';
      if (deploymentComplete(d, status)) {
        setDeploymentCondition(
          status,
          {
            type: 'Progressing',
            status: 'True',
            reason: DeploymentReasons.NewReplicaSetAvailable,
            message: `ReplicaSet "${name}" has successfully progressed.`,
          },
          now,
        );
      } else if (deploymentProgressing(d, status)) {
        const ts = rfc3339(now);
        const transition = cond?.status === 'True' ? cond.lastTransitionTime! : ts;
        removeDeploymentCondition(status, 'Progressing');
        (status.conditions ??= []).push({
          type: 'Progressing',
          status: 'True',
          reason: DeploymentReasons.ReplicaSetUpdated,
          message: `ReplicaSet "${name}" is progressing.`,
          lastUpdateTime: ts,
          lastTransitionTime: transition,
        });
      } else if (deploymentTimedOut(d, status, now)) {
        setDeploymentCondition(
          status,
          {
            type: 'Progressing',
            status: 'False',
            reason: DeploymentReasons.ProgressDeadlineExceeded,
            message: `ReplicaSet "${name}" has timed out progressing.`,
          },
          now,
        );
      }
    }
    const failure = all
      .map((x) => x.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True'))
      .find((c) => c !== undefined);
    if (failure)
      setDeploymentCondition(
        status,
        { type: 'ReplicaFailure', status: failure.status, reason: failure.reason ?? 'FailedCreate', message: failure.message ?? '' },
        now,
      );
    else removeDeploymentCondition(status, 'ReplicaFailure');
    await this.writeStatus(status);
    return this.requeueIfStuck(status, now);
  }

  /** When a deadline applies and the rollout is neither complete nor failed: come back just after the deadline would pass. */
  private requeueIfStuck(status: DeploymentStatus, now: number): Result | void {
    const d = this.d;
    const cond = deploymentCondition(status, 'Progressing');
    if (!hasProgressDeadline(d) || !cond) return;
    if (cond.reason === DeploymentReasons.NewReplicaSetAvailable || cond.reason === DeploymentReasons.ProgressDeadlineExceeded) return;
    if (deploymentComplete(d, status)) return;
    const from = Date.parse(cond.lastUpdateTime ?? '');
    if (Number.isNaN(from)) return;
    const after = from + d.spec!.progressDeadlineSeconds! * 1000 - now;
    return { requeueAfter: Math.max(0, after) + 1000 };
  }
}
