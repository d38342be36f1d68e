/**
 * Conversion between autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers. v2 is the
 * storage form (as in Kubernetes 1.32); v1 is a view of the same objects.
 *
 * v1 can only say "keep average CPU utilization at N%" (`spec.targetCPUUtilizationPercentage`,
 * `status.currentCPUUtilizationPercentage`). As Kubernetes does, everything else v2 holds is
 * kept in annotations of the v1 view, so a v1 client that reads, changes and writes back an
 * autoscaler loses nothing:
 *
 * - `autoscaling.alpha.kubernetes.io/metrics`: the metrics other than a CPU utilization target,
 *   as a JSON list of v1 (alpha) MetricSpecs (`targetAverageUtilization`, `metricName`, ...);
 * - `autoscaling.alpha.kubernetes.io/current-metrics`: `status.currentMetrics`, as v1 (alpha)
 *   MetricStatuses;
 * - `autoscaling.alpha.kubernetes.io/conditions`: `status.conditions`;
 * - `autoscaling.alpha.kubernetes.io/behavior`: `spec.behavior`, as JSON.
 *
 * Writing through v1 turns those annotations back into fields (and removes them). A v1
 * autoscaler without a CPU target or other metrics is stored with the default metric, 80%
 * average CPU utilization, as Kubernetes' conversion does.
 */
import type { KubeObject } from '../../api/meta.js';

/** The annotation holding the metrics v1 cannot express. */
export const HPA_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
/** The annotation holding the current metric values. */
export const HPA_CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
/** The annotation holding the conditions. */
export const HPA_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
/** The annotation holding the scaling behavior. */
export const HPA_BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';

const ROUND_TRIP = [HPA_METRICS_ANNOTATION, HPA_CURRENT_METRICS_ANNOTATION, HPA_CONDITIONS_ANNOTATION, HPA_BEHAVIOR_ANNOTATION];

/** The CPU utilization an autoscaler without metrics keeps. */
export const DEFAULT_CPU_UTILIZATION = 80;

type Json = Record<string, unknown>;

function rec(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** Copies the keys of `from` whose values are defined. */
function defined(from: Json): Json {
  const out: Json = {};
  for (const k in from) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

function isCpuUtilizationTarget(m: Json): boolean {
  const r = rec(m.resource);
  const t = rec(r?.target);
  return m.type === 'Resource' && r?.name === 'cpu' && t?.type === 'Utilization' && typeof t.averageUtilization === 'number';
}

// ---- metric specs: v2 <-> v1 (alpha) ----

function targetToV1(t: Json | undefined, valueKey: string, averageKey: string, utilizationKey?: string): Json {
  const out: Json = {};
  if (!t) return out;
  if (t.value !== undefined) out[valueKey] = t.value;
  if (t.averageValue !== undefined) out[averageKey] = t.averageValue;
  if (utilizationKey && t.averageUtilization !== undefined) out[utilizationKey] = t.averageUtilization;
  return out;
}

function metricSpecToV1(m: Json): Json {
  const out: Json = { type: m.type };
  const r = rec(m.resource);
  if (r)
    out.resource = defined({ name: r.name, ...targetToV1(rec(r.target), 'targetValue', 'targetAverageValue', 'targetAverageUtilization') });
  const cr = rec(m.containerResource);
  if (cr)
    out.containerResource = defined({
      name: cr.name,
      container: cr.container,
      ...targetToV1(rec(cr.target), 'targetValue', 'targetAverageValue', 'targetAverageUtilization'),
    });
  const p = rec(m.pods);
  if (p) {
    const metric = rec(p.metric) ?? {};
    out.pods = defined({
      metricName: metric.name,
      selector: metric.selector,
      ...targetToV1(rec(p.target), 'targetValue', 'targetAverageValue'),
    });
  }
  const o = rec(m.object);
  if (o) {
    const metric = rec(o.metric) ?? {};
    out.object = defined({
      target: o.describedObject,
      metricName: metric.name,
      selector: metric.selector,
      ...targetToV1(rec(o.target), 'targetValue', 'averageValue'),
    });
  }
  const e = rec(m.external);
  if (e) {
    const metric = rec(e.metric) ?? {};
    out.external = defined({
      metricName: metric.name,
      metricSelector: metric.selector,
      ...targetToV1(rec(e.target), 'targetValue', 'targetAverageValue'),
    });
  }
  return out;
}

function targetFromV1(s: Json, valueKey: string, averageKey: string, utilizationKey?: string): Json {
  if (utilizationKey && s[utilizationKey] !== undefined) return { type: 'Utilization', averageUtilization: s[utilizationKey] };
  if (s[averageKey] !== undefined) return { type: 'AverageValue', averageValue: s[averageKey] };
  return defined({ type: 'Value', value: s[valueKey] });
}

function metricIdentifier(name: unknown, selector: unknown): Json {
  return defined({ name, selector });
}

function metricSpecFromV1(m: Json): Json {
  const out: Json = { type: m.type };
  const r = rec(m.resource);
  if (r) out.resource = { name: r.name, target: targetFromV1(r, 'targetValue', 'targetAverageValue', 'targetAverageUtilization') };
  const cr = rec(m.containerResource);
  if (cr)
    out.containerResource = defined({
      name: cr.name,
      container: cr.container,
      target: targetFromV1(cr, 'targetValue', 'targetAverageValue', 'targetAverageUtilization'),
    });
  const p = rec(m.pods);
  if (p) out.pods = { metric: metricIdentifier(p.metricName, p.selector), target: targetFromV1(p, 'targetValue', 'targetAverageValue') };
  const o = rec(m.object);
  if (o)
    out.object = defined({
      describedObject: o.target,
      metric: metricIdentifier(o.metricName, o.selector),
      target: targetFromV1(o, 'targetValue', 'averageValue'),
    });
  const e = rec(m.external);
  if (e)
    out.external = {
      metric: metricIdentifier(e.metricName, e.metricSelector),
      target: targetFromV1(e, 'targetValue', 'targetAverageValue'),
    };
  return out;
}

// ---- metric statuses: v2 <-> v1 (alpha) ----

function currentToV1(c: Json | undefined, valueKey: string, averageKey: string, utilizationKey?: string): Json {
  const out: Json = {};
  if (!c) return out;
  if (c.value !== undefined) out[valueKey] = c.value;
  if (c.averageValue !== undefined) out[averageKey] = c.averageValue;
  if (utilizationKey && c.averageUtilization !== undefined) out[utilizationKey] = c.averageUtilization;
  return out;
}

function metricStatusToV1(m: Json): Json {
  const out: Json = { type: m.type };
  const r = rec(m.resource);
  if (r)
    out.resource = defined({
      name: r.name,
      ...currentToV1(rec(r.current), 'currentValue', 'currentAverageValue', 'currentAverageUtilization'),
    });
  const cr = rec(m.containerResource);
  if (cr)
    out.containerResource = defined({
      name: cr.name,
      container: cr.container,
      ...currentToV1(rec(cr.current), 'currentValue', 'currentAverageValue', 'currentAverageUtilization'),
    });
  const p = rec(m.pods);
  if (p) {
    const metric = rec(p.metric) ?? {};
    out.pods = defined({
      metricName: metric.name,
      selector: metric.selector,
      ...currentToV1(rec(p.current), 'currentValue', 'currentAverageValue'),
    });
  }
  const o = rec(m.object);
  if (o) {
    const metric = rec(o.metric) ?? {};
    out.object = defined({
      target: o.describedObject,
      metricName: metric.name,
      selector: metric.selector,
      ...currentToV1(rec(o.current), 'currentValue', 'averageValue'),
    });
  }
  const e = rec(m.external);
  if (e) {
    const metric = rec(e.metric) ?? {};
    out.external = defined({
      metricName: metric.name,
      metricSelector: metric.selector,
      ...currentToV1(rec(e.current), 'currentValue', 'currentAverageValue'),
    });
  }
  return out;
}

function currentFromV1(s: Json, valueKey: string, averageKey: string, utilizationKey?: string): Json {
  return defined({ value: s[valueKey], averageValue: s[averageKey], averageUtilization: utilizationKey ? s[utilizationKey] : undefined });
}

function metricStatusFromV1(m: Json): Json {
  const out: Json = { type: m.type };
  const r = rec(m.resource);
  if (r) out.resource = { name: r.name, current: currentFromV1(r, 'currentValue', 'currentAverageValue', 'currentAverageUtilization') };
  const cr = rec(m.containerResource);
  if (cr)
    out.containerResource = defined({
      name: cr.name,
      container: cr.container,
      current: currentFromV1(cr, 'currentValue', 'currentAverageValue', 'currentAverageUtilization'),
    });
  const p = rec(m.pods);
  if (p)
    out.pods = { metric: metricIdentifier(p.metricName, p.selector), current: currentFromV1(p, 'currentValue', 'currentAverageValue') };
  const o = rec(m.object);
  if (o)
    out.object = defined({
      describedObject: o.target,
      metric: metricIdentifier(o.metricName, o.selector),
      current: currentFromV1(o, 'currentValue', 'averageValue'),
    });
  const e = rec(m.external);
  if (e)
    out.external = {
      metric: metricIdentifier(e.metricName, e.metricSelector),
      current: currentFromV1(e, 'currentValue', 'currentAverageValue'),
    };
  return out;
}

// ---- the objects ----

function parseList(text: string | undefined): Json[] | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is Json => rec(x) !== undefined) : undefined;
  } catch {
    return undefined;
  }
}

function parseObject(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    return rec(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Metadata without the round-trip annotations (the same object when there are none). */
function withoutRoundTrip(metadata: KubeObject['metadata']): KubeObject['metadata'] {
  const a = metadata.annotations;
  if (!a || !ROUND_TRIP.some((k) => k in a)) return metadata;
  const annotations: Record<string, string> = {};
  for (const k in a) if (!ROUND_TRIP.includes(k)) annotations[k] = a[k]!;
  const out = { ...metadata };
  if (Object.keys(annotations).length > 0) out.annotations = annotations;
  else delete out.annotations;
  return out;
}

/** Converts a stored autoscaling/v2 HorizontalPodAutoscaler to its autoscaling/v1 view. */
export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const spec = rec(obj.spec) ?? {};
  const status = rec(obj.status);
  const metrics = Array.isArray(spec.metrics) ? (spec.metrics as Json[]) : [];
  const cpu = metrics.find(isCpuUtilizationTarget);
  const others = metrics.filter((m) => !isCpuUtilizationTarget(m));
  const metadata = withoutRoundTrip(obj.metadata);
  const extra: Record<string, string> = {};
  if (others.length > 0) extra[HPA_METRICS_ANNOTATION] = JSON.stringify(others.map(metricSpecToV1));
  const current = status && Array.isArray(status.currentMetrics) ? (status.currentMetrics as Json[]) : [];
  if (current.length > 0) extra[HPA_CURRENT_METRICS_ANNOTATION] = JSON.stringify(current.map(metricStatusToV1));
  if (status && Array.isArray(status.conditions) && status.conditions.length > 0)
    extra[HPA_CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
  if (spec.behavior !== undefined) extra[HPA_BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);

  const out: KubeObject = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: Object.keys(extra).length > 0 ? { ...metadata, annotations: { ...metadata.annotations, ...extra } } : metadata,
  };
  if (obj.spec !== undefined) {
    const v1Spec: Json = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
    if (cpu) v1Spec.targetCPUUtilizationPercentage = rec(rec(cpu.resource)!.target)!.averageUtilization;
    out.spec = defined(v1Spec);
  }
  if (status) {
    const v1Status: Json = {
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
    };
    const cpuNow = current.find((m) => m.type === 'Resource' && rec(m.resource)?.name === 'cpu');
    const utilization = rec(rec(cpuNow?.resource)?.current)?.averageUtilization;
    if (utilization !== undefined) v1Status.currentCPUUtilizationPercentage = utilization;
    out.status = defined(v1Status);
  }
  return out;
}

/** Converts an autoscaling/v1 HorizontalPodAutoscaler to the stored autoscaling/v2 form. */
export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const a = obj.metadata.annotations ?? {};
  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: withoutRoundTrip(obj.metadata) };
  if (spec) {
    const metrics: Json[] = [];
    if (typeof spec.targetCPUUtilizationPercentage === 'number') {
      metrics.push({
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } },
      });
    }
    for (const m of parseList(a[HPA_METRICS_ANNOTATION]) ?? []) metrics.push(metricSpecFromV1(m));
    if (metrics.length === 0)
      metrics.push({
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } },
      });
    const v2Spec: Json = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics };
    const behavior = parseObject(a[HPA_BEHAVIOR_ANNOTATION]);
    if (behavior) v2Spec.behavior = behavior;
    out.spec = defined(v2Spec);
  }
  const current = parseList(a[HPA_CURRENT_METRICS_ANNOTATION]);
  const conditions = parseList(a[HPA_CONDITIONS_ANNOTATION]);
  if (status || current || conditions) {
    const s = status ?? {};
    const v2Status: Json = {
      observedGeneration: s.observedGeneration,
      lastScaleTime: s.lastScaleTime,
      currentReplicas: s.currentReplicas,
      desiredReplicas: s.desiredReplicas ?? 0,
    };
    if (current) v2Status.currentMetrics = current.map(metricStatusFromV1);
    else if (typeof s.currentCPUUtilizationPercentage === 'number') {
      v2Status.currentMetrics = [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: s.currentCPUUtilizationPercentage } } },
      ];
    }
    if (conditions) v2Status.conditions = conditions;
    out.status = defined(v2Status);
  }
  return out;
}
