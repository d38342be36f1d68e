import { describe, expect, it } from 'vitest';
import { Status } from '../../framework/status.js';
import { fitErrorMessage } from './fit-error-message.js';

describe('fitErrorMessage', () => {
  it('counts each reason over the nodes, sorts the counted strings and ends with a period', () => {
    const statuses = new Map([
      ['n1', Status.unschedulable('Insufficient cpu', 'Insufficient memory')],
      ['n2', Status.unschedulable('Insufficient cpu')],
      ['n3', Status.unresolvable("node(s) didn't match Pod's node affinity/selector")],
    ]);
    expect(fitErrorMessage({ numAllNodes: 3, statuses })).toBe(
      "0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu.",
    );
  });

  it('counts the nodes without a status under the absent reasons', () => {
    const statuses = new Map([['n1', Status.unresolvable('No preemption victims found for incoming pod')]]);
    expect(fitErrorMessage({ numAllNodes: 12, statuses, absentReasons: ['Preemption is not helpful for scheduling'] })).toBe(
      '0/12 nodes are available: 1 No preemption victims found for incoming pod, 11 Preemption is not helpful for scheduling.',
    );
  });

  it('sorts as strings, as Kubernetes does (10 before 2)', () => {
    const statuses = new Map<string, Status>();
    for (let i = 0; i < 10; i++) statuses.set(`a${i}`, Status.unschedulable('b'));
    statuses.set('x', Status.unschedulable('a'));
    statuses.set('y', Status.unschedulable('a'));
    expect(fitErrorMessage({ numAllNodes: 12, statuses })).toBe('0/12 nodes are available: 10 b, 2 a.');
  });

  it('is only the head without reasons', () => {
    expect(fitErrorMessage({ numAllNodes: 0, statuses: new Map() })).toBe('0/0 nodes are available:');
  });
});
