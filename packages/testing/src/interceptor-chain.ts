/**
 * The interceptors registered on a FakeStore, and how a call runs through them before it
 * reaches the real registry.
 */
import { sleep, type Clock } from '@converge/core';
import { matchesAction, type Action, type ActionMatch } from './actions.js';
import type { InterceptContext, InterceptHandler, Interception, InterceptOptions } from './interceptors.js';

interface InterceptorEntry {
  readonly match: ActionMatch;
  readonly handler: InterceptHandler;
  readonly times: number;
  calls: number;
  removed: boolean;
}

/** The ordered interceptors of a store. */
export class InterceptorChain {
  private entries: InterceptorEntry[] = [];

  /** Makes a chain whose handlers sleep on `clock` (the store's virtual clock). */
  constructor(private readonly clock: Clock) {}

  /** Adds an interceptor at the end of the chain; returns a handle to count and remove it. */
  add(match: ActionMatch, handler: InterceptHandler, options: InterceptOptions): Interception {
    const entry: InterceptorEntry = { match, handler, times: options.times ?? Infinity, calls: 0, removed: false };
    this.entries.push(entry);
    return {
      match,
      get calls() {
        return entry.calls;
      },
      get active() {
        return !entry.removed && entry.calls < entry.times;
      },
      remove: () => {
        entry.removed = true;
        this.entries = this.entries.filter((e) => e !== entry);
      },
    };
  }

  /** Removes every interceptor. */
  clear(): void {
    for (const e of this.entries) e.removed = true;
    this.entries = [];
  }

  /**
   * Runs `action` through the interceptors registered now (in order, each deciding whether
   * the call reaches the next), then through `real`; resolves with the answer.
   */
  run(action: Action, real: () => Promise<unknown>): Promise<unknown> {
    return this.step(action, this.entries.slice(), 0, real);
  }

  private async step(action: Action, list: readonly InterceptorEntry[], from: number, real: () => Promise<unknown>): Promise<unknown> {
    for (let i = from; i < list.length; i++) {
      const entry = list[i]!;
      if (entry.removed || entry.calls >= entry.times || !matchesAction(action, entry.match)) continue;
      let proceeded: Promise<unknown> | undefined;
      const ctx: InterceptContext = {
        action,
        clock: this.clock,
        calls: entry.calls++,
        sleep: (ms) => sleep(this.clock, ms),
        proceed: () => (proceeded ??= this.step(action, list, i + 1, real)),
      };
      const answer = await entry.handler(ctx);
      if (answer !== undefined) return answer;
      return proceeded ?? this.step(action, list, i + 1, real);
    }
    return real();
  }
}
