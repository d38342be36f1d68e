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
// kinds
export type { Pod } from './kinds/core/pod.kind.js';
export { Pods, PodSchema, podSummary } from './kinds/core/pod.kind.js';
export type { Namespace } from './kinds/core/namespace.kind.js';
export { Namespaces, NamespaceSchema, NAMESPACE_NAME_LABEL } from './kinds/core/namespace.kind.js';
export type { ConfigMap } from './kinds/core/configmap.kind.js';
export { ConfigMaps, ConfigMapSchema } from './kinds/core/configmap.kind.js';
export type { Deployment } from './kinds/apps/deployment.kind.js';
export { Deployments, DeploymentSchema } from './kinds/apps/deployment.kind.js';
export type { LabelSelector, LabelSelectorRequirement, Condition } from './kinds/schema/meta.schema.js';
export { ObjectMetaSchema, OwnerReferenceSchema, ManagedFieldsEntrySchema, LabelSelectorSchema, ConditionSchema } from './kinds/schema/meta.schema.js';
export type { Container, ContainerPort, EnvVar, ResourceRequirements, VolumeMount, Probe, SecurityContext, EphemeralContainer } from './kinds/schema/container.schema.js';
export { ContainerSchema } from './kinds/schema/container.schema.js';
export type { Volume, PersistentVolumeClaimSpec } from './kinds/schema/volume.schema.js';
export type { PodSpec, PodStatus, PodTemplateSpec, ContainerStatus, PodCondition } from './kinds/schema/pod.schema.js';
export { PodSpecSchema, PodStatusSchema, PodTemplateSpecSchema } from './kinds/schema/pod.schema.js';
export type { Affinity, Toleration, NodeSelectorTerm, NodeSelectorRequirement, TopologySpreadConstraint } from './kinds/schema/affinity.schema.js';
export { builtinResources, createBuiltinCatalog } from './kinds/builtin-catalog.js';
export type { ValidateObjectOptions, ValidationResult } from './kinds/validation/validate-object.js';
export { validateObject } from './kinds/validation/validate-object.js';
export type { JSONSchemaNode } from './kinds/validation/structural-schema.js';
export { compileStructuralSchema } from './kinds/validation/structural-schema.js';
export { jsonSchemaOf } from './kinds/schema/json-schema.js';
export { humanDuration, ageOf } from './kinds/printers.js';
export type { NameRule } from './kinds/validation/name-rules.js';
export { isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue } from './kinds/validation/name-rules.js';
export { parseQuantity } from './kinds/validation/quantity.js';
