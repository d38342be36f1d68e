import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import type { Request } from '../reconciler/reconciler.js';
import { controllerFor, controllerNamed } from './builder.js';
import { enqueueMapped } from './event-handlers.js';
import { generationChanged } from './predicates.js';
import { ScriptedInformerProvider } from '../../../test/fakes/scripted-informer.fake.js';
import { settleUntil } from '../../../test/support/until.js';

const ReplicaSets: ResourceType = { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true };
const Pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
const ConfigMaps: ResourceType = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
const Nodes: ResourceType = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };

describe('ControllerBuilder', () => {
  it('names the controller after the primary kind and wires for, owns and watches to shared informers', async () => {
    const clock = new VirtualClock();
    const informers = new ScriptedInformerProvider({ clock });
    const seen: string[] = [];
    const blueprint = controllerFor(ReplicaSets)
      .owns(Pods)
      .watches(
        ConfigMaps,
        enqueueMapped<KubeObject>((cm) => ({ namespace: cm.metadata.namespace!, name: `rs-for-${cm.metadata.name}` })),
      )
      .withOptions({ maxConcurrentReconciles: 2 })
      .complete({ reconcile: (req: Request) => void seen.push(`${req.namespace}/${req.name}`) });
    expect(blueprint.name).toBe('replicaset');
    expect(blueprint.watches.map((w) => w.type.kind)).toEqual(['ReplicaSet', 'Pod', 'ConfigMap']);

    const controller = blueprint.build({ informers, clock });
    expect(controller.name).toBe('replicaset');
    const stop = new AbortController();
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => controller.hasSynced());
    expect(informers.informers.size).toBe(3);
    expect([...informers.informers.values()].every((i) => i.starts === 1)).toBe(true);

    informers.of(ReplicaSets).put({ metadata: { namespace: 'ns', name: 'rs1' } });
    informers.of(Pods).put({
      metadata: {
        namespace: 'ns',
        name: 'p1',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs2', uid: 'u', controller: true }],
      },
    });
    informers.of(ConfigMaps).put({ metadata: { namespace: 'ns', name: 'cfg' } });
    await settleUntil(clock, () => seen.length === 3);
    expect(seen).toEqual(['ns/rs1', 'ns/rs2', 'ns/rs-for-cfg']);
    stop.abort();
    await run;
  });

  it('applies the controller namespace to namespaced watches and the label selector only where given', () => {
    const informers = new ScriptedInformerProvider();
    const blueprint = controllerFor(ReplicaSets, { labelSelector: 'team=a' })
      .owns(Pods)
      .watches(
        Nodes,
        enqueueMapped(() => undefined),
      )
      .withOptions({ namespace: 'team-a' })
      .complete({ reconcile: () => {} });
    blueprint.build({ informers });
    expect([...informers.informers.values()].map((i) => [i.type.kind, i.selection])).toEqual([
      ['ReplicaSet', { namespace: 'team-a', labelSelector: 'team=a' }],
      ['Pod', { namespace: 'team-a' }],
      ['Node', {}],
    ]);
  });

  it('applies withEventFilter to every watch and per-watch predicates only to their watch', async () => {
    const clock = new VirtualClock();
    const informers = new ScriptedInformerProvider({ clock });
    const seen: string[] = [];
    const controller = controllerFor(ReplicaSets, { predicates: [generationChanged] })
      .owns(Pods)
      .withEventFilter((e) => e.object.metadata.labels?.skip !== 'yes')
      .complete({ reconcile: (req: Request) => void seen.push(req.name) })
      .build({ informers, clock });
    const stop = new AbortController();
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => controller.hasSynced());
    const rs = informers.of(ReplicaSets);
    rs.put({ metadata: { namespace: 'ns', name: 'a', generation: 1 } });
    await settleUntil(clock, () => seen.length === 1);
    rs.put({ metadata: { namespace: 'ns', name: 'a', generation: 1, labels: { x: 'y' } } }); // filtered: same generation
    rs.put({ metadata: { namespace: 'ns', name: 'b', generation: 1, labels: { skip: 'yes' } } }); // filtered: event filter
    const ownedBy = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'c', uid: 'u', controller: true }];
    informers.of(Pods).put({ metadata: { namespace: 'ns', name: 'p', ownerReferences: ownedBy } });
    informers.of(Pods).put({ metadata: { namespace: 'ns', name: 'p', ownerReferences: ownedBy, labels: { changed: 'yes' } } }); // pods: no generation filter
    await settleUntil(clock, () => seen.length === 3);
    await clock.settle();
    expect(seen).toEqual(['a', 'c', 'c']);
    stop.abort();
    await run;
  });

  it('refuses incomplete descriptions', () => {
    expect(() => controllerNamed('x').complete({ reconcile: () => {} })).toThrow(/nothing to watch/);
    expect(() =>
      controllerNamed('x')
        .owns(Pods)
        .complete({ reconcile: () => {} }),
    ).toThrow(/owns\(\) needs for\(\)/);
    expect(() => controllerFor(Pods).for(Pods)).toThrow(/only once/);
  });
});
