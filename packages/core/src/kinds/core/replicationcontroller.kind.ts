/**
 * core/v1 ReplicationController: the original replica manager, selecting pods by a label map.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema, WORKLOAD_SCALE } from '../definition.js';
import { field, int32, int64, obj, strMap } from '../schema/fields.js';
import { PodTemplateSpecSchema } from '../schema/pod.schema.js';
import { workloadConditions } from '../schema/workload.schema.js';
import { AGE_COLUMN, column, labelsString, templateColumns } from '../printers.js';
import { defaultPodTemplate } from './pod.defaults.js';
import { invalidValue, requiredValue } from '../validation/field-errors.js';
import { validateLabels } from '../validation/object-meta.validation.js';
import { nonNegative, validatePodTemplate } from '../validation/pod.validation.js';
import { goMap } from '../validation/workload.validation.js';
import { notSupported } from '../validation/field-errors.js';

/** The schema of a ReplicationController. */
export const ReplicationControllerSchema = objectSchema(
  'A ReplicationController: keeps a number of pods matching a label map running (superseded by ReplicaSet).',
  {
    spec: field(
      obj(
        {
          replicas: int32('Desired number of pods; 1 when unset.'),
          minReadySeconds: int32('Seconds a new pod must be ready to count as available.'),
          selector: strMap("Labels of the pods managed; the template's labels when unset.").meta({
            description: "Labels of the pods managed; the template's labels when unset.",
            'x-kubernetes-map-type': 'atomic',
          }),
          template: field(PodTemplateSpecSchema, 'The pods to create.'),
        },
        'The desired state of a ReplicationController.',
      ),
      'The desired state of the controller.',
    ),
    status: field(
      obj(
        {
          replicas: z.int32().meta({ description: 'Number of pods observed.', format: 'int32' }),
          fullyLabeledReplicas: int32("Pods whose labels match the template's."),
          readyReplicas: int32('Ready pods.'),
          availableReplicas: int32('Pods ready for at least minReadySeconds.'),
          observedGeneration: int64('The generation the controller last acted on.'),
          conditions: workloadConditions('controller'),
        },
        'The observed state of a ReplicationController.',
      ),
      'The observed state of the controller.',
    ),
  },
);

/** A ReplicationController. */
export type ReplicationController = z.infer<typeof ReplicationControllerSchema> & KubeObject;

/** core/v1 replicationcontrollers. */
export const ReplicationControllers: ResourceDefinition<ReplicationController> = defineKind<ReplicationController>({
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  subresources: { status: true, scale: WORKLOAD_SCALE },
  schema: ReplicationControllerSchema,
  description: 'A ReplicationController: keeps a number of pods matching a label map running (superseded by ReplicaSet).',
  openAPIName: 'io.k8s.api.core.v1.ReplicationController',
  strategy: {
    tracksGeneration: true,
    default(rc) {
      rc.spec ??= {};
      const s = rc.spec;
      s.replicas ??= 1;
      const labels = s.template?.metadata?.labels;
      if (labels && Object.keys(labels).length) {
        if (!s.selector || Object.keys(s.selector).length === 0) s.selector = { ...labels };
        if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
      }
      defaultPodTemplate(s.template);
    },
    validate(rc) {
      const out: StatusCause[] = [];
      const s = rc.spec ?? {};
      nonNegative(out, 'spec.replicas', s.replicas);
      nonNegative(out, 'spec.minReadySeconds', s.minReadySeconds);
      if (!s.selector || Object.keys(s.selector).length === 0) out.push(requiredValue('spec.selector'));
      else out.push(...validateLabels(s.selector, 'spec.selector'));
      if (!s.template) out.push(requiredValue('spec.template'));
      else {
        const labels = s.template.metadata?.labels ?? {};
        if (s.selector && Object.entries(s.selector).some(([k, v]) => labels[k] !== v))
          out.push(invalidValue('spec.template.metadata.labels', goMap(labels), '`selector` does not match template `labels`'));
        out.push(...validatePodTemplate(s.template, 'spec.template'));
        const rp = s.template.spec?.restartPolicy;
        if (rp !== undefined && rp !== 'Always') out.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
      }
      return out;
    },
    statusFields: ['status'],
    selectableFields: { 'status.replicas': (rc) => String(rc.status?.replicas ?? 0) },
  },
  printerColumns: [
    column('Desired', 'integer', 'Desired pods.', (o) => (o as ReplicationController).spec?.replicas ?? 0),
    column('Current', 'integer', 'Pods observed.', (o) => (o as ReplicationController).status?.replicas ?? 0),
    column('Ready', 'integer', 'Ready pods.', (o) => (o as ReplicationController).status?.readyReplicas ?? 0),
    AGE_COLUMN,
    ...templateColumns(),
    column('Selector', 'string', 'The label selector.', (o) => labelsString((o as ReplicationController).spec?.selector), 1),
  ],
});
