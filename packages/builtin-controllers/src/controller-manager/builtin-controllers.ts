import type { Newable } from 'inversify';
import type { Reconciler } from '@converge/core';
import { GarbageCollector } from '../gc/garbage-collector.controller.js';
import { NamespaceController } from '../namespace/namespace.controller.js';
import { DeploymentController, ReplicaSetController, ReplicationControllerController } from '../workloads/index.js';
import type { SelectableController } from './controller-selection.js';

/** One entry of the controller-manager's table: a Kubernetes controller name and the `@Controller` classes that implement it. */
export interface BuiltinControllerEntry extends SelectableController {
  /** The `@Controller` classes this name starts (created through the manager's container). */
  readonly controllers: readonly Newable<Reconciler>[];
  /** Workers per controller unless configured (`concurrency[name]`), as kube-controller-manager's `--concurrent-*-syncs` defaults. */
  readonly defaultConcurrency: number;
  /** The kube-controller-manager flag that sets its concurrency, e.g. `concurrent-gc-syncs`. */
  readonly concurrencyFlag?: string;
}

/**
 * Every built-in controller Converge implements, by Kubernetes 1.32 name: the table
 * `--controllers` selects from. Order is start order.
 */
export const BUILTIN_CONTROLLERS: readonly BuiltinControllerEntry[] = [
  {
    name: 'garbage-collector-controller',
    aliases: ['garbagecollector'],
    controllers: [GarbageCollector],
    defaultConcurrency: 20,
    concurrencyFlag: 'concurrent-gc-syncs',
  },
  {
    name: 'namespace-controller',
    aliases: ['namespace'],
    controllers: [NamespaceController],
    defaultConcurrency: 10,
    concurrencyFlag: 'concurrent-namespace-syncs',
  },
  {
    name: 'replicaset-controller',
    aliases: ['replicaset'],
    controllers: [ReplicaSetController],
    defaultConcurrency: 5,
    concurrencyFlag: 'concurrent-replicaset-syncs',
  },
  {
    name: 'replicationcontroller-controller',
    aliases: ['replicationcontroller'],
    controllers: [ReplicationControllerController],
    defaultConcurrency: 5,
    concurrencyFlag: 'concurrent-rc-syncs',
  },
  {
    name: 'deployment-controller',
    aliases: ['deployment'],
    controllers: [DeploymentController],
    defaultConcurrency: 5,
    concurrencyFlag: 'concurrent-deployment-syncs',
  },
];
