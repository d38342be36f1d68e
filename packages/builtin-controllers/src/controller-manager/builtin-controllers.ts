import type { Newable } from 'inversify';
import type { Reconciler } from '@converge/core';
import { GarbageCollector } from '../gc/garbage-collector.controller.js';
import { NamespaceController } from '../namespace/namespace.controller.js';
import { NodeIpamController } from '../node/node-ipam.controller.js';
import { NodeLifecycleController } from '../node/node-lifecycle.controller.js';
import { TaintEvictionController } from '../node/taint-eviction.controller.js';
import { RootCACertPublisher } from '../serviceaccount/root-ca-cert-publisher.controller.js';
import { ServiceAccountController } from '../serviceaccount/service-account.controller.js';
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
  /**
   * Why it cannot run with the configuration given (e.g. no root CA for the publisher), or
   * undefined when it can. A selected controller that cannot run is skipped, with this reason.
   */
  readonly unavailable?: (config: BuiltinControllerConfig) => string | undefined;
}

/** The configuration a table entry may need (see `ControllerManagerOptions`). */
export interface BuiltinControllerConfig {
  /** The cluster CA certificate (PEM), as `--root-ca-file`. */
  readonly rootCA?: string | undefined;
  /** Whether nodes get pod ranges (`--allocate-node-cidrs`); Converge's default is true. */
  readonly allocateNodeCidrs?: boolean | undefined;
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
    // kube-controller-manager runs it with one worker, set by no flag.
    name: 'serviceaccount-controller',
    aliases: ['serviceaccount'],
    controllers: [ServiceAccountController],
    defaultConcurrency: 1,
  },
  {
    name: 'root-ca-certificate-publisher-controller',
    aliases: ['root-ca-cert-publisher'],
    controllers: [RootCACertPublisher],
    defaultConcurrency: 1,
    unavailable: (config) =>
      config.rootCA ? undefined : 'no root CA certificate was given (--root-ca-file, or a kubeconfig with a certificate authority)',
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
    // kube-controller-manager runs one monitoring loop, set by no concurrency flag.
    name: 'node-lifecycle-controller',
    aliases: ['nodelifecycle'],
    controllers: [NodeLifecycleController],
    defaultConcurrency: 1,
  },
  {
    name: 'taint-eviction-controller',
    aliases: [],
    controllers: [TaintEvictionController],
    defaultConcurrency: 1,
  },
  {
    // one worker: ranges are handed out from memory, in order
    name: 'node-ipam-controller',
    aliases: ['nodeipam'],
    controllers: [NodeIpamController],
    defaultConcurrency: 1,
    unavailable: (config) => (config.allocateNodeCidrs === false ? 'node CIDR allocation is off (--allocate-node-cidrs=false)' : undefined),
  },
  {
    name: 'deployment-controller',
    aliases: ['deployment'],
    controllers: [DeploymentController],
    defaultConcurrency: 5,
    concurrencyFlag: 'concurrent-deployment-syncs',
  },
];
