import { FakeStore } from '@converge/testing';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { FrameworkHandleToken, PluginArgsToken } from '../framework/handle.js';
import { PluginRegistry } from '../framework/plugin.decorator.js';
import { isEnqueueExtensions, isPostFilterPlugin } from '../framework/plugin.js';
import { DefaultPreemption } from './defaultpreemption/default-preemption.plugin.js';
import { FixtureHandle } from './defaultpreemption/default-preemption.fixture.js';
import { PREEMPTION_PLUGINS } from './preemption-plugins.js';

describe('PREEMPTION_PLUGINS', () => {
  it('registers DefaultPreemption under its Kubernetes name', () => {
    const registry = new PluginRegistry(PREEMPTION_PLUGINS);
    expect(registry.names()).toEqual(['DefaultPreemption']);
    expect(registry.get('DefaultPreemption')).toBe(DefaultPreemption);
  });

  it('builds DefaultPreemption through inversify with and without args', () => {
    const handle = new FixtureHandle(new FakeStore(), []);
    const make = (args?: unknown): DefaultPreemption => {
      const container = new Container();
      container.bind(FrameworkHandleToken).toConstantValue(handle);
      if (args !== undefined) container.bind(PluginArgsToken).toConstantValue(args);
      container.bind(DefaultPreemption).toSelf();
      return container.get(DefaultPreemption);
    };
    const plain = make();
    expect(isPostFilterPlugin(plain)).toBe(true);
    expect(isEnqueueExtensions(plain) && plain.eventsToRegister()).toEqual([]);
    expect(plain.name).toBe('DefaultPreemption');
    expect(plain.args).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(make({ minCandidateNodesAbsolute: 7 }).args.minCandidateNodesAbsolute).toBe(7);
    expect(() => make({ minCandidateNodesPercentage: 200 })).toThrow('not in valid range [0, 100]');
  });
});
