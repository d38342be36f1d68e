/**
 * Node selectors as Kubernetes matches them (component-helpers' `nodeaffinity`): a term's
 * `matchExpressions` are requirements on node labels (In, NotIn, Exists, DoesNotExist, Gt,
 * Lt) and its `matchFields` on `metadata.name` (In, NotIn, one value each), all ANDed; the
 * terms of a selector are ORed; an empty term matches nothing; a term that does not parse
 * matches nothing either.
 */
import type { Affinity, Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '@converge/core';
import { LabelSelectorMatcher, labelRequirement, type LabelOperator, type LabelRequirement } from '@converge/core/selectors';

/** A node selector (`requiredDuringSchedulingIgnoredDuringExecution` of node affinity). */
export type NodeSelector = NonNullable<NonNullable<Affinity['nodeAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']>;

/** A weighted node preference (`preferredDuringSchedulingIgnoredDuringExecution[]` of node affinity). */
export type PreferredSchedulingTerm = NonNullable<
  NonNullable<Affinity['nodeAffinity']>['preferredDuringSchedulingIgnoredDuringExecution']
>[number];

/** The only field a `matchFields` requirement may name. */
export const OBJECT_NAME_FIELD = 'metadata.name';

const LABEL_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
  Gt: 'gt',
  Lt: 'lt',
};

/** True for a term with neither matchExpressions nor matchFields (it selects no node). */
export function isEmptyNodeSelectorTerm(term: NodeSelectorTerm | undefined): boolean {
  return !term || ((term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0);
}

interface FieldTest {
  readonly equal: boolean;
  readonly value: string;
}

/** A parsed node selector term. */
export class CompiledNodeSelectorTerm {
  /** Why the term does not parse (empty when it does); a term with errors matches no node. */
  readonly errors: readonly string[];
  private readonly labels: LabelSelectorMatcher | undefined;
  private readonly fields: readonly FieldTest[] | undefined;

  /** Parses `term`. */
  constructor(term: NodeSelectorTerm) {
    const errors: string[] = [];
    const exprs = term.matchExpressions ?? [];
    const requirements: LabelRequirement[] = [];
    exprs.forEach((r, i) => {
      const parsed = parseLabelRequirement(r, `matchExpressions[${i}]`, errors);
      if (parsed) requirements.push(parsed);
    });
    this.labels = exprs.length > 0 ? new LabelSelectorMatcher(requirements) : undefined;
    const fieldReqs = term.matchFields ?? [];
    const fields: FieldTest[] = [];
    fieldReqs.forEach((r, i) => {
      const parsed = parseFieldRequirement(r, `matchFields[${i}]`, errors);
      if (parsed) fields.push(parsed);
    });
    this.fields = fieldReqs.length > 0 ? fields : undefined;
    this.errors = errors;
  }

  /** True when `node` meets every requirement (false when the term has errors). */
  match(node: Node): boolean {
    if (this.errors.length > 0) return false;
    if (this.labels && !this.labels.matches(node.metadata.labels)) return false;
    // As Kubernetes, fields are only checked when the node has a name.
    const name = node.metadata.name ?? '';
    if (this.fields && name !== '') {
      for (const f of this.fields) if ((name === f.value) !== f.equal) return false;
    }
    return true;
  }
}

function parseLabelRequirement(r: NodeSelectorRequirement, path: string, errors: string[]): LabelRequirement | undefined {
  const op = LABEL_OPERATORS[r.operator];
  if (!op) {
    errors.push(`${path}.operator: Unsupported value: "${r.operator}"`);
    return undefined;
  }
  try {
    return labelRequirement(r.key, op, r.values ?? []);
  } catch (err) {
    errors.push(`${path}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function parseFieldRequirement(r: NodeSelectorRequirement, path: string, errors: string[]): FieldTest | undefined {
  if (r.key !== OBJECT_NAME_FIELD) {
    errors.push(`${path}.key: Unsupported value: "${r.key}": supported values: "${OBJECT_NAME_FIELD}"`);
    return undefined;
  }
  const values = r.values ?? [];
  if (values.length !== 1) {
    errors.push(`${path}.values: Invalid value: must have one element`);
    return undefined;
  }
  if (r.operator === 'In') return { equal: true, value: values[0]! };
  if (r.operator === 'NotIn') return { equal: false, value: values[0]! };
  errors.push(`${path}.operator: Unsupported value: "${r.operator}": supported values: "In", "NotIn"`);
  return undefined;
}

/** A parsed node selector: a node matches when any (non-empty) term matches. */
export class CompiledNodeSelector {
  private readonly terms: readonly CompiledNodeSelectorTerm[];

  /** Parses `selector`; empty terms are dropped (they select nothing). */
  constructor(selector: NodeSelector) {
    this.terms = (selector.nodeSelectorTerms ?? []).filter((t) => !isEmptyNodeSelectorTerm(t)).map((t) => new CompiledNodeSelectorTerm(t));
  }

  /** Every parse error of every term. */
  get errors(): string[] {
    return this.terms.flatMap((t, i) => t.errors.map((e) => `nodeSelectorTerms[${i}].${e}`));
  }

  /** True when some term matches `node`. */
  match(node: Node): boolean {
    for (const t of this.terms) if (t.match(node)) return true;
    return false;
  }
}

/** Weighted preferences: a node's score is the sum of the weights of the terms it matches. */
export class CompiledPreferredTerms {
  private readonly terms: readonly { readonly weight: number; readonly term: CompiledNodeSelectorTerm }[];

  /**
   * Parses `terms`, dropping those with weight 0 or an empty preference.
   * @throws Error listing the parse errors when any term does not parse
   */
  constructor(terms: readonly PreferredSchedulingTerm[]) {
    const parsed: { weight: number; term: CompiledNodeSelectorTerm }[] = [];
    const errors: string[] = [];
    terms.forEach((t, i) => {
      if (!t.weight || isEmptyNodeSelectorTerm(t.preference)) return;
      const term = new CompiledNodeSelectorTerm(t.preference);
      if (term.errors.length > 0) errors.push(...term.errors.map((e) => `[${i}].preference.${e}`));
      else parsed.push({ weight: t.weight, term });
    });
    if (errors.length > 0) throw new Error(errors.join(', '));
    this.terms = parsed;
  }

  /** The sum of the weights of the terms `node` matches. */
  score(node: Node): number {
    let total = 0;
    for (const t of this.terms) if (t.term.match(node)) total += t.weight;
    return total;
  }
}

/**
 * A pod's required node constraints: its `nodeSelector` (every label equal) and its
 * required node affinity (any term), both of which must hold (`GetRequiredNodeAffinity`).
 */
export class RequiredNodeAffinity {
  private readonly labelSelector: readonly (readonly [string, string])[] | undefined;
  private readonly affinity: CompiledNodeSelector | undefined;

  /** The required constraints of `pod`. */
  constructor(pod: Pod) {
    const selector = pod.spec?.nodeSelector;
    const entries = Object.entries(selector ?? {});
    this.labelSelector = entries.length > 0 ? entries : undefined;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.affinity = required ? new CompiledNodeSelector(required) : undefined;
  }

  /** True when the pod has neither a nodeSelector nor required node affinity (every node matches). */
  get empty(): boolean {
    return this.labelSelector === undefined && this.affinity === undefined;
  }

  /** True when `node` meets the pod's nodeSelector and required node affinity (parse errors never match). */
  match(node: Node): boolean {
    if (this.labelSelector) {
      const labels = node.metadata.labels ?? {};
      for (const [k, v] of this.labelSelector) if (labels[k] !== v) return false;
    }
    return this.affinity ? this.affinity.match(node) : true;
  }
}
