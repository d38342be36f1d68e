import type { Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { makeNode, makeNodeInfo, makePod, stubHandle } from '../helpers/plugin-test.fixture.js';
import { ERR_REASON_NODE_NAME, NodeNamePlugin } from './node-name.plugin.js';

describe('NodeName', () => {
  const plugin = new NodeNamePlugin(stubHandle());
  const cases: [string, Pod, string, string, string[]][] = [
    ['a pod naming no node fits any node', makePod('p'), 'node-a', 'Success', []],
    ['a pod naming the node fits it', makePod('p', { nodeName: 'node-a' }), 'node-a', 'Success', []],
    [
      'a pod naming another node does not fit',
      makePod('p', { nodeName: 'node-b' }),
      'node-a',
      'UnschedulableAndUnresolvable',
      [ERR_REASON_NODE_NAME],
    ],
  ];
  it.each(cases)('%s', (_name, pod, node, code, reasons) => {
    const status = plugin.filter(new CycleState(), pod, makeNodeInfo(makeNode(node)));
    expect(status.code).toBe(code);
    expect(status.reasons).toEqual(reasons);
  });

  it('re-queues on a node added only when it is the one named', () => {
    const [reg] = plugin.eventsToRegister();
    expect(reg!.event.actionType).toBeTruthy();
    const pod = makePod('p', { nodeName: 'node-b' });
    expect(reg!.hint!(pod, undefined, makeNode('node-b'))).toBe('Queue');
    expect(reg!.hint!(pod, undefined, makeNode('node-a'))).toBe('Skip');
  });
});
