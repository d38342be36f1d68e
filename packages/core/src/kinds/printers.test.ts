import { describe, expect, it } from 'vitest';
import { ageOf, humanDuration, labelsString, selectorString } from './printers.js';

describe('printer helpers', () => {
  it('format durations the way kubectl prints ages', () => {
    const s = 1000;
    const m = 60 * s;
    const h = 60 * m;
    const d = 24 * h;
    const cases: [number, string][] = [
      [-5 * s, '<invalid>'],
      [0, '0s'],
      [119 * s, '119s'],
      [2 * m, '2m'],
      [5 * m + 10 * s, '5m10s'],
      [10 * m, '10m'],
      [179 * m, '179m'],
      [3 * h, '3h'],
      [7 * h + 30 * m, '7h30m'],
      [8 * h, '8h'],
      [47 * h, '47h'],
      [48 * h, '2d'],
      [3 * d + 5 * h, '3d5h'],
      [8 * d, '8d'],
      [729 * d, '729d'],
      [2 * 365 * d + 10 * d, '2y10d'],
      [9 * 365 * d, '9y'],
    ];
    for (const [ms, want] of cases) expect(humanDuration(ms), want).toBe(want);
  });

  it('give <unknown> for a missing timestamp', () => {
    expect(ageOf(undefined, 0)).toBe('<unknown>');
    expect(ageOf('2024-01-01T00:00:00Z', Date.parse('2024-01-01T00:00:30Z'))).toBe('30s');
  });

  it('format label maps and selectors as selector strings', () => {
    expect(labelsString({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(labelsString({})).toBe('<none>');
    expect(
      selectorString({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['fe', 'be'] },
          { key: 'x', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier in (be,fe),!x');
  });
});
