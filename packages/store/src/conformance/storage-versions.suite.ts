import { describe, expect, it } from 'vitest';
import type { KubeObject, ResourceType } from '@converge/core';
import type { HarnessAccessor } from './harness.js';
import { EventRecorder, NS, createNamespace, statusErrorOf } from './fixtures.js';

/** core/v1 events. */
export const CoreEventsType: ResourceType = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };
/** events.k8s.io/v1 events. */
export const EventsV1Type: ResourceType = { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };
/** autoscaling/v1 horizontalpodautoscalers. */
export const HPAV1Type: ResourceType = {
  group: 'autoscaling',
  version: 'v1',
  resource: 'horizontalpodautoscalers',
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
};
/** autoscaling/v2 horizontalpodautoscalers. */
export const HPAV2Type: ResourceType = {
  group: 'autoscaling',
  version: 'v2',
  resource: 'horizontalpodautoscalers',
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
};

const EVENT_TIME = '2024-01-01T00:00:00.000000Z';

/** A core/v1 Event about a pod. */
function coreEvent(name: string, pod: string, reason = 'Scheduled'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: NS },
    involvedObject: { kind: 'Pod', name: pod, namespace: NS, uid: `uid-${pod}` },
    reason,
    message: `Successfully assigned ${NS}/${pod}`,
    type: 'Normal',
    count: 1,
    firstTimestamp: '2024-01-01T00:00:00Z',
    lastTimestamp: '2024-01-01T00:00:00Z',
    source: { component: 'default-scheduler' },
    reportingComponent: 'default-scheduler',
    reportingInstance: 'scheduler-1',
    eventTime: EVENT_TIME,
    action: 'Binding',
  };
}

/** An events.k8s.io/v1 Event about a pod. */
function eventV1(name: string, pod: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name, namespace: NS },
    eventTime: EVENT_TIME,
    reportingController: 'example.com/controller',
    reportingInstance: 'controller-0',
    action: 'Reconcile',
    reason: 'Synced',
    regarding: { kind: 'Pod', name: pod, namespace: NS },
    note: 'all good',
    type: 'Normal',
    ...extra,
  };
}

function hpaV2(name: string): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      ],
    },
  };
}

/**
 * One storage, several served versions: core/v1 and events.k8s.io/v1 Events, autoscaling/v1
 * and v2 HorizontalPodAutoscalers are views of the same stored objects (one uid, one
 * resourceVersion, one watch history), each validated and selected in its own shape.
 */
export function storageVersionsSuite(h: HarnessAccessor): void {
  describe('versions sharing one storage', () => {
    it('shows an Event created through core/v1 through events.k8s.io/v1, converted', async () => {
      const { store } = h();
      await createNamespace(store);
      const created = await store.create(CoreEventsType, coreEvent('e1', 'web-1'));
      const v1 = await store.get(EventsV1Type, { namespace: NS, name: 'e1' });
      expect(v1.apiVersion).toBe('events.k8s.io/v1');
      expect(v1.metadata.uid).toBe(created.metadata.uid);
      expect(v1.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      expect(v1).toMatchObject({
        regarding: { kind: 'Pod', name: 'web-1', namespace: NS, uid: 'uid-web-1' },
        note: `Successfully assigned ${NS}/web-1`,
        deprecatedCount: 1,
        deprecatedFirstTimestamp: '2024-01-01T00:00:00Z',
        deprecatedLastTimestamp: '2024-01-01T00:00:00Z',
        deprecatedSource: { component: 'default-scheduler' },
        reportingController: 'default-scheduler',
        reportingInstance: 'scheduler-1',
        reason: 'Scheduled',
        type: 'Normal',
        action: 'Binding',
      });
      for (const f of ['involvedObject', 'message', 'count', 'source', 'reportingComponent', 'firstTimestamp'])
        expect(v1[f], f).toBeUndefined();
      expect(Object.isFrozen(v1)).toBe(true);
      const list = await store.list(EventsV1Type, { namespace: NS });
      expect(list.apiVersion).toBe('events.k8s.io/v1');
      expect(list.items.map((e) => [e.metadata.name, e.note])).toEqual([['e1', `Successfully assigned ${NS}/web-1`]]);
    });

    it('shows an Event created through events.k8s.io/v1 through core/v1, and updates through either', async () => {
      const { store } = h();
      await createNamespace(store);
      const created = await store.create(EventsV1Type, eventV1('e1', 'web-1', { series: { count: 2, lastObservedTime: EVENT_TIME } }));
      expect(created.apiVersion).toBe('events.k8s.io/v1');
      const core = await store.get(CoreEventsType, { namespace: NS, name: 'e1' });
      expect(core).toMatchObject({
        apiVersion: 'v1',
        involvedObject: { name: 'web-1' },
        message: 'all good',
        reportingComponent: 'example.com/controller',
        series: { count: 2 },
      });
      expect(core.metadata.resourceVersion).toBe(created.metadata.resourceVersion);

      const changed = await store.update(CoreEventsType, { ...core, message: 'changed' });
      const seen = await store.get(EventsV1Type, { namespace: NS, name: 'e1' });
      expect(seen.note).toBe('changed');
      expect(seen.metadata.resourceVersion).toBe(changed.metadata.resourceVersion);
      const stale = await statusErrorOf(store.update(EventsV1Type, { ...created, note: 'stale' }));
      expect(stale.reason).toBe('Conflict');
      const patched = await store.patch(EventsV1Type, { namespace: NS, name: 'e1' }, { type: 'merge', body: { note: 'patched' } });
      expect(patched.note).toBe('patched');
      expect((await store.get(CoreEventsType, { namespace: NS, name: 'e1' })).message).toBe('patched');
    });

    it('shares names and deletes: AlreadyExists and NotFound through the other version', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(CoreEventsType, coreEvent('e1', 'web-1'));
      const dup = await statusErrorOf(store.create(EventsV1Type, eventV1('e1', 'web-2')));
      expect(dup.reason).toBe('AlreadyExists');
      await store.delete(EventsV1Type, { namespace: NS, name: 'e1' });
      expect((await statusErrorOf(store.get(CoreEventsType, { namespace: NS, name: 'e1' }))).reason).toBe('NotFound');
    });

    it('validates each version by its own rules', async () => {
      const { store } = h();
      await createNamespace(store);
      const bad = eventV1('e1', 'web-1');
      delete bad.reportingController;
      const err = await statusErrorOf(store.create(EventsV1Type, bad));
      expect(err.reason).toBe('Invalid');
      expect(err.details?.causes?.map((c) => c.field)).toContain('reportingController');
      // core/v1 is laxer, as in Kubernetes: the same record without a controller is accepted.
      const core = coreEvent('e1', 'web-1');
      delete core.reportingComponent;
      await store.create(CoreEventsType, core);
    });

    it('watches through either version from a resourceVersion read through the other', async () => {
      const { store } = h();
      await createNamespace(store);
      const first = await store.create(CoreEventsType, coreEvent('e0', 'web-0'));
      const rec = new EventRecorder(store.watch(EventsV1Type, { namespace: NS, resourceVersion: first.metadata.resourceVersion! }));
      const coreRec = new EventRecorder(store.watch(CoreEventsType, { namespace: NS, resourceVersion: first.metadata.resourceVersion! }));
      const a = await store.create(CoreEventsType, coreEvent('e1', 'web-1'));
      await store.patch(CoreEventsType, { namespace: NS, name: 'e1' }, { type: 'merge', body: { count: 2 } });
      await store.create(EventsV1Type, eventV1('e2', 'web-2'));
      await store.delete(EventsV1Type, { namespace: NS, name: 'e1' });
      const events = await rec.waitFor(4);
      expect(events.map((e) => [e.type, e.object.metadata.name, e.object.apiVersion])).toEqual([
        ['ADDED', 'e1', 'events.k8s.io/v1'],
        ['MODIFIED', 'e1', 'events.k8s.io/v1'],
        ['ADDED', 'e2', 'events.k8s.io/v1'],
        ['DELETED', 'e1', 'events.k8s.io/v1'],
      ]);
      expect(events[0]!.object.metadata.resourceVersion).toBe(a.metadata.resourceVersion);
      expect(events[1]!.object.deprecatedCount).toBe(2);
      const coreEvents = await coreRec.waitFor(4);
      expect(coreEvents.map((e) => [e.type, e.object.metadata.name, e.object.apiVersion])).toEqual([
        ['ADDED', 'e1', 'v1'],
        ['MODIFIED', 'e1', 'v1'],
        ['ADDED', 'e2', 'v1'],
        ['DELETED', 'e1', 'v1'],
      ]);
      expect(coreEvents[2]!.object.message).toBe('all good');
      rec.stop();
      coreRec.stop();
    });

    it('selects events.k8s.io/v1 Events by regarding.*, reason, type and reportingController', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(CoreEventsType, coreEvent('e1', 'web-1', 'Scheduled'));
      await store.create(CoreEventsType, coreEvent('e2', 'web-2', 'Pulled'));
      await store.create(EventsV1Type, eventV1('e3', 'web-1', { type: 'Warning' }));
      const names = async (fieldSelector: string) =>
        (await store.list(EventsV1Type, { namespace: NS, fieldSelector })).items.map((e) => e.metadata.name);
      expect(await names('regarding.name=web-1')).toEqual(['e1', 'e3']);
      expect(await names('regarding.kind=Pod,reason=Pulled')).toEqual(['e2']);
      expect(await names('type=Warning')).toEqual(['e3']);
      expect(await names('reportingController=default-scheduler')).toEqual(['e1', 'e2']);
      expect(
        (await store.list(CoreEventsType, { namespace: NS, fieldSelector: 'involvedObject.name=web-1' })).items.map((e) => e.metadata.name),
      ).toEqual(['e1', 'e3']);
      expect((await statusErrorOf(store.list(EventsV1Type, { namespace: NS, fieldSelector: 'involvedObject.name=web-1' }))).code).toBe(400);

      const rec = new EventRecorder(store.watch(EventsV1Type, { namespace: NS, fieldSelector: 'regarding.name=web-9' }));
      await store.create(CoreEventsType, coreEvent('e4', 'web-8'));
      await store.create(CoreEventsType, coreEvent('e5', 'web-9'));
      await store.patch(CoreEventsType, { namespace: NS, name: 'e5' }, { type: 'merge', body: { involvedObject: { name: 'web-7' } } });
      const events = await rec.waitFor(2);
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'e5'],
        ['DELETED', 'e5'],
      ]);
      rec.stop();
    });

    it('serves autoscaling/v2 HorizontalPodAutoscalers through autoscaling/v1, keeping what v1 cannot say in annotations', async () => {
      const { store } = h();
      await createNamespace(store);
      const created = await store.create(HPAV2Type, hpaV2('web'));
      const v1 = await store.get(HPAV1Type, { namespace: NS, name: 'web' });
      expect(v1.apiVersion).toBe('autoscaling/v1');
      expect(v1.metadata.uid).toBe(created.metadata.uid);
      expect(v1.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        targetCPUUtilizationPercentage: 50,
      });
      expect(JSON.parse(v1.metadata.annotations!['autoscaling.alpha.kubernetes.io/metrics']!)).toEqual([
        { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
      ]);

      // A v1 client changes what it understands and writes back: the memory metric survives.
      const updated = await store.update(HPAV1Type, {
        ...v1,
        spec: { ...(v1.spec as object), maxReplicas: 20, targetCPUUtilizationPercentage: 60 },
      });
      expect(updated.metadata.annotations).toEqual(v1.metadata.annotations);
      const v2 = await store.get(HPAV2Type, { namespace: NS, name: 'web' });
      expect(v2.metadata.annotations).toBeUndefined();
      expect(v2.spec).toMatchObject({
        maxReplicas: 20,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        ],
      });
      expect(v2.metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    });

    it('stores a v1 autoscaler without a target with the default CPU target, and shows v2 status through v1', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(HPAV1Type, {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: NS },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
      });
      const v2 = await store.get(HPAV2Type, { namespace: NS, name: 'web' });
      expect((v2.spec as { metrics: unknown[] }).metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      ]);
      expect((await store.get(HPAV1Type, { namespace: NS, name: 'web' })).spec).toMatchObject({
        minReplicas: 1,
        targetCPUUtilizationPercentage: 80,
      });
      await store.update(
        HPAV2Type,
        {
          ...v2,
          status: {
            currentReplicas: 3,
            desiredReplicas: 4,
            currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 93 } } }],
            conditions: [{ type: 'AbleToScale', status: 'True' }],
          },
        },
        { subresource: 'status' },
      );
      const v1 = await store.get(HPAV1Type, { namespace: NS, name: 'web' });
      expect(v1.status).toEqual({ currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 93 });
      expect(JSON.parse(v1.metadata.annotations!['autoscaling.alpha.kubernetes.io/conditions']!)).toEqual([
        { type: 'AbleToScale', status: 'True' },
      ]);
      const err = await statusErrorOf(
        store.create(HPAV1Type, {
          apiVersion: 'autoscaling/v1',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'bad', namespace: NS },
          spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 0 },
        }),
      );
      expect(err.details?.causes?.map((c) => c.field)).toEqual(['spec.targetCPUUtilizationPercentage']);
    });
  });
}
