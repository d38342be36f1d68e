/**
 * The outcome of one plugin at one extension point, as kube-scheduler's framework.Status:
 * a code, the reasons (shown to users in the FailedScheduling message) and the plugin
 * that gave it.
 */

/** What a plugin's answer means to the scheduling cycle. */
export type StatusCode =
  /** The plugin is satisfied; go on. */
  | 'Success'
  /** Something went wrong inside the plugin (an internal error, not the pod's fault); the pod backs off. */
  | 'Error'
  /** The pod does not fit this node now; preemption may make it fit. */
  | 'Unschedulable'
  /** The pod does not fit this node and preemption cannot change that (e.g. node affinity). */
  | 'UnschedulableAndUnresolvable'
  /** A Permit plugin holds the pod until it is allowed or the time-out passes. */
  | 'Wait'
  /** The plugin has nothing to do for this pod: skip it (PreFilter, PreScore, Bind). */
  | 'Skip'
  /** The pod waits for something outside the scheduler; retried on a relevant event only. */
  | 'Pending';

/** One plugin's answer; a Success status with no reasons is the common case (`Status.success`). */
export class Status {
  /** The shared success status (no reasons, no plugin). */
  static readonly success: Status = new Status('Success', []);

  /**
   * Makes a status.
   * @param code what it means
   * @param reasons the reasons, each shown as `<count> <reason>` in FailedScheduling messages
   * @param plugin the plugin that failed (set by the framework when missing)
   */
  constructor(
    readonly code: StatusCode,
    readonly reasons: readonly string[] = [],
    readonly plugin?: string,
  ) {}

  /** An Unschedulable status with the reasons given. */
  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  /** An UnschedulableAndUnresolvable status with the reasons given. */
  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }

  /** An Error status from a thrown value or a message. */
  static error(err: unknown): Status {
    return new Status('Error', [err instanceof Error ? err.message : String(err)]);
  }

  /** A Skip status. */
  static skip(): Status {
    return SKIP;
  }

  /** True for Success (and for a missing status). */
  static isSuccess(status: Status | undefined | void): boolean {
    return status === undefined || status.code === 'Success';
  }

  /** True when the code is Success. */
  isSuccess(): boolean {
    return this.code === 'Success';
  }

  /** True for Unschedulable and UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable' || this.code === 'Pending';
  }

  /** This status with the plugin's name attached (unchanged when it already names one). */
  withPlugin(plugin: string): Status {
    return this.plugin !== undefined || this.code === 'Success' ? this : new Status(this.code, this.reasons, plugin);
  }

  /** The reasons joined for logs and errors. */
  message(): string {
    return this.reasons.join(', ');
  }
}

const SKIP = new Status('Skip', []);
