/**
 * autoscaling/v1 HorizontalPodAutoscaler: the CPU-only view of the autoscalers stored as
 * autoscaling/v2 (see `hpa.conversion.ts` for what v1 keeps in annotations).
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { field, int32, int64, obj, reqStr, str, time } from '../schema/fields.js';
import { invalidValue, requiredValue } from '../validation/field-errors.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa.conversion.js';
import { hpaPrinterColumns, validateScaleBounds } from './autoscaling.kind.js';

/** The schema of an autoscaling/v1 HorizontalPodAutoscaler. */
export const HorizontalPodAutoscalerV1Schema = objectSchema(
  "A HorizontalPodAutoscaler (autoscaling/v1): scales a workload's replicas to keep its average CPU utilization at a target.",
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
          targetCPUUtilizationPercentage: int32('Target average CPU utilization, in percent of the requested CPU; 80 when unset.'),
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
          currentReplicas: z.int32().meta({ description: 'Current replicas of the target.', format: 'int32' }),
          desiredReplicas: z.int32().meta({ description: 'Replicas the autoscaler last computed.', format: 'int32' }),
          currentCPUUtilizationPercentage: int32('Current average CPU utilization, in percent of the requested CPU.'),
        },
        'The observed state of a HorizontalPodAutoscaler.',
      ),
      'The observed state of the autoscaler.',
    ),
  },
);

/** An autoscaling/v1 HorizontalPodAutoscaler. */
export type HorizontalPodAutoscalerV1 = z.infer<typeof HorizontalPodAutoscalerV1Schema> & KubeObject;

function targetsCell(h: HorizontalPodAutoscalerV1): string {
  const target = h.spec?.targetCPUUtilizationPercentage;
  const current = h.status?.currentCPUUtilizationPercentage;
  return `cpu: ${current !== undefined ? `${current}%` : '<unknown>'}/${target !== undefined ? `${target}%` : '<auto>'}`;
}

/** autoscaling/v1 horizontalpodautoscalers: the same stored objects as autoscaling/v2. */
export const HorizontalPodAutoscalersV1: ResourceDefinition<HorizontalPodAutoscalerV1> = defineKind<HorizontalPodAutoscalerV1>({
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: { status: true },
  schema: HorizontalPodAutoscalerV1Schema,
  description: "A HorizontalPodAutoscaler (autoscaling/v1): scales a workload's replicas to keep its average CPU utilization at a target.",
  openAPIName: 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler',
  strategy: {
    default(h) {
      if (h.spec) h.spec.minReplicas ??= 1;
    },
    validate(h) {
      const out: StatusCause[] = [];
      const s = h.spec;
      if (!s) return [requiredValue('spec')];
      out.push(...validateScaleBounds(s));
      const t = s.targetCPUUtilizationPercentage;
      if (t !== undefined && t < 1) out.push(invalidValue('spec.targetCPUUtilizationPercentage', t, 'must be greater than 0'));
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: hpaPrinterColumns('Current and target CPU utilization.', (o) => targetsCell(o as HorizontalPodAutoscalerV1)),
  // Stored once, as autoscaling/v2 (Kubernetes' storage version in 1.32).
  storage: {
    group: 'autoscaling',
    version: 'v2',
    resource: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    toStorage: hpaV1ToV2,
    fromStorage: hpaV2ToV1,
  },
});
