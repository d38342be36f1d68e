import type { PodDisruptionBudget } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { podInfoOf } from '../../framework/node-info.js';
import { testPdb, testPod } from './default-preemption.fixture.js';
import { splitByPdbViolation } from './pdb-violation.js';

const names = (xs: { pod: { metadata: { name?: string | undefined } } }[]) => xs.map((x) => x.pod.metadata.name);

describe('splitByPdbViolation', () => {
  it('spends each budget in order: the pods past disruptionsAllowed are violating', () => {
    const pods = ['a', 'b', 'c'].map((n) => podInfoOf(testPod({ name: n, labels: { app: 'db' } })));
    const split = splitByPdbViolation(pods, [testPdb('db', { app: 'db' }, 1)]);
    expect(names(split.nonViolating)).toEqual(['a']);
    expect(names(split.violating)).toEqual(['b', 'c']);
  });

  it('ignores budgets of other namespaces, pods without labels and budgets with an empty selector', () => {
    const other = { ...testPdb('db', { app: 'db' }, 0), metadata: { name: 'db', namespace: 'other' } };
    const empty: PodDisruptionBudget = { ...testPdb('all', {}, 0), spec: { selector: {} } };
    const pods = [podInfoOf(testPod({ name: 'labelled', labels: { app: 'db' } })), podInfoOf(testPod({ name: 'bare' }))];
    const split = splitByPdbViolation(pods, [other, empty]);
    expect(names(split.violating)).toEqual([]);
    expect(names(split.nonViolating)).toEqual(['labelled', 'bare']);
  });

  it('does not count a pod the budget already lists as disrupted', () => {
    const pdb = testPdb('db', { app: 'db' }, 0);
    const disrupted: PodDisruptionBudget = { ...pdb, status: { ...pdb.status!, disruptedPods: { a: '2026-01-01T00:00:00Z' } } };
    const pods = ['a', 'b'].map((n) => podInfoOf(testPod({ name: n, labels: { app: 'db' } })));
    const split = splitByPdbViolation(pods, [disrupted]);
    expect(names(split.nonViolating)).toEqual(['a']);
    expect(names(split.violating)).toEqual(['b']);
  });

  it('matches selectors with expressions', () => {
    const pdb: PodDisruptionBudget = {
      ...testPdb('tiers', {}, 0),
      spec: { selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] } },
    };
    const pods = [podInfoOf(testPod({ name: 'fe', labels: { tier: 'fe' } })), podInfoOf(testPod({ name: 'db', labels: { tier: 'db' } }))];
    expect(names(splitByPdbViolation(pods, [pdb]).violating)).toEqual(['fe']);
  });
});
