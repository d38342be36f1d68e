import type { Node, Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeScore } from '../../framework/plugin.js';
import { makeNode, makeNodeInfo, makePod, stubHandle } from '../helpers/plugin-test.fixture.js';
import { TaintTolerationPlugin } from './taint-toleration.plugin.js';

describe('TaintToleration filter', () => {
  const plugin = new TaintTolerationPlugin(stubHandle());
  const gpu = makeNode('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
  const evicting = makeNode('ev', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] });
  const soft = makeNode('soft', { taints: [{ key: 'cost', value: 'high', effect: 'PreferNoSchedule' }] });
  const cases: [string, Pod, Node, string, string[]][] = [
    ['a node without taints takes any pod', makePod('p'), makeNode('n'), 'Success', []],
    [
      'a NoSchedule taint rejects a pod without toleration',
      makePod('p'),
      gpu,
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {dedicated: gpu}'],
    ],
    [
      'a NoExecute taint without value is shown with an empty value',
      makePod('p'),
      evicting,
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
    ],
    [
      'a matching toleration admits the pod',
      makePod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
      gpu,
      'Success',
      [],
    ],
    [
      'a toleration of another value does not',
      makePod('p', { tolerations: [{ key: 'dedicated', value: 'cpu' }] }),
      gpu,
      'UnschedulableAndUnresolvable',
      ['node(s) had untolerated taint {dedicated: gpu}'],
    ],
    ['a PreferNoSchedule taint never rejects', makePod('p'), soft, 'Success', []],
  ];
  it.each(cases)('%s', (_name, pod, node, code, reasons) => {
    const status = plugin.filter(new CycleState(), pod, makeNodeInfo(node));
    expect(status.code).toBe(code);
    expect(status.reasons).toEqual(reasons);
  });

  it('names the first untolerated taint in the node order', () => {
    const node = makeNode('n', {
      taints: [
        { key: 'a', value: '1', effect: 'NoSchedule' },
        { key: 'b', value: '2', effect: 'NoExecute' },
      ],
    });
    const status = plugin.filter(new CycleState(), makePod('p', { tolerations: [{ key: 'a', operator: 'Exists' }] }), makeNodeInfo(node));
    expect(status.reasons).toEqual(['node(s) had untolerated taint {b: 2}']);
  });
});

describe('TaintToleration score', () => {
  const plugin = new TaintTolerationPlugin(stubHandle());
  const pref = (key: string, value = 'v') => ({ key, value, effect: 'PreferNoSchedule' });
  const nodes = [
    makeNode('none'),
    makeNode('one', { taints: [pref('a')] }),
    makeNode('two', { taints: [pref('a'), pref('b')] }),
    makeNode('three', { taints: [pref('a'), pref('b'), pref('c'), { key: 'x', value: 'y', effect: 'NoSchedule' }] }),
  ];
  // Raw scores count untolerated PreferNoSchedule taints; normalised: 100 - 100 * count / max.
  const cases: [string, Pod, number[], number[]][] = [
    ['no tolerations: counts 0,1,2,3 of max 3', makePod('p'), [0, 1, 2, 3], [100, 67, 34, 0]],
    [
      'a PreferNoSchedule toleration of a: counts 0,0,1,2',
      makePod('p', { tolerations: [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }] }),
      [0, 0, 1, 2],
      [100, 100, 50, 0],
    ],
    ['a toleration with no effect counts too', makePod('p', { tolerations: [{ key: 'b', value: 'v' }] }), [0, 1, 1, 2], [100, 50, 50, 0]],
    [
      'a NoSchedule toleration does not tolerate PreferNoSchedule taints',
      makePod('p', { tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }] }),
      [0, 1, 2, 3],
      [100, 67, 34, 0],
    ],
    [
      'tolerating everything gives every node 100',
      makePod('p', { tolerations: [{ operator: 'Exists' }] }),
      [0, 0, 0, 0],
      [100, 100, 100, 100],
    ],
  ];
  it.each(cases)('%s', (_name, pod, raw, normalised) => {
    const infos = nodes.map((n) => makeNodeInfo(n));
    const state = new CycleState();
    plugin.preScore(state, pod, infos);
    const scores: NodeScore[] = infos.map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
    expect(scores.map((s) => s.score)).toEqual(raw);
    plugin.normalizeScore(state, pod, scores);
    expect(scores.map((s) => s.score)).toEqual(normalised);
  });

  it('re-queues when a node stops having an untolerated taint', () => {
    const hint = plugin.eventsToRegister()[0]!.hint!;
    const tainted = makeNode('n', { taints: [{ key: 'a', value: '1', effect: 'NoSchedule' }] });
    expect(hint(makePod('p'), tainted, makeNode('n'))).toBe('Queue');
    expect(hint(makePod('p'), makeNode('n'), tainted)).toBe('Skip');
    expect(hint(makePod('p'), undefined, makeNode('n'))).toBe('Queue');
  });
});
