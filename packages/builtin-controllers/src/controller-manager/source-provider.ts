import type { Source } from '@converge/core';

/**
 * A `@Controller` whose requests come from sources of its own rather than from one fixed
 * kind (the garbage collector follows every kind discovery reports). The controller-manager
 * adds these sources to the controller's blueprint (`ControllerBuilder.watchesSource`).
 */
export interface SourceProvider {
  /** The sources feeding this controller's queue. */
  sources(): readonly Source[];
}

/** Whether a reconciler provides sources of its own. */
export function isSourceProvider(x: unknown): x is SourceProvider {
  return typeof x === 'object' && x !== null && typeof (x as Partial<SourceProvider>).sources === 'function';
}
