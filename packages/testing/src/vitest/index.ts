/**
 * Vitest integration of `@converge/testing`: importing this module adds the custom matchers
 * (`toHaveObject`, `toContainAction`, `toHaveCondition`, `toHaveFinalizer`, `toBeOwnedBy`) to
 * vitest's `expect`, with their types.
 *
 * ```ts
 * import '@converge/testing/vitest';
 * expect(store).toHaveObject(ConfigMaps, 'default/web-config', { data: { greeting: 'hello' } });
 * expect(run).toContainAction({ verb: 'create', resource: 'deployments' });
 * ```
 */
import { expect } from 'vitest';
import { convergeMatchers } from './matchers.js';

expect.extend(convergeMatchers);

export type { ActionExpectation, ConvergeMatchers, MatcherOutcome, PeekableStore } from './matchers.js';
export { convergeMatchers } from './matchers.js';
