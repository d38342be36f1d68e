// fake store
export type { FakeStoreOptions } from './fake-store.js';
export { FakeStore, sequentialUids, seededRandom } from './fake-store.js';
export type { Verb, Action, ActionMatch } from './actions.js';
export { WRITE_VERBS, actionKey, actionObjectKey, matchesAction, describeAction, describeMatch } from './actions.js';
export type { InterceptContext, InterceptHandler, InterceptOptions, Interception } from './interceptors.js';
export { fail, latency, watchLatency } from './interceptors.js';
// virtual time (the runtime's own clock, re-exported)
export type { VirtualClockOptions, RunAllOptions } from '@converge/core/runtime';
export { VirtualClock, VIRTUAL_EPOCH } from '@converge/core/runtime';
// harness
export type { ReconcileOutcome, ReconcileRecord } from './reconcile-log.js';
export { ReconcileLog, outcomeOf, describeRecord, formatMs } from './reconcile-log.js';
export type { ReconcilerHarnessOptions, ReconcileOnceOptions, ReconcileRun } from './reconciler-harness.js';
export { ReconcilerHarness } from './reconciler-harness.js';
// assertions
export type { EventuallyOptions } from './eventually.js';
export { eventually } from './eventually.js';
export type { DeepPartial, Mismatch } from './partial-match.js';
export { firstMismatch } from './partial-match.js';
export type { QuiescenceOptions, QuiescenceReport, QuiescenceTarget } from './quiescence.js';
export { runUntilQuiescent, QuiescenceError } from './quiescence.js';
export type { ControllerHarnessOptions } from './controller-harness.js';
export { ControllerHarness, startController } from './controller-harness.js';
export type { CachedClientOptions } from './cached-client.js';
export { cachedClient } from './cached-client.js';
// test environment
export type { TestKubeletOptions, TestKubeletBlueprintOptions } from './test-kubelet.js';
export { TestKubelet, TestKubeletOptionsToken, testKubelet } from './test-kubelet.js';
export type { TestEnvOptions, TestEnvItem } from './test-env.js';
export { TestEnv, startTestEnv } from './test-env.js';
