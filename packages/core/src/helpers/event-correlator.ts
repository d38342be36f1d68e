import type { Event } from '../kinds/core/event.kind.js';
import { rfc3339, type Clock } from '../util/clock.js';

/** The prefix of the message of an event that stands for several similar ones. */
export const COMBINED_EVENTS_PREFIX = '(combined from similar events): ';

/** Tuning of the EventCorrelator (defaults are client-go's). */
export interface EventCorrelatorOptions {
  clock: Clock;
  /** Entries kept per cache (least recently used dropped first); default 4096. */
  maxCacheEntries?: number;
  /** Similar events (differing only in message) from one source about one object before they are combined; default 10. */
  aggregateMaxEvents?: number;
  /** The window in which similar events are counted, in ms; default 600,000 (10 minutes). */
  aggregateIntervalMs?: number;
  /** Events one source may emit about one object at once; default 25. */
  spamBurst?: number;
  /** Then one more per this many ms; default 300,000 (5 minutes). */
  spamRefillMs?: number;
}

/** What the correlator decided for one event. */
export type Correlation =
  | { action: 'create'; event: Event; key: string }
  | { action: 'patch'; event: Event; key: string; patch: { count: number; lastTimestamp: string; message?: string } }
  | { action: 'drop'; event: Event };

interface EventLog {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion?: string;
  message: string;
}

interface AggregateRecord {
  messages: Set<string>;
  lastMs: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

/** A small least-recently-used map. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

const sep = '\u0000';

function objectPart(e: Event): string[] {
  const o = e.involvedObject ?? {};
  return [e.source?.component ?? '', e.source?.host ?? '', o.kind ?? '', o.namespace ?? '', o.name ?? '', o.uid ?? '', o.apiVersion ?? ''];
}

/**
 * Decides, for each new event, whether to create it, to count it into an earlier identical
 * event (a patch of count, lastTimestamp and message), or to drop it, the way client-go's
 * EventCorrelator does:
 *
 * 1. Aggregation: when one source reports more than `aggregateMaxEvents` events about one
 *    object with the same type and reason but different messages within
 *    `aggregateIntervalMs`, the further ones become one event whose message starts with
 *    "(combined from similar events): ".
 * 2. Deduplication: an event identical to an earlier one (same source, object, type, reason
 *    and message) is counted into it: count + 1, lastTimestamp now, same name.
 * 3. Spam filtering: each source + object has a token bucket (burst `spamBurst`, one token
 *    per `spamRefillMs`); events beyond it are dropped.
 */
export class EventCorrelator {
  private readonly clock: Clock;
  private readonly aggregateMaxEvents: number;
  private readonly aggregateIntervalMs: number;
  private readonly spamBurst: number;
  private readonly spamRefillMs: number;
  private readonly logs: Lru<EventLog>;
  private readonly aggregates: Lru<AggregateRecord>;
  private readonly buckets: Lru<Bucket>;

  /** Makes a correlator with client-go's defaults unless told otherwise. */
  constructor(options: EventCorrelatorOptions) {
    this.clock = options.clock;
    const max = options.maxCacheEntries ?? 4096;
    this.aggregateMaxEvents = options.aggregateMaxEvents ?? 10;
    this.aggregateIntervalMs = options.aggregateIntervalMs ?? 600_000;
    this.spamBurst = options.spamBurst ?? 25;
    this.spamRefillMs = options.spamRefillMs ?? 300_000;
    this.logs = new Lru(max);
    this.aggregates = new Lru(max);
    this.buckets = new Lru(max);
  }

  /** Correlates a freshly made event (count 1, first = last timestamp = now). */
  correlate(event: Event): Correlation {
    const nowMs = this.clock.now();
    const now = rfc3339(nowMs);
    if (!this.allow(objectPart(event).join(sep), nowMs)) return { action: 'drop', event };
    const aggregateKey = [...objectPart(event), event.type ?? '', event.reason ?? ''].join(sep);
    let record = this.aggregates.get(aggregateKey);
    if (!record || nowMs - record.lastMs > this.aggregateIntervalMs) record = { messages: new Set(), lastMs: nowMs };
    record.messages.add(event.message ?? '');
    record.lastMs = nowMs;
    this.aggregates.set(aggregateKey, record);
    let key = [...objectPart(event), event.involvedObject?.fieldPath ?? '', event.type ?? '', event.reason ?? '', event.message ?? ''].join(
      sep,
    );
    let e = event;
    if (record.messages.size >= this.aggregateMaxEvents) {
      // Keep the set from growing past the limit; from here on the events are combined.
      if (record.messages.size > this.aggregateMaxEvents) record.messages.delete(record.messages.values().next().value!);
      key = aggregateKey;
      e = { ...event, message: `${COMBINED_EVENTS_PREFIX}${event.message ?? ''}` };
    }
    const last = this.logs.get(key);
    if (!last) {
      this.logs.set(key, { count: 1, firstTimestamp: e.firstTimestamp ?? now, name: e.metadata.name ?? '', message: e.message ?? '' });
      return { action: 'create', event: e, key };
    }
    const count = last.count + 1;
    const merged: Event = {
      ...e,
      metadata: { ...e.metadata, name: last.name, ...(last.resourceVersion ? { resourceVersion: last.resourceVersion } : {}) },
      count,
      firstTimestamp: last.firstTimestamp,
      lastTimestamp: now,
    };
    this.logs.set(key, { ...last, count, message: e.message ?? '' });
    const patch: { count: number; lastTimestamp: string; message?: string } = { count, lastTimestamp: now };
    if ((e.message ?? '') !== last.message) patch.message = e.message ?? '';
    return { action: 'patch', event: merged, key, patch };
  }

  /** Records what the store returned for an event written under `key` (its name, count, resourceVersion). */
  written(key: string, stored: Event): void {
    const last = this.logs.get(key);
    this.logs.set(key, {
      count: stored.count ?? last?.count ?? 1,
      firstTimestamp: stored.firstTimestamp ?? last?.firstTimestamp ?? '',
      name: stored.metadata.name ?? last?.name ?? '',
      message: stored.message ?? last?.message ?? '',
      ...(stored.metadata.resourceVersion ? { resourceVersion: stored.metadata.resourceVersion } : {}),
    });
  }

  private allow(key: string, nowMs: number): boolean {
    const b = this.buckets.get(key) ?? { tokens: this.spamBurst, lastMs: nowMs };
    const refill = Math.floor((nowMs - b.lastMs) / this.spamRefillMs);
    if (refill > 0) {
      b.tokens = Math.min(this.spamBurst, b.tokens + refill);
      b.lastMs += refill * this.spamRefillMs;
    }
    const ok = b.tokens > 0;
    if (ok) b.tokens--;
    this.buckets.set(key, b);
    return ok;
  }
}
