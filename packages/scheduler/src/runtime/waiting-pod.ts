/**
 * A pod held at Permit (kube-scheduler's waitingPod): it waits until every plugin that
 * answered Wait allows it, one rejects it, or a plugin's time-out passes.
 */
import type { Clock, ClockTimer, Pod } from '@converge/core';
import type { WaitingPod } from '../framework/handle.js';
import { Status } from '../framework/status.js';

/** The longest a Permit plugin may hold a pod (kube-scheduler: 15 minutes). */
export const MAX_PERMIT_TIMEOUT_MS = 15 * 60_000;

/** A pod waiting at Permit; `result` settles with Success once allowed, Unschedulable when rejected or timed out. */
export class PermitWaitingPod implements WaitingPod {
  /** Settles with the outcome. */
  readonly result: Promise<Status>;
  private readonly timers = new Map<string, ClockTimer>();
  private settle!: (s: Status) => void;
  private settled = false;

  /** Holds `pod` for the plugins given (name → time-out in ms). */
  constructor(
    readonly pod: Pod,
    plugins: ReadonlyMap<string, number>,
    private readonly clock: Clock,
  ) {
    this.result = new Promise<Status>((resolve) => (this.settle = resolve));
    for (const [plugin, timeoutMs] of plugins) {
      const ms = Math.min(Math.max(0, timeoutMs), MAX_PERMIT_TIMEOUT_MS);
      this.timers.set(
        plugin,
        clock.setTimeout(() => this.reject(plugin, `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`), ms),
      );
    }
  }

  /** The plugins that still have to allow the pod. */
  pendingPlugins(): readonly string[] {
    return [...this.timers.keys()];
  }

  /** Allows the pod for `plugin`; the last allow lets it go to binding. */
  allow(plugin: string): void {
    const t = this.timers.get(plugin);
    if (t === undefined || this.settled) return;
    this.clock.clearTimeout(t);
    this.timers.delete(plugin);
    if (this.timers.size === 0) this.finish(Status.success);
  }

  /** Rejects the pod: the attempt fails as Unschedulable with `message`, naming `plugin`. */
  reject(plugin: string, message: string): void {
    if (this.settled) return;
    this.finish(new Status('Unschedulable', [message], plugin));
  }

  private finish(status: Status): void {
    this.settled = true;
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
    this.settle(status);
  }
}
