import { describe, expect, it } from 'vitest';
import { node, pod } from '../interpodaffinity/topology.fixture.js';
import { RequiredNodeAffinity } from './node-selector.js';
import { hasUntoleratedTaint } from './tolerations.js';

const withTerms = (...terms: object[]) =>
  pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } as never });
const expr = (key: string, operator: string, values?: string[]) => ({
  matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
});

describe('RequiredNodeAffinity', () => {
  const n = node('n1', { labels: { disk: 'ssd', cores: '8' } });
  const cases: [string, ReturnType<typeof pod>, boolean][] = [
    ['a pod without node affinity matches every node', pod('p'), true],
    ['nodeSelector must match every label', pod('p', { nodeSelector: { disk: 'ssd' } }), true],
    ['a nodeSelector label with another value does not match', pod('p', { nodeSelector: { disk: 'hdd' } }), false],
    ['In matches a listed value', withTerms(expr('disk', 'In', ['hdd', 'ssd'])), true],
    ['NotIn matches a node without the label', withTerms(expr('gpu', 'NotIn', ['x'])), true],
    ['Exists needs the label', withTerms(expr('gpu', 'Exists')), false],
    ['DoesNotExist needs the label absent', withTerms(expr('gpu', 'DoesNotExist')), true],
    ['Gt compares integers', withTerms(expr('cores', 'Gt', ['4'])), true],
    ['Lt compares integers', withTerms(expr('cores', 'Lt', ['4'])), false],
    ['terms are ORed', withTerms(expr('disk', 'In', ['hdd']), expr('cores', 'In', ['8'])), true],
    ['an empty term matches nothing', withTerms({}), false],
    ['a malformed term (Gt without an integer) matches nothing', withTerms(expr('cores', 'Gt', ['many'])), false],
    ['matchFields selects by node name', withTerms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }), true],
    [
      'matchFields with another name does not match',
      withTerms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }),
      false,
    ],
  ];
  for (const [name, p, want] of cases) it(name, () => expect(new RequiredNodeAffinity(p).match(n)).toBe(want));
});

describe('hasUntoleratedTaint', () => {
  const tainted = node('n1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
  it('finds a NoSchedule taint without a toleration', () => expect(hasUntoleratedTaint(pod('p'), tainted)).toBe(true));
  it('accepts an Equal toleration with the same value', () =>
    expect(hasUntoleratedTaint(pod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db' }] }), tainted)).toBe(false));
  it('rejects an Equal toleration with another value', () =>
    expect(hasUntoleratedTaint(pod('p', { tolerations: [{ key: 'dedicated', value: 'web' }] }), tainted)).toBe(true));
  it('accepts Exists without a key', () =>
    expect(hasUntoleratedTaint(pod('p', { tolerations: [{ operator: 'Exists' }] }), tainted)).toBe(false));
  it('ignores PreferNoSchedule taints', () =>
    expect(hasUntoleratedTaint(pod('p'), node('n2', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }))).toBe(false));
});
