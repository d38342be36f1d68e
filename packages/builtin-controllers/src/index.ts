// discovery: which kinds exist
export type { DiscoveredKind, KindDiscovery } from './discovery/kind-discovery.js';
export { catalogDiscovery, kindsOfCatalog, storageIdentity, isDeletable, KindResolver } from './discovery/kind-discovery.js';
export type { ApiDiscoveryOptions } from './discovery/api-discovery.js';
export { apiDiscovery } from './discovery/api-discovery.js';
export { KindDiscoveryToken } from './discovery/tokens.js';
// garbage collector
export { ORPHAN_FINALIZER, FOREGROUND_FINALIZER } from './gc/gc-finalizers.js';
export type { NodeIdentity, GraphNode, GraphWork } from './gc/owner-graph.js';
export { OwnerGraph } from './gc/owner-graph.js';
export { AbsentOwnerCache } from './gc/absent-owner-cache.js';
export type { GraphMonitorOptions } from './gc/graph-monitor.js';
export { GraphMonitor, GC_IGNORED_RESOURCES } from './gc/graph-monitor.js';
export { GarbageCollector, OWNER_REF_INVALID_NAMESPACE } from './gc/garbage-collector.controller.js';
// namespace controller
export type { ContentReport } from './namespace/namespace-conditions.js';
export { NamespaceConditionTypes, namespaceConditions } from './namespace/namespace-conditions.js';
export { NamespaceController, KUBERNETES_NAMESPACE_FINALIZER, namespacedContentKinds } from './namespace/namespace.controller.js';
// service accounts and the root CA
export {
  ServiceAccountController,
  DEFAULT_SERVICE_ACCOUNT_NAME,
  defaultServiceAccount,
} from './serviceaccount/service-account.controller.js';
export {
  RootCACertPublisher,
  rootCAConfigMap,
  rootCAConfigMapIsCurrent,
  ROOT_CA_CONFIG_MAP_NAME,
  ROOT_CA_KEY,
  DESCRIPTION_ANNOTATION,
} from './serviceaccount/root-ca-cert-publisher.controller.js';
export { RootCAToken } from './serviceaccount/tokens.js';
export { isNamespaceActive } from './serviceaccount/namespace-activity.js';
// controller-manager
export type { SourceProvider } from './controller-manager/source-provider.js';
export { isSourceProvider } from './controller-manager/source-provider.js';
export {
  KUBERNETES_CONTROLLER_NAMES,
  KUBERNETES_DISABLED_BY_DEFAULT,
  KUBERNETES_CONTROLLER_ALIASES,
} from './controller-manager/controller-names.js';
export type { SelectableController, ControllerSelection } from './controller-manager/controller-selection.js';
export { selectControllers, parseControllersFlag } from './controller-manager/controller-selection.js';
export type { WriteRateLimitOptions } from './controller-manager/rate-limited-store.js';
export { rateLimitedWrites } from './controller-manager/rate-limited-store.js';
export type { BuiltinControllerEntry, BuiltinControllerConfig } from './controller-manager/builtin-controllers.js';
export { BUILTIN_CONTROLLERS } from './controller-manager/builtin-controllers.js';
export type { ControllerManagerOptions, ControllerManager } from './controller-manager/controller-manager.js';
export { createControllerManager, builtinBlueprintOf, CONTROLLER_MANAGER_LEASE } from './controller-manager/controller-manager.js';
// workloads: ReplicaSet, ReplicationController, Deployment
export type {
  PodExpectationsOptions,
  PendingWrites,
  Fenceposts,
  NewReplicaSetStep,
  SlowStartResult,
  ReplicaStatus,
  ReplicaObject,
  ReplicaKind,
  ReplicaManagerOptions,
  ClaimOptions,
  DeploymentStatus,
  DeploymentCondition,
  RolloutContext,
  DeploymentSyncDeps,
} from './workloads/index.js';
export {
  PodExpectations,
  EXPECTATIONS_TTL_MS,
  podFromTemplate,
  createPod,
  compareForDeletion,
  podsToDelete,
  POD_DELETION_COST_ANNOTATION,
  isPodActive,
  isPodTerminating,
  isPodReady,
  isPodAvailable,
  podReadyCondition,
  podReadySince,
  podRestarts,
  slowStartBatch,
  ReplicaManager,
  ReplicaController,
  ReplicaFailure,
  BURST_REPLICAS,
  ReplicaSetController,
  replicaSetKind,
  ReplicationControllerController,
  replicationControllerKind,
  claimChildren,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  scaledValue,
  resolveFenceposts,
  maxSurge,
  maxUnavailable,
  computeTemplateHash,
  templatesEqualIgnoringHash,
  revisionOf,
  DeploymentReasons,
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  hasProgressDeadline,
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  scaleDeployment,
  isScalingEvent,
  replicaSetsToCleanUp,
  DeploymentSync,
  DeploymentController,
} from './workloads/index.js';
// nodes: lifecycle (health, taints), taint-based eviction, pod range allocation
export type { NodeTaint } from './node/node-taints.js';
export {
  TAINT_NODE_NOT_READY,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  CONDITION_TAINTS,
  CONTROLLER_NO_SCHEDULE_KEYS,
  sameTaint,
  toleratesTaint,
  matchingToleration,
  taintsWithEffect,
} from './node/node-taints.js';
export { POD_NODE_NAME_INDEX, ensurePodNodeNameIndex, podsOnNode } from './node/pods-by-node.js';
export type { ZoneState, ZoneDisruptionOptions } from './node/zone-disruption.js';
export { ZoneDisruption, zoneOf } from './node/zone-disruption.js';
export type { NodeHealth } from './node/node-health.js';
export { NodeHealthTable } from './node/node-health.js';
export type { NodeLifecycleOptions } from './node/node-lifecycle-options.js';
export { NODE_LEASE_NAMESPACE, NodeLifecycleOptionsToken } from './node/node-lifecycle-options.js';
export { NodeLifecycleController, KUBELET_CONDITIONS } from './node/node-lifecycle.controller.js';
export type { EvictionVerdict } from './node/taint-eviction.controller.js';
export { TaintEvictionController, evictionVerdict } from './node/taint-eviction.controller.js';
export type { Ipv4Cidr, CidrSetOptions } from './node/cidr-set.js';
export { CidrSet, parseIpv4Cidr, formatIpv4Cidr, MAX_SUBNET_BITS } from './node/cidr-set.js';
export type { NodeIpamOptions } from './node/node-ipam.controller.js';
export {
  NodeIpamController,
  NodeIpamOptionsToken,
  DEFAULT_CLUSTER_CIDR,
  DEFAULT_NODE_CIDR_MASK_SIZE,
  CIDR_RETRY_MS,
} from './node/node-ipam.controller.js';
// simulated nodes (kwok-style, until the kubelet lands)
export type {
  SimulatedNodeAgentOptions,
  SimulatedNodeAgentBlueprintOptions,
  SimulatedNodeAgentParts,
} from './simulated-nodes/simulated-node-agent.controller.js';
export {
  SimulatedNodeAgent,
  SimulatedNodeAgentOptionsToken,
  simulatedNodeAgent,
} from './simulated-nodes/simulated-node-agent.controller.js';
export {
  simulatedNode,
  simulatedNodeName,
  simulatedNodeAddress,
  simulatedPodCidr,
  SIMULATED_NODE_LABEL,
  SIMULATED_KUBELET_VERSION,
} from './simulated-nodes/simulated-node.js';
