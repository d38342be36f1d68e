/**
 * Pod (anti-)affinity terms compiled once per pod (kube-scheduler's framework.AffinityTerm):
 * the namespaces and the label selector a term is about, its topology key, and the
 * namespace selector. Terms of a pod are kept per Pod object (pods are immutable), so
 * existing pods' terms are parsed once, not once per scheduling cycle.
 */
import { labelSelectorFromObject, type LabelSelector, type Labels, type Pod } from '@converge/core';
import { labelRequirement, LabelSelectorMatcher, type LabelRequirement } from '@converge/core/selectors';

/** A `v1.PodAffinityTerm` as the API carries it. */
export type PodAffinityTermSpec = NonNullable<
  NonNullable<NonNullable<NonNullable<Pod['spec']>['affinity']>['podAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']
>[number];

/** A term compiled: which pods (namespace and labels) it is about and in which topology domain. */
export interface AffinityTerm {
  /** The namespaces listed (or the owner's own when neither namespaces nor a namespace selector is set). */
  readonly namespaces: ReadonlySet<string>;
  /** The pods' labels; matchLabelKeys / mismatchLabelKeys already merged in. */
  readonly selector: LabelSelectorMatcher;
  /** The node label defining the domain. */
  readonly topologyKey: string;
  /** Namespaces by label; `nothing` when unset, `everything` when `{}`. */
  readonly namespaceSelector: LabelSelectorMatcher;
  /** A string equal for two terms exactly when they select the same pods in the same domains. */
  readonly signature: string;
}

/** A preferred term with its weight. */
export interface WeightedAffinityTerm extends AffinityTerm {
  /** 1..100. */
  readonly weight: number;
}

/** Every term of one pod, compiled. */
export interface PodAffinityTerms {
  /** Required affinity terms. */
  readonly requiredAffinity: readonly AffinityTerm[];
  /** Required anti-affinity terms. */
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  /** Preferred affinity terms. */
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  /** Preferred anti-affinity terms. */
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** Why a term could not be compiled (the pod's terms are then empty). */
  readonly parseError?: string;
}

const NO_TERMS: PodAffinityTerms = { requiredAffinity: [], requiredAntiAffinity: [], preferredAffinity: [], preferredAntiAffinity: [] };

const cache = new WeakMap<Pod, PodAffinityTerms>();

/**
 * The compiled terms of a pod, cached per Pod object. A malformed selector yields no terms
 * and a `parseError`.
 */
export function affinityTermsOf(pod: Pod): PodAffinityTerms {
  const cached = cache.get(pod);
  if (cached) return cached;
  const terms = compileTerms(pod);
  cache.set(pod, terms);
  return terms;
}

function compileTerms(pod: Pod): PodAffinityTerms {
  const a = pod.spec?.affinity;
  if (!a || (!a.podAffinity && !a.podAntiAffinity)) return NO_TERMS;
  try {
    return {
      requiredAffinity: (a.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(pod, t)),
      requiredAntiAffinity: (a.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(pod, t)),
      preferredAffinity: (a.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({
        ...compileTerm(pod, w.podAffinityTerm),
        weight: w.weight,
      })),
      preferredAntiAffinity: (a.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({
        ...compileTerm(pod, w.podAffinityTerm),
        weight: w.weight,
      })),
    };
  } catch (err) {
    return { ...NO_TERMS, parseError: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Compiles one term of `owner`: namespaces default to the owner's when neither `namespaces`
 * nor `namespaceSelector` is set; `matchLabelKeys` adds `key in (owner's value)` and
 * `mismatchLabelKeys` adds `key notin (owner's value)` for each key the owner has, as the
 * API server merges them into the selector (only when a labelSelector is set).
 */
export function compileTerm(owner: Pod, term: PodAffinityTermSpec): AffinityTerm {
  const namespaces = new Set<string>();
  if ((term.namespaces === undefined || term.namespaces.length === 0) && term.namespaceSelector == null) {
    namespaces.add(owner.metadata.namespace ?? '');
  } else {
    for (const n of term.namespaces ?? []) namespaces.add(n);
  }
  const selector = selectorWithLabelKeys(term.labelSelector, owner.metadata.labels, term.matchLabelKeys, term.mismatchLabelKeys);
  const namespaceSelector = labelSelectorFromObject(term.namespaceSelector as LabelSelector | null | undefined);
  return {
    namespaces,
    selector,
    topologyKey: term.topologyKey,
    namespaceSelector,
    signature: termSignature(namespaces, selector, namespaceSelector, term.topologyKey),
  };
}

function selectorSignature(s: LabelSelectorMatcher): string {
  return s.matchesNothing ? '<nothing>' : s.toString();
}

function termSignature(
  namespaces: ReadonlySet<string>,
  selector: LabelSelectorMatcher,
  nsSelector: LabelSelectorMatcher,
  topologyKey: string,
): string {
  return `${[...namespaces].sort().join(',')}|${selectorSignature(selector)}|${selectorSignature(nsSelector)}|${topologyKey}`;
}

function selectorWithLabelKeys(
  selector: LabelSelector | null | undefined,
  ownerLabels: Labels,
  matchKeys: readonly string[] | undefined,
  mismatchKeys: readonly string[] | undefined,
): LabelSelectorMatcher {
  const base = labelSelectorFromObject(selector);
  if (selector == null || ((matchKeys?.length ?? 0) === 0 && (mismatchKeys?.length ?? 0) === 0)) return base;
  const extra: LabelRequirement[] = [];
  for (const k of matchKeys ?? []) {
    const v = ownerLabels?.[k];
    if (v !== undefined) extra.push(labelRequirement(k, 'in', [v]));
  }
  for (const k of mismatchKeys ?? []) {
    const v = ownerLabels?.[k];
    if (v !== undefined) extra.push(labelRequirement(k, 'notin', [v]));
  }
  return extra.length === 0 ? base : new LabelSelectorMatcher([...base.requirements, ...extra]);
}

/** Gives the labels of the namespace of the pod being matched (looked up only when a namespace selector needs them). */
export type NamespaceLabelsFn = () => Labels;

/** A NamespaceLabelsFn for when no namespace labels are known (incoming terms, whose selectors are merged). */
export const NO_NAMESPACE_LABELS: NamespaceLabelsFn = () => undefined;

/**
 * Whether `pod` is one of the pods `term` is about: in a listed namespace (or in one whose
 * labels, from `nsLabels`, the namespace selector matches) and with matching labels.
 */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: NamespaceLabelsFn): boolean {
  return termMatchesMeta(term, pod.metadata.namespace ?? '', pod.metadata.labels, nsLabels);
}

/** `termMatches` for a pod given by its namespace and labels (hoisted out of loops over terms). */
export function termMatchesMeta(term: AffinityTerm, namespace: string, labels: Labels, nsLabels: NamespaceLabelsFn): boolean {
  const sel = term.namespaceSelector;
  if (term.namespaces.has(namespace) || sel.empty || (!sel.matchesNothing && sel.matches(nsLabels() ?? {}))) {
    return term.selector.matches(labels);
  }
  return false;
}

/** True when the pod matches every term (false for no terms). */
export function matchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, nsLabels: NamespaceLabelsFn): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, nsLabels)) return false;
  return true;
}

/**
 * The incoming pod's term with its namespace selector unrolled into namespace names (as
 * kube-scheduler merges it, so matching existing pods needs no namespace lookup): a
 * non-empty selector adds every namespace it selects and then selects nothing; the empty
 * selector (`{}`, all namespaces) and an unset one are kept.
 */
export function withNamespacesMerged<T extends AffinityTerm>(term: T, namespacesMatching: (sel: LabelSelectorMatcher) => string[]): T {
  const sel = term.namespaceSelector;
  if (sel.matchesNothing || sel.empty) return term;
  const namespaces = new Set(term.namespaces);
  for (const n of namespacesMatching(sel)) namespaces.add(n);
  const nothing = LabelSelectorMatcher.nothing;
  return {
    ...term,
    namespaces,
    namespaceSelector: nothing,
    signature: termSignature(namespaces, term.selector, nothing, term.topologyKey),
  };
}

/** True when any of the terms has a namespace selector that needs namespace labels. */
export function needsNamespaceLabels(terms: readonly AffinityTerm[]): boolean {
  for (const t of terms) if (!t.namespaceSelector.matchesNothing && !t.namespaceSelector.empty) return true;
  return false;
}
