/**
 * The scheduler as a `@Plugin` class, so a Manager builds it through its inversify container:
 * `manager.add(KubeScheduler)` is `manager.add(createScheduler({ store, informers, clock, logger,
 * container, ...options }))` with the manager's own services and the options bound under
 * `SchedulerOptionsToken`.
 */
import 'reflect-metadata';
import {
  ClockToken,
  InformersToken,
  LoggerToken,
  ManagerToken,
  ObjectStoreToken,
  Plugin,
  type Clock,
  type InformerProvider,
  type Logger,
  type Manager,
  type ObjectStore,
  type Runnable,
} from '@converge/core';
import { inject, injectable, optional } from 'inversify';
import { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';

/** The options a container-built scheduler takes (the rest come from the manager). */
export type KubeSchedulerOptions = Omit<SchedulerOptions, 'store' | 'informers' | 'clock' | 'logger' | 'container'>;

/** The inversify token of the `KubeSchedulerOptions` (optional: the default profile applies without it). */
export const SchedulerOptionsToken = Symbol.for('converge.scheduler.SchedulerOptions');

/** The scheduler, leader-elected, built from the manager's store (cached client), informers, clock and logger. */
@Plugin({ name: 'kube-scheduler', needLeaderElection: true })
@injectable()
export class KubeScheduler implements Runnable {
  /** The runnable's name. */
  readonly name = 'kube-scheduler';
  /** Runs only on the leader. */
  readonly needLeaderElection = true;
  /** The scheduler. */
  readonly scheduler: Scheduler;

  /** Made by the manager's container. */
  constructor(
    @inject(ObjectStoreToken) store: ObjectStore,
    @inject(InformersToken) informers: InformerProvider,
    @inject(ClockToken) clock: Clock,
    @inject(LoggerToken) logger: Logger,
    @inject(ManagerToken) @optional() manager?: Manager,
    @inject(SchedulerOptionsToken) @optional() options: KubeSchedulerOptions = {},
  ) {
    this.scheduler = createScheduler({
      ...options,
      store,
      informers,
      clock,
      logger,
      ...(manager ? { container: manager.container } : {}),
    });
  }

  /** Runs the scheduler until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    return this.scheduler.start(signal);
  }
}
