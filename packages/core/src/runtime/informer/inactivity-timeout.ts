import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { Clock, ClockTimer } from '../../util/clock.js';

/** The error `inactivityTimeout` raises when its source stayed silent too long. */
export class InactivityTimeoutError extends Error {
  /** The silence that was allowed, in ms. */
  readonly timeoutMs: number;

  /** Makes the error for a silence of `timeoutMs`. */
  constructor(timeoutMs: number, what = 'watch') {
    super(`${what} received nothing (not even a bookmark) for ${timeoutMs} ms; reconnecting`);
    this.name = 'InactivityTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Errors with an `InactivityTimeoutError` (and unsubscribes from the source) when the source
 * emits nothing for `timeoutMs` of the clock's time; every value restarts the count. A
 * watch behind a dead connection (no FIN, no RST) goes silent forever; this notices it.
 */
export function inactivityTimeout<T>(clock: Clock, timeoutMs: number, what?: string): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      // One timer at a time: values only record when they came, and the timer, when it
      // fires early, re-arms for the rest of the window (cheaper than a timer per value).
      let timer: ClockTimer | undefined;
      let lastActivity = clock.now();
      const check = (): void => {
        const silentFor = clock.now() - lastActivity;
        if (silentFor >= timeoutMs) {
          timer = undefined;
          subscriber.error(new InactivityTimeoutError(timeoutMs, what));
        } else {
          timer = clock.setTimeout(check, timeoutMs - silentFor);
        }
      };
      const disarm = (): void => {
        if (timer !== undefined) clock.clearTimeout(timer);
        timer = undefined;
      };
      timer = clock.setTimeout(check, timeoutMs);
      const sub = source.subscribe({
        next: (v) => {
          lastActivity = clock.now();
          subscriber.next(v);
        },
        error: (err: unknown) => {
          disarm();
          subscriber.error(err);
        },
        complete: () => {
          disarm();
          subscriber.complete();
        },
      });
      return () => {
        disarm();
        sub.unsubscribe();
      };
    });
}
