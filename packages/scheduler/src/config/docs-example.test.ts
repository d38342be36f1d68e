import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTreeRegistry } from '../plugins/in-tree-registry.js';
import { parseSchedulerConfiguration } from './scheduler-configuration.js';

describe('the configuration file example of docs/scheduler.md', () => {
  it('parses with the in-tree plugins into two profiles, the second packing by MostAllocated', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../../docs/scheduler.md'), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const config = parseSchedulerConfiguration(yaml, { registry: inTreeRegistry() });
    expect(config.profiles.map((p) => p.schedulerName)).toEqual(['default-scheduler', 'bin-packing']);
    const packing = config.profiles[1]!;
    expect(packing.points?.score?.disabled).toEqual(['NodeResourcesBalancedAllocation']);
    expect(packing.points?.score?.enabled).toEqual([{ name: 'NodeResourcesFit', weight: 5 }]);
    expect(packing.pluginArgs?.['NodeResourcesFit']).toMatchObject({ scoringStrategy: { type: 'MostAllocated' } });
  });
});
