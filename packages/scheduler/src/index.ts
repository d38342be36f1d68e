// @converge/scheduler: kube-scheduler's framework and plugins, as Converge plugins.
export type { StatusCode } from './framework/status.js';
export { Status } from './framework/status.js';
export type { StateData } from './framework/cycle-state.js';
export { CycleState } from './framework/cycle-state.js';
export type { Resource, PodRequestsOptions } from './framework/resource.js';
export {
  emptyResource,
  cloneResource,
  addResource,
  resourceAmount,
  resourceFromList,
  podRequests,
  DEFAULT_MILLI_CPU_REQUEST,
  DEFAULT_MEMORY_REQUEST,
} from './framework/resource.js';
export type { PodInfo, HostPort } from './framework/node-info.js';
export { NodeInfo, HostPortInfo, podInfoOf, podKey, hostPortsOf } from './framework/node-info.js';
export type {
  ActionTypeFlags,
  EventResource,
  ClusterEvent,
  QueueingHint,
  QueueingHintFn,
  ClusterEventWithHint,
} from './framework/cluster-event.js';
export { ActionType, eventMatches } from './framework/cluster-event.js';
export type {
  SchedulerPlugin,
  PreFilterResult,
  PreFilterExtensions,
  PreFilterPlugin,
  FilterPlugin,
  PostFilterResult,
  PostFilterPlugin,
  PreScorePlugin,
  NodeScore,
  ScorePlugin,
  ReservePlugin,
  PermitResult,
  PermitPlugin,
  PreBindPlugin,
  BindPlugin,
  PostBindPlugin,
  EnqueueExtensions,
} from './framework/plugin.js';
export {
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  isPreFilterPlugin,
  isFilterPlugin,
  isPostFilterPlugin,
  isPreScorePlugin,
  isScorePlugin,
  isReservePlugin,
  isPermitPlugin,
  isPreBindPlugin,
  isBindPlugin,
  isPostBindPlugin,
  isEnqueueExtensions,
} from './framework/plugin.js';
export type { Snapshot, SnapshotChanges, Nominator, WaitingPod, FrameworkHandle } from './framework/handle.js';
export { FrameworkHandleToken, PluginArgsToken } from './framework/handle.js';
export type { SchedulerPluginOptions, SchedulerPluginType } from './framework/plugin.decorator.js';
export { SchedulerPluginClass, schedulerPluginMetadataOf, PluginRegistry } from './framework/plugin.decorator.js';
// schedplug1: the basic node-level plugins and their helpers
export { BASIC_PLUGINS } from './plugins/basic-plugins.js';
export { NodeResourcesFitPlugin, NODE_RESOURCES_FIT_PLUGIN } from './plugins/noderesources/node-resources-fit.plugin.js';
export { BalancedAllocationPlugin, BALANCED_ALLOCATION_PLUGIN } from './plugins/noderesources/balanced-allocation.plugin.js';
export type {
  ScoringStrategyType,
  ResourceSpec,
  UtilizationShapePoint,
  ScoringStrategy,
  NodeResourcesFitArgs,
  NodeResourcesBalancedAllocationArgs,
} from './plugins/noderesources/node-resources-args.js';
export {
  DEFAULT_RESOURCE_SPECS,
  parseNodeResourcesFitArgs,
  parseBalancedAllocationArgs,
} from './plugins/noderesources/node-resources-args.js';
export type { InsufficientResource, IgnoredResources } from './plugins/noderesources/fits-request.js';
export { fitsRequest, isExtendedResourceName } from './plugins/noderesources/fits-request.js';
export { NodeNamePlugin, NODE_NAME_PLUGIN, ERR_REASON_NODE_NAME, fitsNodeName } from './plugins/nodename/node-name.plugin.js';
export { NodePortsPlugin, NODE_PORTS_PLUGIN, ERR_REASON_NODE_PORTS, fitsPorts } from './plugins/nodeports/node-ports.plugin.js';
export {
  NodeUnschedulablePlugin,
  NODE_UNSCHEDULABLE_PLUGIN,
  ERR_REASON_UNSCHEDULABLE,
  toleratesUnschedulable,
} from './plugins/nodeunschedulable/node-unschedulable.plugin.js';
export {
  TaintTolerationPlugin,
  TAINT_TOLERATION_PLUGIN,
  untoleratedTaintReason,
} from './plugins/tainttoleration/taint-toleration.plugin.js';
export {
  NodeAffinityPlugin,
  NODE_AFFINITY_PLUGIN,
  ERR_REASON_POD_AFFINITY,
  ERR_REASON_ENFORCED,
  ERR_REASON_CONFLICT,
} from './plugins/nodeaffinity/node-affinity.plugin.js';
export type { NodeAffinityArgs } from './plugins/nodeaffinity/node-affinity-args.js';
export { parseNodeAffinityArgs } from './plugins/nodeaffinity/node-affinity-args.js';
export type { Taint, TaintEffect } from './plugins/helpers/tolerations.js';
export {
  tolerates,
  tolerationsTolerateTaint,
  findUntoleratedTaint,
  isDoNotScheduleTaint,
  TAINT_NODE_UNSCHEDULABLE,
} from './plugins/helpers/tolerations.js';
export type { NodeSelector, PreferredSchedulingTerm } from './plugins/helpers/node-selector.js';
export {
  CompiledNodeSelectorTerm,
  CompiledNodeSelector,
  CompiledPreferredTerms,
  RequiredNodeAffinity,
  isEmptyNodeSelectorTerm,
  OBJECT_NAME_FIELD,
} from './plugins/helpers/node-selector.js';
export type { NormalizeScoreOptions } from './plugins/helpers/normalize-score.js';
export { defaultNormalizeScore } from './plugins/helpers/normalize-score.js';

// schedpreempt: DefaultPreemption (PostFilter)
export { PREEMPTION_PLUGINS } from './plugins/preemption-plugins.js';
export {
  DefaultPreemption,
  DEFAULT_PREEMPTION,
  PREEMPTION_NOT_HELPFUL_REASON,
} from './plugins/defaultpreemption/default-preemption.plugin.js';
export type { DefaultPreemptionArgs } from './plugins/defaultpreemption/default-preemption-args.js';
export { DefaultPreemptionArgsSchema, parseDefaultPreemptionArgs } from './plugins/defaultpreemption/default-preemption-args.js';
export type { PreemptionCandidate } from './plugins/defaultpreemption/candidate.js';
export { pickBestCandidate } from './plugins/defaultpreemption/candidate.js';
export type { SelectVictimsOptions, VictimSelection } from './plugins/defaultpreemption/victim-selection.js';
export { selectVictimsOnNode, NO_VICTIMS_REASON } from './plugins/defaultpreemption/victim-selection.js';
export { runFilterPluginsWithNominatedPods } from './plugins/defaultpreemption/filter-with-nominated-pods.js';
export { moreImportantPod } from './plugins/defaultpreemption/pod-importance.js';
export { DISRUPTION_TARGET, PREEMPTION_BY_SCHEDULER } from './plugins/defaultpreemption/prepare-candidate.js';

// schedcore: the framework runtime, cache, queue, scheduler, DefaultBinder and configuration.
export type { ExtensionPoint, PluginRef, PluginSetConfig, ProfileConfig } from './runtime/profile-config.js';
export { EXTENSION_POINTS } from './runtime/profile-config.js';
export type { FrameworkOptions, WeightedScorePlugin } from './runtime/framework.js';
export { Framework } from './runtime/framework.js';
export { PermitWaitingPod, MAX_PERMIT_TIMEOUT_MS } from './runtime/waiting-pod.js';
export type { Diagnosis } from './runtime/fit-error.js';
export { FitError, fitErrorMessage, newDiagnosis, NO_NODES_AVAILABLE } from './runtime/fit-error.js';
export type { ScheduleResult } from './runtime/schedule-algorithm.js';
export { ScheduleAlgorithm, SchedulingError, numFeasibleNodesToFind } from './runtime/schedule-algorithm.js';
export type { SchedulerCacheOptions } from './cache/scheduler-cache.js';
export { SchedulerCache } from './cache/scheduler-cache.js';
export { NodeSnapshot } from './cache/node-snapshot.js';
export type { SchedulingQueueOptions } from './queue/scheduling-queue.js';
export { SchedulingQueue, UNSCHEDULABLE_TIMEOUT } from './queue/scheduling-queue.js';
export type { QueuedPodInfo } from './queue/queued-pod-info.js';
export { podPriority } from './queue/queued-pod-info.js';
export { PodNominator } from './queue/nominator.js';
export type { SchedulerOptions } from './scheduler.js';
export { Scheduler, createScheduler } from './scheduler.js';
export type { KubeSchedulerOptions } from './scheduler-runnable.js';
export { KubeScheduler, SchedulerOptionsToken } from './scheduler-runnable.js';
export { ASSIGNED_POD_ADD, ASSIGNED_POD_DELETE, NODE_ADD, NODE_DELETE } from './scheduler-event-handlers.js';
export { DefaultBinder, DEFAULT_BINDER } from './plugins/defaultbinder/default-binder.plugin.js';
export type { SchedulerConfiguration, ResolveConfigurationOptions } from './config/scheduler-configuration.js';
export {
  SchedulerConfigurationError,
  defaultSchedulerConfiguration,
  loadSchedulerConfiguration,
  parseSchedulerConfiguration,
  resolveSchedulerConfiguration,
} from './config/scheduler-configuration.js';
export type { KubeSchedulerConfiguration } from './config/kube-scheduler-configuration.schema.js';
export { KubeSchedulerConfigurationSchema } from './config/kube-scheduler-configuration.schema.js';
export { DEFAULT_SCHEDULER_NAME, DEFAULT_MULTI_POINT_PLUGINS, BUILT_IN_PLUGINS } from './config/default-plugins.js';

// schedplug2: topology plugins (InterPodAffinity, PodTopologySpread)
export { TOPOLOGY_PLUGINS } from './plugins/topology-plugins.js';
export { InterPodAffinity } from './plugins/interpodaffinity/inter-pod-affinity.plugin.js';
export type { InterPodAffinityArgs } from './plugins/interpodaffinity/inter-pod-affinity.args.js';
export { InterPodAffinityArgsSchema } from './plugins/interpodaffinity/inter-pod-affinity.args.js';
export { PodTopologySpread } from './plugins/podtopologyspread/pod-topology-spread.plugin.js';
export type { PodTopologySpreadArgs } from './plugins/podtopologyspread/pod-topology-spread.args.js';
export { PodTopologySpreadArgsSchema, SYSTEM_DEFAULT_CONSTRAINTS } from './plugins/podtopologyspread/pod-topology-spread.args.js';
export { ListerCache } from './plugins/interpodaffinity/lister-cache.js';
export { IN_TREE_PLUGINS, inTreeRegistry } from './plugins/in-tree-registry.js';
