/**
 * What the scheduler does when a pod could not be scheduled (kube-scheduler's
 * handleSchedulingFailure): the pod goes back to the queue (unless it is gone or bound
 * meanwhile), gets a FailedScheduling Warning event, and its PodScheduled condition says
 * why (reason Unschedulable or SchedulerError), written through the status subresource only
 * when it changed, together with the node preemption nominated (or none).
 */
import { isNotFound, Pods, rfc3339, type Clock, type EventRecorder, type Logger, type ObjectStore, type Pod } from '@converge/core';
import { podInfoOf } from './framework/node-info.js';
import type { QueuedPodInfo } from './queue/queued-pod-info.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';

/** One failed attempt. */
export interface SchedulingFailure {
  /** The queued pod. */
  readonly info: QueuedPodInfo;
  /** `Unschedulable` (no node fits, or a plugin rejected it) or `SchedulerError`. */
  readonly reason: 'Unschedulable' | 'SchedulerError';
  /** The message for the condition and the event. */
  readonly message: string;
  /** The plugins that rejected the pod (empty for an error). */
  readonly unschedulablePlugins: ReadonlySet<string>;
  /** The plugins that answered Pending. */
  readonly pendingPlugins: ReadonlySet<string>;
  /** The node PostFilter nominated; undefined clears a nomination. */
  readonly nominatedNodeName?: string | undefined;
}

/** What the failure handler needs. */
export interface FailureHandlerDeps {
  /** Writes the status. */
  readonly store: ObjectStore;
  /** Timestamps. */
  readonly clock: Clock;
  /** Logs. */
  readonly logger: Logger;
  /** Records FailedScheduling. */
  readonly events: EventRecorder;
  /** Where the pod goes back. */
  readonly queue: SchedulingQueue;
  /** The newest version of a pod from the informer cache. */
  readonly latest: (pod: Pod) => Pod | undefined;
}

/** Handles a failed attempt; resolves once the status write (if any) is done. */
export async function handleSchedulingFailure(deps: FailureHandlerDeps, f: SchedulingFailure): Promise<void> {
  const { info } = f;
  const pod = info.pod;
  const latest = deps.latest(pod);
  if (!latest || latest.metadata.uid !== pod.metadata.uid) {
    deps.queue.done(info.key);
    deps.logger.debug({ pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'pod deleted while scheduling; not queued again');
    return;
  }
  if (latest.spec?.nodeName) {
    deps.queue.done(info.key);
    return;
  }
  if (latest !== info.pod) {
    info.pod = latest;
    info.podInfo = podInfoOf(latest);
  }
  info.unschedulablePlugins = new Set(f.unschedulablePlugins);
  info.pendingPlugins = new Set(f.pendingPlugins);
  if (f.nominatedNodeName) deps.queue.nominator.add(info.podInfo, f.nominatedNodeName);
  else deps.queue.nominator.delete(latest);
  deps.queue.addUnschedulable(info);
  deps.events.warning(latest, 'FailedScheduling', f.message, { type: Pods });
  await updatePodScheduledCondition(deps, latest, f);
}

async function updatePodScheduledCondition(deps: FailureHandlerDeps, pod: Pod, f: SchedulingFailure): Promise<void> {
  const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const nominated = f.nominatedNodeName ?? '';
  const nominatedChanges =
    (pod.status?.nominatedNodeName ?? '') !== nominated && (nominated !== '' || pod.status?.nominatedNodeName !== undefined);
  const conditionChanges = !old || old.status !== 'False' || old.reason !== f.reason || old.message !== f.message;
  if (!conditionChanges && !nominatedChanges) return;
  const condition = {
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(deps.clock.now()),
    reason: f.reason,
    message: f.message,
  };
  const status: Record<string, unknown> = { conditions: [condition] };
  if (nominatedChanges) status['nominatedNodeName'] = nominated === '' ? null : nominated;
  try {
    await deps.store.patch(
      Pods,
      { namespace: pod.metadata.namespace!, name: pod.metadata.name! },
      { type: 'strategic', body: { status } },
      { subresource: 'status' },
    );
  } catch (err) {
    if (!isNotFound(err))
      deps.logger.warn({ err, pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'cannot update the PodScheduled condition');
  }
}
