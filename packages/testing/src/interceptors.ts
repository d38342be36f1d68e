import type { Clock } from '@converge/core';
import { from, map, mergeMap, type Observable } from 'rxjs';
import type { Action, ActionMatch } from './actions.js';

/**
 * What an interceptor gets for one intercepted call.
 *
 * The handler decides the call's fate: throw (or reject) to fail it, `await ctx.sleep(ms)`
 * to add latency in virtual time, return a value to answer in the store's place, or return
 * nothing to let the call proceed. `ctx.proceed()` runs the rest of the chain (later
 * interceptors, then the real registry) and gives its answer, so a handler can act after
 * the real call too: e.g. fail *after* a write succeeded ("the response was lost").
 */
export interface InterceptContext {
  /** The call being made (its `result` / `error` are not set yet). */
  readonly action: Action;
  /** The store's clock. */
  readonly clock: Clock;
  /** How many calls this interceptor handled before this one. */
  readonly calls: number;
  /** Resolves after `ms` of the store's (virtual) time. */
  sleep(ms: number): Promise<void>;
  /**
   * Runs the rest of the chain once and resolves with its answer (for `watch`, the
   * Observable). Calling it again returns the same promise.
   */
  proceed(): Promise<unknown>;
}

/**
 * An interceptor's handler. Returning `undefined` (or a promise of it) proceeds with the
 * call, unless the handler already called `proceed()`, whose answer is then used.
 */
export type InterceptHandler = (ctx: InterceptContext) => unknown;

/** Options of `FakeStore.intercept`. */
export interface InterceptOptions {
  /** Handle at most this many calls, then step aside (default: every call, until removed). */
  times?: number;
}

/** A registered interceptor: how often it fired, and how to remove it. */
export interface Interception {
  /** What it applies to. */
  readonly match: ActionMatch;
  /** How many calls it has handled so far. */
  readonly calls: number;
  /** Whether it still applies (not removed and not used up). */
  readonly active: boolean;
  /** Stops it from applying to later calls. */
  remove(): void;
}

/**
 * A handler that fails every call it handles with `error` (an Error, or a function making
 * one per call, e.g. `() => conflict(...)`): `store.intercept(match, fail(conflict(...)))`.
 */
export function fail(error: unknown | ((ctx: InterceptContext) => unknown)): InterceptHandler {
  return (ctx) => {
    throw typeof error === 'function' ? (error as (c: InterceptContext) => unknown)(ctx) : error;
  };
}

/**
 * A handler that delays every call it handles by `ms` of virtual time before it proceeds:
 * `store.intercept({ verb: 'get' }, latency(250))`. The call completes only when a test
 * advances the store's clock by that much.
 */
export function latency(ms: number): InterceptHandler {
  return async (ctx) => {
    await ctx.sleep(ms);
    return ctx.proceed();
  };
}

/**
 * A handler for `watch` calls that delivers every event of the watches it handles `ms` of
 * virtual time late, in order, as a busy API server's watch cache may:
 * `store.intercept({ verb: 'watch' }, watchLatency(500))`. Informers (and a cached client
 * reading from them) then lag the store until the test advances the clock.
 */
export function watchLatency(ms: number): InterceptHandler {
  return async (ctx) => {
    const events = (await ctx.proceed()) as Observable<unknown>;
    return events.pipe(mergeMap((e) => from(ctx.sleep(ms)).pipe(map(() => e))));
  };
}
