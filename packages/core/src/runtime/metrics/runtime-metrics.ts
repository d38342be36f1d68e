import { collectDefaultMetrics, exponentialBuckets, Gauge, Registry } from 'prom-client';
import type { WorkQueue, WorkQueueMetricsSink } from '../queue/work-queue.js';
import { HotPathCounter, HotPathGauge, HotPathHistogram } from './hot-path-metrics.js';

/** How a reconcile ended, the `result` label of `controller_runtime_reconcile_total`. */
export type ReconcileOutcome = 'success' | 'error' | 'requeue' | 'requeue_after';

/** The metrics of one controller, bound to its `controller` label. */
export interface ControllerMetrics {
  /** Counts a finished reconcile and observes how long it took. */
  reconciled(outcome: ReconcileOutcome, seconds: number): void;
  /** Counts a failed reconcile; `terminal` for a TerminalError. */
  failed(terminal: boolean): void;
  /** Adds `delta` to the number of workers busy reconciling. */
  activeWorkers(delta: number): void;
  /** Records the configured worker count. */
  maxConcurrentReconciles(n: number): void;
}

/** Options of RuntimeMetrics. */
export interface RuntimeMetricsOptions {
  /** The registry to register in; default a new one (one per manager, never the global one). */
  registry?: Registry;
  /** Also export prom-client's process and Node.js metrics; default true. */
  processMetrics?: boolean;
}

/** Buckets of the work queue histograms: 10 ns to 1000 s, ×10 each, as client-go. */
const QUEUE_BUCKETS = exponentialBuckets(10e-9, 10, 12);
/** Buckets of `controller_runtime_reconcile_time_seconds`, as controller-runtime. */
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5,
  4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/**
 * The Prometheus metrics of a manager, with controller-runtime's names and labels, in a
 * registry of its own:
 *
 * - `controller_runtime_reconcile_total{controller,result}`, `controller_runtime_reconcile_errors_total{controller}`,
 *   `controller_runtime_terminal_reconcile_errors_total{controller}`, `controller_runtime_reconcile_time_seconds{controller}`,
 *   `controller_runtime_active_workers{controller}`, `controller_runtime_max_concurrent_reconciles{controller}`;
 * - `workqueue_depth{name,controller,priority}`, `workqueue_adds_total`, `workqueue_queue_duration_seconds`,
 *   `workqueue_work_duration_seconds`, `workqueue_retries_total`, `workqueue_unfinished_work_seconds`,
 *   `workqueue_longest_running_processor_seconds` (all `{name,controller}`);
 * - `leader_election_master_status{name}`.
 *
 * Depth, unfinished work and the longest running processor are read from the queues when
 * scraped; the per-item metrics are hot-path metrics (a field write per update, labels
 * formatted only when scraped), so metrics cost little even at a million items a second.
 */
export class RuntimeMetrics {
  /** The registry every metric is in; serve it on `/metrics`. */
  readonly registry: Registry;
  private readonly queues = new Map<string, () => WorkQueue<NonNullable<unknown>> | undefined>();
  private readonly reconcileTotal: HotPathCounter;
  private readonly reconcileErrors: HotPathCounter;
  private readonly terminalErrors: HotPathCounter;
  private readonly reconcileTime: HotPathHistogram;
  private readonly activeWorkersGauge: HotPathGauge;
  private readonly maxConcurrentGauge: HotPathGauge;
  private readonly queueAdds: HotPathCounter;
  private readonly queueLatency: HotPathHistogram;
  private readonly workDuration: HotPathHistogram;
  private readonly retries: HotPathCounter;
  private readonly leaderStatus: Gauge<'name'>;

  /** Creates the metrics in `options.registry` or a new registry. */
  constructor(options: RuntimeMetricsOptions = {}) {
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    const registers = [registry];
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

    this.reconcileTotal = new HotPathCounter('controller_runtime_reconcile_total', 'Total number of reconciliations per controller', [
      'controller',
      'result',
    ]).registerIn(registry);
    this.reconcileErrors = new HotPathCounter(
      'controller_runtime_reconcile_errors_total',
      'Total number of reconciliation errors per controller',
      ['controller'],
    ).registerIn(registry);
    this.terminalErrors = new HotPathCounter(
      'controller_runtime_terminal_reconcile_errors_total',
      'Total number of terminal reconciliation errors per controller',
      ['controller'],
    ).registerIn(registry);
    this.reconcileTime = new HotPathHistogram(
      'controller_runtime_reconcile_time_seconds',
      'Length of time per reconciliation per controller',
      ['controller'],
      RECONCILE_BUCKETS,
    ).registerIn(registry);
    this.activeWorkersGauge = new HotPathGauge('controller_runtime_active_workers', 'Number of currently used workers per controller', [
      'controller',
    ]).registerIn(registry);
    this.maxConcurrentGauge = new HotPathGauge(
      'controller_runtime_max_concurrent_reconciles',
      'Maximum number of concurrent reconciles per controller',
      ['controller'],
    ).registerIn(registry);

    const queues = this.queues;
    new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: ['name', 'controller', 'priority'],
      registers,
      collect() {
        for (const [name, get] of queues) this.set({ name, controller: name, priority: '' }, get()?.len() ?? 0);
      },
    });
    this.queueAdds = new HotPathCounter('workqueue_adds_total', 'Total number of adds handled by workqueue', [
      'name',
      'controller',
    ]).registerIn(registry);
    this.queueLatency = new HotPathHistogram(
      'workqueue_queue_duration_seconds',
      'How long in seconds an item stays in workqueue before being requested',
      ['name', 'controller'],
      QUEUE_BUCKETS,
    ).registerIn(registry);
    this.workDuration = new HotPathHistogram(
      'workqueue_work_duration_seconds',
      'How long in seconds processing an item from workqueue takes.',
      ['name', 'controller'],
      QUEUE_BUCKETS,
    ).registerIn(registry);
    new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help:
        "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. " +
        'Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.',
      labelNames: ['name', 'controller'],
      registers,
      collect() {
        for (const [name, get] of queues) this.set({ name, controller: name }, get()?.inFlight().unfinishedSeconds ?? 0);
      },
    });
    new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames: ['name', 'controller'],
      registers,
      collect() {
        for (const [name, get] of queues) this.set({ name, controller: name }, get()?.inFlight().longestRunningSeconds ?? 0);
      },
    });
    this.retries = new HotPathCounter('workqueue_retries_total', 'Total number of retries handled by workqueue', [
      'name',
      'controller',
    ]).registerIn(registry);
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. name is the string used to identify the lease.',
      labelNames: ['name'],
      registers,
    });
  }

  /** The metrics of the controller `name`. */
  forController(name: string): ControllerMetrics {
    const labels = { controller: name };
    const total = {
      success: this.reconcileTotal.labels({ controller: name, result: 'success' }),
      error: this.reconcileTotal.labels({ controller: name, result: 'error' }),
      requeue: this.reconcileTotal.labels({ controller: name, result: 'requeue' }),
      requeue_after: this.reconcileTotal.labels({ controller: name, result: 'requeue_after' }),
    };
    const errors = this.reconcileErrors.labels(labels);
    const terminal = this.terminalErrors.labels(labels);
    const time = this.reconcileTime.labels(labels);
    const active = this.activeWorkersGauge.labels(labels);
    const max = this.maxConcurrentGauge.labels(labels);
    return {
      reconciled(outcome, seconds) {
        total[outcome].value++;
        time.observe(seconds);
      },
      failed(isTerminal) {
        errors.value++;
        if (isTerminal) terminal.value++;
      },
      activeWorkers: (delta) => {
        active.value += delta;
      },
      maxConcurrentReconciles: (n) => {
        max.value = n;
      },
    };
  }

  /**
   * The sink of the work queue `name` (also its `controller` label); `queue` returns the
   * current queue, read at scrape time for depth and in-flight work.
   */
  forQueue(name: string, queue: () => WorkQueue<NonNullable<unknown>> | undefined): WorkQueueMetricsSink {
    this.queues.set(name, queue);
    const labels = { name, controller: name };
    const adds = this.queueAdds.labels(labels);
    const latency = this.queueLatency.labels(labels);
    const work = this.workDuration.labels(labels);
    const retries = this.retries.labels(labels);
    return {
      added: () => {
        adds.value++;
      },
      queued: (s) => latency.observe(s),
      worked: (s) => work.observe(s),
      retried: () => {
        retries.value++;
      },
    };
  }

  /** Sets `leader_election_master_status{name}`. */
  setLeader(name: string, isLeader: boolean): void {
    this.leaderStatus.set({ name }, isLeader ? 1 : 0);
  }

  /** The metrics in Prometheus' text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
