export type {
  TypeMeta,
  OwnerReference,
  ManagedFieldsEntry,
  ObjectMeta,
  KubeObject,
  ListMeta,
  ObjectList,
  StatusCause,
  StatusDetails,
  Status,
  WatchEventType,
  WatchEvent,
  ObjectKey,
} from './api/meta.js';
export { INITIAL_EVENTS_END_ANNOTATION, keyString, objectKey, parseKey } from './api/meta.js';
export type { StatusReason, QualifiedResource } from './api/errors.js';
export {
  StatusReasons,
  StatusError,
  notFound,
  alreadyExists,
  conflict,
  invalid,
  badRequest,
  expired,
  forbidden,
  methodNotAllowed,
  tooManyRequests,
  internalError,
  hasReason,
  isNotFound,
  isAlreadyExists,
  isConflict,
  isInvalid,
  isGone,
} from './api/errors.js';
export type {
  GroupVersionResource,
  GroupVersionKind,
  ScaleSubresource,
  ResourceType,
  PrinterColumn,
  ResourceStrategy,
  ResourceDefinition,
} from './api/resource-type.js';
export { apiVersionOf, parseApiVersion, gvrKey } from './api/resource-type.js';
export type { CatalogChange } from './api/resource-catalog.js';
export { ResourceCatalog } from './api/resource-catalog.js';
export type {
  GetOptions,
  SelectOptions,
  ListOptions,
  WatchOptions,
  FieldValidation,
  WriteOptions,
  CreateOptions,
  UpdateOptions,
  PatchType,
  Patch,
  PatchOptions,
  DeleteOptions,
  ObjectStore,
} from './store/object-store.js';
export type { Clock, ClockTimer } from './util/clock.js';
export { realClock, sleep, rfc3339 } from './util/clock.js';
export { mutable, deepFreeze } from './util/mutable.js';
