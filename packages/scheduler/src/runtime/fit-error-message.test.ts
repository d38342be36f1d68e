import { describe, expect, it } from 'vitest';
import { Status } from '../framework/status.js';
import { fitErrorMessage, newDiagnosis, NO_NODES_AVAILABLE, type Diagnosis } from './fit-error.js';

function diagnosis(statuses: [string, Status][], absent?: Status, postFilterMsg?: string): Diagnosis {
  const d = newDiagnosis();
  for (const [node, status] of statuses) d.nodeToStatus.set(node, status);
  d.absentNodesStatus = absent;
  d.postFilterMsg = postFilterMsg;
  return d;
}

describe('fitErrorMessage', () => {
  it('counts each reason over the nodes, sorts the counted strings and ends with a period', () => {
    const d = diagnosis([
      ['n1', Status.unschedulable('Insufficient cpu', 'Insufficient memory')],
      ['n2', Status.unschedulable('Insufficient cpu')],
      ['n3', Status.unresolvable("node(s) didn't match Pod's node affinity/selector")],
    ]);
    expect(fitErrorMessage(3, d)).toBe(
      "0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu.",
    );
  });

  it('counts the nodes without a status under the absent status', () => {
    const d = diagnosis(
      [['n1', Status.unresolvable('No preemption victims found for incoming pod')]],
      Status.unschedulable('Preemption is not helpful for scheduling'),
    );
    expect(fitErrorMessage(12, d)).toBe(
      '0/12 nodes are available: 1 No preemption victims found for incoming pod, 11 Preemption is not helpful for scheduling.',
    );
  });

  it('sorts as strings, as Kubernetes does (10 before 2)', () => {
    const statuses: [string, Status][] = [];
    for (let i = 0; i < 10; i++) statuses.push([`a${i}`, Status.unschedulable('b')]);
    statuses.push(['x', Status.unschedulable('a')], ['y', Status.unschedulable('a')]);
    expect(fitErrorMessage(12, diagnosis(statuses))).toBe('0/12 nodes are available: 10 b, 2 a.');
  });

  it("appends PostFilter's message as its own sentence", () => {
    const d = diagnosis(
      [['n1', Status.unschedulable('Insufficient cpu')]],
      undefined,
      'preemption: not eligible due to preemptionPolicy=Never.',
    );
    expect(fitErrorMessage(1, d)).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  it('says there are no nodes when the cluster has none', () => {
    expect(fitErrorMessage(0, newDiagnosis())).toBe(NO_NODES_AVAILABLE);
  });
});
