import type { Toleration } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { findUntoleratedTaint, isDoNotScheduleTaint, tolerates, tolerationsTolerateTaint, type Taint } from './tolerations.js';

describe('tolerates', () => {
  const taint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const cases: [string, Toleration, Taint, boolean][] = [
    [
      'an Equal toleration with the same key, value and effect tolerates the taint',
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
      taint,
      true,
    ],
    ['an empty operator means Equal', { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, taint, true],
    ['an Equal toleration with another value does not tolerate', { key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }, taint, false],
    ['Exists tolerates any value of the key', { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, taint, true],
    ['an empty effect matches every effect', { key: 'dedicated', operator: 'Exists' }, taint, true],
    ['another effect does not match', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint, false],
    ['an empty key with Exists tolerates every taint', { operator: 'Exists' }, taint, true],
    ['another key does not match', { key: 'other', operator: 'Exists' }, taint, false],
    ['an empty key with Equal compares only values', { value: 'gpu' }, taint, true],
    ['Equal with no value tolerates a taint with no value', { key: 'k' }, { key: 'k', effect: 'NoSchedule' }, true],
    ['an unknown operator tolerates nothing', { key: 'dedicated', operator: 'Bogus' as 'Exists' }, taint, false],
  ];
  it.each(cases)('%s', (_name, toleration, t, want) => {
    expect(tolerates(toleration, t)).toBe(want);
  });
});

describe('findUntoleratedTaint', () => {
  const taints: Taint[] = [
    { key: 'soft', value: 'x', effect: 'PreferNoSchedule' },
    { key: 'a', value: '1', effect: 'NoSchedule' },
    { key: 'b', value: '2', effect: 'NoExecute' },
  ];

  it('returns the first NoSchedule or NoExecute taint that no toleration tolerates', () => {
    expect(findUntoleratedTaint(taints, [], isDoNotScheduleTaint)).toEqual(taints[1]);
    expect(findUntoleratedTaint(taints, [{ key: 'a', operator: 'Exists' }], isDoNotScheduleTaint)).toEqual(taints[2]);
  });

  it('returns undefined when every considered taint is tolerated, ignoring PreferNoSchedule', () => {
    const tolerations: Toleration[] = [
      { key: 'a', value: '1' },
      { key: 'b', operator: 'Exists', effect: 'NoExecute' },
    ];
    expect(findUntoleratedTaint(taints, tolerations, isDoNotScheduleTaint)).toBeUndefined();
    expect(tolerationsTolerateTaint(tolerations, taints[0]!)).toBe(false);
    expect(findUntoleratedTaint(undefined, undefined, isDoNotScheduleTaint)).toBeUndefined();
  });
});
