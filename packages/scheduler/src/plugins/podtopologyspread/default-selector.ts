/**
 * The selector of a pod's default spread constraints (kube-scheduler's helper.DefaultSelector):
 * the selectors of the Services selecting the pod, merged, and those of its controlling
 * ReplicationController, ReplicaSet or StatefulSet.
 */
import {
  getControllerOf,
  labelSelectorFromObject,
  ReplicaSets,
  ReplicationControllers,
  Services,
  StatefulSets,
  type LabelSelector,
  type Pod,
} from '@converge/core';
import { labelRequirement, LabelSelectorMatcher, type LabelRequirement } from '@converge/core/selectors';
import type { ListerCache } from '../interpodaffinity/lister-cache.js';

function fromSet(set: Record<string, string>): LabelSelectorMatcher {
  return new LabelSelectorMatcher(Object.entries(set).map(([k, v]) => labelRequirement(k, '=', [v])));
}

/**
 * The default selector of `pod`, or undefined while the Service / workload caches have not
 * synced. The empty selector means the pod has no default constraints.
 */
export function defaultSelector(pod: Pod, listers: ListerCache): LabelSelectorMatcher | undefined {
  const services = listers.synced(Services);
  const rcs = listers.synced(ReplicationControllers);
  const rss = listers.synced(ReplicaSets);
  const sss = listers.synced(StatefulSets);
  if (!services || !rcs || !rss || !sss) return undefined;
  const ns = pod.metadata.namespace ?? '';
  const podLabels = pod.metadata.labels ?? {};
  const set: Record<string, string> = {};
  for (const svc of services.list(ns)) {
    const s = svc.spec?.selector as Record<string, string> | undefined;
    if (!s) continue;
    if (Object.entries(s).every(([k, v]) => podLabels[k] === v)) Object.assign(set, s);
  }
  let selector = fromSet(set);
  const owner = getControllerOf(pod);
  if (!owner) return selector;
  const extra = (sel: LabelSelector | undefined): void => {
    const m = labelSelectorFromObject(sel);
    if (m.matchesNothing) return;
    const reqs: LabelRequirement[] = [...selector.requirements, ...m.requirements];
    selector = new LabelSelectorMatcher(reqs);
  };
  if (owner.apiVersion === 'v1' && owner.kind === 'ReplicationController') {
    const rc = rcs.get({ namespace: ns, name: owner.name });
    if (rc) selector = fromSet({ ...set, ...((rc.spec?.selector as Record<string, string> | undefined) ?? {}) });
  } else if (owner.apiVersion === 'apps/v1' && owner.kind === 'ReplicaSet') {
    const rs = rss.get({ namespace: ns, name: owner.name });
    if (rs) extra(rs.spec?.selector as LabelSelector | undefined);
  } else if (owner.apiVersion === 'apps/v1' && owner.kind === 'StatefulSet') {
    const ss = sss.get({ namespace: ns, name: owner.name });
    if (ss) extra(ss.spec?.selector as LabelSelector | undefined);
  }
  return selector;
}
