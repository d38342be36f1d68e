/**
 * Every built-in kind Converge serves, and a catalog of them.
 */
import type { ResourceDefinition } from '../api/resource-type.js';
import { ResourceCatalog } from '../api/resource-catalog.js';
import { ControllerRevisions } from './apps/controllerrevision.kind.js';
import { DaemonSets } from './apps/daemonset.kind.js';
import { Deployments } from './apps/deployment.kind.js';
import { ReplicaSets } from './apps/replicaset.kind.js';
import { StatefulSets } from './apps/statefulset.kind.js';
import { CronJobs } from './batch/cronjob.kind.js';
import { Jobs } from './batch/job.kind.js';
import { ConfigMaps } from './core/configmap.kind.js';
import { Endpoints } from './core/endpoints.kind.js';
import { Bindings, Events, EventsV1 } from './core/event.kind.js';
import { Namespaces } from './core/namespace.kind.js';
import { Nodes } from './core/node.kind.js';
import { PersistentVolumeClaims, PersistentVolumes } from './core/persistentvolume.kind.js';
import { Pods } from './core/pod.kind.js';
import { ReplicationControllers } from './core/replicationcontroller.kind.js';
import { LimitRanges, ResourceQuotas } from './core/resourcequota.kind.js';
import { Secrets } from './core/secret.kind.js';
import { ServiceAccounts } from './core/serviceaccount.kind.js';
import { Services } from './core/service.kind.js';
import { APIServices } from './misc/apiservice.kind.js';
import {
  SelfSubjectAccessReviews,
  SelfSubjectReviews,
  SelfSubjectRulesReviews,
  SubjectAccessReviews,
  TokenRequests,
  TokenReviews,
} from './misc/auth.kind.js';
import { HorizontalPodAutoscalers, Scales } from './misc/autoscaling.kind.js';
import { HorizontalPodAutoscalersV1 } from './misc/autoscaling-v1.kind.js';
import { CustomResourceDefinitions } from './misc/crd.kind.js';
import { EndpointSlices } from './misc/endpointslice.kind.js';
import { Leases } from './misc/lease.kind.js';
import { IngressClasses, Ingresses, NetworkPolicies } from './misc/networking.kind.js';
import { Evictions, PodDisruptionBudgets } from './misc/policy.kind.js';
import { PriorityClasses } from './misc/priorityclass.kind.js';
import { ClusterRoleBindings, ClusterRoles, RoleBindings, Roles } from './misc/rbac.kind.js';
import { StorageClasses } from './misc/storage.kind.js';

const list = (...defs: unknown[]) => Object.freeze(defs as ResourceDefinition[]);

/**
 * The definitions of all built-in resources the API serves at their own path (discovery lists
 * them): the core group first, then the named groups. Includes the create-only review kinds
 * (`virtual: true`) that have their own collection, such as `selfsubjectaccessreviews`.
 */
export const builtinResources: readonly ResourceDefinition[] = list(
  Bindings,
  ConfigMaps,
  Endpoints,
  Events,
  LimitRanges,
  Namespaces,
  Nodes,
  PersistentVolumeClaims,
  PersistentVolumes,
  Pods,
  ReplicationControllers,
  ResourceQuotas,
  Secrets,
  ServiceAccounts,
  Services,
  CustomResourceDefinitions,
  APIServices,
  ControllerRevisions,
  DaemonSets,
  Deployments,
  ReplicaSets,
  StatefulSets,
  SelfSubjectReviews,
  TokenReviews,
  SelfSubjectAccessReviews,
  SelfSubjectRulesReviews,
  SubjectAccessReviews,
  HorizontalPodAutoscalers,
  HorizontalPodAutoscalersV1,
  CronJobs,
  Jobs,
  Leases,
  EndpointSlices,
  EventsV1,
  IngressClasses,
  Ingresses,
  NetworkPolicies,
  PodDisruptionBudgets,
  ClusterRoleBindings,
  ClusterRoles,
  RoleBindings,
  Roles,
  PriorityClasses,
  StorageClasses,
);

/**
 * Kinds that exist only as the body of a subresource and have no collection of their own:
 * autoscaling/v1 Scale (`*\/scale`), policy/v1 Eviction (`pods/eviction`) and
 * authentication.k8s.io/v1 TokenRequest (`serviceaccounts/token`). Validate such bodies
 * with `validateObject(Scales, body)`; they are not in the catalog, so discovery does not
 * list them as resources.
 */
export const subresourceKinds: readonly ResourceDefinition[] = list(Scales, Evictions, TokenRequests);

/** Creates a catalog holding every built-in resource (a new one each call: CRDs are added per cluster). */
export function createBuiltinCatalog(): ResourceCatalog {
  return new ResourceCatalog(builtinResources);
}
