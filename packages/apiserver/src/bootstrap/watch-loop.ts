/**
 * A watch that never stops silently: when the store ends it or fails, it is opened again after
 * a second (the injected clock's), from the current state, until `stop()`. The `kubernetes`
 * Service reconciler follows its objects with it.
 */
import {
  sleep,
  type Clock,
  type ObjectStore,
  type ResourceDefinition,
  type WatchEvent,
  type WatchOptions,
  type Logger,
} from '@converge/core';
import type { Subscription } from 'rxjs';

/** Options of a WatchLoop. */
export interface WatchLoopOptions {
  store: ObjectStore;
  def: ResourceDefinition;
  /** The watch's selectors (namespace, fieldSelector, ...); never a resourceVersion. */
  watch: Omit<WatchOptions, 'resourceVersion'>;
  /** Called for every event; a rejection is logged, never fatal. */
  onEvent(event: WatchEvent): Promise<void> | void;
  /** Called before every reopening (after the store ended or failed the watch), e.g. to resync. */
  onRestart?(): Promise<void> | void;
  clock: Clock;
  logger: Logger;
  /** What to call it in log lines. */
  what: string;
  /** Pause before reopening, in ms (default 1000). */
  restartDelayMs?: number;
}

/** Follows one watch until stopped, reopening it whenever it ends. */
export class WatchLoop {
  private sub: Subscription | undefined;
  private stopped = false;

  constructor(private readonly o: WatchLoopOptions) {}

  /** Opens the watch (from the current state: existing objects arrive as ADDED events). */
  start(): void {
    if (this.stopped || this.sub) return;
    const reopen = () => {
      this.sub = undefined;
      void this.restart();
    };
    this.sub = this.o.store.watch(this.o.def, this.o.watch).subscribe({
      next: (ev) => {
        if (this.stopped) return;
        void Promise.resolve()
          .then(() => this.o.onEvent(ev as WatchEvent))
          .catch((err: unknown) => this.o.logger.warn({ err: String(err) }, this.o.what));
      },
      error: (err: unknown) => {
        this.o.logger.warn({ err: String(err) }, `${this.o.what}: watch failed`);
        reopen();
      },
      complete: reopen,
    });
  }

  /** Closes the watch for good. */
  stop(): void {
    this.stopped = true;
    this.sub?.unsubscribe();
    this.sub = undefined;
  }

  private async restart(): Promise<void> {
    while (!this.stopped) {
      await sleep(this.o.clock, this.o.restartDelayMs ?? 1000);
      if (this.stopped) return;
      try {
        await this.o.onRestart?.();
        this.start();
        return;
      } catch (err) {
        this.o.logger.warn({ err: String(err) }, `${this.o.what}: resync failed`);
      }
    }
  }
}
