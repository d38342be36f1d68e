import { describe, expect, it } from 'vitest';
import { validateHeaderValue } from 'node:http';
import { boundedWarnings, warningHeaderValue } from './request-context.js';

describe('warningHeaderValue', () => {
  it('quotes the text after code 299 and agent "-", escaping quotes and backslashes', () => {
    expect(warningHeaderValue('unknown field "spec.x"')).toBe('299 - "unknown field \\"spec.x\\""');
    expect(warningHeaderValue('a\\b')).toBe('299 - "a\\\\b"');
  });

  it('escapes control characters, non-ASCII text and lone surrogates so the value is always a valid header', () => {
    const cases = ['nul\u0000', 'cr\r\nlf', 'tab\t', 'del\u007f', 'c1\u0085', 'é日😀', 'lone\uD800x', '\uDC00'];
    for (const c of cases) {
      const v = warningHeaderValue(c);
      expect(() => validateHeaderValue('Warning', v)).not.toThrow();
      expect(v).toMatch(/^299 - "[\x20-\x7e]*"$/);
    }
    expect(warningHeaderValue('a\u0000b')).toBe('299 - "a\\u0000b"');
    expect(warningHeaderValue('\uD800')).toBe('299 - "\\ufffd"');
    expect(warningHeaderValue('😀')).toBe('299 - "\\ud83d\\ude00"');
  });
});

describe('boundedWarnings', () => {
  it('keeps every warning while all of them hold at most 4096 characters', () => {
    const w = ['a'.repeat(4000), 'b'.repeat(96)];
    expect(boundedWarnings(w)).toEqual(w);
  });

  it('cuts each warning to 256 characters past that, and keeps only as many as fit', () => {
    const w = Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(1000, 'x'));
    const out = boundedWarnings(w);
    expect(out).toHaveLength(16);
    expect(out.every((x) => x.length === 256)).toBe(true);
    expect(out[1]!.startsWith('1x')).toBe(true);
  });
});
