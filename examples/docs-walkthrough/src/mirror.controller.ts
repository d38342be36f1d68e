import 'reflect-metadata';
import {
  CachedObjectStore,
  ClockToken,
  ConfigMaps,
  Controller,
  CONTROLLER_OWNER_INDEX,
  finalize,
  isAlreadyExists,
  isConflict,
  isNotFound,
  MapFrom,
  mutable,
  ObjectStoreToken,
  patchStatus,
  setControllerReference,
  setStatusCondition,
  type Clock,
  type ConfigMap,
  type Reconciler,
  type Request,
  type Result,
} from '@converge/core';
import { inject } from 'inversify';
import { Mirrors, type Mirror } from './mirror.kind.js';

/** The finalizer a Mirror carries until its mark on the source ConfigMap is removed. */
export const MIRROR_FINALIZER = 'mirrors.example.dev/source-mark';
/** The annotation prefix marking a source ConfigMap with the Mirrors copying it. */
export const MIRRORED_BY_PREFIX = 'mirrors.example.dev/';
/** The name of the index filing Mirrors under `<namespace>/<source>`. */
export const SOURCE_INDEX = 'spec.source';

/**
 * Keeps the copies of every Mirror: creates the missing ones, updates those whose data
 * differs from the source's, deletes those beyond `spec.copies`; marks the source ConfigMap
 * with an annotation per Mirror and removes the mark (through a finalizer) when the Mirror
 * is deleted; reports a Ready condition with `observedGeneration`.
 *
 * It reads through the manager's cached client: a change to a source ConfigMap reaches the
 * Mirrors naming it through an index on the Mirrors informer.
 */
@Controller({ name: 'mirror', for: Mirrors, owns: [ConfigMaps] })
export class MirrorController implements Reconciler {
  /** Makes the controller and registers its index on the client's Mirrors informer. */
  constructor(
    @inject(ObjectStoreToken) private readonly client: CachedObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
  ) {
    client.addIndex(Mirrors, SOURCE_INDEX, (m) => [`${m.metadata.namespace}/${m.spec.source}`]);
  }

  /** Maps a ConfigMap to the Mirrors whose source it is (answered from the cache at once). */
  @MapFrom(ConfigMaps)
  mirrorsOf(cm: ConfigMap): Request[] {
    const key = `${cm.metadata.namespace}/${cm.metadata.name}`;
    return this.client
      .informerOf(Mirrors)
      .cache.byIndex(SOURCE_INDEX, key)
      .map((m) => ({ namespace: m.metadata.namespace!, name: m.metadata.name! }));
  }

  /** Brings one Mirror's copies, source mark and status in line with its spec. */
  async reconcile(request: Request): Promise<Result | undefined> {
    const found = await this.client.get(Mirrors, request).catch(ignoreNotFound);
    if (!found) return undefined;
    const f = await finalize(this.client, Mirrors, found, { finalizer: MIRROR_FINALIZER, cleanup: (m) => this.unmark(m) });
    if (f.deleting) return undefined;
    const mirror = f.object;
    const namespace = mirror.metadata.namespace!;

    const source = await this.client.get(ConfigMaps, { namespace, name: mirror.spec.source }).catch(ignoreNotFound);
    if (!source) {
      await this.writeStatus(mirror, 0, {
        status: 'False',
        reason: 'SourceNotFound',
        message: `ConfigMap ${mirror.spec.source} not found`,
      });
      return undefined;
    }
    await this.mark(mirror, source);

    const owned = await this.client.list(ConfigMaps, { namespace, index: { name: CONTROLLER_OWNER_INDEX, value: mirror.metadata.uid! } });
    const wanted = new Set(Array.from({ length: mirror.spec.copies }, (_, i) => `${mirror.metadata.name}-${i}`));
    const data = source.data ?? {};
    let behind = false;
    for (const name of wanted) {
      const existing = owned.items.find((c) => c.metadata.name === name);
      if (!existing) {
        const copy: ConfigMap = { metadata: { namespace, name, labels: { 'mirrors.example.dev/mirror': mirror.metadata.name! } }, data };
        // AlreadyExists: the cache has not seen our own earlier create yet; its event requeues us
        await this.client.create(ConfigMaps, setControllerReference(mirror, copy)).catch((err: unknown) => {
          if (!isAlreadyExists(err)) throw err;
          behind = true;
        });
      } else if (!sameData(existing.data, data)) {
        const fixed = mutable(existing);
        fixed.data = { ...data };
        // Conflict: we read an older copy than the store holds (often our own earlier update)
        await this.client.update(ConfigMaps, fixed).catch((err: unknown) => {
          if (!isConflict(err)) throw err;
          behind = true;
        });
      }
    }
    if (behind) return { requeue: true };
    for (const extra of owned.items.filter((c) => !wanted.has(c.metadata.name!))) {
      await this.client
        .delete(ConfigMaps, { namespace, name: extra.metadata.name! }, { preconditions: { uid: extra.metadata.uid! } })
        .catch(ignoreNotFound);
    }
    await this.writeStatus(mirror, wanted.size, {
      status: 'True',
      reason: 'Synced',
      message: `${wanted.size} copies of ${mirror.spec.source}`,
    });
    return undefined;
  }

  private async writeStatus(
    mirror: Mirror,
    copies: number,
    ready: { status: 'True' | 'False'; reason: string; message: string },
  ): Promise<void> {
    const next = mutable(mirror);
    next.status = { ...next.status, observedGeneration: mirror.metadata.generation, copies };
    setStatusCondition(next, { type: 'Ready', ...ready, observedGeneration: mirror.metadata.generation }, this.clock);
    await patchStatus(this.client, Mirrors, mirror, next.status);
  }

  private async mark(mirror: Mirror, source: ConfigMap): Promise<void> {
    const key = MIRRORED_BY_PREFIX + mirror.metadata.name!;
    if (source.metadata.annotations?.[key] !== undefined) return;
    await this.client.patch(
      ConfigMaps,
      { namespace: source.metadata.namespace!, name: source.metadata.name! },
      { type: 'merge', body: { metadata: { annotations: { [key]: 'true' } } } },
    );
  }

  private async unmark(mirror: Mirror): Promise<void> {
    const key = MIRRORED_BY_PREFIX + mirror.metadata.name!;
    const namespace = mirror.metadata.namespace!;
    const source = await this.client.get(ConfigMaps, { namespace, name: mirror.spec.source }).catch(ignoreNotFound);
    if (source?.metadata.annotations?.[key] === undefined) return;
    await this.client
      .patch(ConfigMaps, { namespace, name: mirror.spec.source }, { type: 'merge', body: { metadata: { annotations: { [key]: null } } } })
      .catch(ignoreNotFound);
  }
}

function sameData(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a ?? {});
  return ak.length === Object.keys(b).length && ak.every((k) => a![k] === b[k]);
}

function ignoreNotFound(err: unknown): undefined {
  if (isNotFound(err)) return undefined;
  throw err;
}
