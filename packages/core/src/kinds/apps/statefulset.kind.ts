/**
 * apps/v1 StatefulSet: pods with stable identities and storage, created and updated in order.
 */
import { z } from 'zod';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema, WORKLOAD_SCALE } from '../definition.js';
import { atomicList, field, int32, int64, intOrString, loose, obj, oneOf, str } from '../schema/fields.js';
import { LabelSelectorSchema } from '../schema/meta.schema.js';
import { PodTemplateSpecSchema } from '../schema/pod.schema.js';
import { PersistentVolumeClaimSpecSchema } from '../schema/volume.schema.js';
import { workloadConditions } from '../schema/workload.schema.js';
import { AGE_COLUMN, column, pick, templateColumns } from '../printers.js';
import { defaultPodTemplate } from '../core/pod.defaults.js';
import { forbiddenField } from '../validation/field-errors.js';
import { nonNegative } from '../validation/pod.validation.js';
import { jsonEqual } from '../validation/validate-object.js';
import { validateWorkload } from '../validation/workload.validation.js';
import { validateIntOrPercent } from './deployment.kind.js';

const VolumeClaimTemplateSchema = obj(
  {
    apiVersion: str('v1.'),
    kind: str('PersistentVolumeClaim.'),
    metadata: loose('Name and labels of the claims created from the template.'),
    spec: field(PersistentVolumeClaimSpecSchema, 'Spec of the claims.'),
    status: loose('Unused.'),
  },
  'A template of the claim created for each pod.',
);

/** The schema of a StatefulSet. */
export const StatefulSetSchema = objectSchema('A StatefulSet: pods with stable names and storage, created, scaled and updated in order.', {
  spec: field(
    obj(
      {
        replicas: int32('Desired number of pods; 1 when unset.'),
        selector: LabelSelectorSchema.meta({
          description: "Selects the pods of the set; must match the template's labels and cannot change.",
        }),
        template: PodTemplateSpecSchema.meta({ description: 'The pods to create; each gets the name <set>-<ordinal>.' }),
        volumeClaimTemplates: atomicList(
          VolumeClaimTemplateSchema,
          "Claims created for each pod and mounted by the template's volumes of the same name.",
        ),
        serviceName: str('Headless service giving the pods their DNS names.'),
        podManagementPolicy: oneOf(
          ['OrderedReady', 'Parallel'],
          'OrderedReady (default) creates and deletes pods one at a time in order; Parallel does not wait.',
        ),
        updateStrategy: field(
          obj(
            {
              type: oneOf(['RollingUpdate', 'OnDelete'], 'RollingUpdate (default) or OnDelete.'),
              rollingUpdate: field(
                obj(
                  {
                    partition: int32('Only pods with an ordinal at least this are updated.'),
                    maxUnavailable: intOrString('Most pods unavailable during the update.'),
                  },
                  'Rolling update parameters.',
                ),
                'Rolling update parameters.',
              ),
            },
            'How pods are updated when the template changes.',
          ),
          'How pods are updated when the template changes.',
        ),
        revisionHistoryLimit: int32('ControllerRevisions kept; 10 when unset.'),
        minReadySeconds: int32('Seconds a new pod must be ready to count as available.'),
        persistentVolumeClaimRetentionPolicy: field(
          obj(
            {
              whenDeleted: oneOf(['Retain', 'Delete'], 'What happens to claims when the set is deleted.'),
              whenScaled: oneOf(['Retain', 'Delete'], 'What happens to claims of pods removed by scaling down.'),
            },
            'Lifecycle of the claims.',
          ),
          'Whether claims are deleted with the set or on scale down.',
        ),
        ordinals: field(obj({ start: int32('First ordinal; 0 when unset.') }, 'Ordinal numbering.'), 'Ordinal numbering of the pods.'),
      },
      'The desired state of a StatefulSet.',
    ),
    'The desired state of the StatefulSet.',
  ),
  status: field(
    obj(
      {
        observedGeneration: int64('The generation the controller last acted on.'),
        replicas: z.int32().meta({ description: 'Pods created.', format: 'int32' }),
        readyReplicas: int32('Ready pods.'),
        currentReplicas: int32('Pods at currentRevision.'),
        updatedReplicas: int32('Pods at updateRevision.'),
        currentRevision: str('Revision of the pods 0..currentReplicas-1.'),
        updateRevision: str('Revision being rolled out.'),
        collisionCount: int32('Hash collisions of revisions.'),
        conditions: workloadConditions('StatefulSet'),
        availableReplicas: int32('Pods ready for at least minReadySeconds.'),
      },
      'The observed state of a StatefulSet.',
    ),
    'The observed state of the StatefulSet.',
  ),
});

/** A StatefulSet. */
export type StatefulSet = z.infer<typeof StatefulSetSchema> & KubeObject;

const STS_UPDATE_MESSAGE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/** apps/v1 statefulsets. */
export const StatefulSets: ResourceDefinition<StatefulSet> = defineKind<StatefulSet>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: { status: true, scale: WORKLOAD_SCALE },
  schema: StatefulSetSchema,
  description: 'A StatefulSet: pods with stable names and storage, created, scaled and updated in order.',
  openAPIName: 'io.k8s.api.apps.v1.StatefulSet',
  strategy: {
    tracksGeneration: true,
    default(sts) {
      sts.spec ??= { selector: {}, template: {} };
      const s = sts.spec;
      s.replicas ??= 1;
      s.podManagementPolicy ??= 'OrderedReady';
      s.updateStrategy ??= {};
      s.updateStrategy.type ??= 'RollingUpdate';
      if (s.updateStrategy.type === 'RollingUpdate') {
        s.updateStrategy.rollingUpdate ??= {};
        s.updateStrategy.rollingUpdate.partition ??= 0;
      }
      s.revisionHistoryLimit ??= 10;
      s.persistentVolumeClaimRetentionPolicy ??= {};
      s.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
      s.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
      for (const t of s.volumeClaimTemplates ?? []) {
        t.spec ??= {};
        t.spec.volumeMode ??= 'Filesystem';
      }
      defaultPodTemplate(s.template);
    },
    validate(sts, old) {
      const s = sts.spec;
      const claims = (s?.volumeClaimTemplates ?? []).flatMap((t) => {
        const name = (t.metadata as { name?: unknown } | undefined)?.name;
        return typeof name === 'string' && name ? [name] : [];
      });
      const out = validateWorkload(s, { kind: 'StatefulSet', extraVolumes: claims });
      if (!s) return out;
      nonNegative(out, 'spec.revisionHistoryLimit', s.revisionHistoryLimit);
      nonNegative(out, 'spec.updateStrategy.rollingUpdate.partition', s.updateStrategy?.rollingUpdate?.partition);
      nonNegative(out, 'spec.ordinals.start', s.ordinals?.start);
      validateIntOrPercent(out, 'spec.updateStrategy.rollingUpdate.maxUnavailable', s.updateStrategy?.rollingUpdate?.maxUnavailable);
      if (s.updateStrategy?.type === 'OnDelete' && s.updateStrategy.rollingUpdate)
        out.push(forbiddenField('spec.updateStrategy.rollingUpdate', "only allowed for updateStrategy 'RollingUpdate'"));
      if (old?.spec) {
        const mask = (x: NonNullable<StatefulSet['spec']>) => ({
          ...x,
          replicas: undefined,
          ordinals: undefined,
          template: undefined,
          updateStrategy: undefined,
          persistentVolumeClaimRetentionPolicy: undefined,
          minReadySeconds: undefined,
          revisionHistoryLimit: undefined,
        });
        if (!jsonEqual(mask(s), mask(old.spec))) out.push(forbiddenField('spec', STS_UPDATE_MESSAGE));
      }
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [
    column(
      'Ready',
      'string',
      'Ready pods out of desired pods.',
      (o) => `${pick(o, 'status', 'readyReplicas') ?? 0}/${pick(o, 'spec', 'replicas') ?? 0}`,
    ),
    AGE_COLUMN,
    ...templateColumns(),
  ],
});
