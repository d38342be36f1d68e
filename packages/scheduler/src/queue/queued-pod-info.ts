/**
 * A pod in the scheduling queue with its scheduling history (kube-scheduler's QueuedPodInfo).
 */
import type { Pod } from '@converge/core';
import { podInfoOf, podKey, type PodInfo } from '../framework/node-info.js';

/** A pod waiting in (or popped from) the scheduling queue. */
export interface QueuedPodInfo {
  /** The pod's key (`podKey`: its uid). */
  readonly key: string;
  /** The newest version of the pod the queue has seen. */
  pod: Pod;
  /** The pod's PodInfo (requests computed once). */
  podInfo: PodInfo;
  /** When it last entered a sub-queue (orders pods of equal priority, starts its back-off). */
  timestamp: number;
  /** When it was first popped; undefined before. */
  initialAttemptTimestamp: number | undefined;
  /** How many times it was popped for scheduling. */
  attempts: number;
  /** The plugins that rejected it in its last attempt (Unschedulable or UnschedulableAndUnresolvable). */
  unschedulablePlugins: Set<string>;
  /** The plugins that answered Pending in its last attempt. */
  pendingPlugins: Set<string>;
  /** A tie-breaker: the order in which pods entered the queue. */
  seq: number;
}

let nextSeq = 0;

/** A new QueuedPodInfo for `pod`, entering the queue at `now`. */
export function newQueuedPodInfo(pod: Pod, now: number): QueuedPodInfo {
  return {
    key: podKey(pod),
    pod,
    podInfo: podInfoOf(pod),
    timestamp: now,
    initialAttemptTimestamp: undefined,
    attempts: 0,
    unschedulablePlugins: new Set(),
    pendingPlugins: new Set(),
    seq: nextSeq++,
  };
}

/** Marks `info` as entering a sub-queue again at `now` (it goes behind pods already waiting at its priority). */
export function requeued(info: QueuedPodInfo, now: number): QueuedPodInfo {
  info.timestamp = now;
  info.seq = nextSeq++;
  return info;
}

/** The pod's priority (`spec.priority`, 0 when unset). */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** PrioritySort's order: higher priority first, then earlier enqueue time, then arrival order. */
export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = podPriority(a.pod);
  const pb = podPriority(b.pod);
  if (pa !== pb) return pa > pb;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  return a.seq < b.seq;
}
