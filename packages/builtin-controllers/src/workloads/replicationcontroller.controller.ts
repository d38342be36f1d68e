import 'reflect-metadata';
import { Controller, labelSelectorFromObject, Pods, ReplicationControllers, type ReplicationController } from '@converge/core';
import { LabelSelectorMatcher } from '@converge/core/selectors';
import { injectFromBase } from 'inversify';
import { ReplicaController, type ReplicaKind } from './replica-manager.js';

/**
 * How the shared replica code sees a ReplicationController: its pods are those carrying every
 * label of `spec.selector` (a plain map; an empty selector selects nothing).
 */
export const replicationControllerKind: ReplicaKind<ReplicationController> = {
  type: ReplicationControllers,
  selectorOf: (rc) => {
    const labels = rc.spec?.selector;
    if (!labels || Object.keys(labels).length === 0) return LabelSelectorMatcher.nothing;
    return labelSelectorFromObject({ matchLabels: labels });
  },
};

/**
 * Kubernetes' ReplicationController controller: the ReplicaSet controller's behaviour
 * (see `ReplicaSetController`) for core/v1 ReplicationControllers, whose selector is a
 * label map. Same code, another kind.
 *
 * `@Controller({ for: ReplicationControllers, owns: [Pods] })`.
 */
@Controller({ name: 'replicationcontroller', for: ReplicationControllers, owns: [Pods] })
@injectFromBase()
export class ReplicationControllerController extends ReplicaController<ReplicationController> {
  protected override replicaKind(): ReplicaKind<ReplicationController> {
    return replicationControllerKind;
  }

  protected override eventComponent(): string {
    return 'replication-controller';
  }
}
