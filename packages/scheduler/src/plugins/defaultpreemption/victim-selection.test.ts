import { FakeStore } from '@converge/testing';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { FixtureHandle, nominate, testNode, testPod, type PodFixture } from './default-preemption.fixture.js';
import { selectVictimsOnNode } from './victim-selection.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

function setup(cpu: string, pods: PodFixture[]) {
  const node = testNode('n1', cpu);
  const info = new NodeInfo(
    node,
    pods.map((p) => ({ ...testPod({ ...p, nodeName: 'n1' }), metadata: { name: p.name, namespace: 'default', uid: `uid-${p.name}` } })),
  );
  const handle = new FixtureHandle(new FakeStore(), [info]);
  return { handle, info };
}

function select(handle: FixtureHandle, info: NodeInfo, pod = testPod({ name: 'high', cpu: '2', priority: 100 })) {
  const r = selectVictimsOnNode({ handle, state: new CycleState(), pod, nodeInfo: info.clone(), pdbs: [], now: NOW });
  return { ...r, names: r.victims.map((v) => v.metadata.name) };
}

describe('selectVictimsOnNode', () => {
  it('evicts only what the preemptor needs, keeping the more important pods', () => {
    const { handle, info } = setup('3', [
      { name: 'a', cpu: '1', priority: 10 },
      { name: 'b', cpu: '1', priority: 5 },
    ]);
    const r = select(handle, info);
    expect(r.status.isSuccess()).toBe(true);
    expect(r.names).toEqual(['b']);
    expect(r.numPdbViolations).toBe(0);
  });

  it('keeps room for pods of higher priority nominated to the node, ignoring lower-priority nominations', () => {
    const { handle, info } = setup('3', [
      { name: 'a', cpu: '1', priority: 10 },
      { name: 'b', cpu: '1', priority: 5 },
    ]);
    nominate(handle, 'n1', testPod({ name: 'lower', cpu: '3', priority: 1 }));
    expect(select(handle, info).names).toEqual(['b']);
    nominate(handle, 'n1', testPod({ name: 'vip', cpu: '1', priority: 200 }));
    expect(select(handle, info).names).toEqual(['a', 'b']);
  });

  it('among equal priorities, keeps the pod that started first', () => {
    const { handle, info } = setup('2', [
      { name: 'young', cpu: '1', priority: 10, startTime: '2026-05-30T00:00:00Z' },
      { name: 'old', cpu: '1', priority: 10, startTime: '2026-01-01T00:00:00Z' },
    ]);
    expect(select(handle, info, testPod({ name: 'high', cpu: '1', priority: 100 })).names).toEqual(['young']);
  });

  it('says no victims were found when no pod has lower priority', () => {
    const { handle, info } = setup('1', [{ name: 'peer', cpu: '1', priority: 100 }]);
    const r = select(handle, info);
    expect(r.status).toEqual(Status.unresolvable('No preemption victims found for incoming pod'));
    expect(r.victims).toEqual([]);
  });

  it("returns the filters' failure when the pod does not fit even without the victims", () => {
    const { handle, info } = setup('1', [{ name: 'low', cpu: '500m', priority: 1 }]);
    expect(select(handle, info).status).toEqual(Status.unschedulable('Insufficient cpu'));
  });

  it('fails with an Error when a PreFilter extension fails, and leaves the original NodeInfo alone', () => {
    const { handle, info } = setup('2', [{ name: 'low', cpu: '2', priority: 1 }]);
    handle.runPreFilterExtensionRemovePod = () => Status.unschedulable('cannot compute');
    const r = select(handle, info);
    expect(r.status.code).toBe('Error');
    expect(r.status.reasons).toEqual(['cannot compute']);
    expect(info.pods.map((p) => p.pod.metadata.name)).toEqual(['low']);
  });
});
