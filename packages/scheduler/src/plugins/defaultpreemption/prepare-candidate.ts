/**
 * What preemption does once it chose a node (kube-scheduler's `prepareCandidate`): evicts
 * the victims and takes the node away from lower-priority pods nominated to it.
 */
import { isNotFound, Pods, rfc3339, type Pod, type PodCondition } from '@converge/core';
import type { FrameworkHandle } from '../../framework/handle.js';
import type { PreemptionCandidate } from './candidate.js';
import { podPriority } from '../../queue/queued-pod-info.js';

/** The condition type set on preemption victims. */
export const DISRUPTION_TARGET = 'DisruptionTarget';
/** The reason of the DisruptionTarget condition set on preemption victims. */
export const PREEMPTION_BY_SCHEDULER = 'PreemptionByScheduler';

/** The inputs of `prepareCandidate`. */
export interface PrepareCandidateOptions {
  /** Where the writes and events go. */
  readonly handle: FrameworkHandle;
  /** The chosen node and its victims. */
  readonly candidate: PreemptionCandidate;
  /** The preemptor. */
  readonly preemptor: Pod;
  /** The plugin's name (the one a waiting victim is rejected by). */
  readonly pluginName: string;
}

/**
 * Preempts every victim (all at once) and then clears `status.nominatedNodeName` of the
 * pods of lower priority than the preemptor nominated to the node, so they look for room
 * elsewhere; failures there are only logged. Throws the first error of a victim's preemption.
 */
export async function prepareCandidate(options: PrepareCandidateOptions): Promise<void> {
  const { handle, candidate, preemptor } = options;
  const results = await Promise.allSettled(
    candidate.victims.filter((v) => !v.metadata.deletionTimestamp).map((v) => preemptVictim(options, v)),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;

  const priority = podPriority(preemptor);
  const lower = handle.nominator
    .nominatedPodsForNode(candidate.nodeName)
    .map((pi) => pi.pod)
    .filter((p) => podPriority(p) < priority && !!p.status?.nominatedNodeName);
  for (const p of lower) {
    try {
      await handle.store.patch(
        Pods,
        { namespace: p.metadata.namespace, name: p.metadata.name ?? '' },
        { type: 'merge', body: { status: { nominatedNodeName: null } } },
        { subresource: 'status' },
      );
    } catch (err) {
      handle.logger.error({ err, pod: `${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}` }, "cannot clear 'NominatedNodeName' field");
    }
  }
}

/**
 * Preempts one victim: a pod waiting at Permit is rejected there; any other gets the
 * `DisruptionTarget` condition (status True, reason `PreemptionByScheduler`) through the
 * status subresource and is deleted. Each preempted victim gets a Normal `Preempted` event,
 * `Preempted by pod <preemptor uid> on node <node>`. A victim already gone counts as done.
 */
async function preemptVictim(options: PrepareCandidateOptions, victim: Pod): Promise<void> {
  const { handle, candidate, preemptor, pluginName } = options;
  const key = { namespace: victim.metadata.namespace, name: victim.metadata.name ?? '' };
  const waiting = victim.metadata.uid ? handle.waitingPod(victim.metadata.uid) : undefined;
  if (waiting) {
    waiting.reject(pluginName, 'preempted');
  } else {
    const message = `${preemptor.spec?.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`;
    const existing = victim.status?.conditions?.find((c) => c.type === DISRUPTION_TARGET);
    const upToDate = existing?.status === 'True' && existing.reason === PREEMPTION_BY_SCHEDULER && existing.message === message;
    if (!upToDate) {
      const condition: PodCondition = {
        type: DISRUPTION_TARGET,
        status: 'True',
        reason: PREEMPTION_BY_SCHEDULER,
        message,
        lastTransitionTime:
          existing?.status === 'True' && existing.lastTransitionTime ? existing.lastTransitionTime : rfc3339(handle.clock.now()),
      };
      try {
        await handle.store.patch(
          Pods,
          key,
          { type: 'strategic', body: { status: { conditions: [condition] } } },
          { subresource: 'status' },
        );
      } catch (err) {
        if (isNotFound(err)) return;
        handle.logger.error(
          { err, victim: `${key.namespace ?? ''}/${key.name}` },
          'could not add DisruptionTarget condition due to preemption',
        );
        throw err;
      }
    }
    try {
      await handle.store.delete(Pods, key);
    } catch (err) {
      if (isNotFound(err)) return;
      handle.logger.error({ err, victim: `${key.namespace ?? ''}/${key.name}` }, 'tried to preempt pod');
      throw err;
    }
  }
  handle.events.normal(victim, 'Preempted', `Preempted by pod ${preemptor.metadata.uid ?? ''} on node ${candidate.nodeName}`, {
    type: Pods,
  });
}
