import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HotPathCounter, HotPathGauge, HotPathHistogram } from './hot-path-metrics.js';

describe('hot-path metrics', () => {
  it('render in the Prometheus text format through a prom-client registry', async () => {
    const registry = new Registry();
    const c = new HotPathCounter('things_total', 'Things.', ['kind']).registerIn(registry);
    const g = new HotPathGauge('busy', 'Busy workers.', ['kind']).registerIn(registry);
    const h = new HotPathHistogram('latency_seconds', 'Latency.', ['kind'], [0.1, 1, 0.5]).registerIn(registry);
    c.labels({ kind: 'a' }).value += 3;
    expect(c.labels({ kind: 'a' })).toBe(c.labels({ kind: 'a' }));
    g.labels({ kind: 'a' }).value = 2;
    const child = h.labels({ kind: 'a' });
    for (const v of [0.05, 0.1, 0.3, 0.7, 5]) child.observe(v);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE things_total counter\nthings_total{kind="a"} 3');
    expect(text).toContain('# TYPE busy gauge\nbusy{kind="a"} 2');
    expect(text).toContain(
      [
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{kind="a",le="0.1"} 2',
        'latency_seconds_bucket{kind="a",le="0.5"} 3',
        'latency_seconds_bucket{kind="a",le="1"} 4',
        'latency_seconds_bucket{kind="a",le="+Inf"} 5',
        'latency_seconds_sum{kind="a"} 6.15',
        'latency_seconds_count{kind="a"} 5',
      ].join('\n'),
    );
    registry.resetMetrics();
    expect(await registry.metrics()).toContain('things_total{kind="a"} 0');
  });
});
