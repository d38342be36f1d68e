import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makeNodeInfo, makePod, stubHandle, type PodShape } from '../helpers/plugin-test.fixture.js';
import { BalancedAllocationPlugin } from './balanced-allocation.plugin.js';

const req = (requests: Record<string, string>) => ({ requests });

describe('NodeResourcesBalancedAllocation score', () => {
  const node = makeNode('n', { allocatable: { cpu: '4', memory: '4Gi', pods: '110', 'ephemeral-storage': '10Gi' } });
  const noStorage = makeNode('m', { allocatable: { cpu: '4', memory: '4Gi', pods: '110' } });
  const threeResources = { resources: [{ name: 'cpu' }, { name: 'memory' }, { name: 'ephemeral-storage' }] };
  const cases: [string, unknown, PodShape, NodeInfo, number][] = [
    // fractions 0.25 and 0.5: std 0.125, (1 - 0.125) * 100 = 87.5
    [
      'two fractions: 100 * (1 - |f1 - f2| / 2), truncated',
      undefined,
      { containers: [req({ cpu: '1', memory: '2Gi' })] },
      makeNodeInfo(node),
      87,
    ],
    // actual requests, not 100m/200Mi: both fractions 0
    ['a pod without requests on an empty node is perfectly balanced', undefined, {}, makeNodeInfo(node), 100],
    // cpu (2000 + 1000)/4000 = 0.75, memory 1Gi/4Gi = 0.25: std 0.25
    [
      'the pods on the node count',
      undefined,
      { containers: [req({ cpu: '1', memory: '1Gi' })] },
      makeNodeInfo(node, [makePod('x', { containers: [req({ cpu: '2' })] })]),
      75,
    ],
    // cpu 8/4 capped to 1, memory 0.5: std 0.25
    ['fractions are capped at 1', undefined, { containers: [req({ cpu: '8', memory: '2Gi' })] }, makeNodeInfo(node), 75],
    // fractions 0.25, 0.5, 0: mean 0.25, variance 0.125/3, std 0.2041; 79.58
    [
      'three resources use the standard deviation',
      threeResources,
      { containers: [req({ cpu: '1', memory: '2Gi' })] },
      makeNodeInfo(node),
      79,
    ],
    [
      'a resource the node does not have is left out',
      threeResources,
      { containers: [req({ cpu: '1', memory: '2Gi' })] },
      makeNodeInfo(noStorage),
      87,
    ],
  ];
  it.each(cases)('%s', (_name, args, shape, info, want) => {
    const plugin = new BalancedAllocationPlugin(stubHandle(), args);
    const pod = makePod('p', shape);
    const state = new CycleState();
    plugin.preScore(state, pod);
    expect(plugin.score(state, pod, info)).toBe(want);
  });

  it('defaults to cpu and memory and requires weight 1', () => {
    expect(new BalancedAllocationPlugin(stubHandle()).resources).toEqual([
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
    ]);
    expect(() => new BalancedAllocationPlugin(stubHandle(), { resources: [{ name: 'cpu', weight: 2 }] })).toThrow(/BalancedAllocationArgs/);
  });
});
