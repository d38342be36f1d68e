import { describe, expect, it } from 'vitest';
import { queryBool } from './query-bool.js';
import { deleteOptionsOf, watchOptionsOf } from './query-options.js';

const q = (s: string) => new URLSearchParams(s);

describe('queryBool', () => {
  it('is undefined for an absent parameter, false for 0 and false in any case, true for anything else', () => {
    expect(queryBool(q(''), 'x')).toBeUndefined();
    for (const v of ['0', 'false', 'False', 'fAlSe']) expect(queryBool(q(`x=${v}`), 'x'), v).toBe(false);
    for (const v of ['1', 'true', 'True', 't', 'T', 'yes', 'no', '']) expect(queryBool(q(`x=${v}`), 'x'), v).toBe(true);
    expect(queryBool(q('x'), 'x')).toBe(true);
  });

  it('reads the first value of a repeated parameter', () => {
    expect(queryBool(q('x=0&x=1'), 'x')).toBe(false);
    expect(queryBool(q('x=True&x=false'), 'x')).toBe(true);
  });

  it('is the conversion of every boolean option: bookmarks, initial events, orphanDependents', () => {
    expect(watchOptionsOf(q('allowWatchBookmarks=True'), undefined).allowWatchBookmarks).toBe(true);
    expect(watchOptionsOf(q('allowWatchBookmarks=nope'), undefined).allowWatchBookmarks).toBe(true);
    expect(watchOptionsOf(q('allowWatchBookmarks=FALSE'), undefined).allowWatchBookmarks).toBeUndefined();
    expect(watchOptionsOf(q('sendInitialEvents=True&resourceVersionMatch=NotOlderThan'), undefined).sendInitialEvents).toBe(true);
    expect(watchOptionsOf(q('sendInitialEvents=False&resourceVersionMatch=NotOlderThan'), undefined).sendInitialEvents).toBe(false);
    expect(deleteOptionsOf(q('orphanDependents=True'), undefined).propagationPolicy).toBe('Orphan');
    expect(deleteOptionsOf(q('orphanDependents=f'), undefined).propagationPolicy).toBe('Orphan');
    expect(deleteOptionsOf(q('orphanDependents=false'), undefined).propagationPolicy).toBe('Background');
  });
});
