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

// registry
export type { RegistryOptions, UpdateSpec, Mutation } from './registry/registry.js';
export { Registry } from './registry/registry.js';
export type { KindInfo } from './registry/kind-info.js';
export { KeyLayout } from './registry/kind-info.js';
export { ORPHAN_FINALIZER, FOREGROUND_FINALIZER } from './registry/deletion.js';
export { isNamespaceTerminating } from './registry/namespace-lifecycle.js';
