/**
 * The extension points of a scheduling profile, as kube-scheduler's framework: a plugin is
 * an object with a `name` and the methods of the points it implements. Filter and Score run
 * once per node and are synchronous; the points after a node is chosen may be async.
 *
 * Order of a scheduling cycle: PreFilter → Filter (per node) → PostFilter (only when no
 * node fits) → PreScore → Score (per node) → NormalizeScore → Reserve → Permit; then the
 * binding cycle: PreBind → Bind → PostBind (Unreserve on any failure after Reserve).
 */
import type { Pod } from '@converge/core';
import type { ClusterEventWithHint } from './cluster-event.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { Status } from './status.js';

/** The highest score a Score plugin gives (after normalisation). */
export const MAX_NODE_SCORE = 100;
/** The lowest score a Score plugin gives. */
export const MIN_NODE_SCORE = 0;

/** Every plugin has a name, unique in a profile, by which configuration enables, weighs and configures it. */
export interface SchedulerPlugin {
  /** The plugin's name, e.g. `NodeResourcesFit`. */
  readonly name: string;
}

/** PreFilter's answer besides a Status: only these nodes can fit (e.g. NodeName, NodeAffinity on hostname). */
export interface PreFilterResult {
  /** The only nodes worth filtering. */
  readonly nodeNames: ReadonlySet<string>;
}

/** Keeps PreFilter's state right when preemption adds or removes pods on a node during its dry runs. */
export interface PreFilterExtensions {
  /** `podInfoToAdd` is now on `nodeInfo`: update the state written by PreFilter. */
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | void;
  /** `podInfoToRemove` left `nodeInfo`: update the state written by PreFilter. */
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | void;
}

/** Runs once per scheduling attempt before filtering: computes state, may reject the pod or narrow the nodes. */
export interface PreFilterPlugin extends SchedulerPlugin {
  /** Returns a Status (Skip: this plugin's Filter is skipped), a PreFilterResult, or nothing for success. */
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | PreFilterResult | void;
  /** The add/remove extensions, when the plugin's state depends on other pods. */
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

/** Says whether the pod can run on one node. */
export interface FilterPlugin extends SchedulerPlugin {
  /** Success when the pod fits `nodeInfo`; Unschedulable(AndUnresolvable) with the reason otherwise. */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

/** What PostFilter did: a node nominated for the pod (preemption), or a status saying why not. */
export interface PostFilterResult {
  /** Success when a node was nominated. */
  readonly status: Status;
  /** The node the pod should get once victims are gone. */
  readonly nominatedNodeName?: string;
}

/** Runs when no node fits, e.g. preemption. */
export interface PostFilterPlugin extends SchedulerPlugin {
  /** `statuses` has every node's filter status (nodes not filtered are absent). */
  postFilter(state: CycleState, pod: Pod, statuses: ReadonlyMap<string, Status>): Promise<PostFilterResult> | PostFilterResult;
}

/** Runs once before scoring, with the feasible nodes. */
export interface PreScorePlugin extends SchedulerPlugin {
  /** Success, or Skip when this plugin's Score has nothing to say for the pod. */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | void;
}

/** A node's score. */
export interface NodeScore {
  /** The node. */
  readonly name: string;
  /** Its score; plugins with normalisation may set it outside 0..100 before NormalizeScore. */
  score: number;
}

/** Ranks one feasible node. */
export interface ScorePlugin extends SchedulerPlugin {
  /** The node's raw score; throw for an internal error. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;
  /** Brings every score into 0..MAX_NODE_SCORE, in place. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status | void;
}

/** Keeps resources for the pod on the chosen node while it is being bound (e.g. volumes). */
export interface ReservePlugin extends SchedulerPlugin {
  /** Reserves; a non-success status fails the attempt (and unreserves the others). */
  reserve(state: CycleState, pod: Pod, nodeName: string): Status | void | Promise<Status | void>;
  /** Undoes `reserve`; must be idempotent and must not fail. */
  unreserve(state: CycleState, pod: Pod, nodeName: string): void | Promise<void>;
}

/** Permit's answer: allow, reject, or wait (up to `timeoutMs`) for `handle.waitingPod(uid).allow(name)`. */
export interface PermitResult {
  /** Success, Unschedulable or Wait. */
  readonly status: Status;
  /** How long a Wait may last, in milliseconds. */
  readonly timeoutMs?: number;
}

/** Lets the pod go to binding, holds it, or rejects it (gang scheduling, quotas). */
export interface PermitPlugin extends SchedulerPlugin {
  /** Decides for the pod on `nodeName`. */
  permit(state: CycleState, pod: Pod, nodeName: string): PermitResult | Promise<PermitResult>;
}

/** Work before the binding (attach volumes, provision claims). */
export interface PreBindPlugin extends SchedulerPlugin {
  /** A non-success status fails the binding. */
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status | void>;
}

/** Binds the pod to the node; the first binder not returning Skip does it. */
export interface BindPlugin extends SchedulerPlugin {
  /** Success when bound, Skip to leave it to the next binder. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status | void>;
}

/** Told after a successful binding (clean-up, metrics). */
export interface PostBindPlugin extends SchedulerPlugin {
  /** Called once the pod is bound. */
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/** The cluster events after which a pod this plugin rejected may fit. */
export interface EnqueueExtensions extends SchedulerPlugin {
  /** The events (with hints) to re-queue on; without this method a rejected pod waits for any event. */
  eventsToRegister(): readonly ClusterEventWithHint[];
}

/** True when `p` implements PreFilter. */
export const isPreFilterPlugin = (p: SchedulerPlugin): p is PreFilterPlugin => typeof (p as PreFilterPlugin).preFilter === 'function';
/** True when `p` implements Filter. */
export const isFilterPlugin = (p: SchedulerPlugin): p is FilterPlugin => typeof (p as FilterPlugin).filter === 'function';
/** True when `p` implements PostFilter. */
export const isPostFilterPlugin = (p: SchedulerPlugin): p is PostFilterPlugin => typeof (p as PostFilterPlugin).postFilter === 'function';
/** True when `p` implements PreScore. */
export const isPreScorePlugin = (p: SchedulerPlugin): p is PreScorePlugin => typeof (p as PreScorePlugin).preScore === 'function';
/** True when `p` implements Score. */
export const isScorePlugin = (p: SchedulerPlugin): p is ScorePlugin => typeof (p as ScorePlugin).score === 'function';
/** True when `p` implements Reserve. */
export const isReservePlugin = (p: SchedulerPlugin): p is ReservePlugin => typeof (p as ReservePlugin).reserve === 'function';
/** True when `p` implements Permit. */
export const isPermitPlugin = (p: SchedulerPlugin): p is PermitPlugin => typeof (p as PermitPlugin).permit === 'function';
/** True when `p` implements PreBind. */
export const isPreBindPlugin = (p: SchedulerPlugin): p is PreBindPlugin => typeof (p as PreBindPlugin).preBind === 'function';
/** True when `p` implements Bind. */
export const isBindPlugin = (p: SchedulerPlugin): p is BindPlugin => typeof (p as BindPlugin).bind === 'function';
/** True when `p` implements PostBind. */
export const isPostBindPlugin = (p: SchedulerPlugin): p is PostBindPlugin => typeof (p as PostBindPlugin).postBind === 'function';
/** True when `p` registers cluster events. */
export const isEnqueueExtensions = (p: SchedulerPlugin): p is EnqueueExtensions =>
  typeof (p as EnqueueExtensions).eventsToRegister === 'function';
