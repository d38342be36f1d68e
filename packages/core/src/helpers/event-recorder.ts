import { isAlreadyExists, isNotFound, StatusError } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { apiVersionOf, type ResourceType } from '../api/resource-type.js';
import { Events, type Event } from '../kinds/core/event.kind.js';
import { createLogger, type Logger } from '../runtime/logging/logger.js';
import type { ObjectStore } from '../store/object-store.js';
import { realClock, rfc3339, sleep, type Clock } from '../util/clock.js';
import { EventCorrelator, type EventCorrelatorOptions } from './event-correlator.js';

/** The type of an event. */
export type EventType = 'Normal' | 'Warning';

/** Options of an EventRecorder. */
export interface EventRecorderOptions extends Omit<EventCorrelatorOptions, 'clock'> {
  /** Where Event objects are written. */
  store: ObjectStore;
  /** The reporting component (`source.component`, `reportingComponent`), e.g. `widget-controller`. */
  component: string;
  /** The host or instance (`source.host`, `reportingInstance`), e.g. the node name. */
  host?: string;
  /** Time for timestamps, names and retries; default the wall clock. */
  clock?: Clock;
  /** Where failures are logged; default `createLogger()`. */
  logger?: Logger;
  /** Attempts per event on server or network errors; default 12 (client-go). */
  maxAttempts?: number;
  /** The wait between attempts, in ms (up to a quarter more at random); default 10,000 (client-go). */
  retryDelayMs?: number;
}

/** Options of one event. */
export interface RecordOptions {
  /** Supplies apiVersion and kind when the object lacks them. */
  type?: ResourceType;
  /** The part of the object the event is about, e.g. `spec.containers{app}`. */
  fieldPath?: string;
  /** Annotations of the Event object. */
  annotations?: Record<string, string>;
}

/**
 * Records core/v1 Events about objects, as client-go's recorder does: `kubectl describe`
 * shows them, and repeats are counted instead of flooding the store.
 *
 * ```ts
 * const events = new EventRecorder({ store, component: 'widget-controller' });
 * events.normal(widget, 'Created', `created deployment ${name}`);
 * events.warning(widget, 'InvalidSpec', 'spec.size must be positive');
 * ```
 *
 * - Each Event names the object (`involvedObject` with kind, apiVersion, namespace, name,
 *   uid, resourceVersion), has a reason, a message, a type (Normal or Warning), the source
 *   component and host, `count`, `firstTimestamp` and `lastTimestamp`. It lives in the
 *   object's namespace (`default` for cluster-scoped objects) and is named
 *   `<object name>.<hex timestamp>`.
 * - The same event again (same object, reason, message, type, source) is not a new Event:
 *   the existing one is patched with count + 1 and the new lastTimestamp. Similar events with
 *   changing messages are combined, and a source that floods one object is throttled (see
 *   `EventCorrelator`).
 * - Recording never throws and never blocks the caller: writes happen in order in the
 *   background (`flush()` waits for them). Server and network errors are retried; other
 *   failures are logged and the event dropped, as events are best effort.
 */
export class EventRecorder {
  private readonly options: EventRecorderOptions;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly correlator: EventCorrelator;
  private tail: Promise<void> = Promise.resolve();
  private seq = 0;

  /** Makes a recorder writing through `options.store`. */
  constructor(options: EventRecorderOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.log = (options.logger ?? createLogger()).child({ component: options.component, helper: 'event-recorder' });
    const { store: _s, component: _c, host: _h, clock: _k, logger: _l, maxAttempts: _m, retryDelayMs: _r, ...correlatorOptions } = options;
    this.correlator = new EventCorrelator({ ...correlatorOptions, clock: this.clock });
  }

  /** Records a Normal event. */
  normal(obj: KubeObject, reason: string, message: string, options: RecordOptions = {}): void {
    this.event(obj, 'Normal', reason, message, options);
  }

  /** Records a Warning event. */
  warning(obj: KubeObject, reason: string, message: string, options: RecordOptions = {}): void {
    this.event(obj, 'Warning', reason, message, options);
  }

  /** Records an event of the given type about `obj`. */
  event(obj: KubeObject, type: EventType, reason: string, message: string, options: RecordOptions = {}): void {
    let event: Event;
    try {
      event = this.makeEvent(obj, type, reason, message, options);
    } catch (err) {
      this.log.error({ err, reason }, 'cannot make an event for this object');
      return;
    }
    const decision = this.correlator.correlate(event);
    if (decision.action === 'drop') {
      this.log.debug({ reason, object: event.involvedObject }, 'event dropped by the spam filter');
      return;
    }
    this.tail = this.tail.then(() => this.write(decision));
  }

  /** Resolves once every event recorded so far has been written (or given up on). */
  flush(): Promise<void> {
    return this.tail;
  }

  private makeEvent(obj: KubeObject, type: EventType, reason: string, message: string, options: RecordOptions): Event {
    const ms = this.clock.now();
    const now = rfc3339(ms);
    const m = obj.metadata;
    const apiVersion = obj.apiVersion ?? (options.type ? apiVersionOf(options.type) : undefined);
    const kind = obj.kind ?? options.type?.kind;
    if (!kind || !m.name) throw new Error('an event needs the object kind and name');
    const involvedObject: NonNullable<Event['involvedObject']> = { kind, name: m.name };
    if (m.namespace) involvedObject.namespace = m.namespace;
    if (m.uid) involvedObject.uid = m.uid;
    if (apiVersion) involvedObject.apiVersion = apiVersion;
    if (m.resourceVersion) involvedObject.resourceVersion = m.resourceVersion;
    if (options.fieldPath) involvedObject.fieldPath = options.fieldPath;
    // Nanoseconds of the clock, made unique within a millisecond, in hex (as client-go names events).
    const nanos = BigInt(Math.floor(ms)) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const source: NonNullable<Event['source']> = { component: this.options.component };
    if (this.options.host) source.host = this.options.host;
    const event: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${m.name}.${nanos.toString(16)}`,
        namespace: m.namespace || 'default',
        ...(options.annotations ? { annotations: options.annotations } : {}),
      },
      involvedObject,
      reason,
      message,
      type,
      source,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      reportingComponent: this.options.component,
      reportingInstance: this.options.host ?? '',
    };
    return event;
  }

  private async write(decision: Exclude<ReturnType<EventCorrelator['correlate']>, { action: 'drop' }>): Promise<void> {
    const { store } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 12;
    const delay = this.options.retryDelayMs ?? 10_000;
    const { event } = decision;
    const key = { namespace: event.metadata.namespace!, name: event.metadata.name! };
    for (let attempt = 1; ; attempt++) {
      try {
        let stored: Event;
        if (decision.action === 'patch') {
          try {
            stored = await store.patch(Events, key, { type: 'merge', body: decision.patch });
          } catch (err) {
            if (!isNotFound(err)) throw err;
            // The Event expired or was deleted: write it anew, with the count so far.
            const { resourceVersion: _rv, ...metadata } = event.metadata;
            stored = await store.create(Events, { ...event, metadata });
          }
        } else {
          stored = await store.create(Events, event);
        }
        this.correlator.written(decision.key, stored);
        return;
      } catch (err) {
        const retriable = !(err instanceof StatusError) || err.code >= 500 || err.code === 429;
        if (isAlreadyExists(err) || !retriable || attempt >= maxAttempts) {
          const level = isAlreadyExists(err) ? 'debug' : 'error';
          this.log[level](
            { err, event: { reason: event.reason, name: event.metadata.name }, attempt },
            'could not write event; dropping it',
          );
          return;
        }
        this.log.warn({ err, attempt }, 'could not write event; retrying');
        await sleep(this.clock, Math.round(delay * (1 + 0.25 * Math.random())));
      }
    }
  }
}
