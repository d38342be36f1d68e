import 'reflect-metadata';
import {
  apiVersionOf,
  ClockToken,
  InformersToken,
  LoggerToken,
  ObjectStoreToken,
  getControllerOf,
  isNotFound,
  keyString,
  mutable,
  objectKey,
  patchStatus,
  Pods,
  removeCondition,
  setCondition,
  type Clock,
  EventRecorder,
  type InformerEvent,
  type InformerProvider,
  type Logger,
  type KubeObject,
  type ObjectStore,
  type Pod,
  type PodTemplateSpec,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type ResourceType,
  type Result,
  type StatusCondition,
} from '@converge/core';
import type { LabelSelectorMatcher } from '@converge/core/selectors';
import { inject, optional } from 'inversify';
import { claimChildren } from './claim.js';
import { PodExpectations } from './expectations.js';
import { createPod } from './pod-control.js';
import { podsToDelete } from './pod-ranking.js';
import { isPodActive, isPodAvailable, podReadyCondition } from './pod-status.js';
import { slowStartBatch } from './slow-start.js';

/** The most pods one reconcile creates or deletes (Kubernetes' `burstReplicas`). */
export const BURST_REPLICAS = 500;

/** The status a ReplicaSet or ReplicationController reports. */
export interface ReplicaStatus {
  /** Active pods it controls. */
  replicas: number;
  /** Of those, pods carrying every label of the template. */
  fullyLabeledReplicas?: number | undefined;
  /** Of those, ready pods. */
  readyReplicas?: number | undefined;
  /** Of those, pods ready for at least `minReadySeconds`. */
  availableReplicas?: number | undefined;
  /** The generation the status describes. */
  observedGeneration?: number | undefined;
  /** `ReplicaFailure` while pods cannot be created or deleted. */
  conditions?: StatusCondition[] | undefined;
}

/** What a replica controller object looks like to the shared code. */
export interface ReplicaObject extends KubeObject {
  /** The desired state. */
  spec?:
    | {
        /** How many pods; 1 when unset. */
        replicas?: number | undefined;
        /** How long a pod must be ready to count as available. */
        minReadySeconds?: number | undefined;
        /** The pods to create. */
        template?: PodTemplateSpec | undefined;
      }
    | undefined;
  /** The observed state. */
  status?: ReplicaStatus | undefined;
}

/** How one kind of replica controller (ReplicaSet, ReplicationController) differs from the other. */
export interface ReplicaKind<T extends ReplicaObject> {
  /** The kind. */
  type: ResourceType<T>;
  /** The selector of its pods. */
  selectorOf(obj: T): LabelSelectorMatcher;
}

/** Options of a ReplicaManager. */
export interface ReplicaManagerOptions<T extends ReplicaObject> {
  /** The kind it manages. */
  kind: ReplicaKind<T>;
  /** Where it reads and writes. */
  store: ObjectStore;
  /** Time for availability and conditions. */
  clock: Clock;
  /** Where its Events go. */
  events: EventRecorder;
  /**
   * What the controller still waits to see of its writes, lowered through `observePodEvent`.
   * Leave it out only when reads come straight from the store (never from a cache), as in
   * one-reconcile unit tests: then nothing is waited for.
   */
  expectations?: PodExpectations;
  /** The most pods one reconcile creates or deletes; default `BURST_REPLICAS`. */
  burstReplicas?: number;
}

/**
 * The reconcile of a replica controller, shared by the ReplicaSet and ReplicationController
 * controllers: keep exactly `spec.replicas` active pods matching the selector, adopting
 * matching orphans and releasing owned pods that stopped matching, creating and deleting
 * in slow-start batches once the previous writes came back (`PodExpectations`), and report
 * the status (replicas, fullyLabeledReplicas, readyReplicas, availableReplicas,
 * observedGeneration, and a `ReplicaFailure` condition while pods cannot be created).
 */
export class ReplicaManager<T extends ReplicaObject> {
  private readonly o: ReplicaManagerOptions<T>;

  /** Makes the shared reconcile for one kind. */
  constructor(options: ReplicaManagerOptions<T>) {
    this.o = options;
  }

  private get expectations(): PodExpectations {
    return this.o.expectations ?? NO_EXPECTATIONS;
  }

  /**
   * Lowers the expectations of the pod's controller from a pod informer event: a pod added
   * counts as a creation seen, a pod deleted (or marked for deletion) as a deletion seen.
   */
  observePodEvent(event: InformerEvent<Pod>): void {
    const pod = event.object;
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== this.o.kind.type.kind || ref.apiVersion !== apiVersionOf(this.o.kind.type)) return;
    const key = keyString({ namespace: pod.metadata.namespace!, name: ref.name });
    const uid = pod.metadata.uid ?? '';
    if (event.type === 'delete') this.expectations.deletionObserved(key, uid);
    else if (event.type === 'add') {
      if (pod.metadata.deletionTimestamp) this.expectations.deletionObserved(key, uid);
      else this.expectations.creationObserved(key);
    } else if (pod.metadata.deletionTimestamp && !event.old.metadata.deletionTimestamp) this.expectations.deletionObserved(key, uid);
  }

  /** Reconciles one replica controller object. */
  async reconcile(request: Request): Promise<Result | void> {
    const { store, kind } = this.o;
    const expectations = this.expectations;
    const key = keyString(request);
    let owner: T;
    try {
      owner = await store.get(kind.type, request);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      expectations.forget(key);
      return;
    }
    const needsSync = expectations.satisfied(key) && !owner.metadata.deletionTimestamp;
    const all = (await store.list(Pods, { namespace: owner.metadata.namespace! })).items;
    const selector = kind.selectorOf(owner);
    const claimed = await claimChildren({
      store,
      owner,
      ownerType: kind.type,
      childType: Pods,
      selector,
      candidates: all.filter(isPodActive),
    });

    let failure: unknown;
    if (needsSync) {
      try {
        await this.manageReplicas(owner, key, claimed);
      } catch (err) {
        failure = err;
      }
    }
    const result = await this.updateStatus(owner, claimed, failure);
    if (failure !== undefined) throw failure;
    return result;
  }

  /** Creates or deletes pods so that `spec.replicas` are active, at most `burstReplicas` at a time. */
  private async manageReplicas(owner: T, key: string, pods: readonly Pod[]): Promise<void> {
    const { store, events, kind } = this.o;
    const expectations = this.expectations;
    const burst = this.o.burstReplicas ?? BURST_REPLICAS;
    const want = owner.spec?.replicas ?? 1;
    const diff = pods.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, burst);
      expectations.expectCreations(key, count);
      const outcome = await slowStartBatch(count, 1, async () => {
        try {
          const pod = await createPod(store, owner, kind.type, owner.spec?.template);
          events.normal(owner, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, { type: kind.type });
        } catch (err) {
          expectations.creationObserved(key); // it will never be seen
          throw err;
        }
      });
      for (let i = 0; i < outcome.skipped; i++) expectations.creationObserved(key);
      if (outcome.error !== undefined) {
        events.warning(owner, 'FailedCreate', `Error creating: ${messageOf(outcome.error)}`, { type: kind.type });
        throw new ReplicaFailure('FailedCreate', outcome.error);
      }
      return;
    }
    if (diff > 0) {
      const victims = podsToDelete(pods, Math.min(diff, burst));
      expectations.expectDeletions(
        key,
        victims.map((p) => p.metadata.uid ?? ''),
      );
      const outcome = await slowStartBatch(victims.length, victims.length, async (i) => {
        const pod = victims[i]!;
        try {
          await store.delete(Pods, objectKey(pod), { preconditions: { uid: pod.metadata.uid! } });
          events.normal(owner, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, { type: kind.type });
        } catch (err) {
          expectations.deletionObserved(key, pod.metadata.uid ?? '');
          if (isNotFound(err)) return;
          throw err;
        }
      });
      if (outcome.error !== undefined) {
        events.warning(owner, 'FailedDelete', `Error deleting: ${messageOf(outcome.error)}`, { type: kind.type });
        throw new ReplicaFailure('FailedDelete', outcome.error);
      }
    }
  }

  /** Computes and writes the status; asks for a requeue when pods become available only later (minReadySeconds). */
  private async updateStatus(owner: T, pods: readonly Pod[], failure: unknown): Promise<Result | void> {
    const now = this.o.clock.now();
    const minReady = owner.spec?.minReadySeconds ?? 0;
    const templateLabels = owner.spec?.template?.metadata?.labels ?? {};
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    const wanted = Object.entries(templateLabels);
    for (const pod of pods) {
      const labels = pod.metadata.labels ?? {};
      if (wanted.every(([k, v]) => labels[k] === v)) fullyLabeled++;
      const readyCondition = podReadyCondition(pod);
      if (readyCondition?.status !== 'True') continue;
      ready++;
      if (minReady <= 0 || isPodAvailable(pod, minReady, now)) available++;
    }
    const status = mutable(owner.status ?? { replicas: 0 }) as ReplicaStatus;
    status.replicas = pods.length;
    status.fullyLabeledReplicas = fullyLabeled;
    status.readyReplicas = ready;
    status.availableReplicas = available;
    status.observedGeneration = owner.metadata.generation ?? 0;
    const conditions = status.conditions ?? [];
    if (failure instanceof ReplicaFailure) {
      const c = conditions.find((x) => x.type === 'ReplicaFailure');
      if (!c)
        setCondition(
          conditions,
          { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: messageOf(failure.cause) },
          this.o.clock,
        );
    } else if (failure === undefined) removeCondition(conditions, 'ReplicaFailure');
    if (conditions.length) status.conditions = conditions;
    else delete status.conditions;
    try {
      await patchStatus(this.o.store, this.o.kind.type, owner, status);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      return;
    }
    if (minReady > 0 && ready === pods.length && available < ready) return { requeueAfter: minReady * 1000 };
  }
}

/**
 * The body of a replica controller, shared by the ReplicaSet and ReplicationController
 * controllers: each is a `@Controller` subclass (with `@injectFromBase()`, so the container
 * injects this constructor) that names its kind and the component of its Events.
 */
export abstract class ReplicaController<T extends ReplicaObject> implements Reconciler {
  /**
   * What this controller still waits to see of its own pod writes; used when it runs over
   * informers (`InformersToken` injected), since only then can reads lag behind writes.
   */
  readonly expectations: PodExpectations;
  /** The Events it records (`SuccessfulCreate`, `SuccessfulDelete`, `FailedCreate`). */
  readonly events: EventRecorder;
  private readonly manager: ReplicaManager<T>;

  /** Builds the shared reconcile for the subclass's kind and subscribes it to the pod informer. */
  constructor(
    @inject(ObjectStoreToken) store: ObjectStore,
    @inject(ClockToken) clock: Clock,
    @inject(InformersToken) @optional() informers?: InformerProvider,
    @inject(LoggerToken) @optional() logger?: Logger,
  ) {
    this.expectations = new PodExpectations({ clock });
    this.events = new EventRecorder({ store, component: this.eventComponent(), clock, ...(logger ? { logger } : {}) });
    this.manager = new ReplicaManager({
      kind: this.replicaKind(),
      store,
      clock,
      events: this.events,
      ...(informers ? { expectations: this.expectations } : {}),
    });
    // Expectations are lowered by the same shared pod informer `owns: [Pods]` watches through.
    informers?.informerFor(Pods).events.subscribe((e) => this.manager.observePodEvent(e));
  }

  /** The kind it keeps the replicas of (called by the constructor: return a constant). */
  protected abstract replicaKind(): ReplicaKind<T>;

  /** The component its Events name, such as `replicaset-controller` (called by the constructor). */
  protected abstract eventComponent(): string;

  /** Reconciles one object of the kind (see `ReplicaManager`). */
  reconcile(request: Request, _context?: ReconcileContext): Promise<Result | void> {
    return this.manager.reconcile(request);
  }
}

/** Expectations that are always met: for reads that come straight from the store. */
const NO_EXPECTATIONS = new PodExpectations({ clock: { now: () => 0, setTimeout: () => ({}), clearTimeout: () => undefined }, ttlMs: 0 });

/** Pods could not be created or deleted; the cause is kept for the `ReplicaFailure` condition. */
export class ReplicaFailure extends Error {
  /** `FailedCreate` or `FailedDelete`. */
  readonly reason: string;

  /** Wraps the first error of the failed batch. */
  constructor(reason: string, cause: unknown) {
    super(`${reason}: ${messageOf(cause)}`, { cause });
    this.name = 'ReplicaFailure';
    this.reason = reason;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
