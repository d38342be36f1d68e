/**
 * The queueing hints of InterPodAffinity: which pod and node events can make a pod it
 * rejected schedulable.
 */
import type { Node, Pod } from '@converge/core';
import type { QueueingHint } from '../../framework/cluster-event.js';
import { affinityTermsOf, NO_NAMESPACE_LABELS, termMatches } from './affinity-term.js';

/**
 * An assigned pod was added, deleted, or had its labels changed. Worth a retry when the
 * change adds a pod the target's required affinity wants, removes (or relabels away) a pod
 * its anti-affinity avoids, or removes a pod with required anti-affinity of its own.
 */
export function podChangeHint(target: Pod, oldObj: unknown, newObj: unknown): QueueingHint {
  const before = oldObj as Pod | undefined;
  const after = newObj as Pod | undefined;
  if ((after && !after.spec?.nodeName) || (before && !before.spec?.nodeName)) return 'Skip';
  const terms = affinityTermsOf(target);
  if (after) {
    for (const t of terms.requiredAffinity) if (termMatches(t, after, NO_NAMESPACE_LABELS)) return 'Queue';
    if (before) {
      for (const t of terms.requiredAntiAffinity) {
        if (termMatches(t, before, NO_NAMESPACE_LABELS) && !termMatches(t, after, NO_NAMESPACE_LABELS)) return 'Queue';
      }
    }
    return 'Skip';
  }
  if (!before) return 'Skip';
  for (const t of terms.requiredAntiAffinity) if (termMatches(t, before, NO_NAMESPACE_LABELS)) return 'Queue';
  return affinityTermsOf(before).requiredAntiAffinity.length > 0 ? 'Queue' : 'Skip';
}

/**
 * A node was added or its labels changed. Worth a retry when the node carries the topology
 * key of one of the target's required affinity or anti-affinity terms (a new domain).
 */
export function nodeChangeHint(target: Pod, _oldObj: unknown, newObj: unknown): QueueingHint {
  const node = newObj as Node | undefined;
  const labels = node?.metadata.labels;
  if (!labels) return 'Skip';
  const terms = affinityTermsOf(target);
  for (const t of terms.requiredAffinity) if (labels[t.topologyKey] !== undefined) return 'Queue';
  for (const t of terms.requiredAntiAffinity) if (labels[t.topologyKey] !== undefined) return 'Queue';
  // Existing pods' anti-affinity: a new domain may be free of them.
  return terms.requiredAffinity.length === 0 ? 'Queue' : 'Skip';
}
