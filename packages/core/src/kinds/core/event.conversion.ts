/**
 * Conversion between the two served versions of an Event: core/v1 (the storage form, as in
 * Kubernetes) and events.k8s.io/v1. They hold the same record under different field names:
 *
 * | core/v1              | events.k8s.io/v1            |
 * |----------------------|-----------------------------|
 * | involvedObject       | regarding                   |
 * | message              | note                        |
 * | source               | deprecatedSource            |
 * | firstTimestamp       | deprecatedFirstTimestamp    |
 * | lastTimestamp        | deprecatedLastTimestamp     |
 * | count                | deprecatedCount             |
 * | reportingComponent   | reportingController         |
 *
 * `related`, `reportingInstance`, `eventTime`, `series`, `action`, `type` and `reason` have
 * the same name in both. Metadata is shared as is.
 */
import type { KubeObject } from '../../api/meta.js';

/** Field renames from core/v1 to events.k8s.io/v1 (the rest keep their names). */
const CORE_TO_V1: Readonly<Record<string, string>> = {
  involvedObject: 'regarding',
  message: 'note',
  source: 'deprecatedSource',
  firstTimestamp: 'deprecatedFirstTimestamp',
  lastTimestamp: 'deprecatedLastTimestamp',
  count: 'deprecatedCount',
  reportingComponent: 'reportingController',
};

const V1_TO_CORE: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CORE_TO_V1).map(([a, b]) => [b, a]));

function renamed(obj: KubeObject, names: Readonly<Record<string, string>>, apiVersion: string): KubeObject {
  const out: Record<string, unknown> = {};
  for (const k in obj) {
    const v = obj[k];
    if (v === undefined) continue;
    out[names[k] ?? k] = v;
  }
  out.apiVersion = apiVersion;
  out.kind = 'Event';
  return out as KubeObject;
}

/** Converts a core/v1 Event to events.k8s.io/v1 (nested values are shared, not copied). */
export function coreEventToEventsV1(obj: KubeObject): KubeObject {
  return renamed(obj, CORE_TO_V1, 'events.k8s.io/v1');
}

/** Converts an events.k8s.io/v1 Event to core/v1 (nested values are shared, not copied). */
export function eventsV1ToCoreEvent(obj: KubeObject): KubeObject {
  return renamed(obj, V1_TO_CORE, 'v1');
}
