/**
 * apps/v1 ReplicaSet: keeps a number of pods matching a selector running.
 */
import { z } from 'zod';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema, WORKLOAD_SCALE } from '../definition.js';
import { field, int32, int64, obj } from '../schema/fields.js';
import { LabelSelectorSchema } from '../schema/meta.schema.js';
import { PodTemplateSpecSchema } from '../schema/pod.schema.js';
import { workloadConditions } from '../schema/workload.schema.js';
import { AGE_COLUMN, column, pick, selectorString, templateColumns } from '../printers.js';
import { defaultPodTemplate } from '../core/pod.defaults.js';
import { validateWorkload } from '../validation/workload.validation.js';

/** The schema of a ReplicaSet. */
export const ReplicaSetSchema = objectSchema(
  'A ReplicaSet: keeps a number of pods matching a selector running; usually managed by a Deployment.',
  {
    spec: field(
      obj(
        {
          replicas: int32('Desired number of pods; 1 when unset.'),
          minReadySeconds: int32('Seconds a new pod must be ready to count as available.'),
          selector: LabelSelectorSchema.meta({
            description: "Selects the pods the ReplicaSet manages; must match the template's labels and cannot change.",
          }),
          template: field(PodTemplateSpecSchema, 'The pods to create when there are too few.'),
        },
        'The desired state of a ReplicaSet.',
      ),
      'The desired state of the ReplicaSet.',
    ),
    status: field(
      obj(
        {
          replicas: z.int32().meta({ description: 'Number of pods observed.', format: 'int32' }),
          fullyLabeledReplicas: int32("Pods whose labels match the template's."),
          readyReplicas: int32('Ready pods.'),
          availableReplicas: int32('Pods ready for at least minReadySeconds.'),
          terminatingReplicas: int32('Pods being terminated.'),
          observedGeneration: int64('The generation the controller last acted on.'),
          conditions: workloadConditions('ReplicaSet'),
        },
        'The observed state of a ReplicaSet.',
      ),
      'The observed state of the ReplicaSet.',
    ),
  },
);

/** A ReplicaSet. */
export type ReplicaSet = z.infer<typeof ReplicaSetSchema> & KubeObject;

/** apps/v1 replicasets. */
export const ReplicaSets: ResourceDefinition<ReplicaSet> = defineKind<ReplicaSet>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: { status: true, scale: WORKLOAD_SCALE },
  schema: ReplicaSetSchema,
  description: 'A ReplicaSet: keeps a number of pods matching a selector running; usually managed by a Deployment.',
  openAPIName: 'io.k8s.api.apps.v1.ReplicaSet',
  strategy: {
    tracksGeneration: true,
    default(rs) {
      rs.spec ??= { selector: {} };
      rs.spec.replicas ??= 1;
      defaultPodTemplate(rs.spec.template);
    },
    validate: (rs) => validateWorkload(rs.spec, { kind: 'ReplicaSet' }),
    immutableFields: ['spec.selector'],
    statusFields: ['status'],
    selectableFields: { 'status.replicas': (rs) => String(rs.status?.replicas ?? 0) },
  },
  printerColumns: [
    column('Desired', 'integer', 'Desired pods.', (o) => pick(o, 'spec', 'replicas') ?? 0),
    column('Current', 'integer', 'Pods observed.', (o) => pick(o, 'status', 'replicas') ?? 0),
    column('Ready', 'integer', 'Ready pods.', (o) => pick(o, 'status', 'readyReplicas') ?? 0),
    AGE_COLUMN,
    ...templateColumns(),
    column('Selector', 'string', 'The label selector.', (o) => selectorString(pick(o, 'spec', 'selector') as never), 1),
  ],
});
