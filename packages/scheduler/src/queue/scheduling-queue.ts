/**
 * The scheduling queue (kube-scheduler's PriorityQueue): pending pods wait in one of three
 * sub-queues until the scheduler pops them.
 *
 * - **activeQ**: pods ready to be tried, a heap in PrioritySort's order (higher
 *   `spec.priority` first, then earlier enqueue time).
 * - **backoffQ**: pods that failed recently and wait out their back-off (`initial * 2^(attempts-1)`,
 *   capped at `max`), ordered by the time it ends; they move to activeQ when it does.
 * - **unschedulablePods**: pods some plugin rejected; they stay until a cluster event that
 *   one of those plugins registered (`eventsToRegister`, with its QueueingHint) could make
 *   them fit, or until they have waited `podMaxInUnschedulablePodsDurationMs`. Pods that
 *   failed with an error (no plugin to blame) go to backoffQ instead.
 *
 * Events that arrive while a pod is being scheduled (in flight) are kept, so a pod that
 * then fails is re-queued at once if one of them concerns its rejecting plugins.
 * All time comes from the injected clock.
 */
import type { Clock, ClockTimer, Pod } from '@converge/core';
import { eventMatches, type ClusterEvent, type ClusterEventWithHint } from '../framework/cluster-event.js';
import { podKey } from '../framework/node-info.js';
import { KeyedHeap } from './keyed-heap.js';
import { PodNominator } from './nominator.js';
import { newQueuedPodInfo, prioritySortLess, requeued, type QueuedPodInfo } from './queued-pod-info.js';

/** Options of a SchedulingQueue. */
export interface SchedulingQueueOptions {
  /** The clock of back-offs and time-outs. */
  clock: Clock;
  /** The first back-off, in ms (kube-scheduler's podInitialBackoffSeconds: 1 s); default 1,000. */
  podInitialBackoffMs?: number;
  /** The longest back-off, in ms (podMaxBackoffSeconds: 10 s); default 10,000. */
  podMaxBackoffMs?: number;
  /** How long a pod stays unschedulable without a matching event before it is retried anyway; default 300,000 (5 min). */
  podMaxInUnschedulablePodsDurationMs?: number;
  /**
   * The events a plugin of a profile registered; undefined means the plugin registers none
   * (it does not implement EnqueueExtensions), so every event may make its pods fit.
   */
  eventsOf?: (profile: string, plugin: string) => readonly ClusterEventWithHint[] | undefined;
}

/** An event kept while pods are in flight. */
interface InFlightEvent {
  readonly seq: number;
  readonly event: ClusterEvent;
  readonly oldObj: unknown;
  readonly newObj: unknown;
}

/** The event used when pods are moved because they waited in unschedulablePods too long. */
export const UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: '*', actionType: 0, label: 'UnschedulableTimeout' };

/** The scheduling queue; see the file comment for how pods move between its sub-queues. */
export class SchedulingQueue {
  /** Pods nominated to nodes by preemption. */
  readonly nominator = new PodNominator();
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly eventsOf: NonNullable<SchedulingQueueOptions['eventsOf']>;
  /** Invariant: a key is in at most one of activeQ, backoffQ and unschedulable. */
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>((p) => p.key, prioritySortLess);
  private readonly backoffQ = new KeyedHeap<QueuedPodInfo>(
    (p) => p.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  /** In the order pods entered it, so the first entry is the one that has waited longest. */
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Popped pods not yet `done`, with the event sequence number at their pop; in pop order. */
  private readonly inFlight = new Map<string, number>();
  private inFlightEvents: InFlightEvent[] = [];
  private eventSeq = 0;
  private waiter: (() => void) | undefined;
  private backoffTimer: { at: number; timer: ClockTimer } | undefined;
  private unschedulableTimer: { at: number; timer: ClockTimer } | undefined;
  private closed = false;

  /** Makes an empty queue. */
  constructor(options: SchedulingQueueOptions) {
    this.clock = options.clock;
    this.initialBackoffMs = options.podInitialBackoffMs ?? 1000;
    this.maxBackoffMs = options.podMaxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = options.podMaxInUnschedulablePodsDurationMs ?? 300_000;
    this.eventsOf = options.eventsOf ?? (() => undefined);
  }

  /** The sizes of the sub-queues (and of the pods in flight). */
  stats(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** Where the pod with `key` is: `active`, `backoff`, `unschedulable`, `inFlight`, or undefined. */
  whereIs(key: string): 'active' | 'backoff' | 'unschedulable' | 'inFlight' | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  /** Adds a new pending pod to activeQ (nothing when it is queued or in flight already). */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.whereIs(key) !== undefined) return this.update(pod, pod);
    const info = newQueuedPodInfo(pod, this.clock.now());
    this.nominator.add(info.podInfo);
    this.activeQ.push(info);
    this.wake();
  }

  /**
   * Follows an update of a pending pod. Queued in activeQ or backoffQ it is updated in place;
   * in unschedulablePods it moves when the update is one its rejecting plugins registered
   * (as an `UnscheduledPod` event); not queued and not in flight, it is added.
   */
  update(oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    const queued = this.activeQ.get(key) ?? this.backoffQ.get(key) ?? this.unschedulable.get(key);
    if (!queued) {
      if (this.inFlight.has(key)) {
        this.recordInFlight({ resource: 'UnscheduledPod', actionType: podUpdateAction(oldPod, newPod) }, oldPod, newPod);
        return;
      }
      return this.add(newPod);
    }
    queued.pod = newPod;
    queued.podInfo = newQueuedPodInfo(newPod, queued.timestamp).podInfo;
    this.nominator.update(oldPod, queued.podInfo);
    if (this.activeQ.has(key)) return this.activeQ.push(queued);
    if (this.backoffQ.has(key)) return this.backoffQ.push(queued);
    if (oldPod === newPod || !isPodUpdated(oldPod, newPod)) return;
    const event: ClusterEvent = { resource: 'UnscheduledPod', actionType: podUpdateAction(oldPod, newPod), label: 'UnscheduledPodUpdate' };
    if (this.worthRequeuing(queued, event, oldPod, newPod)) {
      this.unschedulable.delete(key);
      this.requeueAfterBackoff(queued);
    }
  }

  /** Removes a pod (deleted, or bound by someone else) from every sub-queue and from the nominator. */
  delete(pod: Pod): void {
    const key = podKey(pod);
    this.nominator.delete(pod);
    if (!this.activeQ.delete(key)) this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /** The next pod to schedule, or undefined when activeQ is empty; the pod is in flight until `done`. */
  tryPop(): QueuedPodInfo | undefined {
    const info = this.activeQ.pop();
    if (!info) return undefined;
    info.attempts++;
    info.initialAttemptTimestamp ??= this.clock.now();
    this.inFlight.set(info.key, this.eventSeq);
    return info;
  }

  /** Waits for the next pod to schedule; undefined once the queue is closed or `signal` aborts. */
  async pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    for (;;) {
      if (this.closed || signal?.aborted) return undefined;
      const info = this.tryPop();
      if (info) return info;
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiter = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
      });
    }
  }

  /**
   * Puts back a pod whose scheduling attempt failed. With rejecting plugins it goes to
   * unschedulablePods, unless an event that arrived while it was in flight concerns them (then
   * backoffQ or activeQ); without (an error) it goes to backoffQ. Ends its flight.
   */
  addUnschedulable(info: QueuedPodInfo): void {
    const key = info.key;
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return this.done(key);
    requeued(info, this.clock.now());
    const rejected = info.unschedulablePlugins.size > 0 || info.pendingPlugins.size > 0;
    const startSeq = this.inFlight.get(key);
    let requeue = !rejected;
    if (rejected && startSeq !== undefined) {
      for (const e of this.inFlightEvents) {
        if (e.seq < startSeq) continue;
        if (this.worthRequeuing(info, e.event, e.oldObj, e.newObj)) {
          requeue = true;
          break;
        }
      }
    }
    if (requeue) {
      if (this.isBackingOff(info)) this.pushBackoff(info);
      else {
        this.activeQ.push(info);
        this.wake();
      }
    } else {
      this.unschedulable.set(key, info);
      this.armUnschedulableTimer();
    }
    this.done(key);
  }

  /** Ends a pod's flight (scheduled and bound, or failed and re-queued). */
  done(key: string): void {
    if (!this.inFlight.delete(key)) return;
    if (this.inFlight.size === 0) {
      this.inFlightEvents = [];
      return;
    }
    const oldest = this.inFlight.values().next().value!;
    let drop = 0;
    while (drop < this.inFlightEvents.length && this.inFlightEvents[drop]!.seq < oldest) drop++;
    if (drop > 64 || drop === this.inFlightEvents.length) this.inFlightEvents = this.inFlightEvents.slice(drop);
  }

  /**
   * A cluster event happened: moves the unschedulable pods it may help (those whose rejecting
   * plugins registered a matching event whose hint says Queue) to backoffQ or activeQ, and
   * keeps it for the pods in flight.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj: unknown, newObj: unknown): void {
    if (this.inFlight.size > 0) this.recordInFlight(event, oldObj, newObj);
    if (this.unschedulable.size === 0) return;
    for (const [key, info] of this.unschedulable) {
      if (event !== UNSCHEDULABLE_TIMEOUT && !this.worthRequeuing(info, event, oldObj, newObj)) continue;
      this.unschedulable.delete(key);
      this.requeueAfterBackoff(info);
    }
  }

  /** Moves the unschedulable pods that have waited `podMaxInUnschedulablePodsDurationMs` or more. */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const [key, info] of this.unschedulable) {
      if (now - info.timestamp < this.maxUnschedulableMs) break;
      this.unschedulable.delete(key);
      this.requeueAfterBackoff(info);
    }
    this.armUnschedulableTimer();
  }

  /** Moves the pods whose back-off is over from backoffQ to activeQ. */
  flushBackoffCompleted(): void {
    const now = this.clock.now();
    let moved = false;
    for (let info = this.backoffQ.peek(); info && this.backoffExpiry(info) <= now; info = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.activeQ.push(info);
      moved = true;
    }
    if (moved) this.wake();
    this.armBackoffTimer();
  }

  /** The back-off of a pod after `attempts` attempts: initial, doubled per attempt after the first, capped at max. */
  backoffDuration(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  /** Stops the timers and wakes a waiting `pop` (which then returns undefined). */
  close(): void {
    this.closed = true;
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer.timer);
    if (this.unschedulableTimer) this.clock.clearTimeout(this.unschedulableTimer.timer);
    this.backoffTimer = this.unschedulableTimer = undefined;
    this.wake();
  }

  private backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDuration(info.attempts);
  }

  private isBackingOff(info: QueuedPodInfo): boolean {
    return info.attempts > 0 && this.backoffExpiry(info) > this.clock.now();
  }

  private requeueAfterBackoff(info: QueuedPodInfo): void {
    if (this.isBackingOff(info)) return this.pushBackoff(info);
    this.activeQ.push(info);
    this.wake();
  }

  private pushBackoff(info: QueuedPodInfo): void {
    this.backoffQ.push(info);
    this.armBackoffTimer();
  }

  private worthRequeuing(info: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): boolean {
    const profile = info.pod.spec?.schedulerName ?? 'default-scheduler';
    for (const set of [info.unschedulablePlugins, info.pendingPlugins]) {
      for (const plugin of set) {
        const registered = this.eventsOf(profile, plugin);
        if (registered === undefined) return true;
        for (const r of registered) {
          if (!eventMatches(r.event, event)) continue;
          if (!r.hint) return true;
          try {
            if (r.hint(info.pod, oldObj, newObj) === 'Queue') return true;
          } catch {
            return true; // a failing hint must not strand the pod
          }
        }
      }
    }
    return false;
  }

  private recordInFlight(event: ClusterEvent, oldObj: unknown, newObj: unknown): void {
    this.inFlightEvents.push({ seq: this.eventSeq++, event, oldObj, newObj });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private armBackoffTimer(): void {
    const first = this.backoffQ.peek();
    if (this.closed || !first) return;
    const at = this.backoffExpiry(first);
    if (this.backoffTimer && this.backoffTimer.at <= at) return;
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer.timer);
    const timer = this.clock.setTimeout(
      () => {
        this.backoffTimer = undefined;
        this.flushBackoffCompleted();
      },
      Math.max(0, at - this.clock.now()),
    );
    this.backoffTimer = { at, timer };
  }

  private armUnschedulableTimer(): void {
    const first = this.unschedulable.values().next().value;
    if (this.closed || !first) return;
    const at = first.timestamp + this.maxUnschedulableMs;
    if (this.unschedulableTimer && this.unschedulableTimer.at <= at) return;
    if (this.unschedulableTimer) this.clock.clearTimeout(this.unschedulableTimer.timer);
    const timer = this.clock.setTimeout(
      () => {
        this.unschedulableTimer = undefined;
        this.flushUnschedulableLeftover();
      },
      Math.max(0, at - this.clock.now()),
    );
    this.unschedulableTimer = { at, timer };
  }
}

/** False when only the status (or resourceVersion, managedFields) changed: such updates never re-queue a pod (kube-scheduler's isPodUpdated). */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod) => JSON.stringify([p.metadata.labels, p.metadata.annotations, p.metadata.deletionTimestamp, p.spec]);
  return strip(oldPod) !== strip(newPod);
}

/** The ActionType flags of a pending pod's update (labels, tolerations, gates, or other). */
export function podUpdateAction(oldPod: Pod, newPod: Pod): number {
  let flags = 0;
  if (!shallowEqualRecord(oldPod.metadata.labels, newPod.metadata.labels)) flags |= 256; // UpdatePodLabel
  if (JSON.stringify(oldPod.spec?.tolerations ?? []) !== JSON.stringify(newPod.spec?.tolerations ?? [])) flags |= 1024;
  if ((oldPod.spec?.schedulingGates?.length ?? 0) > 0 && (newPod.spec?.schedulingGates?.length ?? 0) === 0) flags |= 2048;
  return flags === 0 ? 4096 : flags; // UpdateOther
}

function shallowEqualRecord(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  if (a === b) return true;
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (a?.[k] !== b?.[k]) return false;
  return true;
}
