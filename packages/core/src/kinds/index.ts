/**
 * `@converge/core/kinds`: the machinery behind the built-in kinds, for servers and tools that
 * serve, print or convert them. The zod schemas (whole kinds and their parts, to build your own
 * custom resources' schemas from), the catalog of built-in definitions, definitions made from
 * CustomResourceDefinitions, the parts of a definition (columns, strategies, storage mappings),
 * `kubectl get` printers, JSONPath, JSON Schema output and the version conversions.
 *
 * The definition constants (`Pods`, `Deployments`, ...) and object types are in `@converge/core`.
 *
 * @module kinds
 */
// the parts of a definition
export type { ScaleSubresource, PrinterColumn, ResourceStrategy, StorageMapping } from '../api/resource-type.js';
export { gvrKey } from '../api/resource-type.js';
export type { CatalogChange } from '../api/resource-catalog.js';
export { ResourceCatalog } from '../api/resource-catalog.js';
export { builtinResources, subresourceKinds, createBuiltinCatalog } from './builtin-catalog.js';
// schemas and kind-specific helpers
export { PodSchema, podSummary } from './core/pod.kind.js';
export { NamespaceSchema } from './core/namespace.kind.js';
export { ConfigMapSchema } from './core/configmap.kind.js';
export { SecretSchema } from './core/secret.kind.js';
export { ServiceSchema } from './core/service.kind.js';
export { NodeSchema, nodeStatus, nodeRoles } from './core/node.kind.js';
export { EndpointsSchema, ObjectReferenceSchema } from './core/endpoints.kind.js';
export { ServiceAccountSchema } from './core/serviceaccount.kind.js';
export { EventSchema, EventV1Schema, BindingSchema } from './core/event.kind.js';
export { PersistentVolumeSchema, PersistentVolumeClaimSchema } from './core/persistentvolume.kind.js';
export { ReplicationControllerSchema } from './core/replicationcontroller.kind.js';
export { ResourceQuotaSchema, LimitRangeSchema } from './core/resourcequota.kind.js';
export { DeploymentSchema } from './apps/deployment.kind.js';
export { ReplicaSetSchema } from './apps/replicaset.kind.js';
export { StatefulSetSchema } from './apps/statefulset.kind.js';
export { DaemonSetSchema } from './apps/daemonset.kind.js';
export { ControllerRevisionSchema } from './apps/controllerrevision.kind.js';
export { JobSchema } from './batch/job.kind.js';
export { CronJobSchema, cronScheduleError } from './batch/cronjob.kind.js';
export { LeaseSchema } from './misc/lease.kind.js';
export { EndpointSliceSchema } from './misc/endpointslice.kind.js';
export { PodDisruptionBudgetSchema, EvictionSchema } from './misc/policy.kind.js';
export { ScaleSchema, HorizontalPodAutoscalerSchema } from './misc/autoscaling.kind.js';
export { HorizontalPodAutoscalerV1Schema } from './misc/autoscaling-v1.kind.js';
export { RoleSchema, ClusterRoleSchema, RoleBindingSchema, ClusterRoleBindingSchema, RBAC_GROUP } from './misc/rbac.kind.js';
export { PriorityClassSchema } from './misc/priorityclass.kind.js';
export { IngressSchema, IngressClassSchema, NetworkPolicySchema } from './misc/networking.kind.js';
export { StorageClassSchema } from './misc/storage.kind.js';
export { APIServiceSchema } from './misc/apiservice.kind.js';
export { CustomResourceDefinitionSchema } from './misc/crd.kind.js';
export {
  TokenRequestSchema,
  TokenReviewSchema,
  SelfSubjectReviewSchema,
  SelfSubjectAccessReviewSchema,
  SelfSubjectRulesReviewSchema,
  SubjectAccessReviewSchema,
} from './misc/auth.kind.js';
export {
  ObjectMetaSchema,
  OwnerReferenceSchema,
  ManagedFieldsEntrySchema,
  LabelSelectorSchema,
  ConditionSchema,
} from './schema/meta.schema.js';
export { ContainerSchema } from './schema/container.schema.js';
export { PodSpecSchema, PodStatusSchema, PodTemplateSpecSchema } from './schema/pod.schema.js';
// version conversions
export {
  hpaV1ToV2,
  hpaV2ToV1,
  HPA_METRICS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
  HPA_BEHAVIOR_ANNOTATION,
} from './misc/hpa.conversion.js';
export { coreEventToEventsV1, eventsV1ToCoreEvent } from './core/event.conversion.js';
// custom resources from CustomResourceDefinitions
export { definitionsFromCRD, definitionFromCRD, openAPIV3SchemaOf, customPrinterColumnsOf } from './custom-resource.js';
// printing and paths
export { jsonSchemaOf } from './schema/json-schema.js';
export { humanDuration, ageOf } from './printers.js';
export type { JsonPath } from '../util/json-path.js';
export { compileJsonPath, evalJSONPath, jsonPathValue } from '../util/json-path.js';
