/**
 * `@converge/core`: what a controller author needs. The ObjectStore contract and its options,
 * API errors and their predicates, object metadata, the built-in kinds' definitions and types,
 * custom resources, controllers (decorators and builder), the Manager, informers' public face,
 * work queues, predicates, event handlers, logging, clocks and the object helpers
 * (owner references, finalizers, conditions, patches, events).
 *
 * Everything else lives behind a subpath with one purpose each:
 * `@converge/core/kinds` (schemas, catalog, printers, conversions), `@converge/core/validation`,
 * `@converge/core/client` (HTTP plumbing beneath RemoteObjectStore),
 * `@converge/core/informers` (the list/watch pipeline), `@converge/core/selectors`
 * (selector parsing and matching machinery) and `@converge/core/runtime` (the parts the
 * Manager and the test harness assemble).
 *
 * @packageDocumentation
 */
// objects and keys
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
export { keyString, objectKey, parseKey } from './api/meta.js';
// errors
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
// resource types
export type { GroupVersionResource, GroupVersionKind, ResourceType, ResourceDefinition } from './api/resource-type.js';
export { apiVersionOf, parseApiVersion } from './api/resource-type.js';
// the ObjectStore contract
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
export type { RemoteObjectStoreOptions, ServerOptions } from './client/remote-object-store.js';
export { RemoteObjectStore } from './client/remote-object-store.js';
// time and immutability
export type { Clock, ClockTimer } from './util/clock.js';
export { realClock, sleep, rfc3339 } from './util/clock.js';
export { mutable, deepFreeze } from './util/mutable.js';
// built-in kinds: definitions and object types (schemas, printers, conversions: '@converge/core/kinds')
export type { Pod } from './kinds/core/pod.kind.js';
export { Pods } from './kinds/core/pod.kind.js';
export type { Namespace } from './kinds/core/namespace.kind.js';
export { Namespaces, NAMESPACE_NAME_LABEL } from './kinds/core/namespace.kind.js';
export type { ConfigMap } from './kinds/core/configmap.kind.js';
export { ConfigMaps } from './kinds/core/configmap.kind.js';
export type { Secret } from './kinds/core/secret.kind.js';
export { Secrets } from './kinds/core/secret.kind.js';
export type { Service } from './kinds/core/service.kind.js';
export { Services } from './kinds/core/service.kind.js';
export type { Node } from './kinds/core/node.kind.js';
export { Nodes } from './kinds/core/node.kind.js';
export { Endpoints } from './kinds/core/endpoints.kind.js';
export type { ServiceAccount } from './kinds/core/serviceaccount.kind.js';
export { ServiceAccounts } from './kinds/core/serviceaccount.kind.js';
export type { Event, EventV1, Binding } from './kinds/core/event.kind.js';
export { Events, EventsV1, Bindings } from './kinds/core/event.kind.js';
export type { PersistentVolume, PersistentVolumeClaim } from './kinds/core/persistentvolume.kind.js';
export { PersistentVolumes, PersistentVolumeClaims } from './kinds/core/persistentvolume.kind.js';
export type { ReplicationController } from './kinds/core/replicationcontroller.kind.js';
export { ReplicationControllers } from './kinds/core/replicationcontroller.kind.js';
export type { ResourceQuota, LimitRange } from './kinds/core/resourcequota.kind.js';
export { ResourceQuotas, LimitRanges } from './kinds/core/resourcequota.kind.js';
export type { Deployment } from './kinds/apps/deployment.kind.js';
export { Deployments } from './kinds/apps/deployment.kind.js';
export type { ReplicaSet } from './kinds/apps/replicaset.kind.js';
export { ReplicaSets } from './kinds/apps/replicaset.kind.js';
export type { StatefulSet } from './kinds/apps/statefulset.kind.js';
export { StatefulSets } from './kinds/apps/statefulset.kind.js';
export type { DaemonSet } from './kinds/apps/daemonset.kind.js';
export { DaemonSets } from './kinds/apps/daemonset.kind.js';
export type { ControllerRevision } from './kinds/apps/controllerrevision.kind.js';
export { ControllerRevisions } from './kinds/apps/controllerrevision.kind.js';
export type { Job, JobSpec } from './kinds/batch/job.kind.js';
export { Jobs, JOB_CONTROLLER_UID_LABEL, JOB_NAME_LABEL } from './kinds/batch/job.kind.js';
export type { CronJob } from './kinds/batch/cronjob.kind.js';
export { CronJobs } from './kinds/batch/cronjob.kind.js';
export type { Lease } from './kinds/misc/lease.kind.js';
export { Leases } from './kinds/misc/lease.kind.js';
export type { EndpointSlice } from './kinds/misc/endpointslice.kind.js';
export { EndpointSlices } from './kinds/misc/endpointslice.kind.js';
export type { PodDisruptionBudget, Eviction } from './kinds/misc/policy.kind.js';
export { PodDisruptionBudgets, Evictions } from './kinds/misc/policy.kind.js';
export type { Scale, HorizontalPodAutoscaler } from './kinds/misc/autoscaling.kind.js';
export { Scales, HorizontalPodAutoscalers } from './kinds/misc/autoscaling.kind.js';
export type { HorizontalPodAutoscalerV1 } from './kinds/misc/autoscaling-v1.kind.js';
export { HorizontalPodAutoscalersV1 } from './kinds/misc/autoscaling-v1.kind.js';
export type { Role, ClusterRole, RoleBinding, ClusterRoleBinding, PolicyRule, Subject } from './kinds/misc/rbac.kind.js';
export { Roles, ClusterRoles, RoleBindings, ClusterRoleBindings } from './kinds/misc/rbac.kind.js';
export type { PriorityClass } from './kinds/misc/priorityclass.kind.js';
export { PriorityClasses } from './kinds/misc/priorityclass.kind.js';
export type { Ingress, IngressClass, NetworkPolicy } from './kinds/misc/networking.kind.js';
export { Ingresses, IngressClasses, NetworkPolicies } from './kinds/misc/networking.kind.js';
export type { StorageClass } from './kinds/misc/storage.kind.js';
export { StorageClasses, DEFAULT_STORAGE_CLASS_ANNOTATION } from './kinds/misc/storage.kind.js';
export type { APIService } from './kinds/misc/apiservice.kind.js';
export { APIServices } from './kinds/misc/apiservice.kind.js';
export type { CustomResourceDefinition, CustomResourceDefinitionVersion } from './kinds/misc/crd.kind.js';
export { CustomResourceDefinitions } from './kinds/misc/crd.kind.js';
export type {
  TokenRequest,
  TokenReview,
  SelfSubjectReview,
  SelfSubjectAccessReview,
  SelfSubjectRulesReview,
  SubjectAccessReview,
} from './kinds/misc/auth.kind.js';
export {
  TokenRequests,
  TokenReviews,
  SelfSubjectReviews,
  SelfSubjectAccessReviews,
  SelfSubjectRulesReviews,
  SubjectAccessReviews,
} from './kinds/misc/auth.kind.js';
// the parts objects are made of
export type { LabelSelector, LabelSelectorRequirement, Condition } from './kinds/schema/meta.schema.js';
export type {
  Container,
  ContainerPort,
  EnvVar,
  ResourceRequirements,
  VolumeMount,
  Probe,
  SecurityContext,
  EphemeralContainer,
} from './kinds/schema/container.schema.js';
export type { Volume, PersistentVolumeClaimSpec } from './kinds/schema/volume.schema.js';
export type { PodSpec, PodStatus, PodTemplateSpec, ContainerStatus, PodCondition } from './kinds/schema/pod.schema.js';
export type {
  Affinity,
  Toleration,
  NodeSelectorTerm,
  NodeSelectorRequirement,
  TopologySpreadConstraint,
} from './kinds/schema/affinity.schema.js';
// custom resources
export type { CustomObject, CustomResourceOptions, CustomPrinterColumn } from './kinds/custom-resource.js';
export { defineCustomResource, crdManifestOf } from './kinds/custom-resource.js';
// label selectors (parsers and field selectors: '@converge/core/selectors')
export type { Labels } from './selectors/label-requirement.js';
export { parseLabelSelector } from './selectors/label-selector-parser.js';
export { labelSelectorFromObject, formatLabelSelector, matchesLabelSelector } from './selectors/label-selector-object.js';
// work queues
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
// reconcilers
export type { Request, Result, ReconcileContext, Reconciler } from './runtime/reconciler/reconciler.js';
export { TerminalError, isTerminalError, reconcilerFn } from './runtime/reconciler/reconciler.js';
export type { Logger, CreateLoggerOptions } from './runtime/logging/logger.js';
export { createLogger, silentLogger, defaultLogLevel } from './runtime/logging/logger.js';
// controllers: what to watch, when to reconcile
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
export type { ControllerWatchOptions, OwnsOptions, WatchSpec, ControllerBuilderOptions } from './runtime/controller/builder.js';
export { ControllerBlueprint, ControllerBuilder, controllerFor, controllerNamed } from './runtime/controller/builder.js';
export type { WatchDeclaration, OwnsDeclaration, ControllerDecoratorOptions } from './runtime/decorators/controller.decorators.js';
export { Controller, Owns, Watches, MapFrom, WithEventFilter, LeaderOnly } from './runtime/decorators/controller.decorators.js';
export type { PluginOptions } from './runtime/decorators/plugin.decorators.js';
export { Plugin } from './runtime/decorators/plugin.decorators.js';
// the manager
export type { ReconcileOutcome, ControllerMetrics, RuntimeMetricsOptions } from './runtime/metrics/runtime-metrics.js';
export { RuntimeMetrics } from './runtime/metrics/runtime-metrics.js';
export type { Runnable } from './runtime/manager/runnable.js';
export { isRunnable, runnableFn } from './runtime/manager/runnable.js';
export type { HealthCheck } from './runtime/manager/health-server.js';
export type { ManagerOptions, ManagerLeaderElectionOptions, AddOptions } from './runtime/manager/manager.js';
export { Manager } from './runtime/manager/manager.js';
export { ObjectStoreToken, ClockToken, LoggerToken, InformersToken, MetricsToken, ManagerToken } from './runtime/manager/tokens.js';
// cached client (issue 14): reads from the shared informers' caches, writes to the store
export type { CachedObjectStoreOptions, CachedListOptions, IndexQuery, FieldIndexFunc } from './runtime/client/cached-object-store.js';
export { CachedObjectStore } from './runtime/client/cached-object-store.js';
export { DirectStoreToken } from './runtime/manager/tokens.js';
export { shutdownSignal } from './runtime/manager/signals.js';
// informers: shared, cached, indexed (the list/watch pipeline beneath: '@converge/core/informers')
export type { InformerEvent, IndexFunc, CacheReader, InformerSelection, Informer } from './runtime/informer/types.js';
export {
  NAMESPACE_INDEX,
  CONTROLLER_OWNER_INDEX,
  namespaceIndexFunc,
  controllerOwnerIndexFunc,
  labelIndexFunc,
} from './runtime/informer/indexers.js';
export type { SharedInformerOptions, InformerHealth } from './runtime/informer/shared-informer.js';
export { SharedInformer } from './runtime/informer/shared-informer.js';
export type { InformerDefaults, SharedInformerFactoryOptions } from './runtime/informer/shared-informer-factory.js';
export { SharedInformerFactory } from './runtime/informer/shared-informer-factory.js';
export { dropManagedFields } from './runtime/informer/transforms.js';
// object helpers
export type { OwnerLike, OwnerReferenceOptions } from './helpers/owner-references.js';
export {
  AlreadyOwnedError,
  ownerReferenceFor,
  sameOwner,
  setControllerReference,
  setOwnerReference,
  removeOwnerReference,
  getControllerOf,
  isControlledBy,
  hasOwnerReference,
} from './helpers/owner-references.js';
export type { FinalizeOptions, FinalizeResult } from './helpers/finalizers.js';
export { hasFinalizer, addFinalizer, removeFinalizer, isBeingDeleted, finalize } from './helpers/finalizers.js';
export type { ConditionStatus, StatusCondition, ConditionInput, Now } from './helpers/conditions.js';
export {
  findCondition,
  isConditionTrue,
  isConditionFalse,
  setCondition,
  removeCondition,
  setStatusCondition,
  findStatusCondition,
  setObservedGeneration,
} from './helpers/conditions.js';
export { createMergePatch, jsonEqual } from './helpers/merge-patch.js';
export type { MergePatchOptions } from './helpers/status-patch.js';
export { patchStatus, patchFrom } from './helpers/status-patch.js';
export type { EventType, EventRecorderOptions, RecordOptions } from './helpers/event-recorder.js';
export { EventRecorder } from './helpers/event-recorder.js';
