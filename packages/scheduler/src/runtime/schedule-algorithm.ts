/**
 * The node search of one scheduling cycle (kube-scheduler's schedulePod): PreFilter, Filter
 * over a rotating window of nodes until enough feasible ones are found
 * (percentageOfNodesToScore), PreScore, Score with normalisation and weights, and the choice
 * of the best node (ties broken at random). Everything here is synchronous and allocates
 * nothing per node on the success path.
 */
import type { Pod } from '@converge/core';
import type { CycleState } from '../framework/cycle-state.js';
import type { NodeInfo } from '../framework/node-info.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE, type NodeScore, type ScorePlugin } from '../framework/plugin.js';
import { Status } from '../framework/status.js';
import { FitError, newDiagnosis, recordRejector, type Diagnosis } from './fit-error.js';
import type { Framework } from './framework.js';

/** Below this many nodes every node is filtered (kube-scheduler's minFeasibleNodesToFind). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The smallest adaptive percentage (minFeasibleNodesPercentageToFind). */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** The adaptive percentage's base (basePercentageOfNodesToScore). */
export const BASE_PERCENTAGE_OF_NODES_TO_SCORE = 50;

/**
 * How many feasible nodes to find before scoring, as kube-scheduler computes it: every node
 * below 100 nodes or at 100 %; otherwise `percentage` of the nodes (adaptive when 0:
 * `50 - nodes/125`, at least 5 %), and never fewer than 100.
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) {
    percentage = BASE_PERCENTAGE_OF_NODES_TO_SCORE - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  if (percentage >= 100) return numAllNodes;
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** The outcome of a successful node search. */
export interface ScheduleResult {
  /** The chosen node. */
  readonly suggestedHost: string;
  /** How many nodes were filtered. */
  readonly evaluatedNodes: number;
  /** How many of them fit. */
  readonly feasibleNodes: number;
}

/** Thrown for an internal error of a plugin (Error status): the pod backs off. */
export class SchedulingError extends Error {
  /** Wraps a plugin's Error status. */
  constructor(readonly status: Status) {
    super(status.plugin ? `running ${status.plugin}: ${status.message()}` : status.message());
    this.name = 'SchedulingError';
  }
}

/** Searches the nodes for a pod; keeps the rotating start index and score buffers between cycles. */
export class ScheduleAlgorithm {
  private nextStartNodeIndex = 0;
  private feasible: NodeInfo[] = [];
  private totals = new Float64Array(256);
  private readonly buffers = new Map<ScorePlugin, NodeScore[]>();

  /** Makes the search; `random` (default Math.random) breaks ties between best nodes. */
  constructor(private readonly random: () => number = Math.random) {}

  /**
   * Finds the node for `pod` in `nodes` (the cycle's snapshot list). Throws a FitError when
   * none fits (with the diagnosis for PostFilter and the message), a SchedulingError when a
   * plugin failed.
   */
  schedulePod(
    fwk: Framework,
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
    get: (name: string) => NodeInfo | undefined,
  ): ScheduleResult {
    const diagnosis = newDiagnosis();
    if (nodes.length === 0) throw new FitError(pod.metadata.name ?? '', 0, diagnosis);
    const feasible = this.findNodesThatFitPod(fwk, state, pod, nodes, get, diagnosis);
    const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size;
    if (feasible.length === 0) throw new FitError(pod.metadata.name ?? '', nodes.length, diagnosis);
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes, feasibleNodes: 1 };
    const best = this.prioritizeAndSelect(fwk, state, pod, feasible);
    return { suggestedHost: feasible[best]!.name, evaluatedNodes, feasibleNodes: feasible.length };
  }

  /** PreFilter, the nominated node first, then Filter over the rotating window; fills `diagnosis` for the nodes that failed. */
  findNodesThatFitPod(
    fwk: Framework,
    state: CycleState,
    pod: Pod,
    allNodes: readonly NodeInfo[],
    get: (name: string) => NodeInfo | undefined,
    diagnosis: Diagnosis,
  ): NodeInfo[] {
    const pre = fwk.runPreFilterPlugins(state, pod, allNodes);
    if (!pre.status.isSuccess()) {
      if (!pre.status.isRejected()) throw new SchedulingError(pre.status);
      diagnosis.absentNodesStatus = pre.status;
      recordRejector(diagnosis, pre.status);
      diagnosis.preFilterMsg = pre.status.message();
      return [];
    }
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      const info = get(nominated);
      if (info?.node && (!pre.nodeNames || pre.nodeNames.has(nominated))) {
        const s = fwk.runFilterPluginsWithNominatedPods(state, pod, info);
        if (s.isSuccess()) return [info];
        if (!s.isRejected()) throw new SchedulingError(s);
      }
    }
    let nodes = allNodes;
    if (pre.nodeNames) {
      nodes = [];
      for (const name of pre.nodeNames) {
        const info = get(name);
        if (info?.node) (nodes as NodeInfo[]).push(info);
      }
      diagnosis.absentNodesStatus = new Status('UnschedulableAndUnresolvable', [
        `node(s) didn't satisfy plugin(s) [${pre.narrowedBy.join(' ')}]`,
      ]);
    }
    const feasible = this.findNodesThatPassFilters(fwk, state, pod, nodes, diagnosis);
    const processed = feasible.length + diagnosis.nodeToStatus.size;
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % allNodes.length;
    return feasible;
  }

  private findNodesThatPassFilters(
    fwk: Framework,
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
    diagnosis: Diagnosis,
  ): NodeInfo[] {
    const n = nodes.length;
    const toFind = numFeasibleNodesToFind(fwk.percentageOfNodesToScore, n);
    const feasible = this.feasible;
    feasible.length = 0;
    if (n === 0) return feasible;
    const start = this.nextStartNodeIndex % n;
    if (fwk.filterPlugins.length === 0) {
      for (let i = 0; i < toFind; i++) feasible.push(nodes[(start + i) % n]!);
      return feasible;
    }
    const nominated = fwk.hasNominatedPods();
    for (let i = 0; i < n; i++) {
      const info = nodes[(start + i) % n]!;
      const s = nominated ? fwk.runFilterPluginsWithNominatedPods(state, pod, info) : fwk.runFilterPlugins(state, pod, info);
      if (s.code === 'Success') {
        feasible.push(info);
        if (feasible.length >= toFind) break;
      } else if (s.isRejected()) {
        diagnosis.nodeToStatus.set(info.name, s);
        recordRejector(diagnosis, s);
      } else throw new SchedulingError(s);
    }
    return feasible;
  }

  /** PreScore, Score (normalised, weighted, summed) and the choice of the best node; returns its index in `feasible`. */
  private prioritizeAndSelect(fwk: Framework, state: CycleState, pod: Pod, feasible: readonly NodeInfo[]): number {
    const n = feasible.length;
    if (this.totals.length < n) this.totals = new Float64Array(Math.max(n, this.totals.length * 2));
    const totals = this.totals;
    totals.fill(0, 0, n);
    if (fwk.scorePlugins.length > 0) {
      const pre = fwk.runPreScorePlugins(state, pod, feasible);
      if (!pre.isSuccess()) throw new SchedulingError(pre);
      const skip = state.skipScorePlugins;
      for (const { plugin, weight } of fwk.scorePlugins) {
        if (skip.size > 0 && skip.has(plugin.name)) continue;
        const scores = this.buffer(plugin, feasible);
        try {
          for (let i = 0; i < n; i++) scores[i]!.score = plugin.score(state, pod, feasible[i]!);
        } catch (err) {
          throw new SchedulingError(Status.error(err).withPlugin(plugin.name));
        }
        if (plugin.normalizeScore) {
          const s = plugin.normalizeScore(state, pod, scores);
          if (s && !s.isSuccess()) throw new SchedulingError(s.withPlugin(plugin.name));
        }
        for (let i = 0; i < n; i++) {
          const score = scores[i]!.score;
          if (!(score >= MIN_NODE_SCORE && score <= MAX_NODE_SCORE))
            throw new SchedulingError(
              Status.error(
                `plugin "${plugin.name}" returns an invalid score ${score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`,
              ).withPlugin(plugin.name),
            );
          totals[i]! += score * weight;
        }
      }
    }
    let best = 0;
    let max = totals[0]!;
    let ties = 1;
    for (let i = 1; i < n; i++) {
      const t = totals[i]!;
      if (t > max) {
        max = t;
        best = i;
        ties = 1;
      } else if (t === max) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return best;
  }

  /** The plugin's score buffer, sized and named for `feasible` (NodeScore objects are reused across cycles). */
  private buffer(plugin: ScorePlugin, feasible: readonly NodeInfo[]): NodeScore[] {
    let buf = this.buffers.get(plugin);
    if (!buf) this.buffers.set(plugin, (buf = []));
    const n = feasible.length;
    for (let i = 0; i < n; i++) {
      const name = feasible[i]!.name;
      const entry = buf[i];
      if (entry) {
        (entry as { name: string }).name = name;
        entry.score = 0;
      } else buf[i] = { name, score: 0 };
    }
    buf.length = n;
    return buf;
  }
}
