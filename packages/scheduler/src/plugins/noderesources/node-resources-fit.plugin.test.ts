import type { Node, Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { makeNode, makeNodeInfo, makePod, stubHandle, type PodShape } from '../helpers/plugin-test.fixture.js';
import { NodeResourcesFitPlugin } from './node-resources-fit.plugin.js';

const req = (requests: Record<string, string>) => ({ requests });
const pod = (shape: PodShape) => makePod('incoming', shape);

describe('NodeResourcesFit filter', () => {
  // 4 cpu, 8Gi, 3 pods, 10Gi ephemeral storage, 2 GPUs; one pod already uses 1 cpu and 2Gi.
  const node = makeNode('n', { allocatable: { cpu: '4', memory: '8Gi', pods: '3', 'ephemeral-storage': '10Gi', 'example.com/gpu': '2' } });
  const existing = [makePod('existing', { containers: [req({ cpu: '1', memory: '2Gi' })] })];
  const cases: [string, PodShape, unknown, string, string[]][] = [
    ['a pod requesting nothing fits', {}, undefined, 'Success', []],
    ['the free cpu exactly fits', { containers: [req({ cpu: '3' })] }, undefined, 'Success', []],
    [
      'one millicore more than free is Insufficient cpu',
      { containers: [req({ cpu: '3001m' })] },
      undefined,
      'Unschedulable',
      ['Insufficient cpu'],
    ],
    ['containers add up', { containers: [req({ cpu: '2' }), req({ cpu: '1500m' })] }, undefined, 'Unschedulable', ['Insufficient cpu']],
    [
      'every shortage is listed',
      { containers: [req({ cpu: '4', memory: '7Gi' })] },
      undefined,
      'Unschedulable',
      ['Insufficient cpu', 'Insufficient memory'],
    ],
    [
      'an init container larger than the containers counts alone',
      { containers: [req({ cpu: '1' })], initContainers: [req({ cpu: '3500m' })] },
      undefined,
      'Unschedulable',
      ['Insufficient cpu'],
    ],
    [
      'an init container smaller than the containers does not add',
      { containers: [req({ cpu: '3' })], initContainers: [req({ cpu: '2' })] },
      undefined,
      'Success',
      [],
    ],
    [
      'a sidecar adds to the containers',
      { containers: [req({ cpu: '1500m' })], initContainers: [{ ...req({ cpu: '1500m' }), restartPolicy: 'Always' }] },
      undefined,
      'Success',
      [],
    ],
    [
      'overhead adds to the requests',
      {
        containers: [req({ cpu: '1500m' })],
        initContainers: [{ ...req({ cpu: '1500m' }), restartPolicy: 'Always' }],
        overhead: { cpu: '100m' },
      },
      undefined,
      'Unschedulable',
      ['Insufficient cpu'],
    ],
    [
      'an init container after a sidecar runs beside it',
      { containers: [req({ cpu: '500m' })], initContainers: [{ ...req({ cpu: '1' }), restartPolicy: 'Always' }, req({ cpu: '2500m' })] },
      undefined,
      'Unschedulable',
      ['Insufficient cpu'],
    ],
    [
      'an init container before a sidecar does not run beside it',
      { containers: [req({ cpu: '500m' })], initContainers: [req({ cpu: '2500m' }), { ...req({ cpu: '1' }), restartPolicy: 'Always' }] },
      undefined,
      'Success',
      [],
    ],
    [
      'ephemeral storage is checked',
      { containers: [req({ 'ephemeral-storage': '11Gi' })] },
      undefined,
      'Unschedulable',
      ['Insufficient ephemeral-storage'],
    ],
    [
      'extended resources are checked',
      { containers: [req({ 'example.com/gpu': '3' })] },
      undefined,
      'Unschedulable',
      ['Insufficient example.com/gpu'],
    ],
    [
      'an ignored extended resource is not checked',
      { containers: [req({ 'example.com/gpu': '3' })] },
      { ignoredResources: ['example.com/gpu'] },
      'Success',
      [],
    ],
    [
      'an ignored resource group is not checked',
      { containers: [req({ 'example.com/gpu': '3' })] },
      { ignoredResourceGroups: ['example.com'] },
      'Success',
      [],
    ],
    [
      'a resource the node lacks is insufficient',
      { containers: [req({ 'hugepages-2Mi': '2Mi' })] },
      { ignoredResourceGroups: ['example.com'] },
      'Unschedulable',
      ['Insufficient hugepages-2Mi'],
    ],
  ];
  it.each(cases)('%s', (_name, shape, args, code, reasons) => {
    const plugin = new NodeResourcesFitPlugin(stubHandle(), args);
    const p = pod(shape);
    const state = new CycleState();
    plugin.preFilter(state, p);
    const status = plugin.filter(state, p, makeNodeInfo(node, existing));
    expect(status.code).toBe(code);
    expect(status.reasons).toEqual(reasons);
  });

  it('rejects one pod too many, with the other shortages', () => {
    const plugin = new NodeResourcesFitPlugin(stubHandle());
    const full = makeNodeInfo(makeNode('n', { allocatable: { cpu: '1', memory: '1Gi', pods: '1' } }), [makePod('x')]);
    for (const [shape, reasons] of [
      [{}, ['Too many pods']],
      [{ containers: [req({ cpu: '2' })] }, ['Too many pods', 'Insufficient cpu']],
    ] as const) {
      const state = new CycleState();
      const p = pod(shape);
      plugin.preFilter(state, p);
      expect(plugin.filter(state, p, full).reasons).toEqual(reasons);
    }
  });

  it('answers Error when PreFilter did not run', () => {
    const plugin = new NodeResourcesFitPlugin(stubHandle());
    expect(plugin.filter(new CycleState(), pod({}), makeNodeInfo(node)).code).toBe('Error');
  });
});

describe('NodeResourcesFit score', () => {
  // 4 cpu and 4Gi: easy fractions. A container without requests counts 100m and 200Mi.
  const empty = makeNode('empty', { allocatable: { cpu: '4', memory: '4Gi', pods: '110' } });
  const withGpu = makeNode('gpu', { allocatable: { cpu: '4', memory: '4Gi', pods: '110', 'example.com/gpu': '2' } });
  const busy = makeNodeInfo(empty, [makePod('no-requests')]);
  const small = { containers: [req({ cpu: '1', memory: '1Gi' })] };
  const half = { containers: [req({ cpu: '2', memory: '1Gi' })] };
  const ratio = (shape: [number, number][]) => ({
    scoringStrategy: {
      type: 'RequestedToCapacityRatio',
      requestedToCapacityRatio: { shape: shape.map(([utilization, score]) => ({ utilization, score })) },
    },
  });
  const cases: [string, unknown, PodShape, Node | NodeInfo, number][] = [
    // (4000-1000)*100/4000 = 75; (4Gi-1Gi)*100/4Gi = 75; (75+75)/2
    ['LeastAllocated is the default', undefined, small, empty, 75],
    // cpu (4000-100)*100/4000 = 97; memory (4096-200)*100/4096 = 95; (97+95)/2
    ['LeastAllocated counts 100m and 200Mi for a pod without requests', undefined, {}, empty, 96],
    // cpu (4000-1100)*100/4000 = 72; memory (4096-1024-200)*100/4096 = 70; (72+70)/2
    ['LeastAllocated counts non-zero requests of the pods on the node', undefined, small, busy, 71],
    // cpu 50, memory 75: (50*3 + 75*1)/4 = 56
    [
      'LeastAllocated weighs resources',
      {
        scoringStrategy: {
          type: 'LeastAllocated',
          resources: [
            { name: 'cpu', weight: 3 },
            { name: 'memory', weight: 1 },
          ],
        },
      },
      half,
      empty,
      56,
    ],
    // cpu 50, memory 25: 75/2 = 37
    ['MostAllocated', { scoringStrategy: { type: 'MostAllocated' } }, half, empty, 37],
    // cpu capped at 100, memory 25: 125/2 = 62
    [
      'MostAllocated caps at capacity',
      { scoringStrategy: { type: 'MostAllocated' } },
      { containers: [req({ cpu: '5', memory: '1Gi' })] },
      empty,
      62,
    ],
    // utilisation 50 -> 50, 25 -> 25; round(75/2) = 38
    [
      'RequestedToCapacityRatio bin-packing shape rounds',
      ratio([
        [0, 0],
        [100, 10],
      ]),
      half,
      empty,
      38,
    ],
    // utilisation 50 -> 100-50 = 50, 25 -> 100-25 = 75; round(125/2) = 63
    [
      'RequestedToCapacityRatio spreading shape',
      ratio([
        [0, 10],
        [100, 0],
      ]),
      half,
      empty,
      63,
    ],
    // memory explicitly 0 scores 0 and is left out: 50/1
    [
      'RequestedToCapacityRatio leaves out resources scoring 0',
      ratio([
        [0, 0],
        [100, 10],
      ]),
      { containers: [req({ cpu: '2', memory: '0' })] },
      empty,
      50,
    ],
    // cpu over capacity -> f(100) = 100, memory 25 -> 25: round(125/2) = 63
    [
      'RequestedToCapacityRatio scores over-capacity as full',
      ratio([
        [0, 0],
        [100, 10],
      ]),
      { containers: [req({ cpu: '8', memory: '1Gi' })] },
      empty,
      63,
    ],
    // utilisation 25 between (0,0) and (50,8): 0 + 80*25/50 = 40; 50 -> 80; round(120/2) = 60
    [
      'RequestedToCapacityRatio interpolates between points',
      ratio([
        [0, 0],
        [50, 8],
        [100, 10],
      ]),
      half,
      empty,
      60,
    ],
    // gpu (2-1)*100/2 = 50; (75+75+50)/3 = 66
    [
      'extended resources the pod requests are scored',
      { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu' }, { name: 'memory' }, { name: 'example.com/gpu' }] } },
      { containers: [req({ cpu: '1', memory: '1Gi', 'example.com/gpu': '1' })] },
      withGpu,
      66,
    ],
    [
      'extended resources the pod does not request are left out',
      { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu' }, { name: 'memory' }, { name: 'example.com/gpu' }] } },
      small,
      withGpu,
      75,
    ],
  ];
  it.each(cases)('%s', (_name, args, shape, target, want) => {
    const plugin = new NodeResourcesFitPlugin(stubHandle(), args);
    const p = pod(shape);
    const info = target instanceof NodeInfo ? target : makeNodeInfo(target);
    const state = new CycleState();
    plugin.preScore(state, p);
    expect(plugin.score(state, p, info)).toBe(want);
    expect(plugin.score(new CycleState(), p, info)).toBe(want);
  });
});

describe('NodeResourcesFit arguments', () => {
  it('defaults to LeastAllocated over cpu and memory with weight 1', () => {
    expect(new NodeResourcesFitPlugin(stubHandle()).scoringStrategy).toEqual({
      type: 'LeastAllocated',
      resources: [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
      ],
    });
  });

  it.each([
    ['an unknown strategy', { scoringStrategy: { type: 'Random' } }],
    ['a weight above 100', { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 101 }] } }],
    ['RequestedToCapacityRatio without a shape', { scoringStrategy: { type: 'RequestedToCapacityRatio' } }],
    [
      'a shape not increasing',
      {
        scoringStrategy: {
          type: 'RequestedToCapacityRatio',
          requestedToCapacityRatio: {
            shape: [
              { utilization: 50, score: 1 },
              { utilization: 50, score: 2 },
            ],
          },
        },
      },
    ],
    [
      'a shape score above 10',
      { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 50, score: 11 }] } } },
    ],
    ['a resource group with a slash', { ignoredResourceGroups: ['example.com/gpu'] }],
    ['an unknown field', { ignored: [] }],
  ])('rejects %s', (_name, args) => {
    expect(() => new NodeResourcesFitPlugin(stubHandle(), args)).toThrow(/NodeResourcesFitArgs/);
  });
});

describe('NodeResourcesFit events', () => {
  const plugin = new NodeResourcesFitPlugin(stubHandle());
  const [podEvent, nodeEvent] = plugin.eventsToRegister();
  const target = pod({ containers: [req({ cpu: '2' })] });
  const assigned = (p: Pod): Pod => ({ ...p, spec: { ...p.spec!, nodeName: 'n' } }) as Pod;

  it('re-queues on the deletion of an assigned pod only', () => {
    expect(podEvent!.hint!(target, assigned(makePod('x')), undefined)).toBe('Queue');
    expect(podEvent!.hint!(target, makePod('x'), undefined)).toBe('Skip');
  });

  it('re-queues on an assigned pod scaled down in a resource the pod requests', () => {
    const before = assigned(makePod('x', { containers: [req({ cpu: '2', memory: '1Gi' })] }));
    const lessCpu = assigned(makePod('x', { containers: [req({ cpu: '1', memory: '1Gi' })] }));
    const lessMemory = assigned(makePod('x', { containers: [req({ cpu: '2', memory: '512Mi' })] }));
    expect(podEvent!.hint!(target, before, lessCpu)).toBe('Queue');
    expect(podEvent!.hint!(target, before, lessMemory)).toBe('Skip');
  });

  it('re-queues on a node added that fits the pod, or whose allocatable of a requested resource grew', () => {
    const tiny = makeNode('n', { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } });
    const big = makeNode('n', { allocatable: { cpu: '4', memory: '1Gi', pods: '10' } });
    const bigMoreMemory = makeNode('n', { allocatable: { cpu: '4', memory: '2Gi', pods: '10' } });
    expect(nodeEvent!.hint!(target, undefined, big)).toBe('Queue');
    expect(nodeEvent!.hint!(target, undefined, tiny)).toBe('Skip');
    expect(nodeEvent!.hint!(target, tiny, big)).toBe('Queue');
    expect(nodeEvent!.hint!(target, big, bigMoreMemory)).toBe('Skip');
  });
});
