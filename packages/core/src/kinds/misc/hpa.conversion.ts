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

/** The v2 metric "keep average CPU utilization at `percent`%". */
function cpuUtilizationTarget(percent: number): Json {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } };
}

function isCpuUtilizationTarget(m: Json): boolean {
  const r = rec(m.resource);
  const t = rec(r?.target);
  return m.type === 'Resource' && r?.name === 'cpu' && t?.type === 'Utilization' && typeof t.averageUtilization === 'number';
}

// ---- metrics: v2 <-> v1 (alpha) ----

/**
 * Where a metric's value stands: in a spec (v2 `target`, v1 `target*` fields) or in a status
 * (v2 `current`, v1 `current*` fields). A v1 object metric names its average `averageValue`
 * in both.
 */
interface ValueKeys {
  /** The v2 field holding the MetricTarget or MetricValueStatus. */
  readonly field: 'target' | 'current';
  /** The v1 field of a value. */
  readonly value: string;
  /** The v1 field of an average value (resource, pods and external metrics). */
  readonly average: string;
  /** The v1 field of an average utilization (resource metrics). */
  readonly utilization: string;
}

const SPEC_KEYS: ValueKeys = {
  field: 'target',
  value: 'targetValue',
  average: 'targetAverageValue',
  utilization: 'targetAverageUtilization',
};
const STATUS_KEYS: ValueKeys = {
  field: 'current',
  value: 'currentValue',
  average: 'currentAverageValue',
  utilization: 'currentAverageUtilization',
};

/** Turns the v1 fields of a value into its v2 MetricTarget or MetricValueStatus. */
type ValueFromV1 = (s: Json, valueKey: string, averageKey: string, utilizationKey?: string) => Json;

function valueToV1(v: Json | undefined, valueKey: string, averageKey: string, utilizationKey?: string): Json {
  const out: Json = {};
  if (!v) return out;
  if (v.value !== undefined) out[valueKey] = v.value;
  if (v.averageValue !== undefined) out[averageKey] = v.averageValue;
  if (utilizationKey && v.averageUtilization !== undefined) out[utilizationKey] = v.averageUtilization;
  return out;
}

/** A v2 MetricSpec or MetricStatus (as `k` says) as its v1 (alpha) form. */
function metricToV1(m: Json, k: ValueKeys): Json {
  const out: Json = { type: m.type };
  const r = rec(m.resource);
  if (r) out.resource = defined({ name: r.name, ...valueToV1(rec(r[k.field]), k.value, k.average, k.utilization) });
  const cr = rec(m.containerResource);
  if (cr)
    out.containerResource = defined({
      name: cr.name,
      container: cr.container,
      ...valueToV1(rec(cr[k.field]), k.value, k.average, k.utilization),
    });
  const p = rec(m.pods);
  if (p) {
    const metric = rec(p.metric) ?? {};
    out.pods = defined({ metricName: metric.name, selector: metric.selector, ...valueToV1(rec(p[k.field]), k.value, k.average) });
  }
  const o = rec(m.object);
  if (o) {
    const metric = rec(o.metric) ?? {};
    out.object = defined({
      target: o.describedObject,
      metricName: metric.name,
      selector: metric.selector,
      ...valueToV1(rec(o[k.field]), k.value, 'averageValue'),
    });
  }
  const e = rec(m.external);
  if (e) {
    const metric = rec(e.metric) ?? {};
    out.external = defined({
      metricName: metric.name,
      metricSelector: metric.selector,
      ...valueToV1(rec(e[k.field]), k.value, k.average),
    });
  }
  return out;
}

function targetFromV1(s: Json, valueKey: string, averageKey: string, utilizationKey?: string): Json {
  if (utilizationKey && s[utilizationKey] !== undefined) return { type: 'Utilization', averageUtilization: s[utilizationKey] };
  if (s[averageKey] !== undefined) return { type: 'AverageValue', averageValue: s[averageKey] };
  return defined({ type: 'Value', value: s[valueKey] });
}

function currentFromV1(s: Json, valueKey: string, averageKey: string, utilizationKey?: string): Json {
  return defined({ value: s[valueKey], averageValue: s[averageKey], averageUtilization: utilizationKey ? s[utilizationKey] : undefined });
}

function metricIdentifier(name: unknown, selector: unknown): Json {
  return defined({ name, selector });
}

/** A v1 (alpha) MetricSpec or MetricStatus (as `k` says) as its v2 form; `valueOf` converts its value. */
function metricFromV1(m: Json, k: ValueKeys, valueOf: ValueFromV1): Json {
  const out: Json = { type: m.type };
  const r = rec(m.resource);
  if (r) out.resource = { name: r.name, [k.field]: valueOf(r, k.value, k.average, k.utilization) };
  const cr = rec(m.containerResource);
  if (cr)
    out.containerResource = defined({
      name: cr.name,
      container: cr.container,
      [k.field]: valueOf(cr, k.value, k.average, k.utilization),
    });
  const p = rec(m.pods);
  if (p) out.pods = { metric: metricIdentifier(p.metricName, p.selector), [k.field]: valueOf(p, k.value, k.average) };
  const o = rec(m.object);
  if (o)
    out.object = defined({
      describedObject: o.target,
      metric: metricIdentifier(o.metricName, o.selector),
      [k.field]: valueOf(o, k.value, 'averageValue'),
    });
  const e = rec(m.external);
  if (e) out.external = { metric: metricIdentifier(e.metricName, e.metricSelector), [k.field]: valueOf(e, k.value, k.average) };
  return out;
}

const metricSpecToV1 = (m: Json): Json => metricToV1(m, SPEC_KEYS);
const metricStatusToV1 = (m: Json): Json => metricToV1(m, STATUS_KEYS);
const metricSpecFromV1 = (m: Json): Json => metricFromV1(m, SPEC_KEYS, targetFromV1);
const metricStatusFromV1 = (m: Json): Json => metricFromV1(m, STATUS_KEYS, currentFromV1);

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
    if (typeof spec.targetCPUUtilizationPercentage === 'number') metrics.push(cpuUtilizationTarget(spec.targetCPUUtilizationPercentage));
    for (const m of parseList(a[HPA_METRICS_ANNOTATION]) ?? []) metrics.push(metricSpecFromV1(m));
    if (metrics.length === 0) metrics.push(cpuUtilizationTarget(DEFAULT_CPU_UTILIZATION));
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
