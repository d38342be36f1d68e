import { describe, expect, it } from 'vitest';
import { StatusError } from '../api/errors.js';
import { parseLabelSelector } from './label-selector-parser.js';
import { formatLabelSelector, labelSelectorFromObject, matchesLabelSelector, parseToLabelSelectorObject } from './label-selector-object.js';
import { LabelSelectorMatcher } from './label-selector.js';

function badRequestOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
    expect((err as StatusError).reason).toBe('BadRequest');
    return err as StatusError;
  }
  throw new Error('expected a BadRequest');
}

describe('label selector string syntax', () => {
  const web = { app: 'web', tier: 'fe', rank: '5' };
  const db = { app: 'db', tier: 'be' };

  it('matches equality requirements written with =, == and !=', () => {
    expect(parseLabelSelector('app=web').matches(web)).toBe(true);
    expect(parseLabelSelector('app==web').matches(web)).toBe(true);
    expect(parseLabelSelector('app=web').matches(db)).toBe(false);
    expect(parseLabelSelector('app!=web').matches(db)).toBe(true);
    expect(parseLabelSelector('app!=web').matches(web)).toBe(false);
    expect(parseLabelSelector('app!=web').matches({})).toBe(true);
    expect(parseLabelSelector('app!=web').matches(undefined)).toBe(true);
  });

  it('matches set requirements: in, notin, existence and absence', () => {
    expect(parseLabelSelector('tier in (fe, be)').matches(web)).toBe(true);
    expect(parseLabelSelector('tier in (x,y)').matches(web)).toBe(false);
    expect(parseLabelSelector('tier in (fe)').matches({})).toBe(false);
    expect(parseLabelSelector('tier notin (fe)').matches(web)).toBe(false);
    expect(parseLabelSelector('tier notin (fe)').matches(db)).toBe(true);
    expect(parseLabelSelector('tier notin (fe)').matches({})).toBe(true);
    expect(parseLabelSelector('tier').matches(web)).toBe(true);
    expect(parseLabelSelector('tier').matches({ app: 'x' })).toBe(false);
    expect(parseLabelSelector('!tier').matches({ app: 'x' })).toBe(true);
    expect(parseLabelSelector('!tier').matches(web)).toBe(false);
    expect(parseLabelSelector('! tier').matches(undefined)).toBe(true);
  });

  it('ANDs comma-separated requirements', () => {
    const s = parseLabelSelector('app=web, tier in (fe,be),!canary');
    expect(s.matches(web)).toBe(true);
    expect(s.matches({ ...web, canary: 'true' })).toBe(false);
    expect(s.matches(db)).toBe(false);
  });

  it('compares integers with > and <', () => {
    expect(parseLabelSelector('rank>3').matches(web)).toBe(true);
    expect(parseLabelSelector('rank<3').matches(web)).toBe(false);
    expect(parseLabelSelector('rank>3').matches(db)).toBe(false);
    expect(parseLabelSelector('rank>3').matches({ rank: 'high' })).toBe(false);
  });

  it('treats the empty string as the selector that matches everything', () => {
    const s = parseLabelSelector('  ');
    expect(s.empty).toBe(true);
    expect(s.matches(undefined)).toBe(true);
    expect(s.toString()).toBe('');
  });

  it('accepts empty values: a=, and in () meaning the empty value', () => {
    expect(parseLabelSelector('a=').matches({ a: '' })).toBe(true);
    expect(parseLabelSelector('a=,b').matches({ a: '', b: 'x' })).toBe(true);
    expect(parseLabelSelector('a in ()').matches({ a: '' })).toBe(true);
    expect(parseLabelSelector('a in (,x)').requirements[0]!.values).toEqual(['', 'x']);
  });

  it('accepts prefixed keys and the keywords as values', () => {
    expect(parseLabelSelector('app.kubernetes.io/name=web').matches({ 'app.kubernetes.io/name': 'web' })).toBe(true);
    expect(parseLabelSelector('mode in (in,notin)').matches({ mode: 'notin' })).toBe(true);
    expect(parseLabelSelector('mode=in').matches({ mode: 'in' })).toBe(true);
  });

  it('prints requirements sorted by key, normalising == and sorting set values', () => {
    expect(parseLabelSelector('z==1,a in (y,x,x),!m,k').toString()).toBe('a in (x,y),k,!m,z=1');
    expect(parseLabelSelector(parseLabelSelector('b!=2,a notin (q)').toString()).toString()).toBe('a notin (q),b!=2');
  });

  it.each([
    ['a in b', "found 'b', expected: '('", 5],
    ['a in (b', "found '', expected: ',' or ')'", 7],
    ['a b', "found 'b', expected: in, notin, =, ==, !=, gt, lt", 2],
    ['a=b,', "found '', expected: identifier after ','", 4],
    [',a', "found ',', expected: identifier", 0],
    ['a=b c', "found 'c', expected: ',' or 'end of string'", 4],
    ['=b', "found '=', expected: identifier", 0],
    ['a=(b)', "found '(', expected: identifier", 2],
    ['!a=b', "found '=', expected: ',' or 'end of string' after '!a'", 2],
  ])('rejects %j saying what was found and where', (sel, what, pos) => {
    const err = badRequestOf(() => parseLabelSelector(sel));
    expect(err.message).toContain(`unable to parse requirement: ${what}`);
    expect(err.message).toContain(`at position ${pos} of ${JSON.stringify(sel)}`);
  });

  it('rejects invalid label keys and values with Kubernetes wording', () => {
    expect(badRequestOf(() => parseLabelSelector('-a=b')).message).toContain('invalid label key "-a"');
    expect(badRequestOf(() => parseLabelSelector('a/b/c')).message).toContain('invalid label key "a/b/c"');
    expect(badRequestOf(() => parseLabelSelector('a=b_')).message).toContain('invalid label value: "b_": at key: "a"');
    expect(badRequestOf(() => parseLabelSelector(`a=${'x'.repeat(64)}`)).message).toContain('must be no more than 63 characters');
    expect(badRequestOf(() => parseLabelSelector('a>b')).message).toContain('the value must be an integer');
  });

  it('caches parsed selectors by string', () => {
    expect(parseLabelSelector('cache-me=1')).toBe(parseLabelSelector('cache-me=1'));
  });
});

describe('label selector objects', () => {
  it('compiles matchLabels and matchExpressions with all four operators', () => {
    const s = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'team', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    expect(s.matches({ app: 'web', tier: 'fe', team: 'a' })).toBe(true);
    expect(s.matches({ app: 'web', tier: 'fe', team: 'a', env: 'prod' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'fe', team: 'a', canary: '' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'fe' })).toBe(false);
    expect(s.toString()).toBe('app=web,!canary,env notin (prod),team,tier in (be,fe)');
  });

  it('treats an empty object as everything and a missing one as nothing', () => {
    expect(labelSelectorFromObject({}).matches(undefined)).toBe(true);
    expect(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).empty).toBe(true);
    expect(labelSelectorFromObject(undefined).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorFromObject(null)).toBe(LabelSelectorMatcher.nothing);
    expect(matchesLabelSelector({ matchLabels: { a: 'b' } }, { a: 'b', c: 'd' })).toBe(true);
  });

  it('rejects unknown operators and bad requirements', () => {
    expect(badRequestOf(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Like', values: ['x'] }] })).message).toBe(
      '"Like" is not a valid label selector operator',
    );
    expect(badRequestOf(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).message).toContain(
      "values set can't be empty",
    );
    expect(
      badRequestOf(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).message,
    ).toContain('values set must be empty');
    expect(badRequestOf(() => labelSelectorFromObject({ matchLabels: { 'a b': 'x' } })).message).toContain('invalid label key "a b"');
  });

  it('converts both ways between strings and objects', () => {
    expect(parseToLabelSelectorObject('app=web,tier in (fe,be),env!=prod,x,!y')).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'tier', operator: 'In', values: ['be', 'fe'] },
        { key: 'x', operator: 'Exists' },
        { key: 'y', operator: 'DoesNotExist' },
      ],
    });
    expect(formatLabelSelector({ matchLabels: { b: '2', a: '1' } })).toBe('a=1,b=2');
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(badRequestOf(() => parseToLabelSelectorObject('a>1')).message).toContain('only valid in the string syntax');
    const round = labelSelectorFromObject(parseToLabelSelectorObject('a in (x,y),!b,c=d'));
    expect(round.toString()).toBe('a in (x,y),!b,c=d');
  });
});
