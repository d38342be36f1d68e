/**
 * DefaultPreemption: kube-scheduler 1.32's PostFilter plugin. When a pod fits no node, it
 * looks for a node where evicting lower-priority pods would make room, evicts them and
 * nominates the node for the pod.
 */
import 'reflect-metadata';
import { PodDisruptionBudgets, Pods, type Pod, type PodDisruptionBudget } from '@converge/core';
import { inject, optional } from 'inversify';
import type { CycleState } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, PluginArgsToken, type FrameworkHandle } from '../../framework/handle.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { ClusterEventWithHint } from '../../framework/cluster-event.js';
import type { EnqueueExtensions, PostFilterPlugin, PostFilterResult } from '../../framework/plugin.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import { Status } from '../../framework/status.js';
import { pickBestCandidate, type PreemptionCandidate } from './candidate.js';
import { numCandidates, parseDefaultPreemptionArgs, type DefaultPreemptionArgs } from './default-preemption-args.js';
import { fitErrorMessage, newDiagnosis } from '../../runtime/fit-error.js';
import { DISRUPTION_TARGET, PREEMPTION_BY_SCHEDULER, prepareCandidate } from './prepare-candidate.js';
import { podPriority } from '../../queue/queued-pod-info.js';
import { selectVictimsOnNode } from './victim-selection.js';

/** The name of the plugin in profiles. */
export const DEFAULT_PREEMPTION = 'DefaultPreemption';

/** The reason counted for nodes where evicting pods cannot help (filter status UnschedulableAndUnresolvable, or not filtered). */
export const PREEMPTION_NOT_HELPFUL_REASON = 'Preemption is not helpful for scheduling';

/** The candidates of a dry run and the statuses of the nodes that are not candidates. */
interface DryRunResult {
  readonly candidates: PreemptionCandidate[];
  readonly statuses: Map<string, Status>;
  readonly errors: string[];
}

/**
 * The DefaultPreemption PostFilter plugin, as kube-scheduler 1.32's (synchronous preemption):
 *
 * 1. The pod must be eligible: not `preemptionPolicy: Never`; and a pod already nominated to
 *    a node waits while a lower-priority pod there is terminating because of preemption
 *    (unless that node is now UnschedulableAndUnresolvable for it).
 * 2. Candidates: nodes whose filter status is Unschedulable (never UnschedulableAndUnresolvable,
 *    never unfiltered ones), dry-run one by one from a random offset on copies of the node and
 *    cycle state (`selectVictimsOnNode`), until enough are found: at least one not violating a
 *    PDB and `max(minCandidateNodesAbsolute, nodes × minCandidateNodesPercentage / 100)` in all.
 * 3. The best candidate by `pickBestCandidate`; its victims are preempted and lower-priority
 *    pods nominated there lose the nomination (`prepareCandidate`).
 *
 * Answers: Success with `nominatedNodeName`; Unschedulable `preemption: not eligible ...`
 * (no nominatedNodeName: keep the pod's); Unschedulable `preemption: 0/N nodes are available: ...`
 * with `nominatedNodeName: ''` (clear it) when no node can be made to fit; Error on failures.
 */
@SchedulerPluginClass({ name: DEFAULT_PREEMPTION })
export class DefaultPreemption implements PostFilterPlugin, EnqueueExtensions {
  /** The plugin's name. */
  readonly name = DEFAULT_PREEMPTION;
  /** The validated arguments, defaults applied. */
  readonly args: DefaultPreemptionArgs;
  /** The random source in [0, 1) for the dry run's first node; replace it to make a test deterministic. */
  random: () => number = Math.random;

  /** Makes the plugin for a profile; throws on invalid `args`. */
  constructor(
    @inject(FrameworkHandleToken) private readonly handle: FrameworkHandle,
    @inject(PluginArgsToken) @optional() args?: unknown,
  ) {
    this.args = parseDefaultPreemptionArgs(args);
  }

  /**
   * No cluster events: with synchronous preemption (Kubernetes 1.32's default) this plugin never
   * rejects a pod itself, so it has nothing to be woken by; the filters that rejected the pod
   * register the events that may make it fit (victims' deletion among them).
   */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [];
  }

  /** Tries to make room for `pod` by preempting lower-priority pods; see the class comment. */
  async postFilter(state: CycleState, pod: Pod, statuses: ReadonlyMap<string, Status>): Promise<PostFilterResult> {
    const result = await this.preempt(state, pod, statuses);
    const msg = result.status.message();
    if (msg.length === 0) return result;
    const status = new Status(result.status.code, [`preemption: ${msg}`], result.status.plugin);
    return result.nominatedNodeName === undefined ? { status } : { status, nominatedNodeName: result.nominatedNodeName };
  }

  private async preempt(state: CycleState, podIn: Pod, statuses: ReadonlyMap<string, Status>): Promise<PostFilterResult> {
    let pod: Pod;
    try {
      pod = await this.handle.store.get(Pods, { namespace: podIn.metadata.namespace, name: podIn.metadata.name ?? '' });
    } catch (err) {
      this.handle.logger.error({ err, pod: podIn.metadata.name }, 'could not get the updated preemptor pod object');
      return { status: Status.error(err) };
    }

    const nominated = pod.status?.nominatedNodeName ?? '';
    const notEligible = this.notEligibleReason(pod, nominated ? statuses.get(nominated) : undefined);
    if (notEligible) return { status: Status.unschedulable(notEligible) };

    const allNodes = this.handle.snapshot().list();
    if (allNodes.length === 0) return { status: Status.error('no nodes available') };
    const potential = allNodes.filter((n) => statuses.get(n.name)?.code === 'Unschedulable');
    let dry: DryRunResult = { candidates: [], statuses: new Map(), errors: [] };
    if (potential.length > 0) {
      let pdbs: readonly PodDisruptionBudget[];
      try {
        pdbs = (await this.handle.store.list(PodDisruptionBudgets)).items;
      } catch (err) {
        return { status: Status.error(err) };
      }
      const offset = Math.min(potential.length - 1, Math.floor(this.random() * potential.length));
      dry = this.dryRun(state, pod, potential, pdbs, offset, numCandidates(this.args, potential.length));
    }
    if (dry.candidates.length === 0 && dry.errors.length > 0) return { status: Status.error(aggregate(dry.errors)) };
    if (dry.candidates.length === 0) {
      const diagnosis = newDiagnosis();
      for (const [node, status] of dry.statuses) diagnosis.nodeToStatus.set(node, status);
      diagnosis.absentNodesStatus = Status.unschedulable(PREEMPTION_NOT_HELPFUL_REASON);
      const message = fitErrorMessage(allNodes.length, diagnosis);
      return { status: Status.unschedulable(message), nominatedNodeName: '' };
    }

    const best = pickBestCandidate(dry.candidates, this.handle.clock.now());
    if (!best || !best.nodeName) return { status: Status.unschedulable('no candidate node for preemption') };
    try {
      await prepareCandidate({ handle: this.handle, candidate: best, preemptor: pod, pluginName: this.name });
    } catch (err) {
      return { status: Status.error(err) };
    }
    return { status: Status.success, nominatedNodeName: best.nodeName };
  }

  /**
   * Why the pod may not preempt, or undefined when it may (`PodEligibleToPreemptOthers`):
   * `preemptionPolicy: Never`, or a lower-priority pod on its nominated node is being deleted
   * because of preemption (DisruptionTarget True, reason PreemptionByScheduler), unless that node
   * is UnschedulableAndUnresolvable for the pod (or was not filtered at all) and so needs no waiting for.
   */
  private notEligibleReason(pod: Pod, nominatedNodeStatus: Status | undefined): string | undefined {
    if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.status?.nominatedNodeName;
    if (!nominated) return undefined;
    // A node the filters did not look at counts as UnschedulableAndUnresolvable, as Kubernetes' absent-node status.
    if (!nominatedNodeStatus || nominatedNodeStatus.code === 'UnschedulableAndUnresolvable') return undefined;
    const nodeInfo = this.handle.snapshot().get(nominated);
    if (!nodeInfo) return undefined;
    const priority = podPriority(pod);
    for (const pi of nodeInfo.pods) {
      if (podPriority(pi.pod) < priority && terminatingByPreemption(pi.pod)) {
        return 'not eligible due to a terminating pod on the nominated node.';
      }
    }
    return undefined;
  }

  /** Dry-runs the potential nodes from `offset` (wrapping), stopping once enough candidates are found. */
  private dryRun(
    state: CycleState,
    pod: Pod,
    potential: readonly NodeInfo[],
    pdbs: readonly PodDisruptionBudget[],
    offset: number,
    wanted: number,
  ): DryRunResult {
    const nonViolating: PreemptionCandidate[] = [];
    const violating: PreemptionCandidate[] = [];
    const statuses = new Map<string, Status>();
    const errors: string[] = [];
    const now = this.handle.clock.now();
    for (let i = 0; i < potential.length; i++) {
      const nodeInfo = potential[(offset + i) % potential.length]!.clone();
      const sel = selectVictimsOnNode({ handle: this.handle, state: state.clone(), pod, nodeInfo, pdbs, now });
      if (sel.status.isSuccess() && sel.victims.length > 0) {
        const c: PreemptionCandidate = { nodeName: nodeInfo.name, victims: sel.victims, numPdbViolations: sel.numPdbViolations };
        (c.numPdbViolations === 0 ? nonViolating : violating).push(c);
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break;
        continue;
      }
      const status = sel.status.isSuccess() ? Status.error(`expected at least one victim pod on node "${nodeInfo.name}"`) : sel.status;
      if (status.code === 'Error') errors.push(status.message());
      statuses.set(nodeInfo.name, status);
    }
    return { candidates: [...nonViolating.slice(0, wanted), ...violating.slice(0, wanted)], statuses, errors };
  }
}

/** True when the pod is being deleted because the scheduler preempted it. */
function terminatingByPreemption(pod: Pod): boolean {
  if (!pod.metadata.deletionTimestamp) return false;
  const c = pod.status?.conditions?.find((x) => x.type === DISRUPTION_TARGET);
  return c?.status === 'True' && c.reason === PREEMPTION_BY_SCHEDULER;
}

/** Joins several errors as Kubernetes' error aggregate prints them. */
function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}
