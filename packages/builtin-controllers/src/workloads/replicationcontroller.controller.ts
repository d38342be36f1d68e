import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  EventRecorder,
  InformersToken,
  labelSelectorFromObject,
  LoggerToken,
  ObjectStoreToken,
  Pods,
  ReplicationControllers,
  type Clock,
  type InformerProvider,
  type Logger,
  type ObjectStore,
  type ReconcileContext,
  type Reconciler,
  type ReplicationController,
  type Request,
  type Result,
} from '@converge/core';
import { LabelSelectorMatcher } from '@converge/core/selectors';
import { inject, optional } from 'inversify';
import { PodExpectations } from './expectations.js';
import { ReplicaManager, type ReplicaKind } from './replica-manager.js';

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
export class ReplicationControllerController implements Reconciler {
  /**
   * What this controller still waits to see of its own pod writes; used when it runs over
   * informers (`InformersToken` injected), since only then can reads lag behind writes.
   */
  readonly expectations: PodExpectations;
  /** The Events it records. */
  readonly events: EventRecorder;
  private readonly manager: ReplicaManager<ReplicationController>;

  constructor(
    @inject(ObjectStoreToken) store: ObjectStore,
    @inject(ClockToken) clock: Clock,
    @inject(InformersToken) @optional() informers?: InformerProvider,
    @inject(LoggerToken) @optional() logger?: Logger,
  ) {
    this.expectations = new PodExpectations({ clock });
    this.events = new EventRecorder({ store, component: 'replication-controller', clock, ...(logger ? { logger } : {}) });
    this.manager = new ReplicaManager({ kind: replicationControllerKind, store, clock, events: this.events, ...(informers ? { expectations: this.expectations } : {}) });
    informers?.informerFor(Pods).events.subscribe((e) => this.manager.observePodEvent(e));
  }

  /** Reconciles one ReplicationController (see `ReplicaSetController`). */
  reconcile(request: Request, _context?: ReconcileContext): Promise<Result | void> {
    return this.manager.reconcile(request);
  }
}
