/**
 * Topology spread constraints as kube-scheduler uses them: the selector compiled (with
 * matchLabelKeys merged), minDomains and the node inclusion policies defaulted, and the
 * helpers shared by filtering and scoring.
 */
import {
  labelSelectorFromObject,
  type LabelSelector,
  type Labels,
  type Node,
  type Pod,
  type TopologySpreadConstraint,
} from '@converge/core';
import { labelRequirement, LabelSelectorMatcher, type LabelRequirement } from '@converge/core/selectors';
import type { PodInfo } from '../../framework/node-info.js';
import type { RequiredNodeAffinity } from '../helpers/node-selector.js';
import { hasUntoleratedTaint } from '../helpers/tolerations.js';

/** `kubernetes.io/hostname`: the topology key whose domains are single nodes. */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
/** `topology.kubernetes.io/zone`. */
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** What a constraint does when it cannot be met. */
export type UnsatisfiableAction = 'DoNotSchedule' | 'ScheduleAnyway';

/** A constraint compiled. */
export interface SpreadConstraint {
  /** Most the matching-pod counts may differ between domains. */
  readonly maxSkew: number;
  /** The node label defining the domains. */
  readonly topologyKey: string;
  /** The pods counted. */
  readonly selector: LabelSelectorMatcher;
  /** Below this many eligible domains the global minimum counts as 0; default 1. */
  readonly minDomains: number;
  /** `Honor` (default): only nodes matching the pod's node affinity are domains. */
  readonly nodeAffinityPolicy: string;
  /** `Ignore` (default), or `Honor`: nodes with taints the pod does not tolerate are not domains. */
  readonly nodeTaintsPolicy: string;
}

/**
 * The pod's constraints with `whenUnsatisfiable` equal to `action`, compiled. matchLabelKeys
 * adds `key = value` for each key the pod has. Throws on a malformed selector.
 */
export function filterConstraints(
  specs: readonly TopologySpreadConstraint[],
  podLabels: Labels,
  action: UnsatisfiableAction,
): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  for (const c of specs) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorFromObject(c.labelSelector as LabelSelector | null | undefined);
    if (c.matchLabelKeys && c.matchLabelKeys.length > 0) {
      const extra: LabelRequirement[] = [];
      for (const k of c.matchLabelKeys) {
        const v = podLabels?.[k];
        if (v !== undefined) extra.push(labelRequirement(k, '=', [v]));
      }
      if (extra.length > 0) selector = new LabelSelectorMatcher([...extra, ...selector.requirements]);
    }
    out.push({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    });
  }
  return out;
}

/** True when the node has every constraint's topology key. */
export function nodeHasAllTopologyKeys(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  if (!labels) return constraints.length === 0;
  for (const c of constraints) if (labels[c.topologyKey] === undefined) return false;
  return true;
}

/** How many of the pods (not terminating, in namespace `ns`) the selector matches; 0 for the empty selector. */
export function countMatchingPods(pods: readonly PodInfo[], selector: LabelSelectorMatcher, ns: string): number {
  if (selector.empty) return 0;
  let n = 0;
  for (const p of pods) {
    const m = p.pod.metadata;
    if (m.deletionTimestamp || (m.namespace ?? '') !== ns) continue;
    if (selector.matches(m.labels)) n++;
  }
  return n;
}

/** Per-node answers to the inclusion policies, computed at most once per node and pod. */
export class NodeInclusion {
  /** Makes the checker for `pod` with its compiled required node affinity. */
  constructor(
    private readonly pod: Pod,
    private readonly affinity: RequiredNodeAffinity,
  ) {}

  /** Whether `node` is a domain for `c`: node affinity honoured when asked, untolerated taints excluded when asked. */
  includes(c: SpreadConstraint, node: Node): boolean {
    if (c.nodeAffinityPolicy === 'Honor' && !this.affinity.match(node)) return false;
    if (c.nodeTaintsPolicy === 'Honor' && hasUntoleratedTaint(this.pod, node)) return false;
    return true;
  }
}
