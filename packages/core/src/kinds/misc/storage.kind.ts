/**
 * storage.k8s.io/v1 StorageClass: a kind of storage volumes are provisioned from.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, bool, obj, oneOf, reqStr, strList, strMap } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { invalidValue, requiredValue } from '../validation/field-errors.js';
import { isQualifiedName } from '../validation/name-rules.js';

/** The annotation that makes a StorageClass the default. */
export const DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** The schema of a StorageClass. */
export const StorageClassSchema = objectSchema(
  'A StorageClass: a kind of storage, and the provisioner that creates volumes of it for claims.',
  {
    provisioner: reqStr('Name of the volume provisioner, e.g. rancher.io/local-path. Cannot change.'),
    parameters: strMap('Provisioner-specific parameters. Cannot change.'),
    reclaimPolicy: oneOf(['Delete', 'Retain'], 'Reclaim policy of the volumes provisioned; Delete when unset. Cannot change.'),
    mountOptions: strList('Mount options of the volumes provisioned.'),
    allowVolumeExpansion: bool('Whether claims of the class may be resized.'),
    volumeBindingMode: oneOf(
      ['Immediate', 'WaitForFirstConsumer'],
      'When volumes are bound and provisioned; Immediate when unset. Cannot change.',
    ),
    allowedTopologies: atomicList(
      obj(
        {
          matchLabelExpressions: atomicList(
            obj(
              {
                key: reqStr('Label key.'),
                values: z.array(z.string()).meta({ description: 'Allowed values.', 'x-kubernetes-list-type': 'atomic' }),
              },
              'A topology requirement.',
            ),
            'Requirements, ANDed.',
          ),
        },
        'A topology term.',
      ),
      'Topologies volumes may be provisioned in.',
    ),
  },
);

/** A StorageClass. */
export type StorageClass = z.infer<typeof StorageClassSchema> & KubeObject;

/** storage.k8s.io/v1 storageclasses. */
export const StorageClasses: ResourceDefinition<StorageClass> = defineKind<StorageClass>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  namespaced: false,
  shortNames: ['sc'],
  schema: StorageClassSchema,
  description: 'A StorageClass: a kind of storage, and the provisioner that creates volumes of it for claims.',
  openAPIName: 'io.k8s.api.storage.v1.StorageClass',
  strategy: {
    default(sc) {
      sc.reclaimPolicy ??= 'Delete';
      sc.volumeBindingMode ??= 'Immediate';
    },
    validate(sc) {
      const out: StatusCause[] = [];
      if (!sc.provisioner) out.push(requiredValue('provisioner'));
      else for (const e of isQualifiedName(sc.provisioner.toLowerCase())) out.push(invalidValue('provisioner', sc.provisioner, e));
      return out;
    },
    immutableFields: ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'],
  },
  printerColumns: [
    column('Provisioner', 'string', 'The volume provisioner.', (o) => (o as StorageClass).provisioner),
    column('ReclaimPolicy', 'string', 'Reclaim policy of provisioned volumes.', (o) => (o as StorageClass).reclaimPolicy ?? 'Delete'),
    column('VolumeBindingMode', 'string', 'When volumes are bound.', (o) => (o as StorageClass).volumeBindingMode ?? 'Immediate'),
    column('AllowVolumeExpansion', 'string', 'Whether claims may be resized.', (o) =>
      String((o as StorageClass).allowVolumeExpansion ?? false),
    ),
    AGE_COLUMN,
  ],
});
