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
// runtime
export type { VirtualClockOptions, RunAllOptions } from './util/virtual-clock.js';
export { VirtualClock, VIRTUAL_EPOCH } from './util/virtual-clock.js';
export type { WorkQueueOptions, WorkQueueMetricsSink, InFlightWork } from './runtime/queue/work-queue.js';
export { WorkQueue } from './runtime/queue/work-queue.js';
export type {
  RateLimiter,
  ExponentialRateLimiterOptions,
  BucketRateLimiterOptions,
  FastSlowRateLimiterOptions,
  DefaultRateLimiterOptions,
} from './runtime/queue/rate-limiters.js';
export {
  ItemExponentialRateLimiter,
  BucketRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
} from './runtime/queue/rate-limiters.js';
export type { Request, Result, ReconcileContext, Reconciler } from './runtime/reconciler/reconciler.js';
export { TerminalError, isTerminalError, reconcilerFn } from './runtime/reconciler/reconciler.js';
export type { Logger, CreateLoggerOptions } from './runtime/logging/logger.js';
export { createLogger, silentLogger, defaultLogLevel } from './runtime/logging/logger.js';
export type { Predicate, PredicateFuncs } from './runtime/controller/predicates.js';
export {
  generationChanged,
  labelsChanged,
  annotationsChanged,
  resourceVersionChanged,
  and,
  or,
  not,
  predicateFuncs,
  objectMatches,
} from './runtime/controller/predicates.js';
export type { Enqueue, EventHandler, OwnerKind, EnqueueForOwnerOptions, MapFunc } from './runtime/controller/event-handlers.js';
export { enqueueForObject, enqueueForOwner, enqueueMapped } from './runtime/controller/event-handlers.js';
export type { InformerProvider } from './runtime/controller/informer-provider.js';
export type { Source, SourceContext } from './runtime/controller/sources.js';
export { kindSource, observableSource, requestKey } from './runtime/controller/sources.js';
export type { ControllerOptions } from './runtime/controller/controller.js';
export { ControllerRunner, whenAborted } from './runtime/controller/controller.js';
export type {
  ControllerWatchOptions,
  OwnsOptions,
  WatchSpec,
  ControllerBuilderOptions,
  ControllerDependencies,
} from './runtime/controller/builder.js';
export { ControllerBlueprint, ControllerBuilder, controllerFor, controllerNamed } from './runtime/controller/builder.js';
export type { WatchDeclaration, OwnsDeclaration, ControllerDecoratorOptions, ControllerMetadata } from './runtime/decorators/controller.decorators.js';
export {
  Controller,
  Owns,
  Watches,
  MapFrom,
  WithEventFilter,
  LeaderOnly,
  controllerMetadataOf,
  controllerBlueprintOf,
  isDecoratedController,
} from './runtime/decorators/controller.decorators.js';
export type { PluginOptions } from './runtime/decorators/plugin.decorators.js';
export { Plugin, pluginMetadataOf } from './runtime/decorators/plugin.decorators.js';
export type { ReconcileOutcome, ControllerMetrics, RuntimeMetricsOptions } from './runtime/metrics/runtime-metrics.js';
export { RuntimeMetrics } from './runtime/metrics/runtime-metrics.js';
export type { Runnable } from './runtime/manager/runnable.js';
export { isRunnable, runnableFn } from './runtime/manager/runnable.js';
export type { LeaseSpec, LeaseObject, LeaderElectionOptions, LeaderCallbacks } from './runtime/manager/leader-election.js';
export { LeaderElector, LeaseResource, microTime } from './runtime/manager/leader-election.js';
export type { HealthCheck, HealthServerOptions } from './runtime/manager/health-server.js';
export { HealthServer } from './runtime/manager/health-server.js';
export type { ManagerOptions, ManagerLeaderElectionOptions, AddOptions } from './runtime/manager/manager.js';
export { Manager } from './runtime/manager/manager.js';
export { ObjectStoreToken, ClockToken, LoggerToken, InformersToken, MetricsToken, ManagerToken } from './runtime/manager/tokens.js';
export { shutdownSignal } from './runtime/manager/signals.js';
