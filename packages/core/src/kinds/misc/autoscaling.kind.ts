/**
 * autoscaling/v1 Scale (the body of every scale subresource) and autoscaling/v2
 * HorizontalPodAutoscaler.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { PrinterColumn, ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, conditionList, field, int32, int64, loose, obj, reqStr, str, time } from '../schema/fields.js';
import { ConditionSchema } from '../schema/meta.schema.js';
import { AGE_COLUMN, column } from '../printers.js';
import { invalidValue, requiredValue } from '../validation/field-errors.js';
import { nonNegative } from '../validation/pod.validation.js';

/** The schema of a Scale. */
export const ScaleSchema = objectSchema(
  'A Scale: the replica count of a scalable resource, read and written through its scale subresource.',
  {
    spec: field(obj({ replicas: int32('Desired number of replicas.') }, 'The desired scale.'), 'The desired scale.'),
    status: field(
      obj(
        {
          replicas: z.int32().meta({ description: 'Observed number of replicas.', format: 'int32' }),
          selector: str('Label selector of the pods, in string form (e.g. app=web).'),
        },
        'The observed scale.',
      ),
      'The observed scale.',
    ),
  },
);

/** A Scale. */
export type Scale = z.infer<typeof ScaleSchema> & KubeObject;

/** autoscaling/v1 Scale: the body of the `scale` subresource; never stored on its own. */
export const Scales: ResourceDefinition<Scale> = defineKind<Scale>({
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  plural: 'scales',
  namespaced: true,
  virtual: true,
  nameOptional: false,
  verbs: ['get', 'patch', 'update'],
  schema: ScaleSchema,
  description: 'A Scale: the replica count of a scalable resource, read and written through its scale subresource.',
  openAPIName: 'io.k8s.api.autoscaling.v1.Scale',
  strategy: {
    validate(s) {
      const out: StatusCause[] = [];
      nonNegative(out, 'spec.replicas', s.spec?.replicas);
      return out;
    },
  },
});

const MetricTargetSchema = obj(
  {
    type: reqStr('Utilization, Value or AverageValue.'),
    value: str('Target value (quantity).'),
    averageValue: str('Target value averaged over pods (quantity).'),
    averageUtilization: int32('Target percentage of the requested resource, averaged over pods.'),
  },
  'The target value of a metric.',
);

const MetricSpecSchema = obj(
  {
    type: reqStr('Resource, ContainerResource, Pods, Object or External.'),
    resource: field(
      obj(
        { name: reqStr('Resource name: cpu or memory.'), target: MetricTargetSchema.meta({ description: 'The target.' }) },
        'A resource metric of the pods.',
      ),
      'A resource (cpu, memory) of the scaled pods.',
    ),
    containerResource: loose('A resource of one container of the pods (accepted loosely).'),
    pods: loose('A metric averaged over the pods (accepted loosely).'),
    object: loose('A metric of another object (accepted loosely).'),
    external: loose('A metric from outside the cluster (accepted loosely).'),
  },
  'One metric the autoscaler scales on.',
);

/** The schema of a HorizontalPodAutoscaler. */
export const HorizontalPodAutoscalerSchema = objectSchema(
  "A HorizontalPodAutoscaler: scales a workload's replicas to keep metrics (such as CPU use) at a target.",
  {
    spec: field(
      obj(
        {
          scaleTargetRef: obj(
            { kind: reqStr('Kind of the target.'), name: reqStr('Name of the target.'), apiVersion: str('API version of the target.') },
            'The scalable resource the autoscaler controls.',
          ),
          minReplicas: int32('Fewest replicas; 1 when unset.'),
          maxReplicas: z.int32().meta({ description: 'Most replicas; at least minReplicas.', format: 'int32' }),
          metrics: atomicList(MetricSpecSchema, 'Metrics to scale on; 80% average CPU utilization when unset.'),
          behavior: loose('Scale-up and scale-down policies and stabilization windows (accepted loosely).'),
        },
        'The desired state of a HorizontalPodAutoscaler.',
      ),
      'The desired behaviour of the autoscaler.',
    ),
    status: field(
      obj(
        {
          observedGeneration: int64('The generation the autoscaler last acted on.'),
          lastScaleTime: time('When the autoscaler last changed the replica count.'),
          currentReplicas: int32('Current replicas of the target.'),
          desiredReplicas: z.int32().meta({ description: 'Replicas the autoscaler last computed.', format: 'int32' }),
          currentMetrics: atomicList(loose('A metric value (accepted loosely).').unwrap(), 'Last observed values of the metrics.'),
          conditions: conditionList(ConditionSchema, 'Current conditions of the autoscaler.'),
        },
        'The observed state of a HorizontalPodAutoscaler.',
      ),
      'The observed state of the autoscaler.',
    ),
  },
);

/** A HorizontalPodAutoscaler. */
export type HorizontalPodAutoscaler = z.infer<typeof HorizontalPodAutoscalerSchema> & KubeObject;

function targetsCell(h: HorizontalPodAutoscaler): string {
  const metrics = h.spec?.metrics ?? [];
  if (metrics.length === 0) return '<none>';
  const current = (h.status?.currentMetrics ?? []) as {
    type?: string;
    resource?: { name?: string; current?: { averageUtilization?: number; averageValue?: string } };
  }[];
  return metrics
    .map((m) => {
      if (m.type === 'Resource' && m.resource) {
        const cur = current.find((c) => c.type === 'Resource' && c.resource?.name === m.resource!.name)?.resource?.current;
        const t = m.resource.target;
        if (t.averageUtilization !== undefined)
          return `${m.resource.name}: ${cur?.averageUtilization !== undefined ? `${cur.averageUtilization}%` : '<unknown>'}/${t.averageUtilization}%`;
        return `${m.resource.name}: ${cur?.averageValue ?? '<unknown>'}/${t.averageValue ?? t.value ?? ''}`;
      }
      return `<unknown>/<${m.type}>`;
    })
    .join(', ');
}

/** autoscaling/v2 horizontalpodautoscalers. */
export const HorizontalPodAutoscalers: ResourceDefinition<HorizontalPodAutoscaler> = defineKind<HorizontalPodAutoscaler>({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: { status: true },
  schema: HorizontalPodAutoscalerSchema,
  description: "A HorizontalPodAutoscaler: scales a workload's replicas to keep metrics (such as CPU use) at a target.",
  openAPIName: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler',
  strategy: {
    default(h) {
      if (!h.spec) return;
      h.spec.minReplicas ??= 1;
      if (!h.spec.metrics || h.spec.metrics.length === 0)
        h.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    },
    validate(h) {
      const out: StatusCause[] = [];
      const s = h.spec;
      if (!s) return [requiredValue('spec')];
      out.push(...validateScaleBounds(s));
      (s.metrics ?? []).forEach((m, i) => {
        const known = ['Resource', 'ContainerResource', 'Pods', 'Object', 'External'];
        if (!known.includes(m.type)) out.push(invalidValue(`spec.metrics[${i}].type`, m.type, `must be either ${known.join(', ')}`));
        const au = m.resource?.target.averageUtilization;
        if (au !== undefined && au < 1)
          out.push(invalidValue(`spec.metrics[${i}].resource.target.averageUtilization`, au, 'must be greater than 0'));
      });
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: hpaPrinterColumns('Current and target values of the metrics.', (o) => targetsCell(o as HorizontalPodAutoscaler)),
});

/** The fields both HorizontalPodAutoscaler versions share, as far as their checks and columns read them. */
interface ScaleBounds {
  spec?: { minReplicas?: number | undefined; maxReplicas: number; scaleTargetRef: { kind: string; name: string } } | undefined;
  status?: { currentReplicas?: number | undefined } | undefined;
}

/** Checks an autoscaler's replica bounds and target reference (the same in autoscaling/v1 and v2). */
export function validateScaleBounds(s: NonNullable<ScaleBounds['spec']>): StatusCause[] {
  const out: StatusCause[] = [];
  if (s.minReplicas !== undefined && s.minReplicas < 1)
    out.push(invalidValue('spec.minReplicas', s.minReplicas, 'must be greater than or equal to 1'));
  if (s.maxReplicas < 1) out.push(invalidValue('spec.maxReplicas', s.maxReplicas, 'must be greater than 0'));
  else if (s.minReplicas !== undefined && s.maxReplicas < s.minReplicas)
    out.push(invalidValue('spec.maxReplicas', s.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  if (!s.scaleTargetRef.kind) out.push(requiredValue('spec.scaleTargetRef.kind'));
  if (!s.scaleTargetRef.name) out.push(requiredValue('spec.scaleTargetRef.name'));
  return out;
}

/** The columns `kubectl get hpa` prints (the same in autoscaling/v1 and v2, but for how Targets reads). */
export function hpaPrinterColumns(targetsDescription: string, targets: (o: KubeObject) => string): PrinterColumn[] {
  const hpa = (o: KubeObject) => o as unknown as ScaleBounds;
  return [
    column(
      'Reference',
      'string',
      'The scaled resource, kind/name.',
      (o) => `${hpa(o).spec?.scaleTargetRef.kind ?? ''}/${hpa(o).spec?.scaleTargetRef.name ?? ''}`,
    ),
    column('Targets', 'string', targetsDescription, targets),
    column('MinPods', 'string', 'Fewest replicas.', (o) => String(hpa(o).spec?.minReplicas ?? '<unset>')),
    column('MaxPods', 'integer', 'Most replicas.', (o) => hpa(o).spec?.maxReplicas ?? 0),
    column('Replicas', 'integer', 'Current replicas.', (o) => hpa(o).status?.currentReplicas ?? 0),
    AGE_COLUMN,
  ];
}
