import type { Metric, Registry } from 'prom-client';

/** One sample of a snapshot: labels, value, and for histograms the series name (`_bucket`, `_sum`, `_count`). */
export interface MetricSample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** What the registry reads from a metric when scraped (prom-client's `get()` shape). */
export interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: MetricSample[];
  aggregator: 'sum';
}

/**
 * Counters, gauges and histograms for metrics updated on every work item, registered in a
 * prom-client Registry and rendered by it like its own.
 *
 * prom-client hashes the label set on every `inc`/`observe`, even through a child from
 * `labels(...)`; at a million queue operations a second that dominates. Here a child is a
 * plain object made once per label set, and updating it is a field write (plus a bucket
 * search for histograms); the labels are only formatted when the registry is scraped.
 */
abstract class HotPathMetric<C> {
  protected readonly children = new Map<string, { labels: Record<string, string>; child: C }>();

  constructor(
    readonly name: string,
    readonly help: string,
    protected readonly labelNames: readonly string[],
  ) {}

  /** The child of one label set (create it once, keep it). */
  labels(labels: Record<string, string>): C {
    const key = this.labelNames.map((n) => labels[n] ?? '').join('\u0000');
    let entry = this.children.get(key);
    if (!entry) {
      const own: Record<string, string> = {};
      for (const n of this.labelNames) own[n] = labels[n] ?? '';
      entry = { labels: own, child: this.makeChild() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  /** Registers this metric in `registry`. */
  registerIn(registry: Registry): this {
    registry.registerMetric(this as unknown as Metric);
    return this;
  }

  protected abstract makeChild(): C;
  abstract get(): MetricSnapshot;
  abstract reset(): void;
}

/** One counter child: add to `value`. */
export interface CounterChild {
  value: number;
}

/** A counter family (Prometheus type `counter`). */
export class HotPathCounter extends HotPathMetric<CounterChild> {
  protected makeChild(): CounterChild {
    return { value: 0 };
  }
  get(): MetricSnapshot {
    const values = [...this.children.values()].map(({ labels, child }) => ({ labels, value: child.value }));
    return { name: this.name, help: this.help, type: 'counter', values, aggregator: 'sum' };
  }
  reset(): void {
    for (const { child } of this.children.values()) child.value = 0;
  }
}

/** One gauge child: set or add to `value`. */
export interface GaugeChild {
  value: number;
}

/** A gauge family (Prometheus type `gauge`). */
export class HotPathGauge extends HotPathMetric<GaugeChild> {
  protected makeChild(): GaugeChild {
    return { value: 0 };
  }
  get(): MetricSnapshot {
    const values = [...this.children.values()].map(({ labels, child }) => ({ labels, value: child.value }));
    return { name: this.name, help: this.help, type: 'gauge', values, aggregator: 'sum' };
  }
  reset(): void {
    for (const { child } of this.children.values()) child.value = 0;
  }
}

/** One histogram child. */
export class HistogramChild {
  /** Per-bucket (not cumulative) counts; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: Float64Array) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Records one value. */
  observe(value: number): void {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (value <= b[mid]!) hi = mid;
      else lo = mid + 1;
    }
    this.counts[lo]!++;
    this.sum += value;
    this.count++;
  }
}

/** A histogram family (Prometheus type `histogram`) with fixed upper bounds. */
export class HotPathHistogram extends HotPathMetric<HistogramChild> {
  private readonly bounds: Float64Array;

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    super(name, help, labelNames);
    this.bounds = Float64Array.from([...buckets].sort((a, b) => a - b));
  }
  protected makeChild(): HistogramChild {
    return new HistogramChild(this.bounds);
  }
  get(): MetricSnapshot {
    const values: MetricSample[] = [];
    for (const { labels, child } of this.children.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += child.counts[i]!;
        values.push({ labels: { ...labels, le: this.bounds[i]! }, value: cumulative, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { ...labels, le: '+Inf' }, value: child.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: child.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: child.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
  }
  reset(): void {
    for (const { child } of this.children.values()) {
      child.counts.fill(0);
      child.sum = 0;
      child.count = 0;
    }
  }
}
