import 'reflect-metadata';
import { Controller, labelSelectorFromObject, Pods, ReplicaSets, type ReplicaSet } from '@converge/core';
import { injectFromBase } from 'inversify';
import { ReplicaController, type ReplicaKind } from './replica-manager.js';

/** How the shared replica code sees a ReplicaSet: its pods are selected by `spec.selector`. */
export const replicaSetKind: ReplicaKind<ReplicaSet> = {
  type: ReplicaSets,
  selectorOf: (rs) => labelSelectorFromObject(rs.spec?.selector),
};

/**
 * Kubernetes' ReplicaSet controller: keeps `spec.replicas` pods matching `spec.selector`
 * running, from `spec.template`.
 *
 * - Pods it creates are named `<replicaset>-<random>` and carry the template's labels and
 *   annotations and a controller owner reference (with `blockOwnerDeletion`).
 * - Matching pods without a controller are adopted; pods it controls whose labels stop
 *   matching are released.
 * - It creates at most 500 pods per reconcile, in slow-start batches (1, 2, 4, ...): a
 *   template the API refuses (quota, validation) fails once, sets the `ReplicaFailure`
 *   condition and records a `FailedCreate` Event, and is retried with back-off.
 * - Too many pods: it deletes the least valuable first (unscheduled, pending, not ready,
 *   many restarts, young; see `compareForDeletion`).
 * - Expectations: after creating or deleting pods it does not act again for that
 *   ReplicaSet until the pod informer has shown every one of those writes (or 5 minutes
 *   passed), so a lagging cache never makes it create twice.
 * - Status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (ready for
 *   `minReadySeconds`; a requeue comes when pods will turn available), observedGeneration.
 *
 * `@Controller({ for: ReplicaSets, owns: [Pods] })`: a change to a ReplicaSet or to a pod it
 * controls reconciles the ReplicaSet.
 */
@Controller({ name: 'replicaset', for: ReplicaSets, owns: [Pods] })
@injectFromBase()
export class ReplicaSetController extends ReplicaController<ReplicaSet> {
  protected override replicaKind(): ReplicaKind<ReplicaSet> {
    return replicaSetKind;
  }

  protected override eventComponent(): string {
    return 'replicaset-controller';
  }
}
