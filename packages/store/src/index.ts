// storage backends
export type {
  Backend,
  BackendEvent,
  BackendListOptions,
  BackendListResult,
  BackendWatch,
  BackendWatchListener,
  BackendWatchOptions,
  StoredObject,
  WriteResult,
} from './backend/backend.js';
export { prefixEnd } from './backend/backend.js';
export type { MemoryBackendOptions } from './backend/memory.backend.js';
export { MemoryBackend } from './backend/memory.backend.js';
export { SortedKeySet } from './backend/sorted-key-set.js';
export type { EtcdBackendOptions } from './backend/etcd.backend.js';
export { EtcdBackend, mapEtcdError } from './backend/etcd.backend.js';
export type { EtcdCompactorOptions } from './backend/etcd-compactor.js';
export { EtcdCompactor } from './backend/etcd-compactor.js';
export type { StartEtcdOptions, EtcdProcess } from './backend/etcd-process.js';
export { startEtcd, freePort } from './backend/etcd-process.js';

// API servers' peer directory
export type {
  PeerRecord,
  ClusterIdentity,
  IdentityClaim,
  PeerAnnouncement,
  AnnounceOptions,
  PeerDirectory,
} from './peers/peer-directory.js';
export { LocalPeerDirectory, sortPeers } from './peers/peer-directory.js';
export type { EtcdPeerDirectoryOptions } from './peers/etcd-peer-directory.js';
export { EtcdPeerDirectory } from './peers/etcd-peer-directory.js';

// registry
export type { RegistryOptions, UpdateSpec, Mutation } from './registry/registry.js';
export { Registry } from './registry/registry.js';
export type { KindInfo } from './registry/kind-info.js';
export { KeyLayout } from './registry/kind-info.js';
export { ORPHAN_FINALIZER, FOREGROUND_FINALIZER } from './registry/deletion.js';
export { isNamespaceTerminating } from './registry/namespace-lifecycle.js';
export type { StoreOps } from './registry/store-ops.js';
export type {
  KindStorage,
  DeletionRules,
  ServedSubresource,
  WriteClaims,
  CreateSubresource,
  UpdateSubresource,
} from './registry/kinds/kind-storage.js';
export type { KindTableEntry, StorageContext } from './registry/kinds/kind-table-entry.js';
export type { KindRouting } from './registry/kinds/kind-routing.js';
export { DEFAULT_ROUTING } from './registry/kinds/kind-routing.js';
export { KIND_TABLE, kindTableEntry, kindRoutingOf, servedSubresourceOf } from './registry/kinds/kinds-table.js';

// patch
export type { ApplyPatchInput } from './patch/apply-patch.js';
export { applyPatch } from './patch/apply-patch.js';
export type { UpdateManagedFieldsInput } from './patch/field-manager.js';
export { updateManagedFields } from './patch/field-manager.js';
export type { ServerSideApplyInput } from './patch/server-side-apply.js';
export { serverSideApply, LAST_APPLIED_ANNOTATION, BEFORE_FIRST_APPLY_MANAGER } from './patch/server-side-apply.js';
export type { JsonPatchOperation } from './patch/json-patch.js';
export { applyJsonPatch, parseJsonPointer } from './patch/json-patch.js';
export { applyMergePatch } from './patch/merge-patch.js';
export { applyStrategicMergePatch } from './patch/strategic-merge-patch.js';
export type { SchemaNode, SchemaKind, ListType } from './patch/schema-navigator.js';
export { schemaNavigator } from './patch/schema-navigator.js';
export type { FieldNode } from './patch/field-set.js';
export { toFieldsV1, fromFieldsV1, pathString } from './patch/field-set.js';
