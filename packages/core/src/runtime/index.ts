/**
 * `@converge/core/runtime`: the parts the Manager and the test harness assemble, for code that
 * composes its own runtime: the controller runner and its dependencies, the metadata the
 * decorators record, reconcile-context construction, the leader elector, the health server,
 * the event correlator beneath `EventRecorder`, and the virtual clock (`@converge/testing`
 * re-exports it for tests).
 *
 * @module runtime
 */
export type { ReconcileContextOptions } from './reconciler/reconciler.js';
export { createReconcileContext } from './reconciler/reconciler.js';
export type { ControllerOptions } from './controller/controller.js';
export { ControllerRunner, whenAborted } from './controller/controller.js';
export type { ControllerDependencies } from './controller/builder.js';
export type { ControllerMetadata } from './decorators/controller.decorators.js';
export { controllerMetadataOf, controllerBlueprintOf, isDecoratedController } from './decorators/controller.decorators.js';
export { pluginMetadataOf } from './decorators/plugin.decorators.js';
export type { LeaseSpec, LeaderElectionOptions, LeaderCallbacks } from './manager/leader-election.js';
export { LeaderElector, microTime } from './manager/leader-election.js';
export type { HealthServerOptions } from './manager/health-server.js';
export { HealthServer } from './manager/health-server.js';
export type { EventCorrelatorOptions, Correlation } from '../helpers/event-correlator.js';
export { EventCorrelator, COMBINED_EVENTS_PREFIX } from '../helpers/event-correlator.js';
export type { VirtualClockOptions, RunAllOptions } from '../util/virtual-clock.js';
export { VirtualClock, VIRTUAL_EPOCH } from '../util/virtual-clock.js';
