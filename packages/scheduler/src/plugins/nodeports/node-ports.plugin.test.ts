import type { Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { makeNode, makeNodeInfo, makePod, stubHandle } from '../helpers/plugin-test.fixture.js';
import { ERR_REASON_NODE_PORTS, NodePortsPlugin } from './node-ports.plugin.js';

const withPorts = (name: string, ...ports: string[]): Pod => makePod(name, { containers: [{ hostPorts: ports }] });

describe('NodePorts', () => {
  const plugin = new NodePortsPlugin(stubHandle());
  const cases: [string, Pod, Pod[], string, string[]][] = [
    ['a pod with no host ports skips the filter', makePod('p'), [withPorts('x', '80')], 'Skip', []],
    ['a free port fits', withPorts('p', '8080'), [withPorts('x', '80')], 'Success', []],
    [
      'the same port and protocol on all addresses conflicts',
      withPorts('p', '80'),
      [withPorts('x', '80')],
      'Unschedulable',
      [ERR_REASON_NODE_PORTS],
    ],
    ['the same port with another protocol fits', withPorts('p', '53/UDP'), [withPorts('x', '53')], 'Success', []],
    ['the same port on two distinct host IPs fits', withPorts('p', '80@127.0.0.1'), [withPorts('x', '80@127.0.0.2')], 'Success', []],
    [
      'a specific IP conflicts with a port used on 0.0.0.0',
      withPorts('p', '80@127.0.0.1'),
      [withPorts('x', '80')],
      'Unschedulable',
      [ERR_REASON_NODE_PORTS],
    ],
    [
      '0.0.0.0 conflicts with a port used on a specific IP',
      withPorts('p', '80'),
      [withPorts('x', '80@10.0.0.1')],
      'Unschedulable',
      [ERR_REASON_NODE_PORTS],
    ],
    [
      'one conflicting port among several rejects',
      withPorts('p', '81', '82/UDP'),
      [withPorts('x', '82/UDP')],
      'Unschedulable',
      [ERR_REASON_NODE_PORTS],
    ],
    [
      'host ports of sidecars count',
      makePod('p', { initContainers: [{ hostPorts: ['90'], restartPolicy: 'Always' }] }),
      [withPorts('x', '90')],
      'Unschedulable',
      [ERR_REASON_NODE_PORTS],
    ],
    [
      'host ports of sidecars on the node count',
      withPorts('p', '90'),
      [makePod('x', { initContainers: [{ hostPorts: ['90'], restartPolicy: 'Always' }] })],
      'Unschedulable',
      [ERR_REASON_NODE_PORTS],
    ],
    [
      'host ports of regular init containers on the node do not count (they have exited)',
      withPorts('p', '90'),
      [makePod('x', { initContainers: [{ hostPorts: ['90'] }] })],
      'Success',
      [],
    ],
    [
      'a pod whose only host port is on a regular init container asks for none',
      makePod('p', { initContainers: [{ hostPorts: ['90'] }] }),
      [withPorts('x', '90')],
      'Skip',
      [],
    ],
  ];
  it.each(cases)('%s', (_name, pod, existing, code, reasons) => {
    const state = new CycleState();
    const pre = plugin.preFilter(state, pod);
    if (pre) {
      expect(pre.code).toBe(code);
      return;
    }
    const status = plugin.filter(state, pod, makeNodeInfo(makeNode('n'), existing));
    expect(status.code).toBe(code);
    expect(status.reasons).toEqual(reasons);
  });

  it('answers Error from Filter when PreFilter did not run', () => {
    expect(plugin.filter(new CycleState(), withPorts('p', '80'), makeNodeInfo(makeNode('n'))).code).toBe('Error');
  });

  it('re-queues on the deletion of an assigned pod that held one of the ports only', () => {
    const hint = plugin.eventsToRegister()[0]!.hint!;
    const pod = withPorts('p', '80');
    const holder = { ...withPorts('x', '80'), spec: { ...withPorts('x', '80').spec!, nodeName: 'n' } } as Pod;
    const other = { ...withPorts('y', '81'), spec: { ...withPorts('y', '81').spec!, nodeName: 'n' } } as Pod;
    expect(hint(pod, holder, undefined)).toBe('Queue');
    expect(hint(pod, other, undefined)).toBe('Skip');
    expect(hint(pod, withPorts('unassigned', '80'), undefined)).toBe('Skip');
  });
});
