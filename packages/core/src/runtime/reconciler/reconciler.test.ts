import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../util/virtual-clock.js';
import { createReconcileContext, isTerminalError, TerminalError } from './reconciler.js';

describe('TerminalError', () => {
  it('is recognised directly and when wrapped as a cause', () => {
    const t = new TerminalError('spec.size must be positive');
    expect(t.message).toBe('terminal error: spec.size must be positive');
    expect(isTerminalError(t)).toBe(true);
    expect(isTerminalError(new Error('wrapped', { cause: t }))).toBe(true);
    expect(isTerminalError(new Error('plain'))).toBe(false);
    expect(isTerminalError('nope')).toBe(false);
    const fromError = new TerminalError(new RangeError('bad'));
    expect(fromError.cause).toBeInstanceOf(RangeError);
  });
});

describe('createReconcileContext', () => {
  it('fills in what a controller would pass', () => {
    const clock = new VirtualClock();
    const ctx = createReconcileContext({ namespace: 'ns', name: 'a' }, { controller: 'foo', clock, retries: 2 });
    expect(ctx).toMatchObject({ controller: 'foo', clock, retries: 2 });
    expect(ctx.signal.aborted).toBe(false);
    expect(ctx.reconcileID).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof ctx.log.info).toBe('function');
  });
});
