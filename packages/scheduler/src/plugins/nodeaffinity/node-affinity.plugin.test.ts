import type { Affinity, Node, NodeSelectorTerm, Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeScore } from '../../framework/plugin.js';
import { makeNode, makeNodeInfo, makePod, stubHandle } from '../helpers/plugin-test.fixture.js';
import { ERR_REASON_CONFLICT, ERR_REASON_ENFORCED, ERR_REASON_POD_AFFINITY, NodeAffinityPlugin } from './node-affinity.plugin.js';

const required = (...terms: NodeSelectorTerm[]): Affinity => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});
const inZone = (...zones: string[]): NodeSelectorTerm => ({ matchExpressions: [{ key: 'zone', operator: 'In', values: zones }] });
const named = (...names: string[]): NodeSelectorTerm => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values: names }] });

const nodeA = makeNode('node-a', { labels: { zone: 'a', disk: 'ssd' } });
const nodeB = makeNode('node-b', { labels: { zone: 'b' } });

describe('NodeAffinity filter', () => {
  const plugin = new NodeAffinityPlugin(stubHandle());
  const cases: [string, Pod, Node, string, string[]][] = [
    ['a pod with a matching nodeSelector fits', makePod('p', { nodeSelector: { zone: 'a' } }), nodeA, 'Success', []],
    [
      'a pod with a nodeSelector fits only nodes with every label',
      makePod('p', { nodeSelector: { zone: 'a', disk: 'hdd' } }),
      nodeA,
      'UnschedulableAndUnresolvable',
      [ERR_REASON_POD_AFFINITY],
    ],
    ['a required term matching the node fits', makePod('p', { affinity: required(inZone('a', 'c')) }), nodeA, 'Success', []],
    [
      'no required term matching rejects',
      makePod('p', { affinity: required(inZone('c')) }),
      nodeB,
      'UnschedulableAndUnresolvable',
      [ERR_REASON_POD_AFFINITY],
    ],
    ['terms are ORed', makePod('p', { affinity: required(inZone('c'), inZone('b')) }), nodeB, 'Success', []],
    [
      'nodeSelector and affinity must both hold',
      makePod('p', { nodeSelector: { disk: 'ssd' }, affinity: required(inZone('b')) }),
      nodeA,
      'UnschedulableAndUnresolvable',
      [ERR_REASON_POD_AFFINITY],
    ],
    [
      'an empty term matches nothing',
      makePod('p', { affinity: required({}) }),
      nodeA,
      'UnschedulableAndUnresolvable',
      [ERR_REASON_POD_AFFINITY],
    ],
    ['a term by node name matches that node', makePod('p', { affinity: required(named('node-a')) }), nodeA, 'Success', []],
  ];
  it.each(cases)('%s', (_name, pod, node, code, reasons) => {
    const state = new CycleState();
    const pre = plugin.preFilter(state, pod);
    expect(pre instanceof Object && 'code' in pre ? pre.code : 'Success').not.toBe('Skip');
    const status = plugin.filter(state, pod, makeNodeInfo(node));
    expect(status.code).toBe(code);
    expect(status.reasons).toEqual(reasons);
  });

  it('skips a pod without nodeSelector or required affinity', () => {
    const pre = plugin.preFilter(new CycleState(), makePod('p'));
    expect(pre && 'code' in pre ? pre.code : undefined).toBe('Skip');
  });

  it('filters correctly without PreFilter state', () => {
    expect(plugin.filter(new CycleState(), makePod('p', { nodeSelector: { zone: 'b' } }), makeNodeInfo(nodeA)).code).toBe(
      'UnschedulableAndUnresolvable',
    );
  });

  it('narrows to the nodes every term names by metadata.name, intersecting within a term and uniting terms', () => {
    const pre = plugin.preFilter(
      new CycleState(),
      makePod('p', {
        affinity: required(
          {
            matchFields: [
              { key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] },
              { key: 'metadata.name', operator: 'In', values: ['n2', 'n3'] },
            ],
          },
          named('n4'),
        ),
      }),
    );
    expect(pre && 'nodeNames' in pre ? [...pre.nodeNames].sort() : pre).toEqual(['n2', 'n4']);
  });

  it('does not narrow when one term does not name nodes', () => {
    expect(plugin.preFilter(new CycleState(), makePod('p', { affinity: required(named('n1'), inZone('a')) }))).toBeUndefined();
  });

  it('rejects the pod at PreFilter when the names of a term conflict', () => {
    const pre = plugin.preFilter(
      new CycleState(),
      makePod('p', {
        affinity: required({
          matchFields: [
            { key: 'metadata.name', operator: 'In', values: ['n1'] },
            { key: 'metadata.name', operator: 'In', values: ['n2'] },
          ],
        }),
      }),
    );
    expect(pre && 'code' in pre ? [pre.code, pre.reasons] : pre).toEqual(['UnschedulableAndUnresolvable', [ERR_REASON_CONFLICT]]);
  });

  it('applies the added affinity of the arguments to every pod, with its own reason', () => {
    const enforced = new NodeAffinityPlugin(stubHandle(), { addedAffinity: required(inZone('a')).nodeAffinity });
    const pod = makePod('p');
    const state = new CycleState();
    expect(enforced.preFilter(state, pod)).toBeUndefined();
    expect(enforced.filter(state, pod, makeNodeInfo(nodeA)).code).toBe('Success');
    const status = enforced.filter(state, pod, makeNodeInfo(nodeB));
    expect([status.code, status.reasons]).toEqual(['UnschedulableAndUnresolvable', [ERR_REASON_ENFORCED]]);
  });

  it('rejects invalid arguments', () => {
    expect(() => new NodeAffinityPlugin(stubHandle(), { bogus: 1 })).toThrow(/NodeAffinityArgs/);
    expect(
      () =>
        new NodeAffinityPlugin(stubHandle(), {
          addedAffinity: required({ matchExpressions: [{ key: 'zone', operator: 'Near' }] }).nodeAffinity,
        }),
    ).toThrow(/NodeAffinityArgs/);
  });
});

describe('NodeAffinity score', () => {
  const nodes = [
    makeNode('n1', { labels: { zone: 'a', disk: 'ssd' } }),
    makeNode('n2', { labels: { zone: 'a' } }),
    makeNode('n3', { labels: { zone: 'b', disk: 'ssd' } }),
    makeNode('n4', { labels: {} }),
  ];
  const preferred = (...terms: [number, NodeSelectorTerm][]): Affinity => ({
    nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, preference]) => ({ weight, preference })) },
  });
  const ssd: NodeSelectorTerm = { matchExpressions: [{ key: 'disk', operator: 'Exists' }] };
  // Raw: sum of matching weights; normalised: trunc(100 * raw / max).
  const cases: [string, unknown, Pod, number[], number[]][] = [
    [
      'weights of matching terms add up',
      undefined,
      makePod('p', { affinity: preferred([3, inZone('a')], [5, ssd]) }),
      [8, 3, 5, 0],
      [100, 37, 62, 0],
    ],
    ['no node matching gives all 0', undefined, makePod('p', { affinity: preferred([10, inZone('z')]) }), [0, 0, 0, 0], [0, 0, 0, 0]],
    [
      'added preferred terms count for every pod',
      { addedAffinity: preferred([7, inZone('b')]).nodeAffinity },
      makePod('p', { affinity: preferred([2, ssd]) }),
      [2, 0, 9, 0],
      [22, 0, 100, 0],
    ],
  ];
  it.each(cases)('%s', (_name, args, pod, raw, normalised) => {
    const plugin = new NodeAffinityPlugin(stubHandle(), args);
    const infos = nodes.map((n) => makeNodeInfo(n));
    const state = new CycleState();
    expect(plugin.preScore(state, pod, infos)).toBeUndefined();
    const scores: NodeScore[] = infos.map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
    expect(scores.map((s) => s.score)).toEqual(raw);
    plugin.normalizeScore(state, pod, scores);
    expect(scores.map((s) => s.score)).toEqual(normalised);
  });

  it('skips scoring a pod without preferred terms when no terms are added', () => {
    const plugin = new NodeAffinityPlugin(stubHandle());
    expect(plugin.preScore(new CycleState(), makePod('p'), [makeNodeInfo(nodes[0]!)])?.code).toBe('Skip');
  });
});

describe('NodeAffinity events', () => {
  it('re-queues when a node starts matching the required constraints only', () => {
    const hint = new NodeAffinityPlugin(stubHandle()).eventsToRegister()[0]!.hint!;
    const pod = makePod('p', { nodeSelector: { zone: 'a' } });
    expect(hint(pod, undefined, nodeA)).toBe('Queue');
    expect(hint(pod, undefined, nodeB)).toBe('Skip');
    expect(hint(pod, nodeB, nodeA)).toBe('Queue');
    expect(hint(pod, nodeA, nodeA)).toBe('Skip');
  });
});
