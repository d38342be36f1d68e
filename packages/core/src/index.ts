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
  StorageMapping,
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
export type { Secret } from './kinds/core/secret.kind.js';
export { Secrets, SecretSchema } from './kinds/core/secret.kind.js';
export type { Service } from './kinds/core/service.kind.js';
export { Services, ServiceSchema } from './kinds/core/service.kind.js';
export type { Node } from './kinds/core/node.kind.js';
export { Nodes, NodeSchema, nodeStatus, nodeRoles } from './kinds/core/node.kind.js';
export { Endpoints, EndpointsSchema, ObjectReferenceSchema } from './kinds/core/endpoints.kind.js';
export type { ServiceAccount } from './kinds/core/serviceaccount.kind.js';
export { ServiceAccounts, ServiceAccountSchema } from './kinds/core/serviceaccount.kind.js';
export type { Event, EventV1, Binding } from './kinds/core/event.kind.js';
export { Events, EventsV1, Bindings, EventSchema, EventV1Schema, BindingSchema } from './kinds/core/event.kind.js';
export type { PersistentVolume, PersistentVolumeClaim } from './kinds/core/persistentvolume.kind.js';
export { PersistentVolumes, PersistentVolumeClaims, PersistentVolumeSchema, PersistentVolumeClaimSchema } from './kinds/core/persistentvolume.kind.js';
export type { ReplicationController } from './kinds/core/replicationcontroller.kind.js';
export { ReplicationControllers, ReplicationControllerSchema } from './kinds/core/replicationcontroller.kind.js';
export type { ResourceQuota, LimitRange } from './kinds/core/resourcequota.kind.js';
export { ResourceQuotas, LimitRanges, ResourceQuotaSchema, LimitRangeSchema } from './kinds/core/resourcequota.kind.js';
export type { Deployment } from './kinds/apps/deployment.kind.js';
export { Deployments, DeploymentSchema } from './kinds/apps/deployment.kind.js';
export type { ReplicaSet } from './kinds/apps/replicaset.kind.js';
export { ReplicaSets, ReplicaSetSchema } from './kinds/apps/replicaset.kind.js';
export type { StatefulSet } from './kinds/apps/statefulset.kind.js';
export { StatefulSets, StatefulSetSchema } from './kinds/apps/statefulset.kind.js';
export type { DaemonSet } from './kinds/apps/daemonset.kind.js';
export { DaemonSets, DaemonSetSchema } from './kinds/apps/daemonset.kind.js';
export type { ControllerRevision } from './kinds/apps/controllerrevision.kind.js';
export { ControllerRevisions, ControllerRevisionSchema } from './kinds/apps/controllerrevision.kind.js';
export type { Job, JobSpec } from './kinds/batch/job.kind.js';
export { Jobs, JobSchema, JOB_CONTROLLER_UID_LABEL, JOB_NAME_LABEL } from './kinds/batch/job.kind.js';
export type { CronJob } from './kinds/batch/cronjob.kind.js';
export { CronJobs, CronJobSchema, cronScheduleError } from './kinds/batch/cronjob.kind.js';
export type { Lease } from './kinds/misc/lease.kind.js';
export { Leases, LeaseSchema } from './kinds/misc/lease.kind.js';
export type { EndpointSlice } from './kinds/misc/endpointslice.kind.js';
export { EndpointSlices, EndpointSliceSchema } from './kinds/misc/endpointslice.kind.js';
export type { PodDisruptionBudget, Eviction } from './kinds/misc/policy.kind.js';
export { PodDisruptionBudgets, Evictions, PodDisruptionBudgetSchema, EvictionSchema } from './kinds/misc/policy.kind.js';
export type { Scale, HorizontalPodAutoscaler } from './kinds/misc/autoscaling.kind.js';
export { Scales, HorizontalPodAutoscalers, ScaleSchema, HorizontalPodAutoscalerSchema } from './kinds/misc/autoscaling.kind.js';
export type { HorizontalPodAutoscalerV1 } from './kinds/misc/autoscaling-v1.kind.js';
export { HorizontalPodAutoscalersV1, HorizontalPodAutoscalerV1Schema } from './kinds/misc/autoscaling-v1.kind.js';
export { hpaV1ToV2, hpaV2ToV1, HPA_METRICS_ANNOTATION, HPA_CURRENT_METRICS_ANNOTATION, HPA_CONDITIONS_ANNOTATION, HPA_BEHAVIOR_ANNOTATION } from './kinds/misc/hpa.conversion.js';
export { coreEventToEventsV1, eventsV1ToCoreEvent } from './kinds/core/event.conversion.js';
export type { Role, ClusterRole, RoleBinding, ClusterRoleBinding, PolicyRule, Subject } from './kinds/misc/rbac.kind.js';
export { Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, RoleSchema, ClusterRoleSchema, RoleBindingSchema, ClusterRoleBindingSchema, RBAC_GROUP } from './kinds/misc/rbac.kind.js';
export type { PriorityClass } from './kinds/misc/priorityclass.kind.js';
export { PriorityClasses, PriorityClassSchema } from './kinds/misc/priorityclass.kind.js';
export type { Ingress, IngressClass, NetworkPolicy } from './kinds/misc/networking.kind.js';
export { Ingresses, IngressClasses, NetworkPolicies, IngressSchema, IngressClassSchema, NetworkPolicySchema } from './kinds/misc/networking.kind.js';
export type { StorageClass } from './kinds/misc/storage.kind.js';
export { StorageClasses, StorageClassSchema, DEFAULT_STORAGE_CLASS_ANNOTATION } from './kinds/misc/storage.kind.js';
export type { APIService } from './kinds/misc/apiservice.kind.js';
export { APIServices, APIServiceSchema } from './kinds/misc/apiservice.kind.js';
export type { CustomResourceDefinition, CustomResourceDefinitionVersion } from './kinds/misc/crd.kind.js';
export { CustomResourceDefinitions, CustomResourceDefinitionSchema } from './kinds/misc/crd.kind.js';
export type { TokenRequest, TokenReview, SelfSubjectReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview } from './kinds/misc/auth.kind.js';
export {
  TokenRequests,
  TokenReviews,
  SelfSubjectReviews,
  SelfSubjectAccessReviews,
  SelfSubjectRulesReviews,
  SubjectAccessReviews,
  TokenRequestSchema,
  TokenReviewSchema,
  SelfSubjectReviewSchema,
  SelfSubjectAccessReviewSchema,
  SelfSubjectRulesReviewSchema,
  SubjectAccessReviewSchema,
} from './kinds/misc/auth.kind.js';
export type { LabelSelector, LabelSelectorRequirement, Condition } from './kinds/schema/meta.schema.js';
export { ObjectMetaSchema, OwnerReferenceSchema, ManagedFieldsEntrySchema, LabelSelectorSchema, ConditionSchema } from './kinds/schema/meta.schema.js';
export type { Container, ContainerPort, EnvVar, ResourceRequirements, VolumeMount, Probe, SecurityContext, EphemeralContainer } from './kinds/schema/container.schema.js';
export { ContainerSchema } from './kinds/schema/container.schema.js';
export type { Volume, PersistentVolumeClaimSpec } from './kinds/schema/volume.schema.js';
export type { PodSpec, PodStatus, PodTemplateSpec, ContainerStatus, PodCondition } from './kinds/schema/pod.schema.js';
export { PodSpecSchema, PodStatusSchema, PodTemplateSpecSchema } from './kinds/schema/pod.schema.js';
export type { Affinity, Toleration, NodeSelectorTerm, NodeSelectorRequirement, TopologySpreadConstraint } from './kinds/schema/affinity.schema.js';
export { builtinResources, subresourceKinds, createBuiltinCatalog } from './kinds/builtin-catalog.js';
export type { ValidateObjectOptions, ValidationResult } from './kinds/validation/validate-object.js';
export { validateObject } from './kinds/validation/validate-object.js';
export type { JSONSchemaNode } from './kinds/validation/structural-schema.js';
export { compileStructuralSchema } from './kinds/validation/structural-schema.js';
export { jsonSchemaOf } from './kinds/schema/json-schema.js';
export { humanDuration, ageOf } from './kinds/printers.js';
export type { NameRule } from './kinds/validation/name-rules.js';
export { isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue } from './kinds/validation/name-rules.js';
export { parseQuantity } from './kinds/validation/quantity.js';
export type { CustomObject, CustomResourceOptions, CustomPrinterColumn } from './kinds/custom-resource.js';
export { defineCustomResource, crdManifestOf, definitionsFromCRD, definitionFromCRD, openAPIV3SchemaOf, customPrinterColumnsOf } from './kinds/custom-resource.js';
export type { JsonPath } from './util/json-path.js';
export { compileJsonPath, evalJSONPath, jsonPathValue } from './util/json-path.js';
export { zodIssuesToCauses } from './kinds/validation/zod-issues.js';
export { requiredValue, invalidValue, typeInvalid, notSupported, duplicateValue, forbiddenField, tooLong, tooMany, immutableField, formatValue } from './kinds/validation/field-errors.js';
export { validateObjectMeta, validateLabelSelector } from './kinds/validation/object-meta.validation.js';
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
export type { Request, Result, ReconcileContext, Reconciler, ReconcileContextOptions } from './runtime/reconciler/reconciler.js';
export { TerminalError, isTerminalError, reconcilerFn, createReconcileContext } from './runtime/reconciler/reconciler.js';
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
export type { LeaseSpec, LeaderElectionOptions, LeaderCallbacks } from './runtime/manager/leader-election.js';
export { LeaderElector, microTime } from './runtime/manager/leader-election.js';
export type { HealthCheck, HealthServerOptions } from './runtime/manager/health-server.js';
export { HealthServer } from './runtime/manager/health-server.js';
export type { ManagerOptions, ManagerLeaderElectionOptions, AddOptions } from './runtime/manager/manager.js';
export { Manager } from './runtime/manager/manager.js';
export { ObjectStoreToken, ClockToken, LoggerToken, InformersToken, MetricsToken, ManagerToken } from './runtime/manager/tokens.js';
// cached client (issue 14): reads from the shared informers' caches, writes to the store
export type { CachedObjectStoreOptions, CachedListOptions, IndexQuery, FieldIndexFunc } from './runtime/client/cached-object-store.js';
export { CachedObjectStore } from './runtime/client/cached-object-store.js';
export { DirectStoreToken } from './runtime/manager/tokens.js';
export { shutdownSignal } from './runtime/manager/signals.js';
// selectors
export type { LabelOperator, LabelRequirement, Labels } from './selectors/label-requirement.js';
export { labelRequirement } from './selectors/label-requirement.js';
export { LabelSelectorMatcher } from './selectors/label-selector.js';
export { parseLabelSelector } from './selectors/label-selector-parser.js';
export { labelSelectorFromObject, parseToLabelSelectorObject, formatLabelSelector, matchesLabelSelector } from './selectors/label-selector-object.js';
export type { FieldGetter, FieldRequirement } from './selectors/field-selector.js';
export { FieldSelector, parseFieldSelector, escapeFieldValue, COMMON_SELECTABLE_FIELDS } from './selectors/field-selector.js';
export type { ObjectSelectionOptions } from './selectors/object-selection.js';
export { compileObjectSelection } from './selectors/object-selection.js';
// informer
export type { InformerEvent, IndexFunc, CacheReader, InformerSelection, Informer } from './runtime/informer/types.js';
export { IndexedCache, cacheKeyOf } from './runtime/informer/indexed-cache.js';
export { NAMESPACE_INDEX, CONTROLLER_OWNER_INDEX, namespaceIndexFunc, controllerOwnerIndexFunc, labelIndexFunc } from './runtime/informer/indexers.js';
export type { BackoffOptions, RetryNotice, RetryWithBackoffOptions } from './runtime/informer/backoff.js';
export { DEFAULT_BACKOFF, backoffDelay, clockTimer, retryWithBackoff } from './runtime/informer/backoff.js';
export { InactivityTimeoutError, inactivityTimeout } from './runtime/informer/inactivity-timeout.js';
export type { ReflectorState, ReflectorSignal, ListWatchOptions } from './runtime/informer/list-watch.js';
export { listWatch, WatchClosedError, DEFAULT_INACTIVITY_TIMEOUT_MS } from './runtime/informer/list-watch.js';
export type { InformerTransform, Reflection, ReflectOptions } from './runtime/informer/reflect.js';
export { reflect } from './runtime/informer/reflect.js';
export type { SharedInformerOptions, InformerHealth } from './runtime/informer/shared-informer.js';
export { SharedInformer, informerName } from './runtime/informer/shared-informer.js';
export type { InformerDefaults, SharedInformerFactoryOptions } from './runtime/informer/shared-informer-factory.js';
export { SharedInformerFactory } from './runtime/informer/shared-informer-factory.js';
export { dropManagedFields } from './runtime/informer/transforms.js';
// client
export type { ApiRequest, ApiResponse, ApiConnectionOptions } from './client/api-connection.js';
export { ApiConnection } from './client/api-connection.js';
export type { RemoteObjectStoreOptions, ServerOptions } from './client/remote-object-store.js';
export { RemoteObjectStore, PATCH_CONTENT_TYPES } from './client/remote-object-store.js';
export { statusErrorFromResponse, transportError, parseWarnings } from './client/http-errors.js';
export { groupVersionPath, collectionPath, objectPath } from './client/resource-paths.js';
// helpers
export type { OwnerLike, OwnerReferenceOptions } from './helpers/owner-references.js';
export { AlreadyOwnedError, ownerReferenceFor, sameOwner, setControllerReference, setOwnerReference, removeOwnerReference, getControllerOf, isControlledBy, hasOwnerReference } from './helpers/owner-references.js';
export type { FinalizeOptions, FinalizeResult } from './helpers/finalizers.js';
export { hasFinalizer, addFinalizer, removeFinalizer, isBeingDeleted, finalize } from './helpers/finalizers.js';
export type { ConditionStatus, StatusCondition, ConditionInput, Now } from './helpers/conditions.js';
export { findCondition, isConditionTrue, isConditionFalse, setCondition, removeCondition, setStatusCondition, findStatusCondition, setObservedGeneration } from './helpers/conditions.js';
export { createMergePatch, jsonEqual } from './helpers/merge-patch.js';
export type { MergePatchOptions } from './helpers/status-patch.js';
export { patchStatus, patchFrom } from './helpers/status-patch.js';
export type { EventCorrelatorOptions, Correlation } from './helpers/event-correlator.js';
export { EventCorrelator, COMBINED_EVENTS_PREFIX } from './helpers/event-correlator.js';
export type { EventType, EventRecorderOptions, RecordOptions } from './helpers/event-recorder.js';
export { EventRecorder } from './helpers/event-recorder.js';
