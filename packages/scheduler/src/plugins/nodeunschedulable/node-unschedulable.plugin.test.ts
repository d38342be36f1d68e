import type { Node, Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { makeNode, makeNodeInfo, makePod, stubHandle } from '../helpers/plugin-test.fixture.js';
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulablePlugin } from './node-unschedulable.plugin.js';

describe('NodeUnschedulable', () => {
  const plugin = new NodeUnschedulablePlugin(stubHandle());
  const cordoned = makeNode('n', { unschedulable: true });
  const open = makeNode('n', { unschedulable: false });
  const plain = makePod('p');
  const tolerating = makePod('t', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
  const tolerateAll = makePod('all', { tolerations: [{ operator: 'Exists' }] });
  const wrongEffect = makePod('w', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }] });
  const cases: [string, Pod, Node, string, string[]][] = [
    ['a schedulable node takes any pod', plain, open, 'Success', []],
    ['a node without spec.unschedulable takes any pod', plain, makeNode('n'), 'Success', []],
    ['a cordoned node rejects a pod without the toleration', plain, cordoned, 'UnschedulableAndUnresolvable', [ERR_REASON_UNSCHEDULABLE]],
    ['a cordoned node takes a pod tolerating the unschedulable taint', tolerating, cordoned, 'Success', []],
    ['a cordoned node takes a pod tolerating every taint', tolerateAll, cordoned, 'Success', []],
    ['a toleration for another effect does not help', wrongEffect, cordoned, 'UnschedulableAndUnresolvable', [ERR_REASON_UNSCHEDULABLE]],
  ];
  it.each(cases)('%s', (_name, pod, node, code, reasons) => {
    const status = plugin.filter(new CycleState(), pod, makeNodeInfo(node));
    expect(status.code).toBe(code);
    expect(status.reasons).toEqual(reasons);
  });

  it('re-queues when a node is added schedulable or uncordoned, not when it stays cordoned', () => {
    const [nodeEvent, podEvent] = plugin.eventsToRegister();
    expect(nodeEvent!.hint!(plain, undefined, open)).toBe('Queue');
    expect(nodeEvent!.hint!(plain, cordoned, open)).toBe('Queue');
    expect(nodeEvent!.hint!(plain, cordoned, cordoned)).toBe('Skip');
    expect(nodeEvent!.hint!(plain, open, open)).toBe('Skip');
    expect(podEvent!.hint!(plain, plain, { ...tolerating, metadata: plain.metadata })).toBe('Queue');
    expect(podEvent!.hint!(plain, plain, tolerating)).toBe('Skip');
  });
});
