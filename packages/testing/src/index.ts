// fake store
export type { FakeStoreOptions } from './fake-store.js';
export { FakeStore, sequentialUids, seededRandom } from './fake-store.js';
export type { Verb, Action, ActionMatch } from './actions.js';
export { WRITE_VERBS, actionKey, actionObjectKey, matchesAction, describeAction, describeMatch } from './actions.js';
export type { InterceptContext, InterceptHandler, InterceptOptions, Interception } from './interceptors.js';
export { fail, latency } from './interceptors.js';
// virtual time (the runtime's own clock, re-exported)
export type { VirtualClockOptions, RunAllOptions } from '@converge/core';
export { VirtualClock, VIRTUAL_EPOCH } from '@converge/core';
