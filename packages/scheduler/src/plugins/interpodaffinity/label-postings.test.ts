import { labelSelectorFromObject } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { ANY_LABELS_POSTING, labelPosting, labelPostings, selectorPostings, termLookupPostings, termPostings } from './label-postings.js';

describe('label postings', () => {
  it('files a label set under each of its labels', () => {
    expect(labelPostings({ app: 'web', tier: 'fe' })).toEqual([labelPosting('app', 'web'), labelPosting('tier', 'fe')]);
    expect(labelPostings(undefined)).toEqual([]);
  });

  it('looks a selector up through its = or in requirement with the fewest values', () => {
    const sel = labelSelectorFromObject({
      matchLabels: { tier: 'fe' },
      matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'b'] }],
    });
    expect(selectorPostings(sel)).toEqual([labelPosting('tier', 'fe')]);
    const inOnly = labelSelectorFromObject({ matchExpressions: [{ key: 'app', operator: 'In', values: ['b', 'a'] }] });
    expect(selectorPostings(inOnly)).toEqual([labelPosting('app', 'a'), labelPosting('app', 'b')]);
  });

  it('gives no postings (every group is a candidate) to selectors without = or in, and none at all to one matching nothing', () => {
    expect(selectorPostings(labelSelectorFromObject({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }))).toBeUndefined();
    expect(selectorPostings(labelSelectorFromObject({}))).toBeUndefined();
    expect(selectorPostings(labelSelectorFromObject(null))).toEqual([]);
  });

  it('files terms without postings under the posting every pod looks up', () => {
    const exists = labelSelectorFromObject({ matchExpressions: [{ key: 'app', operator: 'Exists' }] });
    expect(termPostings(exists)).toEqual([ANY_LABELS_POSTING]);
    expect(termLookupPostings({ app: 'x' })).toEqual([labelPosting('app', 'x'), ANY_LABELS_POSTING]);
  });
});
