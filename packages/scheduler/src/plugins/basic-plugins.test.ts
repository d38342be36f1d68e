import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { FrameworkHandleToken, PluginArgsToken } from '../framework/handle.js';
import { PluginRegistry } from '../framework/plugin.decorator.js';
import type { SchedulerPlugin } from '../framework/plugin.js';
import { BASIC_PLUGINS } from './basic-plugins.js';
import { stubHandle } from './helpers/plugin-test.fixture.js';
import { NodeResourcesFitPlugin } from './noderesources/node-resources-fit.plugin.js';

describe('BASIC_PLUGINS', () => {
  it('registers every basic plugin under its Kubernetes name', () => {
    expect(new PluginRegistry(BASIC_PLUGINS).names().sort()).toEqual([
      'NodeAffinity',
      'NodeName',
      'NodePorts',
      'NodeResourcesBalancedAllocation',
      'NodeResourcesFit',
      'NodeUnschedulable',
      'TaintToleration',
    ]);
  });

  it('can be built by an inversify container, with and without arguments', () => {
    for (const cls of BASIC_PLUGINS) {
      const container = new Container();
      container.bind(FrameworkHandleToken).toConstantValue(stubHandle());
      container.bind(cls).toSelf();
      const plugin = container.get<SchedulerPlugin>(cls);
      expect(new PluginRegistry([cls]).names()).toEqual([plugin.name]);
    }
    const container = new Container();
    container.bind(FrameworkHandleToken).toConstantValue(stubHandle());
    container.bind(PluginArgsToken).toConstantValue({ scoringStrategy: { type: 'MostAllocated' } });
    container.bind(NodeResourcesFitPlugin).toSelf();
    expect(container.get(NodeResourcesFitPlugin).scoringStrategy.type).toBe('MostAllocated');
  });
});
