/**
 * Anything the manager runs: controllers, and any other plugin (a server, a periodic job,
 * a node agent loop).
 *
 * `start` runs until `signal` aborts and settles once the runnable has fully stopped; a
 * rejection before the signal aborted is a failure that stops the manager. A runnable
 * that needs leader election runs only while the manager holds the lease and is stopped
 * (its signal aborted) the moment the lease is lost; it may be started again on a new term.
 */
export interface Runnable {
  /** A name for logs and health checks. */
  readonly name?: string;
  /** Whether it runs only on the elected leader; controllers default to true, other runnables to false. */
  readonly needLeaderElection?: boolean;
  start(signal: AbortSignal): Promise<void> | void;
}

/** True when `x` looks like a Runnable (has a `start` method). */
export function isRunnable(x: unknown): x is Runnable {
  return typeof x === 'object' && x !== null && typeof (x as Runnable).start === 'function';
}

/** A runnable from a plain function. */
export function runnableFn(
  name: string,
  start: (signal: AbortSignal) => Promise<void> | void,
  options: { needLeaderElection?: boolean } = {},
): Runnable {
  return { name, needLeaderElection: options.needLeaderElection ?? false, start };
}
