import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import { enqueueMapped } from '../controller/event-handlers.js';
import { generationChanged } from '../controller/predicates.js';
import { ScriptedInformerProvider } from '../../../test/fakes/scripted-informer.fake.js';
import type { Request } from '../reconciler/reconciler.js';
import {
  Controller,
  controllerBlueprintOf,
  controllerMetadataOf,
  LeaderOnly,
  MapFrom,
  Owns,
  Watches,
  WithEventFilter,
} from './controller.decorators.js';
import { Plugin, pluginMetadataOf } from './plugin.decorators.js';
import { settleUntil } from '../../../test/support/until.js';

const Foos: ResourceType = { group: 'example.com', version: 'v1', resource: 'foos', kind: 'Foo', namespaced: true };
const Pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
const ConfigMaps: ResourceType = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
const Secrets: ResourceType = { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true };
const Services: ResourceType = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true };

@Controller({
  for: Foos,
  owns: [Services],
  predicates: [generationChanged],
  maxConcurrentReconciles: 3,
  namespace: 'team-a',
  labelSelector: 'tier=gold',
})
@Owns(Pods)
@Watches(Secrets, enqueueMapped<KubeObject>((s) => ({ namespace: s.metadata.namespace!, name: s.metadata.labels?.foo ?? '' })))
@WithEventFilter((e) => e.object.metadata.labels?.ignore !== 'true')
class FooController {
  seen: string[] = [];
  constructor(private readonly prefix = 'foo-of-') {}
  reconcile(req: Request): void {
    this.seen.push(`${req.namespace}/${req.name}`);
  }
  @MapFrom(ConfigMaps)
  configMapToFoos(cm: KubeObject): Request[] {
    return [{ namespace: cm.metadata.namespace!, name: `${this.prefix}${cm.metadata.name}` }];
  }
}

describe('@Controller and friends', () => {
  it('record their options as metadata', () => {
    const meta = controllerMetadataOf(FooController)!;
    expect(meta.options.for).toBe(Foos);
    expect(meta.owns.map((o) => ('type' in o ? o.type.kind : ''))).toEqual(['Pod']);
    expect(meta.watches.map((w) => w.type.kind)).toEqual(['Secret']);
    expect(meta.mappers.map((m) => m.method)).toEqual(['configMapToFoos']);
    expect(meta.filters).toHaveLength(1);
    expect(controllerMetadataOf(class NotAController {})).toBeUndefined();
  });

  it('stand for the builder calls they name', () => {
    const bp = controllerBlueprintOf(new FooController());
    expect(bp.name).toBe('foo');
    expect(bp.watches.map((w) => w.type.kind)).toEqual(['Foo', 'Service', 'Pod', 'Secret', 'ConfigMap']);
    expect(bp.options).toMatchObject({ maxConcurrentReconciles: 3, namespace: 'team-a' });
    expect(bp.needLeaderElection).toBe(true);
    // for: the primary predicate plus the event filter; others: only the event filter
    expect(bp.watches[0]!.options.predicates).toHaveLength(2);
    expect(bp.watches[1]!.options.predicates).toHaveLength(1);
    const informers = new ScriptedInformerProvider();
    bp.build({ informers });
    expect([...informers.informers.values()].map((i) => [i.type.kind, i.selection])).toEqual([
      ['Foo', { namespace: 'team-a', labelSelector: 'tier=gold' }],
      ['Service', { namespace: 'team-a' }],
      ['Pod', { namespace: 'team-a' }],
      ['Secret', { namespace: 'team-a' }],
      ['ConfigMap', { namespace: 'team-a' }],
    ]);
  });

  it('run mapping methods on the instance, with its state', async () => {
    const clock = new VirtualClock();
    const informers = new ScriptedInformerProvider({ clock });
    const instance = new FooController('x-');
    const controller = controllerBlueprintOf(instance).build({ informers, clock });
    const stop = new AbortController();
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => controller.hasSynced());
    informers.of(ConfigMaps, { namespace: 'team-a' }).put({ metadata: { namespace: 'team-a', name: 'cfg' } });
    informers.of(Secrets, { namespace: 'team-a' }).put({ metadata: { namespace: 'team-a', name: 's', labels: { foo: 'bar' } } });
    informers.of(Pods, { namespace: 'team-a' }).put({ metadata: { namespace: 'team-a', name: 'p', labels: { ignore: 'true' } } });
    await settleUntil(clock, () => instance.seen.length === 2);
    await clock.settle();
    expect(instance.seen).toEqual(['team-a/x-cfg', 'team-a/bar']);
    stop.abort();
    await run;
  });

  it('@LeaderOnly(false) lets a controller run on every replica', () => {
    @Controller({ for: Foos, name: 'everywhere' })
    @LeaderOnly(false)
    class Everywhere {
      reconcile(): void {}
    }
    const bp = controllerBlueprintOf(new Everywhere());
    expect(bp.name).toBe('everywhere');
    expect(bp.needLeaderElection).toBe(false);
  });

  it('refuses a class without @Controller or without reconcile', () => {
    expect(() => controllerBlueprintOf({ reconcile() {} })).toThrow(/not decorated with @Controller/);
    @Controller({ for: Foos })
    class NoReconcile {}
    expect(() => controllerBlueprintOf(new NoReconcile() as never)).toThrow(/no reconcile method/);
  });

  it('@Plugin records a name and leader election, with @LeaderOnly folded in', () => {
    @Plugin()
    class Heartbeat {
      start(): void {}
    }
    @Plugin({ name: 'gc' })
    @LeaderOnly()
    class Collector {
      start(): void {}
    }
    expect(pluginMetadataOf(Heartbeat)).toEqual({ name: 'Heartbeat' });
    expect(pluginMetadataOf(Collector)).toEqual({ name: 'gc', needLeaderElection: true });
    expect(pluginMetadataOf(class Plain {})).toBeUndefined();
  });
});
