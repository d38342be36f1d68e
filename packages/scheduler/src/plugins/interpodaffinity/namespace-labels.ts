/**
 * Namespace labels for namespace selectors of affinity terms, read from a Namespace
 * informer's cache. A lookup made before that cache synced is remembered (`missing`), so the
 * caller can fail the attempt with an error rather than decide on unknown labels.
 */
import { Namespaces, type Labels } from '@converge/core';
import type { LabelSelectorMatcher } from '@converge/core/selectors';
import type { NamespaceLabelsFn } from './affinity-term.js';
import type { ListerCache } from './lister-cache.js';

/** Namespace label lookups for one scheduling attempt. */
export class NamespaceLabelsLookup {
  /** True when a lookup was needed while the Namespace cache was not synced. */
  missing = false;

  /** Makes a lookup over the listers' Namespace cache. */
  constructor(private readonly listers: ListerCache) {}

  /** A function giving the labels of namespace `name`, looked up at most once and only when called. */
  labelsOf(name: string): NamespaceLabelsFn {
    let looked = false;
    let labels: Labels;
    return () => {
      if (!looked) {
        looked = true;
        const cache = this.listers.synced(Namespaces);
        if (!cache) this.missing = true;
        labels = cache?.get({ name })?.metadata.labels;
      }
      return labels;
    };
  }

  /** The names of the namespaces whose labels `selector` matches. */
  namesMatching(selector: LabelSelectorMatcher): string[] {
    const cache = this.listers.synced(Namespaces);
    if (!cache) {
      this.missing = true;
      return [];
    }
    const out: string[] = [];
    for (const ns of cache.list()) if (selector.matches(ns.metadata.labels)) out.push(ns.metadata.name ?? '');
    return out;
  }
}
