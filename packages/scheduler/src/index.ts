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
export type { Snapshot, Nominator, WaitingPod, FrameworkHandle } from './framework/handle.js';
export { FrameworkHandleToken, PluginArgsToken } from './framework/handle.js';
export type { SchedulerPluginOptions, SchedulerPluginType } from './framework/plugin.decorator.js';
export { SchedulerPluginClass, schedulerPluginMetadataOf, PluginRegistry } from './framework/plugin.decorator.js';

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
