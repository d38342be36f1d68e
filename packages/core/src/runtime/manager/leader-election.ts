import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isNotFound } from '../../api/errors.js';
import type { ResourceType } from '../../api/resource-type.js';
import { Leases, type Lease } from '../../kinds/misc/lease.kind.js';
import type { ObjectStore } from '../../store/object-store.js';
import { realClock, sleep, type Clock } from '../../util/clock.js';
import { mutable } from '../../util/mutable.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { RuntimeMetrics } from '../metrics/runtime-metrics.js';

/** The spec of a coordination.k8s.io/v1 Lease as leader election uses it. Times are MicroTime strings (RFC 3339 with microseconds). */
export type LeaseSpec = NonNullable<Lease['spec']>;

/** Options of a LeaderElector. Durations in milliseconds, defaults as client-go's. */
export interface LeaderElectionOptions {
  /** Where the Lease lives. */
  store: ObjectStore;
  /** The Lease's name; all candidates for one role use the same. */
  leaseName: string;
  /** The Lease's namespace; default `default`. */
  leaseNamespace?: string;
  /** This candidate's identity; default `<hostname>_<random uuid>`. */
  identity?: string;
  /** How long non-leaders wait after the last observed renewal before taking over; default 15 s. */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a failing renewal before it gives up leadership; default 10 s. */
  renewDeadlineMs?: number;
  /** How often candidates try to acquire and the leader renews; default 2 s. */
  retryPeriodMs?: number;
  /** On a clean stop, release the lease so another candidate takes over at once; default true. */
  releaseOnCancel?: boolean;
  clock?: Clock;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** The source of jitter in [0, 1); default Math.random. */
  random?: () => number;
  /** The Lease kind to use; default `Leases` (coordination.k8s.io/v1). */
  leaseType?: ResourceType<Lease>;
}

/** What a leader elector calls as leadership comes and goes. */
export interface LeaderCallbacks {
  /** This candidate became leader; `signal` aborts the moment leadership ends. */
  onStartedLeading(signal: AbortSignal): void;
  /** This candidate stopped leading (lost the lease, or stopped). */
  onStoppedLeading?(): void;
  /** Another (or this) candidate was observed as the holder. */
  onNewLeader?(identity: string): void;
}

type Attempt = 'ok' | 'failed' | 'held';

/** Jitter factor of the acquire loop, as client-go: wait between retryPeriod and 2.2 × retryPeriod. */
const JITTER_FACTOR = 1.2;

/** Formats ms since the epoch as a Kubernetes MicroTime: `2024-01-01T00:00:00.123000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's algorithm:
 *
 * - A candidate takes the lease when it does not exist, has no holder, or has not been
 *   renewed for `leaseDuration` as measured on this candidate's own clock since it last saw
 *   the lease change (so clock skew between machines does not matter). Writes are
 *   conditional on resourceVersion, so two candidates never both win.
 * - The leader renews every `retryPeriod`. If renewals keep failing for `renewDeadline`
 *   (shorter than `leaseDuration`, so it steps down before anyone can take over), or it sees
 *   another holder, it stops leading at once: the term's signal aborts.
 * - Candidates retry every `retryPeriod` plus up to 120 % jitter.
 * - After losing the lease it becomes a candidate again; on stop it releases the lease
 *   (unless `releaseOnCancel: false`) so a standby takes over without waiting.
 */
export class LeaderElector {
  /** This candidate's identity, written as the Lease's holderIdentity. */
  readonly identity: string;
  private readonly store: ObjectStore;
  private readonly name: string;
  private readonly namespace: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly releaseOnCancel: boolean;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly metrics: RuntimeMetrics | undefined;
  private readonly random: () => number;
  private readonly leaseType: ResourceType<Lease>;
  /** The lease spec as last seen, and when (on our clock) it last changed. */
  private observed: LeaseSpec | undefined;
  private observedTime = 0;
  private leading = false;
  private lastRenew = 0;

  /** Makes a candidate; it campaigns only once `run` is called. */
  constructor(options: LeaderElectionOptions) {
    this.store = options.store;
    this.name = options.leaseName;
    this.namespace = options.leaseNamespace ?? 'default';
    this.identity = options.identity ?? `${hostname()}_${randomUUID()}`;
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod × 1.2');
    this.releaseOnCancel = options.releaseOnCancel ?? true;
    this.clock = options.clock ?? realClock;
    this.log = (options.logger ?? silentLogger()).child({ lease: `${this.namespace}/${this.name}`, identity: this.identity });
    this.metrics = options.metrics;
    this.random = options.random ?? Math.random;
    this.leaseType = options.leaseType ?? Leases;
    this.metrics?.setLeader(this.name, false);
  }

  /** True while this candidate holds the lease. */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed on the Lease, if any. */
  leader(): string | undefined {
    return this.observed?.holderIdentity || undefined;
  }

  /**
   * A health check: fails when this candidate believes it leads but has not renewed for
   * longer than leaseDuration + `toleranceMs` (its renew loop is stuck).
   */
  check(toleranceMs = 0): Error | undefined {
    if (!this.leading) return undefined;
    if (this.clock.now() > this.lastRenew + this.leaseDurationMs + toleranceMs) {
      return new Error(`failed election to renew leadership on lease ${this.namespace}/${this.name}`);
    }
    return undefined;
  }

  /** Campaigns, leads and campaigns again after a loss, until `signal` aborts. */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    while (!signal.aborted) {
      this.log.info('attempting to acquire leader lease');
      if (!(await this.acquire(signal, callbacks))) break;
      const term = new AbortController();
      this.leading = true;
      this.metrics?.setLeader(this.name, true);
      this.log.info('successfully acquired lease');
      try {
        callbacks.onStartedLeading(term.signal);
        await this.renewLoop(signal, callbacks);
      } finally {
        this.leading = false;
        this.metrics?.setLeader(this.name, false);
        term.abort(new Error('leadership lost'));
        callbacks.onStoppedLeading?.();
      }
      if (signal.aborted) {
        if (this.releaseOnCancel) await this.release();
        break;
      }
      this.log.error('leader election lost');
    }
  }

  private async acquire(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      const attempt = await this.tryAcquireOrRenew(callbacks);
      if (attempt === 'ok') return true;
      const wait = this.retryPeriodMs * (1 + this.random() * JITTER_FACTOR);
      try {
        await sleep(this.clock, wait, signal);
      } catch {
        return false;
      }
    }
  }

  /** Renews until renewals fail for renewDeadline, another holder shows up, or `signal` aborts. */
  private async renewLoop(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    for (;;) {
      try {
        await sleep(this.clock, this.retryPeriodMs, signal);
      } catch {
        return;
      }
      const deadline = this.clock.now() + this.renewDeadlineMs;
      for (;;) {
        if (this.clock.now() >= deadline) {
          this.log.error({ renewDeadlineMs: this.renewDeadlineMs }, 'failed to renew lease within the renew deadline');
          return;
        }
        const attempt = await this.withDeadline(this.tryAcquireOrRenew(callbacks), deadline, signal);
        if (signal.aborted) return;
        if (attempt === 'ok') break;
        if (attempt === 'held') {
          this.log.error({ holder: this.leader() }, 'lease is held by another candidate');
          return;
        }
        try {
          await sleep(this.clock, Math.min(this.retryPeriodMs, deadline - this.clock.now()), signal);
        } catch {
          return;
        }
      }
    }
  }

  private withDeadline(attempt: Promise<Attempt>, deadline: number, signal: AbortSignal): Promise<Attempt> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => resolve('failed'), Math.max(0, deadline - this.clock.now()));
      const onAbort = () => resolve('failed');
      signal.addEventListener('abort', onAbort, { once: true });
      attempt
        .then(
          (a) => resolve(a),
          () => resolve('failed'),
        )
        .finally(() => {
          this.clock.clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        });
    });
  }

  private observe(spec: LeaseSpec, now: number, callbacks: LeaderCallbacks): void {
    const o = this.observed;
    const changed =
      !o ||
      o.holderIdentity !== spec.holderIdentity ||
      o.renewTime !== spec.renewTime ||
      o.acquireTime !== spec.acquireTime ||
      o.leaseTransitions !== spec.leaseTransitions ||
      o.leaseDurationSeconds !== spec.leaseDurationSeconds;
    if (!changed) return;
    const newHolder = spec.holderIdentity && spec.holderIdentity !== o?.holderIdentity;
    this.observed = { ...spec };
    this.observedTime = now;
    if (newHolder) callbacks.onNewLeader?.(spec.holderIdentity!);
  }

  /** One attempt to take or renew the lease. */
  private async tryAcquireOrRenew(callbacks: LeaderCallbacks): Promise<Attempt> {
    const key = { namespace: this.namespace, name: this.name };
    const now = this.clock.now();
    const desired = (old: LeaseSpec | undefined): LeaseSpec => {
      const stillMine = old?.holderIdentity === this.identity && this.leading;
      return {
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: stillMine && old?.acquireTime ? old.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: stillMine
          ? (old?.leaseTransitions ?? 0)
          : old
            ? (old.leaseTransitions ?? 0) + (old.holderIdentity === this.identity ? 0 : 1)
            : 0,
      };
    };
    let lease: Lease;
    try {
      lease = await this.store.get(this.leaseType, key);
    } catch (err) {
      // duck-typed as well: a StatusError from another copy of this package fails instanceof
      if (!isNotFound(err) && (err as { reason?: unknown } | null)?.reason !== 'NotFound') {
        this.log.warn({ err }, 'error retrieving lease');
        return 'failed';
      }
      try {
        const created = await this.store.create(this.leaseType, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { namespace: this.namespace, name: this.name },
          spec: desired(undefined),
        });
        this.observe(created.spec ?? {}, this.clock.now(), callbacks);
        this.lastRenew = now;
        return 'ok';
      } catch (createErr) {
        this.log.warn({ err: createErr }, 'error creating lease');
        return 'failed';
      }
    }
    const spec = lease.spec ?? {};
    this.observe(spec, this.clock.now(), callbacks);
    const holder = spec.holderIdentity;
    const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
    if (holder && holder !== this.identity && this.observedTime + durationMs > this.clock.now()) return 'held';
    const next = mutable(lease);
    next.spec = desired(spec);
    try {
      const updated = await this.store.update(this.leaseType, next);
      this.observe(updated.spec ?? {}, this.clock.now(), callbacks);
      this.lastRenew = now;
      return 'ok';
    } catch (err) {
      this.log.warn({ err }, 'error updating lease');
      return 'failed';
    }
  }

  /** Gives the lease up (if still ours), so another candidate can take it at once. */
  private async release(): Promise<void> {
    try {
      const lease = await this.store.get(this.leaseType, { namespace: this.namespace, name: this.name });
      if (lease.spec?.holderIdentity !== this.identity) return;
      const next = mutable(lease);
      const now = microTime(this.clock.now());
      next.spec = { leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec.leaseTransitions ?? 0 };
      await this.store.update(this.leaseType, next);
      this.log.info('released lease');
    } catch (err) {
      this.log.warn({ err }, 'failed to release lease');
    }
  }
}
