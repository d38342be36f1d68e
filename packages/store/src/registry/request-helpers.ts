import { randomUUID } from 'node:crypto';
import { internalError, rfc3339, StatusError, type Clock } from '@converge/core';
import type { KindInfo } from './kind-info.js';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A name from a `generateName` prefix, as Kubernetes makes it: the prefix (cut to 58
 * characters) and five random characters from an alphabet without vowels.
 */
export function generateName(prefix: string, random: () => number): string {
  let name = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  for (let i = 0; i < 5; i++) name += NAME_CHARS[Math.floor(random() * NAME_CHARS.length)];
  return name;
}

/** The NotFound of a subresource a kind does not have. */
export function subresourceNotFound(info: KindInfo, sub: string): StatusError {
  return new StatusError('NotFound', `the server could not find the requested resource (${info.def.resource}/${sub})`);
}

/** Treats null or non-object options as none, so that malformed options cannot break a call. */
export function optionsOf<O extends object>(options: O): O {
  return typeof options === 'object' && options !== null ? options : ({} as O);
}

/** Lets only StatusErrors escape: anything else (a bug, a broken input) becomes an InternalError. */
export function asStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  return internalError(err instanceof Error ? err.message : String(err));
}

/** RFC 3339 timestamps (second precision) of a clock, formatted once per second. */
export class Timestamps {
  private lastSecond = -1;
  private last = '';

  constructor(private readonly clock: Clock) {}

  /** The clock's time, `offsetSeconds` from now, as Kubernetes writes it in metadata. */
  format(offsetSeconds = 0): string {
    const ms = this.clock.now() + offsetSeconds * 1000;
    if (offsetSeconds !== 0) return rfc3339(ms);
    const second = Math.floor(ms / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.last = rfc3339(ms);
    }
    return this.last;
  }
}

/**
 * A random (version 4) uid as one flat string. Node builds `randomUUID()`'s answer by
 * concatenation, a rope of some twenty string pieces (about 490 bytes) that every stored
 * object would keep alive and the GC would trace; reading a character flattens it in place
 * (about 60 bytes).
 */
export function flatRandomUuid(): string {
  const uid = randomUUID();
  uid.charCodeAt(0);
  return uid;
}
