/**
 * Serves CustomResourceDefinitions: a CRD written through the API server registers its kinds
 * in the catalog before the write is answered (discovery, OpenAPI, storage and validation see
 * the new kind at once), and its `NamesAccepted` and `Established` conditions are set. Deleting
 * a CRD through the API gives it the `customresourcecleanup.apiextensions.k8s.io` finalizer:
 * it stays Terminating (its kinds still served) while its objects are deleted, each going once
 * its own finalizers are removed; then the finalizer goes, then the CRD and its kinds
 * (see `crd-finalizer.ts`). A CRD removed without the finalizer (by another client of the
 * store) has its objects deleted and its kinds removed at once. A watch on CRDs catches the ones written by
 * other means (another API server on the same etcd, an in-process client), and the CRDs found
 * at start are registered before the server starts serving.
 */
import {
  isConflict,
  isNotFound,
  methodNotAllowed,
  rfc3339,
  sleep,
  type Clock,
  type KubeObject,
  type ObjectKey,
  type ObjectStore,
  type ResourceDefinition,
  type Logger,
} from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Subscription } from 'rxjs';
import type { ResourceWriteHooks } from '../handlers/resource.handler.js';
import { addCleanupFinalizer, finalizeCrdPass, hasCleanupFinalizer, type TerminatingCondition } from './crd-finalizer.js';

/** Turns a CRD into the definitions of its served versions (throws when the CRD cannot be served). */
export type DefinitionsFromCRD = (crd: KubeObject) => ResourceDefinition[];

/** The CRD kind's coordinates. */
export const CRD_RESOURCE = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' } as const;

/** Options of a CrdRegistrar. */
export interface CrdRegistrarOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  definitionsFromCRD: DefinitionsFromCRD;
  clock: Clock;
  logger: Logger;
}

interface Served {
  generation: number | undefined;
  uid: string | undefined;
  definitions: ResourceDefinition[];
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** The conditions of a CRD whose kinds are served. */
const ACCEPTED: readonly Condition[] = [
  { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
  { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
];

function isCrd(def: ResourceDefinition): boolean {
  return def.group === CRD_RESOURCE.group && def.resource === CRD_RESOURCE.resource;
}

/** Registers and unregisters the kinds of CRDs. */
export class CrdRegistrar implements ResourceWriteHooks {
  private readonly served = new Map<string, Served>();
  private readonly custom = new WeakSet<ResourceDefinition>();
  private readonly queues = new Map<string, Promise<void>>();
  private subscription: Subscription | undefined;
  private stopped = false;
  /** CRDs being finalized: when it began (clock ms), and the timer of the next pass. */
  private readonly finalizing = new Map<string, { startedAt: number; timer?: ReturnType<Clock['setTimeout']> }>();

  constructor(private readonly o: CrdRegistrarOptions) {}

  /** Registers the CRDs already stored, then follows changes. */
  async start(): Promise<void> {
    const def = this.o.catalog.get(CRD_RESOURCE);
    if (!def) return;
    const rv = await this.resync(def);
    this.follow(def, rv);
  }

  /** Stops following CRD changes. */
  stop(): void {
    this.stopped = true;
    this.subscription?.unsubscribe();
    for (const f of this.finalizing.values()) if (f.timer !== undefined) this.o.clock.clearTimeout(f.timer);
    this.finalizing.clear();
  }

  /** Refuses new objects of a CRD that is being deleted, as Kubernetes does. */
  beforeCreate(def: ResourceDefinition): void {
    if (!this.custom.has(def)) return;
    for (const [name, served] of this.served) {
      if (this.finalizing.has(name) && served.definitions.includes(def))
        throw methodNotAllowed('create not allowed while custom resource definition is terminating');
    }
  }

  /** Runs before a CRD is deleted through the API: adds the cleanup finalizer, so its objects go first. */
  async beforeDelete(def: ResourceDefinition, key: ObjectKey): Promise<void> {
    if (isCrd(def)) await addCleanupFinalizer(this.o.store, def, key);
  }

  /** Whether a definition was made from a CRD. */
  isCustomResource(def: ResourceDefinition): boolean {
    return this.custom.has(def);
  }

  async afterWrite(def: ResourceDefinition, obj: KubeObject): Promise<void> {
    if (isCrd(def)) await this.enqueue(obj.metadata.name ?? '', () => this.sync(obj));
  }

  /** Runs after a CRD was deleted (or marked for deletion) through the API. */
  async afterDelete(def: ResourceDefinition, obj: KubeObject): Promise<void> {
    if (!isCrd(def)) return;
    const name = obj.metadata.name ?? '';
    if (obj.metadata.deletionTimestamp && hasCleanupFinalizer(obj)) await this.enqueue(name, () => this.sync(obj));
    else await this.enqueue(name, () => this.remove(name, true));
  }

  private enqueue(name: string, task: () => Promise<void>): Promise<void> {
    const prev = this.queues.get(name) ?? Promise.resolve();
    const next = prev.then(task, task).catch((err) => this.o.logger.error({ crd: name, err: String(err) }, 'CRD sync failed'));
    this.queues.set(name, next);
    void next.finally(() => {
      if (this.queues.get(name) === next) this.queues.delete(name);
    });
    return next;
  }

  private async resync(def: ResourceDefinition): Promise<string | undefined> {
    const list = await this.o.store.list(def);
    const names = new Set<string>();
    for (const crd of list.items) {
      names.add(crd.metadata.name ?? '');
      await this.enqueue(crd.metadata.name ?? '', () => this.sync(crd));
    }
    for (const name of [...this.served.keys()]) if (!names.has(name)) await this.enqueue(name, () => this.remove(name, false));
    return list.metadata.resourceVersion;
  }

  private follow(def: ResourceDefinition, resourceVersion: string | undefined): void {
    if (this.stopped) return;
    const options = resourceVersion ? { resourceVersion, allowWatchBookmarks: true } : { allowWatchBookmarks: true };
    let lastRv = resourceVersion;
    this.subscription = this.o.store.watch(def, options).subscribe({
      next: (ev) => {
        lastRv = ev.object.metadata.resourceVersion ?? lastRv;
        if (ev.type === 'BOOKMARK') return;
        const name = ev.object.metadata.name ?? '';
        if (ev.type === 'DELETED') void this.enqueue(name, () => this.remove(name, true));
        else void this.enqueue(name, () => this.sync(ev.object));
      },
      error: () => void this.restart(def),
      complete: () => void this.restart(def, lastRv),
    });
  }

  private async restart(def: ResourceDefinition, rv?: string): Promise<void> {
    if (this.stopped) return;
    await sleep(this.o.clock, rv ? 0 : 1000);
    if (this.stopped) return;
    try {
      this.follow(def, rv ?? (await this.resync(def)));
    } catch {
      void this.restart(def);
    }
  }

  /** Registers (or re-registers) a CRD's kinds and sets its conditions. */
  private async sync(crd: KubeObject): Promise<void> {
    const name = crd.metadata.name ?? '';
    if (crd.metadata.deletionTimestamp) {
      if (hasCleanupFinalizer(crd)) await this.finalize(crd);
      else await this.remove(name, true);
      return;
    }
    const prev = this.served.get(name);
    let conditions: readonly Condition[];
    if (prev && prev.uid === crd.metadata.uid && prev.generation === crd.metadata.generation) {
      conditions = ACCEPTED;
    } else {
      let defs: ResourceDefinition[] = [];
      let problem: string | undefined;
      try {
        defs = this.o.definitionsFromCRD(crd);
        problem = this.conflictOf(defs, prev?.definitions ?? []);
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      if (problem) {
        conditions = [
          { type: 'NamesAccepted', status: 'False', reason: 'NameConflict', message: problem },
          { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
        ];
        if (prev) this.unregister(prev.definitions, []);
        this.served.delete(name);
      } else {
        this.unregister(prev?.definitions ?? [], defs);
        for (const d of defs) {
          this.custom.add(d);
          this.o.catalog.add(d);
        }
        this.served.set(name, { generation: crd.metadata.generation, uid: crd.metadata.uid, definitions: defs });
        conditions = ACCEPTED;
      }
    }
    await this.writeStatus(crd, conditions);
  }

  /** A message when a definition would take over a kind another source serves. */
  private conflictOf(defs: ResourceDefinition[], own: ResourceDefinition[]): string | undefined {
    for (const d of defs) {
      const existing = this.o.catalog.get(d);
      if (existing && !own.includes(existing) && !this.custom.has(existing)) return `"${d.resource}" is already in use`;
      const kindOwner = this.o.catalog.forKind(d.group ? `${d.group}/${d.version}` : d.version, d.kind);
      if (kindOwner && kindOwner.resource !== d.resource && !own.includes(kindOwner)) return `"${d.kind}" is already in use`;
    }
    return undefined;
  }

  private unregister(old: ResourceDefinition[], keep: ResourceDefinition[]): void {
    for (const d of old) {
      if (keep.some((k) => k.group === d.group && k.version === d.version && k.resource === d.resource)) continue;
      if (this.o.catalog.get(d) === d) this.o.catalog.remove(d);
    }
  }

  /** One finalizing pass of a Terminating CRD; schedules the next while objects remain. */
  private async finalize(crd: KubeObject): Promise<void> {
    const name = crd.metadata.name ?? '';
    const crdDef = this.o.catalog.get(CRD_RESOURCE);
    if (!crdDef || this.stopped) return;
    const state = this.finalizing.get(name) ?? { startedAt: this.o.clock.now() };
    if (state.timer !== undefined) this.o.clock.clearTimeout(state.timer);
    delete state.timer;
    this.finalizing.set(name, state);
    const prev = this.served.get(name);
    const served = prev?.definitions.find((d) => this.o.catalog.get(d) === d);
    const outcome = await finalizeCrdPass(crdDef, crd, {
      store: this.o.store,
      served,
      now: this.o.clock.now(),
      startedAt: state.startedAt,
      setCondition: (c) => this.setTerminating(crdDef, name, c),
    });
    if (!outcome.done) {
      if (!this.stopped)
        state.timer = this.o.clock.setTimeout(() => void this.enqueue(name, () => this.resyncOne(crdDef, name)), outcome.retryAfterMs);
      return;
    }
    this.finalizing.delete(name);
    try {
      await this.o.store.get(crdDef, { name });
    } catch (err) {
      if (isNotFound(err)) await this.remove(name, false);
    }
  }

  /** Looks at one CRD again as the store has it now. */
  private async resyncOne(crdDef: ResourceDefinition, name: string): Promise<void> {
    try {
      await this.sync(await this.o.store.get(crdDef, { name }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.remove(name, true);
    }
  }

  /** Sets the Terminating condition beside the CRD's other conditions. */
  private async setTerminating(crdDef: ResourceDefinition, name: string, condition: TerminatingCondition): Promise<void> {
    let crd: KubeObject;
    try {
      crd = await this.o.store.get(crdDef, { name });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const existing = (((crd['status'] ?? {}) as { conditions?: Condition[] }).conditions ?? []).filter((c) => c.type !== 'Terminating');
    await this.writeStatus(crd, [...existing.map(({ type, status, reason, message }) => ({ type, status, reason, message })), condition]);
  }

  /** Deletes a CRD's objects and removes its kinds. */
  private async remove(name: string, deleteObjects: boolean): Promise<void> {
    const prev = this.served.get(name);
    if (!prev) return;
    if (deleteObjects) {
      // One version is enough: all versions share the storage.
      const first = prev.definitions[0];
      if (first && this.o.catalog.get(first) === first) {
        try {
          await this.o.store.deleteCollection(first, {});
        } catch (err) {
          this.o.logger.warn({ crd: name, err: String(err) }, 'deleting the objects of a CRD failed');
        }
      }
    }
    this.unregister(prev.definitions, []);
    this.served.delete(name);
  }

  private async writeStatus(crd: KubeObject, conditions: readonly Condition[]): Promise<void> {
    const def = this.o.catalog.get(CRD_RESOURCE);
    if (!def) return;
    const status = (crd['status'] ?? {}) as { conditions?: Condition[]; acceptedNames?: unknown; storedVersions?: string[] };
    const spec = (crd['spec'] ?? {}) as { names?: Record<string, unknown>; versions?: { name: string; storage?: boolean }[] };
    const now = rfc3339(this.o.clock.now());
    const old = status.conditions ?? [];
    const merged = conditions.map((c) => {
      const o = old.find((x) => x.type === c.type);
      return { ...c, lastTransitionTime: o && o.status === c.status ? (o.lastTransitionTime ?? now) : now };
    });
    const storage = spec.versions?.find((v) => v.storage)?.name;
    const stored = [...(status.storedVersions ?? [])];
    if (storage && !stored.includes(storage)) stored.push(storage);
    const accepted = conditions[0]?.status === 'True' ? spec.names : status.acceptedNames;
    const same =
      JSON.stringify(old.map((c) => [c.type, c.status, c.reason, c.message])) ===
        JSON.stringify(merged.map((c) => [c.type, c.status, c.reason, c.message])) &&
      JSON.stringify(status.storedVersions ?? []) === JSON.stringify(stored) &&
      JSON.stringify(status.acceptedNames ?? null) === JSON.stringify(accepted ?? null);
    if (same) return;
    const next: Record<string, unknown> = { conditions: merged, storedVersions: stored };
    if (accepted) next['acceptedNames'] = accepted;
    const key: ObjectKey = { name: crd.metadata.name ?? '' };
    try {
      await this.o.store.patch(def, key, { type: 'merge', body: { status: next } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
