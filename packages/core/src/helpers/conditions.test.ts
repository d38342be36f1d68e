import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.js';
import { VirtualClock } from '../util/virtual-clock.js';
import {
  findCondition,
  findStatusCondition,
  isConditionFalse,
  isConditionTrue,
  removeCondition,
  setCondition,
  setObservedGeneration,
  setStatusCondition,
  type StatusCondition,
} from './conditions.js';

describe('status conditions', () => {
  it('adds a condition stamped now, and changes lastTransitionTime only when the status changes', async () => {
    const clock = new VirtualClock();
    const conditions: StatusCondition[] = [];
    expect(setCondition(conditions, { type: 'Ready', status: 'False', reason: 'Starting', message: 'waiting' }, clock)).toBe(true);
    expect(conditions[0]!.lastTransitionTime).toBe('2024-01-01T00:00:00Z');
    await clock.advance(60_000);
    expect(setCondition(conditions, { type: 'Ready', status: 'False', reason: 'StillStarting', message: 'waiting' }, clock)).toBe(true);
    expect(conditions[0]).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'StillStarting',
      message: 'waiting',
      lastTransitionTime: '2024-01-01T00:00:00Z',
    });
    expect(setCondition(conditions, { type: 'Ready', status: 'False', reason: 'StillStarting', message: 'waiting' }, clock)).toBe(false);
    await clock.advance(60_000);
    expect(setCondition(conditions, { type: 'Ready', status: 'True', reason: 'Running' }, clock)).toBe(true);
    expect(conditions[0]).toEqual({ type: 'Ready', status: 'True', reason: 'Running', lastTransitionTime: '2024-01-01T00:02:00Z' });
    expect(isConditionTrue(conditions, 'Ready')).toBe(true);
    expect(isConditionFalse(conditions, 'Ready')).toBe(false);
    expect(isConditionTrue(conditions, 'Missing')).toBe(false);
  });

  it('keeps an explicit lastTransitionTime from the input', () => {
    const conditions: StatusCondition[] = [];
    setCondition(conditions, { type: 'Synced', status: 'True', lastTransitionTime: '2023-05-05T05:05:05Z' }, 0);
    expect(findCondition(conditions, 'Synced')?.lastTransitionTime).toBe('2023-05-05T05:05:05Z');
    expect(removeCondition(conditions, 'Synced')).toBe(true);
    expect(removeCondition(conditions, 'Synced')).toBe(false);
  });

  it('sets conditions on an object, and its observedGeneration from its generation', () => {
    const obj: KubeObject = { metadata: { name: 'w', generation: 4 } };
    expect(
      setStatusCondition(
        obj,
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', observedGeneration: obj.metadata.generation },
        Date.UTC(2024, 0, 2),
      ),
    ).toBe(true);
    expect(findStatusCondition(obj, 'Available')).toEqual({
      type: 'Available',
      status: 'True',
      reason: 'MinimumReplicasAvailable',
      observedGeneration: 4,
      lastTransitionTime: '2024-01-02T00:00:00Z',
    });
    expect(setObservedGeneration(obj)).toBe(true);
    expect(setObservedGeneration(obj)).toBe(false);
    expect((obj['status'] as { observedGeneration: number }).observedGeneration).toBe(4);
  });
});
