/**
 * Which nodes count as domains for a pod's topology spread: its required node affinity
 * (nodeSelector and `requiredDuringSchedulingIgnoredDuringExecution`, as component-helpers'
 * nodeaffinity.RequiredNodeAffinity) and the taints it does not tolerate (NoSchedule and
 * NoExecute), for the nodeAffinityPolicy / nodeTaintsPolicy `Honor`.
 */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, Toleration } from '@converge/core';

type Labels = Readonly<Record<string, string>>;
type RequirementTest = (labels: Labels, name: string) => boolean;

const INTEGER = /^[+-]?\d+$/;
const NO_LABELS: Labels = Object.freeze({});

function compileRequirement(r: NodeSelectorRequirement, field: boolean): RequirementTest | undefined {
  const values = r.values ?? [];
  const get = field ? (_l: Labels, name: string) => (r.key === 'metadata.name' ? name : undefined) : (l: Labels) => l[r.key];
  if (field && (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn') || values.length !== 1)) return undefined;
  switch (r.operator) {
    case 'In':
      if (values.length === 0) return undefined;
      return (l, n) => {
        const v = get(l, n);
        return v !== undefined && values.includes(v);
      };
    case 'NotIn':
      if (values.length === 0) return undefined;
      return (l, n) => {
        const v = get(l, n);
        return v === undefined || !values.includes(v);
      };
    case 'Exists':
      if (values.length > 0) return undefined;
      return (l, n) => get(l, n) !== undefined;
    case 'DoesNotExist':
      if (values.length > 0) return undefined;
      return (l, n) => get(l, n) === undefined;
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1 || !INTEGER.test(values[0]!)) return undefined;
      const bound = Number(values[0]);
      const gt = r.operator === 'Gt';
      return (l, n) => {
        const v = get(l, n);
        if (v === undefined || !INTEGER.test(v)) return false;
        return gt ? Number(v) > bound : Number(v) < bound;
      };
    }
    default:
      return undefined;
  }
}

/** A term compiled: all requirements ANDed; undefined for a term that matches nothing (empty or malformed). */
function compileTerm(t: NodeSelectorTerm): RequirementTest | undefined {
  const exprs = t.matchExpressions ?? [];
  const fields = t.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return undefined;
  const tests: RequirementTest[] = [];
  for (const r of exprs) {
    const test = compileRequirement(r, false);
    if (!test) return undefined;
    tests.push(test);
  }
  for (const r of fields) {
    const test = compileRequirement(r, true);
    if (!test) return undefined;
    tests.push(test);
  }
  return (l, n) => {
    for (const test of tests) if (!test(l, n)) return false;
    return true;
  };
}

/** A pod's required node affinity, compiled: `matches(node)` as kube-scheduler's RequiredNodeAffinity.Match. */
export class RequiredNodeAffinity {
  private readonly selector: [string, string][];
  private readonly terms: RequirementTest[] | undefined;

  /** Compiles the pod's `nodeSelector` and required node affinity terms (malformed terms match nothing). */
  constructor(pod: Pod) {
    this.selector = Object.entries(pod.spec?.nodeSelector ?? {});
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.terms = required ? required.nodeSelectorTerms.map(compileTerm).filter((t): t is RequirementTest => t !== undefined) : undefined;
  }

  /** True when the pod has neither a nodeSelector nor required node affinity: every node matches. */
  get matchesAll(): boolean {
    return this.selector.length === 0 && !this.terms;
  }

  /** Whether the node meets the nodeSelector and (when set) one of the terms. */
  matches(node: Node): boolean {
    if (this.matchesAll) return true;
    const labels: Labels = node.metadata.labels ?? NO_LABELS;
    for (let i = 0; i < this.selector.length; i++) {
      const [k, v] = this.selector[i]!;
      if (labels[k] !== v) return false;
    }
    if (!this.terms) return true;
    const name = node.metadata.name ?? '';
    for (const t of this.terms) if (t(labels, name)) return true;
    return false;
  }
}

/** Whether a toleration tolerates a taint (key, effect, and value for `Equal`). */
export function tolerates(t: Toleration, taint: { key: string; value?: string | undefined; effect: string }): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (t.operator !== undefined && t.operator !== 'Equal') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

/** True when the node has a NoSchedule or NoExecute taint the pod does not tolerate. */
export function hasUntoleratedTaint(pod: Pod, node: Node): boolean {
  const taints = (node.spec?.taints ?? []) as { key: string; value?: string; effect: string }[];
  if (taints.length === 0) return false;
  const tolerations = pod.spec?.tolerations ?? [];
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return true;
  }
  return false;
}
