/**
 * NodeAffinity: a pod fits the nodes its `nodeSelector` and required node affinity select
 * (and the profile's added affinity), and prefers the nodes matching its weighted preferred
 * terms (kube-scheduler's NodeAffinity plugin).
 */
import type { Node, Pod } from '@converge/core';
import { inject, optional } from 'inversify';
import { ActionType, type ClusterEventWithHint } from '../../framework/cluster-event.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, PluginArgsToken, type FrameworkHandle } from '../../framework/handle.js';
import type { NodeInfo } from '../../framework/node-info.js';
import {
  MAX_NODE_SCORE,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeScore,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/plugin.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import { Status } from '../../framework/status.js';
import { CompiledNodeSelector, CompiledPreferredTerms, OBJECT_NAME_FIELD, RequiredNodeAffinity } from '../helpers/node-selector.js';
import { defaultNormalizeScore } from '../helpers/normalize-score.js';
import { parseNodeAffinityArgs } from './node-affinity-args.js';

/** The name NodeAffinity is configured by. */
export const NODE_AFFINITY_PLUGIN = 'NodeAffinity';

/** The reason for a node the pod's nodeSelector or required node affinity does not select. */
export const ERR_REASON_POD_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
/** The reason for a node the profile's added affinity does not select. */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
/** The reason when the pod's required terms name node names that no node can have. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const PRE_FILTER_KEY = `PreFilter${NODE_AFFINITY_PLUGIN}`;
const PRE_SCORE_KEY = `PreScore${NODE_AFFINITY_PLUGIN}`;

class PreFilterState implements StateData {
  constructor(readonly required: RequiredNodeAffinity) {}
  clone(): StateData {
    return this;
  }
}

class PreScoreState implements StateData {
  constructor(readonly preferred: CompiledPreferredTerms | undefined) {}
  clone(): StateData {
    return this;
  }
}

function preferredOf(pod: Pod): CompiledPreferredTerms | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return terms ? new CompiledPreferredTerms(terms) : undefined;
}

/**
 * The node names the pod's required terms restrict it to (each term's `metadata.name In`
 * field requirements intersected, the terms united), or undefined when some term does not
 * restrict names.
 */
function requiredNodeNames(pod: Pod): Set<string> | undefined {
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      names = names ? new Set([...names].filter((n) => values.has(n))) : values;
    }
    // A term that does not restrict names lets every node through (terms are ORed).
    if (!names) return undefined;
    for (const n of names) union.add(n);
  }
  return union;
}

/** kube-scheduler's NodeAffinity plugin. */
@SchedulerPluginClass({ name: NODE_AFFINITY_PLUGIN })
export class NodeAffinityPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  /** The plugin's name. */
  readonly name = NODE_AFFINITY_PLUGIN;
  private readonly addedNodeSelector: CompiledNodeSelector | undefined;
  private readonly addedPreferred: CompiledPreferredTerms | undefined;

  /**
   * Makes the plugin with its NodeAffinityArgs.
   * @throws Error when the arguments are invalid
   */
  constructor(
    @inject(FrameworkHandleToken) readonly handle: FrameworkHandle,
    @inject(PluginArgsToken) @optional() args?: unknown,
  ) {
    const added = parseNodeAffinityArgs(args).addedAffinity;
    const required = added?.requiredDuringSchedulingIgnoredDuringExecution;
    if (required) {
      const selector = new CompiledNodeSelector(required);
      const errors = selector.errors;
      if (errors.length > 0)
        throw new Error(`invalid NodeAffinityArgs: addedAffinity.requiredDuringSchedulingIgnoredDuringExecution.${errors.join(', ')}`);
      this.addedNodeSelector = selector;
    }
    const preferred = added?.preferredDuringSchedulingIgnoredDuringExecution;
    if (preferred) {
      try {
        this.addedPreferred = new CompiledPreferredTerms(preferred);
      } catch (err) {
        throw new Error(
          `invalid NodeAffinityArgs: addedAffinity.preferredDuringSchedulingIgnoredDuringExecution${(err as Error).message}`,
          {
            cause: err,
          },
        );
      }
    }
  }

  /**
   * Compiles the pod's required constraints once; Skip when there are none (and no added
   * affinity); narrows the nodes when every required term names nodes by `metadata.name`.
   */
  preFilter(state: CycleState, pod: Pod): Status | PreFilterResult | void {
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !this.addedNodeSelector && !pod.spec?.nodeSelector) return Status.skip();
    state.write(PRE_FILTER_KEY, new PreFilterState(new RequiredNodeAffinity(pod)));
    const names = requiredNodeNames(pod);
    if (!names) return;
    if (names.size === 0) return Status.unresolvable(ERR_REASON_CONFLICT);
    return { nodeNames: names };
  }

  /** Rejects (UnschedulableAndUnresolvable) a node the added affinity or the pod's required constraints do not select. */
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    if (this.addedNodeSelector && !this.addedNodeSelector.match(node)) return Status.unresolvable(ERR_REASON_ENFORCED);
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    const required = s ? s.required : new RequiredNodeAffinity(pod);
    return required.match(node) ? Status.success : Status.unresolvable(ERR_REASON_POD_AFFINITY);
  }

  /** Compiles the pod's preferred terms once; Skip when neither the pod nor the profile has any. */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | void {
    if (nodes.length === 0) return;
    let preferred: CompiledPreferredTerms | undefined;
    try {
      preferred = preferredOf(pod);
    } catch (err) {
      return Status.error(err);
    }
    if (!preferred && !this.addedPreferred) return Status.skip();
    state.write(PRE_SCORE_KEY, new PreScoreState(preferred));
  }

  /** The sum of the weights of the preferred terms (the pod's and the added ones) the node matches. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const node = nodeInfo.node;
    if (!node) throw new Error('node not found');
    let count = this.addedPreferred ? this.addedPreferred.score(node) : 0;
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    const preferred = s ? s.preferred : preferredOf(pod);
    if (preferred) count += preferred.score(node);
    return count;
  }

  /** Kubernetes' DefaultNormalizeScore: the best-matching node gets MAX_NODE_SCORE. */
  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore({ maxPriority: MAX_NODE_SCORE, reverse: false }, scores);
  }

  /** A node added, or whose labels changed, that now matches the pod's required constraints. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel, label: 'NodeLabelChange' },
        hint: (pod, oldObj, newObj) => {
          const modified = newObj as Node | undefined;
          if (!modified) return 'Skip';
          if (this.addedNodeSelector && !this.addedNodeSelector.match(modified)) return 'Skip';
          const required = new RequiredNodeAffinity(pod);
          if (!required.match(modified)) return 'Skip';
          const original = oldObj as Node | undefined;
          if (!original) return 'Queue';
          const wasMatched = (!this.addedNodeSelector || this.addedNodeSelector.match(original)) && required.match(original);
          return wasMatched ? 'Skip' : 'Queue';
        },
      },
    ];
  }
}
