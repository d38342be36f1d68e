/**
 * Zod schemas of pod volumes (`core/v1.Volume`). The common sources (emptyDir, hostPath,
 * configMap, secret, persistentVolumeClaim, projected, downwardAPI, nfs, csi, ephemeral,
 * image) are checked field by field; the rarely used in-tree cloud and network sources are
 * accepted loosely (kept as sent, not checked).
 */
import { z } from 'zod';
import { ObjectFieldSelectorSchema, ResourceFieldSelectorSchema } from './container.schema.js';
import { LabelSelectorSchema } from './meta.schema.js';
import {
  atomicList,
  bool,
  field,
  int32,
  int64,
  loose,
  obj,
  oneOf,
  quantity,
  reqStr,
  resourceList,
  str,
  strList,
  strMap,
} from './fields.js';

/** A key of a ConfigMap or Secret projected to a file. */
export const KeyToPathSchema = obj(
  {
    key: reqStr('The key to project.'),
    path: reqStr('Relative path of the file to write the key to; may not contain "..".'),
    mode: int32("Permission bits of the file (0000-0777); the volume's defaultMode when unset."),
  },
  'Maps a key to a file path in the volume.',
);

const DownwardAPIVolumeFileSchema = obj(
  {
    path: reqStr('Relative path of the file to create.'),
    fieldRef: field(ObjectFieldSelectorSchema, 'A pod field: metadata.name, metadata.namespace, metadata.labels, metadata.annotations.'),
    resourceFieldRef: field(ResourceFieldSelectorSchema, 'A container resource limit or request.'),
    mode: int32('Permission bits of the file.'),
  },
  'A file holding a pod field or container resource.',
);

const ConfigMapVolumeSchema = obj(
  {
    name: str('Name of the ConfigMap.'),
    items: atomicList(KeyToPathSchema, 'Keys to project; every key when unset.'),
    defaultMode: int32('Permission bits of the files; 0644 when unset.'),
    optional: bool('Whether the ConfigMap may be missing.'),
  },
  'Populates the volume with the keys of a ConfigMap.',
);

const SecretVolumeSchema = obj(
  {
    secretName: str("Name of the Secret in the pod's namespace."),
    items: atomicList(KeyToPathSchema, 'Keys to project; every key when unset.'),
    defaultMode: int32('Permission bits of the files; 0644 when unset.'),
    optional: bool('Whether the Secret may be missing.'),
  },
  'Populates the volume with the keys of a Secret.',
);

const ProjectionSchema = obj(
  {
    secret: field(
      obj(
        {
          name: str('Name of the Secret.'),
          items: atomicList(KeyToPathSchema, 'Keys to project.'),
          optional: bool('Whether the Secret may be missing.'),
        },
        'Keys of a Secret.',
      ),
      'Project keys of a Secret.',
    ),
    configMap: field(
      obj(
        {
          name: str('Name of the ConfigMap.'),
          items: atomicList(KeyToPathSchema, 'Keys to project.'),
          optional: bool('Whether the ConfigMap may be missing.'),
        },
        'Keys of a ConfigMap.',
      ),
      'Project keys of a ConfigMap.',
    ),
    downwardAPI: field(
      obj({ items: atomicList(DownwardAPIVolumeFileSchema, 'Files to write.') }, 'Downward API files.'),
      'Project pod fields.',
    ),
    serviceAccountToken: field(
      obj(
        {
          audience: str("Intended audience of the token; the API server's when unset."),
          expirationSeconds: int64('Requested lifetime of the token; 1 hour when unset, at least 10 minutes.'),
          path: reqStr('Relative path of the token file.'),
        },
        'A bound service account token.',
      ),
      'Project a service account token.',
    ),
    clusterTrustBundle: loose('Project a ClusterTrustBundle (accepted loosely).'),
  },
  'One source of a projected volume.',
);

/** The spec of a PersistentVolumeClaim (also used by ephemeral volumes and StatefulSets). */
export const PersistentVolumeClaimSpecSchema = obj(
  {
    accessModes: strList('Desired access modes: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.'),
    selector: field(LabelSelectorSchema, 'Labels of the volumes that may bind.'),
    resources: field(
      obj(
        { limits: resourceList('Most storage the claim may use.'), requests: resourceList('Storage requested, e.g. storage: 1Gi.') },
        'Storage resources of a claim.',
      ),
      'Storage the claim needs.',
    ),
    volumeName: str('Binds to this PersistentVolume by name.'),
    storageClassName: str('StorageClass to provision from; the default class when unset, none when empty.'),
    volumeMode: oneOf(['Filesystem', 'Block'], 'Filesystem (default) or raw Block.'),
    dataSource: loose('An object to populate the volume from (VolumeSnapshot, PVC); accepted loosely.'),
    dataSourceRef: loose('An object to populate the volume from, any namespace; accepted loosely.'),
    volumeAttributesClassName: str('VolumeAttributesClass of the claim.'),
  },
  'What storage a claim asks for.',
);

const PersistentVolumeClaimTemplateSchema = obj(
  {
    metadata: loose('Labels and annotations copied to the generated claim.'),
    spec: PersistentVolumeClaimSpecSchema.meta({ description: 'Spec of the claim to create.' }),
  },
  'A template of the PersistentVolumeClaim generated for an ephemeral volume.',
);

/** A volume of a pod. */
export const VolumeSchema = obj(
  {
    name: reqStr('Name of the volume, a DNS label unique in the pod; volumeMounts refer to it.'),
    emptyDir: field(
      obj(
        { medium: str('Storage medium: "" (node default) or Memory.'), sizeLimit: quantity('Most local storage the volume may use.') },
        "A temporary directory sharing the pod's lifetime.",
      ),
      "A temporary directory sharing the pod's lifetime.",
    ),
    hostPath: field(
      obj(
        {
          path: reqStr('Path on the host.'),
          type: str('Expected type of the path: "", DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice.'),
        },
        'A file or directory of the host.',
      ),
      'A file or directory of the node.',
    ),
    configMap: field(ConfigMapVolumeSchema, 'The keys of a ConfigMap.'),
    secret: field(SecretVolumeSchema, 'The keys of a Secret.'),
    persistentVolumeClaim: field(
      obj(
        { claimName: reqStr("Name of the claim in the pod's namespace."), readOnly: bool('Mount read-only.') },
        'A PersistentVolumeClaim.',
      ),
      'A PersistentVolumeClaim of the namespace.',
    ),
    projected: field(
      obj(
        { sources: atomicList(ProjectionSchema, 'The sources to project.'), defaultMode: int32('Permission bits of the files.') },
        'Several sources projected into one directory.',
      ),
      'Several sources (secrets, config maps, tokens, downward API) in one directory.',
    ),
    downwardAPI: field(
      obj(
        { items: atomicList(DownwardAPIVolumeFileSchema, 'Files to write.'), defaultMode: int32('Permission bits of the files.') },
        'Pod fields written to files.',
      ),
      'Pod fields written to files.',
    ),
    nfs: field(
      obj({ server: reqStr('NFS server host.'), path: reqStr('Exported path.'), readOnly: bool('Mount read-only.') }, 'An NFS export.'),
      'An NFS export.',
    ),
    csi: field(
      obj(
        {
          driver: reqStr('Name of the CSI driver.'),
          readOnly: bool('Mount read-only.'),
          fsType: str('Filesystem type, e.g. ext4.'),
          volumeAttributes: strMap('Driver-specific attributes.'),
          nodePublishSecretRef: field(obj({ name: str('Name of the Secret.') }, 'A Secret reference.'), 'Secret passed to the driver.'),
        },
        'An ephemeral volume of a CSI driver.',
      ),
      'An inline ephemeral volume of a CSI driver.',
    ),
    ephemeral: field(
      obj(
        { volumeClaimTemplate: field(PersistentVolumeClaimTemplateSchema, 'The claim created with the pod and deleted with it.') },
        'A claim created and deleted with the pod.',
      ),
      'A PersistentVolumeClaim created and deleted with the pod.',
    ),
    image: field(
      obj(
        { reference: str('Image reference.'), pullPolicy: oneOf(['Always', 'Never', 'IfNotPresent'], 'When to pull.') },
        'An OCI image mounted read-only.',
      ),
      'An OCI image or artifact mounted read-only.',
    ),
    awsElasticBlockStore: loose('Deprecated in-tree AWS EBS volume (accepted loosely).'),
    gcePersistentDisk: loose('Deprecated in-tree GCE persistent disk (accepted loosely).'),
    gitRepo: loose('Deprecated git repository volume (accepted loosely).'),
    iscsi: loose('An iSCSI disk (accepted loosely).'),
    glusterfs: loose('Deprecated GlusterFS volume (accepted loosely).'),
    rbd: loose('Deprecated Ceph RBD volume (accepted loosely).'),
    flexVolume: loose('Deprecated FlexVolume (accepted loosely).'),
    cinder: loose('Deprecated Cinder volume (accepted loosely).'),
    cephfs: loose('Deprecated CephFS volume (accepted loosely).'),
    flocker: loose('Deprecated Flocker volume (accepted loosely).'),
    fc: loose('A Fibre Channel disk (accepted loosely).'),
    azureFile: loose('Deprecated Azure File volume (accepted loosely).'),
    azureDisk: loose('Deprecated Azure Disk volume (accepted loosely).'),
    vsphereVolume: loose('Deprecated vSphere volume (accepted loosely).'),
    quobyte: loose('Deprecated Quobyte volume (accepted loosely).'),
    photonPersistentDisk: loose('Deprecated Photon disk (accepted loosely).'),
    portworxVolume: loose('Deprecated Portworx volume (accepted loosely).'),
    scaleIO: loose('Deprecated ScaleIO volume (accepted loosely).'),
    storageos: loose('Deprecated StorageOS volume (accepted loosely).'),
  },
  'A named volume of a pod; exactly one source is set.',
);

/** A pod volume. */
export type Volume = z.infer<typeof VolumeSchema>;
/** The spec of a PersistentVolumeClaim. */
export type PersistentVolumeClaimSpec = z.infer<typeof PersistentVolumeClaimSpecSchema>;
