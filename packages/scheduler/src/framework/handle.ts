/**
 * What a plugin can reach of the scheduler (kube-scheduler's framework.Handle): the
 * snapshot of nodes for the current cycle, the client, the profile's own filters (for
 * preemption's dry runs), nominated pods and pods waiting at Permit. Plugins get it
 * injected under `FrameworkHandleToken`.
 */
import type { Clock, EventRecorder, InformerProvider, Logger, ObjectStore, Pod } from '@converge/core';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { Status } from './status.js';

/** The nodes as the current scheduling cycle sees them: a consistent snapshot of the cache, assumed pods included. */
export interface Snapshot {
  /** Every node (with a Node object), in a stable order. */
  list(): readonly NodeInfo[];
  /** One node by name. */
  get(name: string): NodeInfo | undefined;
  /** The nodes with at least one pod that has pod affinity or anti-affinity terms. */
  havePodsWithAffinity(): readonly NodeInfo[];
  /** The nodes with at least one pod that has required pod anti-affinity terms. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  /**
   * The names of the nodes whose NodeInfo was added, replaced or removed since `revision`
   * (names may repeat), with the snapshot's current revision; `names` is undefined when the
   * snapshot cannot tell (an unknown or too old revision: the caller rescans every node).
   * Optional: lets plugins keep indexes over the snapshot up to date incrementally.
   */
  changesSince?(revision: number): SnapshotChanges;
}

/** What `Snapshot.changesSince` returns. */
export interface SnapshotChanges {
  /** The snapshot's current revision (pass it to the next `changesSince`). */
  readonly revision: number;
  /** The nodes changed since the revision asked about, or undefined when unknown. */
  readonly names: readonly string[] | undefined;
}

/** Pods that preemption nominated to a node and that are not bound yet. */
export interface Nominator {
  /** The pods nominated to `nodeName`. */
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/** A pod held at Permit. */
export interface WaitingPod {
  /** The pod. */
  readonly pod: Pod;
  /** The plugins still to allow it. */
  pendingPlugins(): readonly string[];
  /** Allows the pod for one plugin; once every waiting plugin allowed it, it goes to binding. */
  allow(plugin: string): void;
  /** Rejects the pod: its scheduling attempt fails as Unschedulable with `message`. */
  reject(plugin: string, message: string): void;
}

/** The scheduler as one profile's plugins see it. */
export interface FrameworkHandle {
  /** The profile's `schedulerName`. */
  readonly profileName: string;
  /** Where plugins read (cached) and write. */
  readonly store: ObjectStore;
  /** The scheduler's clock. */
  readonly clock: Clock;
  /** The scheduler's logger. */
  readonly logger: Logger;
  /**
   * The scheduler's shared informers (the manager's), for plugins that read other kinds
   * synchronously (Namespaces, Services, workloads): they stop with the scheduler. Absent in
   * hand-made handles (unit tests); then a plugin may run informers of its own.
   */
  readonly informers?: InformerProvider;
  /** Where plugins record Events (component `default-scheduler`). */
  readonly events: EventRecorder;
  /** The snapshot of the current cycle. */
  snapshot(): Snapshot;
  /** Pods nominated to nodes by preemption. */
  readonly nominator: Nominator;
  /** A pod waiting at Permit, by uid. */
  waitingPod(uid: string): WaitingPod | undefined;
  /** Runs every Filter plugin of the profile for the pod on one node (preemption's dry runs); the first failure wins. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
  /** Runs the profile's PreFilter extensions as if `podInfoToAdd` were added to `nodeInfo`. */
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  /** Runs the profile's PreFilter extensions as if `podInfoToRemove` left `nodeInfo`. */
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

/** The inversify token of the FrameworkHandle a plugin is created with. */
export const FrameworkHandleToken = Symbol.for('converge.scheduler.FrameworkHandle');

/**
 * The inversify token of a plugin's arguments: the `args` of its entry in the profile's
 * `pluginConfig` (an object as written in the configuration file), or undefined.
 * Inject it `@optional()` and validate it (zod) in the constructor.
 */
export const PluginArgsToken = Symbol.for('converge.scheduler.PluginArgs');
