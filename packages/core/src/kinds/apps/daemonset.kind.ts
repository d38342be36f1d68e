/**
 * apps/v1 DaemonSet: one pod on every (selected) node.
 */
import { z } from 'zod';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { field, int32, int64, intOrString, obj, oneOf } from '../schema/fields.js';
import { LabelSelectorSchema } from '../schema/meta.schema.js';
import { PodTemplateSpecSchema } from '../schema/pod.schema.js';
import { workloadConditions } from '../schema/workload.schema.js';
import { AGE_COLUMN, column, labelsString, pick, selectorString, templateColumns } from '../printers.js';
import { defaultPodTemplate } from '../core/pod.defaults.js';
import { forbiddenField, invalidValue } from '../validation/field-errors.js';
import { nonNegative } from '../validation/pod.validation.js';
import { validateWorkload } from '../validation/workload.validation.js';
import { isZero, validateIntOrPercent } from './deployment.kind.js';

/** The schema of a DaemonSet. */
export const DaemonSetSchema = objectSchema('A DaemonSet: runs one copy of a pod on every node (or every node its template selects).', {
  spec: field(
    obj(
      {
        selector: LabelSelectorSchema.meta({
          description: "Selects the pods of the DaemonSet; must match the template's labels and cannot change.",
        }),
        template: PodTemplateSpecSchema.meta({ description: 'The pod to run on each node.' }),
        updateStrategy: field(
          obj(
            {
              type: oneOf(['RollingUpdate', 'OnDelete'], 'RollingUpdate (default) or OnDelete.'),
              rollingUpdate: field(
                obj(
                  {
                    maxUnavailable: intOrString('Most nodes whose pod may be unavailable during the update; 1 when unset.'),
                    maxSurge: intOrString('Most nodes that may run an extra, updated pod; 0 when unset.'),
                  },
                  'Rolling update parameters.',
                ),
                'Rolling update parameters.',
              ),
            },
            'How pods are replaced when the template changes.',
          ),
          'How pods are replaced when the template changes.',
        ),
        minReadySeconds: int32('Seconds a new pod must be ready to count as available.'),
        revisionHistoryLimit: int32('Old ControllerRevisions kept; 10 when unset.'),
      },
      'The desired state of a DaemonSet.',
    ),
    'The desired state of the DaemonSet.',
  ),
  status: field(
    obj(
      {
        currentNumberScheduled: z.int32().meta({ description: 'Nodes running the pod that should.', format: 'int32' }),
        numberMisscheduled: z.int32().meta({ description: 'Nodes running the pod that should not.', format: 'int32' }),
        desiredNumberScheduled: z.int32().meta({ description: 'Nodes that should run the pod.', format: 'int32' }),
        numberReady: z.int32().meta({ description: 'Nodes whose pod is ready.', format: 'int32' }),
        observedGeneration: int64('The generation the controller last acted on.'),
        updatedNumberScheduled: int32('Nodes running the updated pod.'),
        numberAvailable: int32('Nodes whose pod is available.'),
        numberUnavailable: int32('Nodes whose pod should be running and available but is not.'),
        collisionCount: int32('Hash collisions of revisions.'),
        conditions: workloadConditions('DaemonSet'),
      },
      'The observed state of a DaemonSet.',
    ),
    'The observed state of the DaemonSet.',
  ),
});

/** A DaemonSet. */
export type DaemonSet = z.infer<typeof DaemonSetSchema> & KubeObject;

/** apps/v1 daemonsets. */
export const DaemonSets: ResourceDefinition<DaemonSet> = defineKind<DaemonSet>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: { status: true },
  schema: DaemonSetSchema,
  description: 'A DaemonSet: runs one copy of a pod on every node (or every node its template selects).',
  openAPIName: 'io.k8s.api.apps.v1.DaemonSet',
  strategy: {
    tracksGeneration: true,
    default(ds) {
      ds.spec ??= { selector: {}, template: {} };
      const s = ds.spec;
      s.updateStrategy ??= {};
      s.updateStrategy.type ??= 'RollingUpdate';
      if (s.updateStrategy.type === 'RollingUpdate') {
        s.updateStrategy.rollingUpdate ??= {};
        s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
        s.updateStrategy.rollingUpdate.maxSurge ??= 0;
      }
      s.revisionHistoryLimit ??= 10;
      defaultPodTemplate(s.template);
    },
    validate(ds) {
      const s = ds.spec;
      const out = validateWorkload(s, { kind: 'DaemonSet' });
      if (!s) return out;
      nonNegative(out, 'spec.revisionHistoryLimit', s.revisionHistoryLimit);
      const ru = s.updateStrategy?.rollingUpdate;
      if (s.updateStrategy?.type === 'OnDelete' && ru)
        out.push(forbiddenField('spec.updateStrategy.rollingUpdate', "may not be specified when strategy `type` is 'OnDelete'"));
      else if (ru) {
        validateIntOrPercent(out, 'spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable);
        validateIntOrPercent(out, 'spec.updateStrategy.rollingUpdate.maxSurge', ru.maxSurge);
        if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge))
          out.push(
            invalidValue('spec.updateStrategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'),
          );
      }
      return out;
    },
    immutableFields: ['spec.selector'],
    statusFields: ['status'],
  },
  printerColumns: [
    column('Desired', 'integer', 'Nodes that should run the pod.', (o) => pick(o, 'status', 'desiredNumberScheduled') ?? 0),
    column('Current', 'integer', 'Nodes running the pod.', (o) => pick(o, 'status', 'currentNumberScheduled') ?? 0),
    column('Ready', 'integer', 'Nodes whose pod is ready.', (o) => pick(o, 'status', 'numberReady') ?? 0),
    column('Up-to-date', 'integer', 'Nodes running the updated pod.', (o) => pick(o, 'status', 'updatedNumberScheduled') ?? 0),
    column('Available', 'integer', 'Nodes whose pod is available.', (o) => pick(o, 'status', 'numberAvailable') ?? 0),
    column('Node Selector', 'string', 'The node selector of the template.', (o) =>
      labelsString(pick(o, 'spec', 'template', 'spec', 'nodeSelector') as never),
    ),
    AGE_COLUMN,
    ...templateColumns(),
    column('Selector', 'string', 'The label selector.', (o) => selectorString(pick(o, 'spec', 'selector') as never), 1),
  ],
});
