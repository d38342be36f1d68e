import type { NodeSelectorTerm } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CompiledNodeSelector, CompiledNodeSelectorTerm, CompiledPreferredTerms, RequiredNodeAffinity } from './node-selector.js';
import { makeNode, makePod } from './plugin-test.fixture.js';

const node = makeNode('node-1', { labels: { zone: 'a', gen: '5', disk: 'ssd', bad: 'x' } });

describe('CompiledNodeSelectorTerm', () => {
  const cases: [string, NodeSelectorTerm, boolean][] = [
    ['In matches a listed value', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }, true],
    ['In does not match an unlisted value', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, false],
    ['In does not match a missing label', { matchExpressions: [{ key: 'rack', operator: 'In', values: ['a'] }] }, false],
    ['NotIn matches a missing label', { matchExpressions: [{ key: 'rack', operator: 'NotIn', values: ['a'] }] }, true],
    ['NotIn does not match a listed value', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, false],
    ['Exists matches a present label', { matchExpressions: [{ key: 'disk', operator: 'Exists' }] }, true],
    ['DoesNotExist does not match a present label', { matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }, false],
    ['DoesNotExist matches a missing label', { matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }, true],
    ['Gt compares integers', { matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }, true],
    ['Gt is strict', { matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['5'] }] }, false],
    ['Lt compares integers', { matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['10'] }] }, true],
    ['Gt on a non-integer label does not match', { matchExpressions: [{ key: 'bad', operator: 'Gt', values: ['1'] }] }, false],
    [
      'Gt with a non-integer value is a parse error and matches nothing',
      { matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['x'] }] },
      false,
    ],
    ['In with no values is a parse error', { matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] }, false],
    ['an unknown operator is a parse error', { matchExpressions: [{ key: 'zone', operator: 'Equals', values: ['a'] }] }, false],
    [
      'requirements are ANDed',
      {
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['a'] },
          { key: 'disk', operator: 'In', values: ['hdd'] },
        ],
      },
      false,
    ],
    [
      'matchFields metadata.name In matches the node name',
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
      true,
    ],
    [
      'matchFields metadata.name In another name does not match',
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] },
      false,
    ],
    [
      'matchFields metadata.name NotIn another name matches',
      { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-2'] }] },
      true,
    ],
    [
      'matchFields with two values is a parse error',
      { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1', 'node-2'] }] },
      false,
    ],
    [
      'matchFields on another field is a parse error',
      { matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['node-1'] }] },
      false,
    ],
    [
      'labels and fields are ANDed',
      {
        matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
        matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }],
      },
      true,
    ],
  ];
  it.each(cases)('%s', (_name, term, want) => {
    expect(new CompiledNodeSelectorTerm(term).match(node)).toBe(want);
  });

  it('reports parse errors', () => {
    expect(new CompiledNodeSelectorTerm({ matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] }).errors).toHaveLength(1);
    expect(new CompiledNodeSelectorTerm({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }).errors).toEqual([]);
  });
});

describe('CompiledNodeSelector', () => {
  it('ORs its terms and ignores empty terms (a selector of only empty terms matches nothing)', () => {
    const sel = new CompiledNodeSelector({
      nodeSelectorTerms: [
        {},
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
        { matchExpressions: [{ key: 'disk', operator: 'Exists' }] },
      ],
    });
    expect(sel.match(node)).toBe(true);
    expect(new CompiledNodeSelector({ nodeSelectorTerms: [{}] }).match(node)).toBe(false);
    expect(new CompiledNodeSelector({ nodeSelectorTerms: [] }).match(node)).toBe(false);
  });
});

describe('CompiledPreferredTerms', () => {
  it('sums the weights of the matching terms, skipping weight 0 and empty preferences', () => {
    const terms = new CompiledPreferredTerms([
      { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
      { weight: 7, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
      { weight: 11, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } },
      { weight: 0, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
      { weight: 3, preference: {} },
    ]);
    expect(terms.score(node)).toBe(12);
  });

  it('throws when a term does not parse', () => {
    expect(() => new CompiledPreferredTerms([{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'Foo' }] } }])).toThrow(
      /Unsupported/,
    );
  });
});

describe('RequiredNodeAffinity', () => {
  it('requires every nodeSelector label and one required affinity term', () => {
    const both = makePod('p', {
      nodeSelector: { zone: 'a' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }],
          },
        },
      },
    });
    expect(new RequiredNodeAffinity(both).match(node)).toBe(true);
    expect(new RequiredNodeAffinity(both).match(makeNode('n2', { labels: { zone: 'a', disk: 'hdd' } }))).toBe(false);
    expect(new RequiredNodeAffinity(both).match(makeNode('n3', { labels: { zone: 'b', disk: 'ssd' } }))).toBe(false);
    expect(new RequiredNodeAffinity(makePod('free')).match(makeNode('n4'))).toBe(true);
  });
});
