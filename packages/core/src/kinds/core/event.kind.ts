/**
 * Events: core/v1 Event and events.k8s.io/v1 Event, two versions of the same record of
 * something that happened to an object.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { PrinterColumn, ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { field, int32, obj, str, time } from '../schema/fields.js';
import { ageOf, column } from '../printers.js';
import { invalidValue, requiredValue, tooLong } from '../validation/field-errors.js';
import { ObjectReferenceSchema } from './endpoints.kind.js';
import { coreEventToEventsV1, eventsV1ToCoreEvent } from './event.conversion.js';

const EventSourceSchema = obj(
  { component: str('Component that reported the event.'), host: str('Node the event came from.') },
  'The component that reported an event.',
);
const microTime = (d: string) => str(d, { format: 'date-time' });
const SeriesSchema = obj(
  { count: int32('Occurrences in the series so far.'), lastObservedTime: microTime('When the last occurrence was seen.') },
  'A series of repeated occurrences of an event.',
);

/** The schema of a core/v1 Event. */
export const EventSchema = objectSchema('An Event: a report of something that happened to an object, e.g. a pod being scheduled.', {
  involvedObject: ObjectReferenceSchema.meta({ description: 'The object the event is about.' }),
  reason: str('Short CamelCase reason, e.g. Scheduled, BackOff.'),
  message: str('Human-readable description.'),
  source: field(EventSourceSchema, 'The component that reported the event.'),
  firstTimestamp: time('When the event was first recorded.'),
  lastTimestamp: time('When the event most recently occurred.'),
  count: int32('Times the event occurred.'),
  type: str('Normal or Warning.'),
  eventTime: microTime('When the event first occurred, with microseconds.'),
  series: field(SeriesSchema, 'The series the event belongs to, if repeated.'),
  action: str('What was done (or failed) about the object.'),
  related: field(ObjectReferenceSchema, 'A second object involved.'),
  reportingComponent: str('Controller that emitted the event, e.g. kubernetes.io/kubelet.'),
  reportingInstance: str("Instance of the controller, e.g. the kubelet's node name."),
});

/** A core/v1 Event. */
export type Event = z.infer<typeof EventSchema> & KubeObject;

/** The schema of an events.k8s.io/v1 Event. */
export const EventV1Schema = objectSchema('An Event (events.k8s.io/v1): a report of something that happened to an object.', {
  eventTime: microTime('When the event first occurred, with microseconds.')
    .unwrap()
    .meta({ description: 'When the event first occurred, with microseconds.', format: 'date-time' }),
  series: field(SeriesSchema, 'The series the event belongs to, if repeated.'),
  reportingController: str('Controller that emitted the event, e.g. kubernetes.io/kubelet.'),
  reportingInstance: str('Instance of the controller.'),
  action: str('What was done (or failed) about the object.'),
  reason: str('Short CamelCase reason.'),
  regarding: field(ObjectReferenceSchema, 'The object the event is about.'),
  related: field(ObjectReferenceSchema, 'A second object involved.'),
  note: str('Human-readable description, at most 1 kB.'),
  type: str('Normal or Warning.'),
  deprecatedSource: field(EventSourceSchema, 'core/v1 source, kept for compatibility.'),
  deprecatedFirstTimestamp: time('core/v1 firstTimestamp, kept for compatibility.'),
  deprecatedLastTimestamp: time('core/v1 lastTimestamp, kept for compatibility.'),
  deprecatedCount: int32('core/v1 count, kept for compatibility.'),
});

/** An events.k8s.io/v1 Event. */
export type EventV1 = z.infer<typeof EventV1Schema> & KubeObject;

function objectCell(ref: { kind?: string | undefined; name?: string | undefined } | undefined): string {
  return `${(ref?.kind ?? '').toLowerCase()}/${ref?.name ?? ''}`;
}

function lastSeen(e: Event, now: number): string {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
  return ageOf(t, now);
}

const eventColumns: PrinterColumn[] = [
  column('Last Seen', 'string', 'Time since the event was last seen.', (o, now) => lastSeen(o as Event, now)),
  column('Type', 'string', 'Normal or Warning.', (o) => (o as Event).type ?? ''),
  column('Reason', 'string', 'Why the event happened.', (o) => (o as Event).reason ?? ''),
  column('Object', 'string', 'The object the event is about.', (o) =>
    objectCell((o as Event).involvedObject ?? (o as unknown as EventV1).regarding),
  ),
  column('Subobject', 'string', 'The field of the object, if any.', (o) => (o as Event).involvedObject?.fieldPath ?? '', 1),
  column(
    'Source',
    'string',
    'The component that reported the event.',
    (o) => {
      const e = o as Event;
      return e.source?.component ? [e.source.component, e.source.host].filter(Boolean).join(', ') : (e.reportingComponent ?? '');
    },
    1,
  ),
  column('Message', 'string', 'What happened.', (o) => ((o as Event).message ?? (o as unknown as EventV1).note ?? '').trim()),
  column(
    'First Seen',
    'string',
    'Time since the event was first seen.',
    (o, now) => ageOf((o as Event).firstTimestamp ?? (o as Event).eventTime, now),
    1,
  ),
  column('Count', 'string', 'How many times it happened.', (o) => String((o as Event).series?.count ?? (o as Event).count ?? 1), 1),
  column('Name', 'string', 'Name of the event.', (o) => o.metadata.name ?? '', 1),
];

const eventSelectable = {
  'involvedObject.kind': (e: Event) => e.involvedObject?.kind ?? '',
  'involvedObject.namespace': (e: Event) => e.involvedObject?.namespace ?? '',
  'involvedObject.name': (e: Event) => e.involvedObject?.name ?? '',
  'involvedObject.uid': (e: Event) => e.involvedObject?.uid ?? '',
  'involvedObject.apiVersion': (e: Event) => e.involvedObject?.apiVersion ?? '',
  'involvedObject.resourceVersion': (e: Event) => e.involvedObject?.resourceVersion ?? '',
  'involvedObject.fieldPath': (e: Event) => e.involvedObject?.fieldPath ?? '',
  reason: (e: Event) => e.reason ?? '',
  reportingComponent: (e: Event) => e.reportingComponent ?? '',
  source: (e: Event) => e.source?.component ?? '',
  type: (e: Event) => e.type ?? '',
};

/** core/v1 events. */
export const Events: ResourceDefinition<Event> = defineKind<Event>({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
  shortNames: ['ev'],
  schema: EventSchema,
  description: 'An Event: a report of something that happened to an object, e.g. a pod being scheduled.',
  openAPIName: 'io.k8s.api.core.v1.Event',
  strategy: {
    validate(e) {
      const out: StatusCause[] = [];
      const ns = e.metadata.namespace;
      if (e.involvedObject?.namespace && ns && e.involvedObject.namespace !== ns)
        out.push(invalidValue('involvedObject.namespace', e.involvedObject.namespace, 'does not match event.namespace'));
      if (e.type && e.type !== 'Normal' && e.type !== 'Warning' && e.eventTime)
        out.push(invalidValue('type', e.type, 'has invalid value: must be Normal or Warning'));
      return out;
    },
    selectableFields: eventSelectable,
  },
  printerColumns: eventColumns,
  nameColumn: false,
});

/**
 * events.k8s.io/v1 events: the same stored objects as core/v1 events, in the newer shape
 * (`regarding`, `note`, `reportingController`, `deprecated*`); see `event.conversion.ts`.
 */
export const EventsV1: ResourceDefinition<EventV1> = defineKind<EventV1>({
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  namespaced: true,
  shortNames: ['ev'],
  schema: EventV1Schema,
  description: 'An Event (events.k8s.io/v1): a report of something that happened to an object.',
  openAPIName: 'io.k8s.api.events.v1.Event',
  strategy: {
    validate(e) {
      const out: StatusCause[] = [];
      if (!e.eventTime) out.push(requiredValue('eventTime'));
      if (!e.reportingController) out.push(requiredValue('reportingController'));
      if (!e.reportingInstance) out.push(requiredValue('reportingInstance'));
      if (!e.action) out.push(requiredValue('action'));
      if (!e.reason) out.push(requiredValue('reason'));
      if (e.type !== 'Normal' && e.type !== 'Warning')
        out.push(invalidValue('type', e.type ?? '', 'has invalid value: must be Normal or Warning'));
      if ((e.note ?? '').length > 1024) out.push(tooLong('note', 1024));
      return out;
    },
    selectableFields: {
      'regarding.kind': (e) => e.regarding?.kind ?? '',
      'regarding.namespace': (e) => e.regarding?.namespace ?? '',
      'regarding.name': (e) => e.regarding?.name ?? '',
      'regarding.uid': (e) => e.regarding?.uid ?? '',
      'regarding.apiVersion': (e) => e.regarding?.apiVersion ?? '',
      'regarding.resourceVersion': (e) => e.regarding?.resourceVersion ?? '',
      'regarding.fieldPath': (e) => e.regarding?.fieldPath ?? '',
      reason: (e) => e.reason ?? '',
      reportingController: (e) => e.reportingController ?? '',
      source: (e) => e.deprecatedSource?.component || e.reportingController || '',
      type: (e) => e.type ?? '',
    },
  },
  printerColumns: eventColumns,
  nameColumn: false,
  // Kubernetes stores both versions as core/v1 Events: one object, two views.
  storage: {
    group: '',
    version: 'v1',
    resource: 'events',
    kind: 'Event',
    toStorage: eventsV1ToCoreEvent,
    fromStorage: coreEventToEventsV1,
  },
});

/** Binding of core/v1: assigns a pod to a node (POST to `bindings` or `pods/<name>/binding`). */
export const BindingSchema = objectSchema('A Binding: ties a pod to a node; posted by the scheduler.', {
  target: ObjectReferenceSchema.meta({ description: 'The node to bind to (kind Node, name).' }),
});

/** A Binding. */
export type Binding = z.infer<typeof BindingSchema> & KubeObject;

/** core/v1 bindings (create only; the pod's spec.nodeName is set, nothing is stored). */
export const Bindings: ResourceDefinition<Binding> = defineKind<Binding>({
  group: '',
  version: 'v1',
  kind: 'Binding',
  plural: 'bindings',
  namespaced: true,
  verbs: ['create'],
  virtual: true,
  nameOptional: false,
  schema: BindingSchema,
  description: 'A Binding: ties a pod to a node; posted by the scheduler.',
  openAPIName: 'io.k8s.api.core.v1.Binding',
  strategy: {
    validate(b) {
      const out: StatusCause[] = [];
      if (!b.target?.name) out.push(requiredValue('target.name'));
      if (b.target?.kind && b.target.kind !== 'Node') out.push(invalidValue('target.kind', b.target.kind, "must be empty or 'Node'"));
      return out;
    },
  },
});
