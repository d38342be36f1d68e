import { deepFreeze, Deployments, StatusError, type KubeObject } from '@converge/core';
import { jsonSchemaOf } from '@converge/core/kinds';
import type { JSONSchemaNode } from '@converge/core/validation';
import { describe, expect, it } from 'vitest';
import { applyPatch } from './apply-patch.js';
import { updateManagedFields } from './field-manager.js';
import { LAST_APPLIED_ANNOTATION } from './server-side-apply.js';

const schema = jsonSchemaOf(Deployments);
const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:01:00Z';
const T2 = '2025-01-01T00:02:00Z';

type Any = Record<string, any>;

function config(over: { replicas?: number | null; labels?: Record<string, string>; containers?: Any[]; finalizers?: string[] } = {}): Any {
  const spec: Any = {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: over.containers ?? [{ name: 'nginx', image: 'nginx:1.25' }] } },
  };
  if (over.replicas !== undefined) spec.replicas = over.replicas;
  const metadata: Any = { name: 'web', namespace: 'default' };
  if (over.labels) metadata.labels = over.labels;
  if (over.finalizers) metadata.finalizers = over.finalizers;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec };
}

function apply(
  current: KubeObject | undefined,
  body: unknown,
  manager = 'kubectl',
  options: { force?: boolean; time?: string } = {},
): KubeObject {
  const out = applyPatch({
    schema,
    current,
    patch: { type: 'apply', body },
    fieldManager: manager,
    time: options.time ?? T1,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    ignoredFields: ['status'],
    ...(options.force ? { force: true } : {}),
  });
  return deepFreeze(out);
}

/** A non-apply write by `manager`: the registry's update path. */
function update(old: KubeObject | undefined, next: KubeObject, manager: string, time = T1): KubeObject {
  return deepFreeze(updateManagedFields({ schema, old, new: next, manager, time, apiVersion: 'apps/v1', ignoredFields: ['status'] }));
}

function entry(obj: KubeObject, manager: string): Any | undefined {
  return obj.metadata.managedFields?.find((e) => e.manager === manager);
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return err as StatusError;
  }
  throw new Error('expected a conflict');
}

const withUid = (o: KubeObject): KubeObject => deepFreeze({ ...o, metadata: { ...o.metadata, uid: 'u1', resourceVersion: '1' } });

describe('server-side apply', () => {
  it('creates an absent object with one Apply entry in Kubernetes’ FieldsV1 encoding', () => {
    const out = apply(undefined, config({ replicas: 2, labels: { app: 'web' } }), 'kubectl', { time: T0 });
    expect(out.spec).toMatchObject({ replicas: 2 });
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {}, // LabelSelector is atomic: owned whole
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  it('removes fields the applier stops applying when nobody else owns them', () => {
    const first = withUid(
      apply(
        undefined,
        config({
          replicas: 2,
          labels: { app: 'web', tier: 'fe' },
          containers: [
            { name: 'nginx', image: 'nginx' },
            { name: 'side', image: 'busybox' },
          ],
        }),
      ),
    );
    const second = apply(first, config({ labels: { app: 'web' } }), 'kubectl', { time: T2 });
    expect((second.spec as Any).replicas).toBeUndefined();
    expect(second.metadata.labels).toEqual({ app: 'web' });
    expect((second.spec as Any).template.spec.containers.map((c: Any) => c.name)).toEqual(['nginx']);
    expect(entry(second, 'kubectl')!.time).toBe(T2);
    expect(entry(second, 'kubectl')!.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
  });

  it('keeps fields another manager also owns, and defaulted fields nobody owns', () => {
    const first = withUid(apply(undefined, config({ replicas: 2 })));
    // A controller (an Update) sets a field the applier never mentioned and defaults one under the container.
    const edited = update(
      first,
      {
        ...first,
        spec: {
          ...(first.spec as Any),
          paused: true,
          template: {
            ...(first.spec as Any).template,
            spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', terminationMessagePath: '/dev/termination-log' }] },
          },
        },
      } as KubeObject,
      'controller',
    );
    const again = apply(edited, config({ replicas: 2 }), 'kubectl', { time: T2 });
    expect((again.spec as Any).paused).toBe(true);
    expect((again.spec as Any).template.spec.containers[0].terminationMessagePath).toBe('/dev/termination-log');
  });

  it('reports a conflict with another manager as a 409 with one cause per field', () => {
    const applied = withUid(apply(undefined, config({ replicas: 2 })));
    const scaled = update(
      applied,
      { ...applied, spec: { ...(applied.spec as Any), replicas: 5 } } as KubeObject,
      'kubectl-client-side-apply',
    );
    expect(entry(scaled, 'kubectl')!.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect(entry(scaled, 'kubectl-client-side-apply')!.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    const err = conflictOf(() => apply(scaled, config({ replicas: 3 }), 'ci'));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(err.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
    ]);
  });

  it('lists every conflict by manager when there are several', () => {
    const applied = withUid(apply(undefined, config({ replicas: 2, labels: { app: 'web' } })));
    const a = update(applied, { ...applied, spec: { ...(applied.spec as Any), replicas: 5 } } as KubeObject, 'hpa');
    const b = update(a, { ...a, metadata: { ...a.metadata, labels: { app: 'other' } } } as KubeObject, 'labeler');
    const err = conflictOf(() => apply(b, config({ replicas: 3, labels: { app: 'mine' } }), 'ci'));
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "hpa" using apps/v1:\n- .spec.replicas\nconflicts with "labeler" using apps/v1:\n- .metadata.labels.app',
    );
    expect(err.details?.causes?.map((c) => c.field)).toEqual(['.spec.replicas', '.metadata.labels.app']);
  });

  it('shares ownership when the applied value equals the live one, and takes it over with force', () => {
    const applied = withUid(apply(undefined, config({ replicas: 2 })));
    const scaled = update(applied, { ...applied, spec: { ...(applied.spec as Any), replicas: 5 } } as KubeObject, 'hpa');
    const shared = apply(scaled, config({ replicas: 5 }), 'ci');
    expect(entry(shared, 'ci')!.fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(entry(shared, 'hpa')!.fieldsV1['f:spec']['f:replicas']).toEqual({});
    const forced = apply(scaled, config({ replicas: 3 }), 'ci', { force: true });
    expect(forced.spec).toMatchObject({ replicas: 3 });
    expect(entry(forced, 'hpa')).toBeUndefined();
    expect(entry(forced, 'ci')!.fieldsV1['f:spec']['f:replicas']).toEqual({});
  });

  it('lets kubectl take over fields whose value still matches its client-side last-applied configuration', () => {
    const lastApplied = JSON.stringify(config({ replicas: 2 }));
    const created = update(
      undefined,
      {
        ...config({ replicas: 2 }),
        metadata: { name: 'web', namespace: 'default', annotations: { [LAST_APPLIED_ANNOTATION]: lastApplied } },
      } as KubeObject,
      'kubectl-client-side-apply',
      T0,
    );
    const live = withUid(created);
    const out = apply(live, config({ replicas: 4 }), 'kubectl');
    expect(out.spec).toMatchObject({ replicas: 4 });
    expect(JSON.parse(out.metadata.annotations![LAST_APPLIED_ANNOTATION]!).spec.replicas).toBe(4);
    // Any other manager name still conflicts.
    expect(conflictOf(() => apply(live, config({ replicas: 4 }), 'ci')).message).toContain(
      'conflict with "kubectl-client-side-apply" using apps/v1',
    );
  });

  it('attributes the fields of an object without managedFields to before-first-apply', () => {
    const plain = withUid({ ...config({ replicas: 1 }) } as KubeObject);
    const err = conflictOf(() => apply(plain, config({ replicas: 3 }), 'ci'));
    expect(err.message).toContain('conflict with "before-first-apply" using apps/v1: .spec.replicas');
    const ok = apply(plain, config({ replicas: 1, labels: { a: 'b' } }), 'ci');
    expect(ok.metadata.managedFields?.map((e) => e.manager)).toEqual(['ci', 'before-first-apply']);
  });

  it('merges map lists by key and set lists by value, owning items with k: and v:', () => {
    const mine = withUid(apply(undefined, config({ finalizers: ['a.io/x'] })));
    const other = update(mine, { ...mine, metadata: { ...mine.metadata, finalizers: ['a.io/x', 'b.io/y'] } } as KubeObject, 'controller');
    const next = apply(
      other,
      config({
        finalizers: ['a.io/x'],
        containers: [
          { name: 'nginx', image: 'nginx:1.26' },
          { name: 'side', image: 'busybox' },
        ],
      }),
      'kubectl',
      { time: T2 },
    );
    expect(next.metadata.finalizers).toEqual(['a.io/x', 'b.io/y']);
    expect(entry(next, 'controller')!.fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"b.io/y"': {} } } });
    expect(entry(next, 'kubectl')!.fieldsV1['f:metadata']).toEqual({ 'f:finalizers': { 'v:"a.io/x"': {} } });
    expect((next.spec as Any).template.spec.containers).toEqual([
      { name: 'nginx', image: 'nginx:1.26' },
      { name: 'side', image: 'busybox' },
    ]);
  });

  it('removes a field applied as null', () => {
    const first = withUid(apply(undefined, config({ replicas: 2 })));
    const out = apply(first, config({ replicas: null }));
    expect((out.spec as Any).replicas).toBeUndefined();
  });

  it('does not let the main resource own status', () => {
    const out = apply(undefined, { ...config(), status: { replicas: 3 } });
    expect(entry(out, 'kubectl')!.fieldsV1['f:status']).toBeUndefined();
  });

  it('rejects malformed apply requests', () => {
    const fail = (fn: () => unknown) => conflictOf(fn);
    expect(
      fail(() => applyPatch({ schema, current: undefined, patch: { type: 'apply', body: config() }, time: T0, apiVersion: 'apps/v1' }))
        .code,
    ).toBe(422);
    expect(fail(() => apply(undefined, { ...config(), metadata: { name: 'web', managedFields: [] } })).message).toBe(
      'metadata.managedFields must be nil',
    );
    expect(fail(() => apply(undefined, { ...config(), kind: 'ReplicaSet' })).code).toBe(400);
    expect(fail(() => apply(undefined, [1])).code).toBe(400);
    expect(
      fail(() =>
        applyPatch({
          schema,
          current: withUid(apply(undefined, config())),
          patch: { type: 'merge', body: {} },
          force: true,
          time: T0,
          apiVersion: 'apps/v1',
        }),
      ).code,
    ).toBe(422);
  });
});

describe('managedFields of non-apply writes', () => {
  it('records a create as the creator’s Update entry, without owning .spec itself', () => {
    const created = update(undefined, { ...config({ replicas: 1, labels: { app: 'web' } }) } as KubeObject, 'kubectl-create', T0);
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: T0,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {}, // LabelSelector is atomic: owned whole
            'f:template': {
              '.': {},
              'f:metadata': { '.': {}, 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': { '.': {}, 'f:containers': { '.': {}, 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  it('moves a changed field to its new writer and keeps the rest with the old one', () => {
    const created = withUid(update(undefined, config({ replicas: 1 }) as KubeObject, 'kubectl-create', T0));
    const scaled = update(created, { ...created, spec: { ...(created.spec as Any), replicas: 4 } } as KubeObject, 'kubectl-scale', T1);
    expect(entry(scaled, 'kubectl-scale')).toMatchObject({ operation: 'Update', time: T1, fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    expect(entry(scaled, 'kubectl-create')!.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect(entry(scaled, 'kubectl-create')!.time).toBe(T0);
    // A write that changes nothing keeps managedFields as they are.
    const same = update(scaled, { ...scaled } as KubeObject, 'someone', T2);
    expect(same.metadata.managedFields).toBe(scaled.metadata.managedFields);
  });

  it('takes removed fields away from their owners', () => {
    const created = withUid(update(undefined, config({ replicas: 1, labels: { a: 'b' } }) as KubeObject, 'kubectl-create', T0));
    const { labels: _l, ...meta } = created.metadata;
    const out = update(created, { ...created, metadata: meta } as KubeObject, 'kubectl-edit', T1);
    expect(entry(out, 'kubectl-create')!.fieldsV1['f:metadata']).toBeUndefined();
    expect(entry(out, 'kubectl-edit')).toBeUndefined();
  });

  it('clears managedFields when a write sets them to [{}], and leaves them with []', () => {
    const created = withUid(update(undefined, config({ replicas: 1 }) as KubeObject, 'kubectl-create', T0));
    const cleared = update(
      created,
      { ...created, metadata: { ...created.metadata, managedFields: [{}] } } as KubeObject,
      'kubectl-edit',
      T1,
    );
    expect(cleared.metadata.managedFields).toBeUndefined();
    const kept = update(created, { ...created, metadata: { ...created.metadata, managedFields: [] } } as KubeObject, 'kubectl-edit', T1);
    expect(kept.metadata.managedFields).toEqual(created.metadata.managedFields);
    // An existing object without managedFields stays untracked by updates.
    const untracked = update(withUid(cleared), { ...cleared, spec: { ...(cleared.spec as Any), replicas: 9 } } as KubeObject, 'x', T2);
    expect(untracked.metadata.managedFields).toBeUndefined();
  });

  it('keeps at most ten Update entries, folding the oldest into ancient-changes', () => {
    let obj = withUid(update(undefined, config({ replicas: 0 }) as KubeObject, 'm0', '2025-01-01T00:00:00Z'));
    for (let i = 1; i <= 11; i++) {
      const labels = { ...(obj.metadata.labels ?? {}), [`l${i}`]: 'x' };
      obj = update(
        obj,
        { ...obj, metadata: { ...obj.metadata, labels } } as KubeObject,
        `m${i}`,
        `2025-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      );
    }
    const names = obj.metadata.managedFields!.map((e) => e.manager);
    expect(names.length).toBe(10);
    expect(names[0]).toBe('ancient-changes');
    expect(names).toContain('m11');
    expect(names).not.toContain('m0');
  });

  it('records status subresource writes with their subresource', () => {
    const created = withUid(update(undefined, config({ replicas: 1 }) as KubeObject, 'kubectl-create', T0));
    const out = deepFreeze(
      updateManagedFields({
        schema,
        old: created,
        new: { ...created, status: { replicas: 1 } } as KubeObject,
        manager: 'controller',
        subresource: 'status',
        time: T1,
        apiVersion: 'apps/v1',
        ignoredFields: ['spec'],
      }),
    );
    expect(entry(out, 'controller')).toMatchObject({ subresource: 'status', fieldsV1: { 'f:status': { '.': {}, 'f:replicas': {} } } });
  });
});

describe('server-side apply of a custom resource', () => {
  /** An openAPIV3Schema as a CRD carries it: list types for apply, no strategic-merge extensions. */
  const crdSchema: JSONSchemaNode = {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      spec: {
        type: 'object',
        properties: {
          size: { type: 'integer' },
          routes: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['host', 'port'],
            items: { type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer' }, weight: { type: 'integer' } } },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
    },
  };
  const cr = (spec: Any) => ({ apiVersion: 'example.com/v1', kind: 'Router', metadata: { name: 'r' }, spec });
  const applyCr = (current: KubeObject | undefined, body: unknown, manager: string, force = false) =>
    deepFreeze(
      applyPatch({
        schema: crdSchema,
        current,
        patch: { type: 'apply', body },
        fieldManager: manager,
        time: T1,
        apiVersion: 'example.com/v1',
        kind: 'Router',
        ...(force ? { force } : {}),
      }),
    );

  it('merges map lists by compound keys and sets by value between two appliers', () => {
    const a = withUid(
      applyCr(undefined, cr({ routes: [{ host: 'a', port: 80, weight: 1 }], tags: ['x'], extra: { deep: { k: 1 } } }), 'team-a'),
    );
    const b = applyCr(a, cr({ routes: [{ host: 'a', port: 443, weight: 2 }], tags: ['y'] }), 'team-b');
    expect((b.spec as Any).routes).toEqual([
      { host: 'a', port: 80, weight: 1 },
      { host: 'a', port: 443, weight: 2 },
    ]);
    expect((b.spec as Any).tags).toEqual(['x', 'y']);
    expect(entry(b, 'team-b')!.fieldsV1['f:spec']['f:routes']).toEqual({
      'k:{"host":"a","port":443}': { '.': {}, 'f:host': {}, 'f:port': {}, 'f:weight': {} },
    });
    expect(entry(b, 'team-a')!.fieldsV1['f:spec']['f:extra']).toEqual({ 'f:deep': { '.': {}, 'f:k': {} } });
    const err = conflictOf(() => applyCr(b, cr({ routes: [{ host: 'a', port: 80, weight: 5 }] }), 'team-b'));
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "team-a": .spec.routes[host="a",port=80].weight');
    // team-a drops its route: team-b's stays.
    const c = applyCr(withUid(b), cr({ tags: ['x'] }), 'team-a');
    expect((c.spec as Any).routes).toEqual([{ host: 'a', port: 443, weight: 2 }]);
    expect((c.spec as Any).extra).toBeUndefined();
  });
});
