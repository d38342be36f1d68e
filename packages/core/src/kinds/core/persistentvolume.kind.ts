/**
 * core/v1 PersistentVolume and PersistentVolumeClaim: storage provisioned in the cluster
 * and the requests for it.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { conditionList, field, loose, obj, oneOf, reqStr, resourceList, str, strList, strMap, time, bool } from '../schema/fields.js';
import { NodeSelectorSchema } from '../schema/affinity.schema.js';
import { PersistentVolumeClaimSpecSchema } from '../schema/volume.schema.js';
import { AGE_COLUMN, column } from '../printers.js';
import { forbiddenField, invalidValue, notSupported, requiredValue } from '../validation/field-errors.js';
import { validateLabelSelector } from '../validation/object-meta.validation.js';
import { parseQuantity } from '../validation/quantity.js';
import { jsonEqual } from '../validation/validate-object.js';
import { ObjectReferenceSchema } from './endpoints.kind.js';

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const SHORT_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

/** Formats access modes as kubectl does: `RWO,ROX`. */
export function accessModesCell(modes: readonly string[] | undefined): string {
  return (modes ?? []).map((m) => SHORT_MODES[m] ?? m).join(',');
}

const PV_SOURCES = [
  'hostPath',
  'local',
  'nfs',
  'csi',
  'iscsi',
  'fc',
  'awsElasticBlockStore',
  'gcePersistentDisk',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'flexVolume',
  'flocker',
  'glusterfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
] as const;

/** The schema of a PersistentVolume. */
export const PersistentVolumeSchema = objectSchema('A PersistentVolume: a piece of storage in the cluster, bound to at most one claim.', {
  spec: field(
    obj(
      {
        capacity: resourceList('Capacity of the volume, e.g. storage: 10Gi.'),
        accessModes: strList('How the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.'),
        claimRef: field(ObjectReferenceSchema, 'The claim bound to the volume.').meta({
          description: 'The claim bound to the volume.',
          'x-kubernetes-map-type': 'granular',
        }),
        persistentVolumeReclaimPolicy: oneOf(
          ['Retain', 'Delete', 'Recycle'],
          'What happens to the volume when its claim is released; Retain when unset.',
        ),
        storageClassName: str('StorageClass the volume belongs to; empty for none.'),
        mountOptions: strList('Mount options used when the volume is mounted.'),
        volumeMode: oneOf(['Filesystem', 'Block'], 'Filesystem (default) or raw Block.'),
        nodeAffinity: field(
          obj({ required: field(NodeSelectorSchema, 'Nodes the volume can be accessed from.') }, 'Where the volume can be used.'),
          'Nodes from which the volume can be accessed (local volumes).',
        ),
        volumeAttributesClassName: str('VolumeAttributesClass of the volume.'),
        hostPath: field(
          obj(
            { path: reqStr('Path on the host.'), type: str('Expected type of the path.') },
            'A directory of the host (single-node testing only).',
          ),
          'A directory of the host (single-node testing only).',
        ),
        local: field(
          obj({ path: reqStr('Path of the disk or directory on the node.'), fsType: str('Filesystem type.') }, 'A local disk of a node.'),
          'A local disk or directory of a node.',
        ),
        nfs: field(
          obj({ server: reqStr('NFS server.'), path: reqStr('Exported path.'), readOnly: bool('Mount read-only.') }, 'An NFS export.'),
          'An NFS export.',
        ),
        csi: field(
          obj(
            {
              driver: reqStr('Name of the CSI driver.'),
              volumeHandle: reqStr("The driver's ID of the volume."),
              readOnly: bool('Mount read-only.'),
              fsType: str('Filesystem type.'),
              volumeAttributes: strMap('Driver-specific attributes.'),
              controllerPublishSecretRef: loose('Secret for ControllerPublish (accepted loosely).'),
              nodeStageSecretRef: loose('Secret for NodeStage (accepted loosely).'),
              nodePublishSecretRef: loose('Secret for NodePublish (accepted loosely).'),
              controllerExpandSecretRef: loose('Secret for ControllerExpand (accepted loosely).'),
              nodeExpandSecretRef: loose('Secret for NodeExpand (accepted loosely).'),
            },
            'A volume managed by a CSI driver.',
          ),
          'A volume managed by a CSI driver.',
        ),
        iscsi: loose('An iSCSI disk (accepted loosely).'),
        fc: loose('A Fibre Channel disk (accepted loosely).'),
        awsElasticBlockStore: loose('Deprecated AWS EBS volume (accepted loosely).'),
        gcePersistentDisk: loose('Deprecated GCE disk (accepted loosely).'),
        azureDisk: loose('Deprecated Azure disk (accepted loosely).'),
        azureFile: loose('Deprecated Azure file share (accepted loosely).'),
        cephfs: loose('Deprecated CephFS (accepted loosely).'),
        cinder: loose('Deprecated Cinder volume (accepted loosely).'),
        flexVolume: loose('Deprecated FlexVolume (accepted loosely).'),
        flocker: loose('Deprecated Flocker volume (accepted loosely).'),
        glusterfs: loose('Deprecated GlusterFS volume (accepted loosely).'),
        photonPersistentDisk: loose('Deprecated Photon disk (accepted loosely).'),
        portworxVolume: loose('Deprecated Portworx volume (accepted loosely).'),
        quobyte: loose('Deprecated Quobyte volume (accepted loosely).'),
        rbd: loose('Deprecated Ceph RBD (accepted loosely).'),
        scaleIO: loose('Deprecated ScaleIO volume (accepted loosely).'),
        storageos: loose('Deprecated StorageOS volume (accepted loosely).'),
        vsphereVolume: loose('Deprecated vSphere volume (accepted loosely).'),
      },
      'The desired state of a PersistentVolume.',
    ),
    'The desired state of the volume.',
  ),
  status: field(
    obj(
      {
        phase: oneOf(['Pending', 'Available', 'Bound', 'Released', 'Failed'], 'Where the volume is in its lifecycle.'),
        message: str('Why the volume is in this phase.'),
        reason: str('CamelCase reason of a failure.'),
        lastPhaseTransitionTime: time('When the phase last changed.'),
      },
      'The observed state of a PersistentVolume.',
    ),
    'The observed state of the volume.',
  ),
});

/** A PersistentVolume. */
export type PersistentVolume = z.infer<typeof PersistentVolumeSchema> & KubeObject;

function validateAccessModes(out: StatusCause[], modes: readonly string[] | undefined, path: string): void {
  if (!modes || modes.length === 0) {
    out.push(requiredValue(path));
    return;
  }
  for (const m of modes) if (!ACCESS_MODES.includes(m)) out.push(notSupported(path, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    out.push(forbiddenField(path, 'may not use ReadWriteOncePod with other access modes'));
}

function storageCell(list: Record<string, string | number> | undefined): string {
  const v = list?.storage;
  return v === undefined ? '' : String(v);
}

/** core/v1 persistentvolumes. */
export const PersistentVolumes: ResourceDefinition<PersistentVolume> = defineKind<PersistentVolume>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  namespaced: false,
  shortNames: ['pv'],
  subresources: { status: true },
  schema: PersistentVolumeSchema,
  description: 'A PersistentVolume: a piece of storage in the cluster, bound to at most one claim.',
  openAPIName: 'io.k8s.api.core.v1.PersistentVolume',
  strategy: {
    default(pv) {
      pv.spec ??= {};
      pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
      pv.spec.volumeMode ??= 'Filesystem';
      pv.status ??= {};
      pv.status.phase ??= 'Pending';
    },
    validate(pv, old) {
      const out: StatusCause[] = [];
      const s = pv.spec ?? {};
      validateAccessModes(out, s.accessModes, 'spec.accessModes');
      if (!s.capacity || s.capacity.storage === undefined) out.push(requiredValue('spec.capacity'));
      else if ((parseQuantity(s.capacity.storage) ?? -1) < 0)
        out.push(invalidValue('spec.capacity[storage]', s.capacity.storage, 'must be greater than or equal to 0'));
      const rec = s as Record<string, unknown>;
      const sources = PV_SOURCES.filter((k) => rec[k] !== undefined);
      if (sources.length === 0) out.push(requiredValue('spec', 'must specify a volume type'));
      else if (sources.length > 1) out.push(forbiddenField(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
      if (s.local && !s.nodeAffinity) out.push(requiredValue('spec.nodeAffinity', 'Local volume requires node affinity'));
      if (old && old.spec?.volumeMode !== s.volumeMode) out.push(invalidValue('spec.volumeMode', s.volumeMode, 'field is immutable'));
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [
    column('Capacity', 'string', 'Capacity of the volume.', (o) => storageCell((o as PersistentVolume).spec?.capacity)),
    column('Access Modes', 'string', 'Access modes of the volume.', (o) => accessModesCell((o as PersistentVolume).spec?.accessModes)),
    column(
      'Reclaim Policy',
      'string',
      'What happens when the claim is released.',
      (o) => (o as PersistentVolume).spec?.persistentVolumeReclaimPolicy ?? '',
    ),
    column('Status', 'string', 'Phase of the volume.', (o) => (o as PersistentVolume).status?.phase ?? ''),
    column('Claim', 'string', 'The bound claim, namespace/name.', (o) => {
      const c = (o as PersistentVolume).spec?.claimRef;
      return c ? `${c.namespace ?? ''}/${c.name ?? ''}` : '';
    }),
    column('StorageClass', 'string', 'StorageClass of the volume.', (o) => (o as PersistentVolume).spec?.storageClassName ?? ''),
    column(
      'VolumeAttributesClass',
      'string',
      'VolumeAttributesClass of the volume.',
      (o) => (o as PersistentVolume).spec?.volumeAttributesClassName || '<unset>',
    ),
    column('Reason', 'string', 'Reason of a failure.', (o) => (o as PersistentVolume).status?.reason ?? ''),
    AGE_COLUMN,
    column('VolumeMode', 'string', 'Filesystem or Block.', (o) => (o as PersistentVolume).spec?.volumeMode ?? '', 1),
  ],
});

const PVCConditionSchema = obj(
  {
    type: reqStr('Resizing, FileSystemResizePending, ...'),
    status: reqStr('True, False or Unknown.'),
    lastProbeTime: time('When the condition was last probed.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason.'),
    message: str('Human-readable details.'),
  },
  "One aspect of a claim's state.",
);

/** The schema of a PersistentVolumeClaim. */
export const PersistentVolumeClaimSchema = objectSchema('A PersistentVolumeClaim: a request for storage, bound to a PersistentVolume.', {
  spec: field(PersistentVolumeClaimSpecSchema, 'What storage the claim asks for.'),
  status: field(
    obj(
      {
        phase: oneOf(['Pending', 'Bound', 'Lost'], 'Where the claim is in its lifecycle.'),
        accessModes: strList('Access modes of the bound volume.'),
        capacity: resourceList('Capacity of the bound volume.'),
        conditions: conditionList(PVCConditionSchema, 'Current conditions of the claim.'),
        allocatedResources: resourceList('Resources allocated to the claim (during expansion).'),
        allocatedResourceStatuses: strMap('Status of each resource being resized.'),
        currentVolumeAttributesClassName: str('VolumeAttributesClass currently applied.'),
        modifyVolumeStatus: loose('Status of a volume modification (accepted loosely).'),
      },
      'The observed state of a PersistentVolumeClaim.',
    ),
    'The observed state of the claim.',
  ),
});

/** A PersistentVolumeClaim. */
export type PersistentVolumeClaim = z.infer<typeof PersistentVolumeClaimSchema> & KubeObject;

/** core/v1 persistentvolumeclaims. */
export const PersistentVolumeClaims: ResourceDefinition<PersistentVolumeClaim> = defineKind<PersistentVolumeClaim>({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: { status: true },
  schema: PersistentVolumeClaimSchema,
  description: 'A PersistentVolumeClaim: a request for storage, bound to a PersistentVolume.',
  openAPIName: 'io.k8s.api.core.v1.PersistentVolumeClaim',
  strategy: {
    default(pvc) {
      pvc.spec ??= {};
      pvc.spec.volumeMode ??= 'Filesystem';
      pvc.status ??= {};
      pvc.status.phase ??= 'Pending';
    },
    validate(pvc, old) {
      const out: StatusCause[] = [];
      const s = pvc.spec ?? {};
      validateAccessModes(out, s.accessModes, 'spec.accessModes');
      out.push(...validateLabelSelector(s.selector, 'spec.selector'));
      const storage = s.resources?.requests?.storage;
      if (storage === undefined) out.push(requiredValue('spec.resources[storage]'));
      else if ((parseQuantity(storage) ?? -1) <= 0)
        out.push(invalidValue('spec.resources.requests[storage]', storage, 'must be greater than zero'));
      if (old?.spec) {
        const mask = (x: typeof s) => ({
          ...x,
          resources: undefined,
          volumeAttributesClassName: undefined,
          volumeName: x.volumeName || old.spec?.volumeName,
        });
        if (!jsonEqual(mask(s), mask(old.spec)))
          out.push(
            forbiddenField(
              'spec',
              'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
            ),
          );
        const before = parseQuantity(old.spec.resources?.requests?.storage ?? 0) ?? 0;
        const after = parseQuantity(storage ?? 0) ?? 0;
        if (after !== before && old.status?.phase !== 'Bound')
          out.push(
            forbiddenField(
              'spec',
              'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
            ),
          );
        else if (after < before) out.push(forbiddenField('spec.resources.requests.storage', 'field can not be less than previous value'));
      }
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [
    column('Status', 'string', 'Phase of the claim.', (o) => (o as PersistentVolumeClaim).status?.phase ?? ''),
    column('Volume', 'string', 'The bound volume.', (o) => (o as PersistentVolumeClaim).spec?.volumeName ?? ''),
    column('Capacity', 'string', 'Capacity of the bound volume.', (o) => storageCell((o as PersistentVolumeClaim).status?.capacity)),
    column('Access Modes', 'string', 'Access modes of the bound volume.', (o) =>
      accessModesCell((o as PersistentVolumeClaim).status?.accessModes),
    ),
    column('StorageClass', 'string', 'StorageClass of the claim.', (o) => (o as PersistentVolumeClaim).spec?.storageClassName ?? ''),
    column(
      'VolumeAttributesClass',
      'string',
      'VolumeAttributesClass of the claim.',
      (o) => (o as PersistentVolumeClaim).spec?.volumeAttributesClassName || '<unset>',
    ),
    AGE_COLUMN,
    column('VolumeMode', 'string', 'Filesystem or Block.', (o) => (o as PersistentVolumeClaim).spec?.volumeMode ?? '', 1),
  ],
});
