import type { Clock, KubeObject } from '@converge/core';
import type { Backend, StoredObject } from '../backend/backend.js';
import { dynamicOrder, type AllocationRange } from './allocation-range.js';
import { isObject } from './json-values.js';

/** The Service holding a claim. The uid tells two Services of the same name apart. */
export interface ClaimOwner {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/** A claim as stored in the backend: one key per allocated address or port. */
export interface ClaimObject extends KubeObject {
  owner: ClaimOwner;
  /** When the claim was made, in clock milliseconds (repair leaves young claims alone). */
  claimedAt: number;
}

/** What a `ClaimSet` needs. */
export interface ClaimSetOptions {
  backend: Backend;
  /** The key prefix of the claims, ending in `/`, e.g. `/registry/ranges/serviceips/`. */
  prefix: string;
  /** The kind written in claim objects (for whoever looks at the raw keys). */
  kind: string;
  clock: Clock;
  random: () => number;
}

/** Whether a stored claim belongs to `owner` (the same object: the same uid). */
export function ownedBy(claim: KubeObject | undefined, owner: ClaimOwner): boolean {
  const o = claim && isObject(claim.owner) ? (claim.owner as Partial<ClaimOwner>) : undefined;
  return o !== undefined && o.uid === owner.uid;
}

/**
 * The allocated items of one range, kept in the backend as one key per item, the way
 * Kubernetes' newer allocator keeps one IPAddress object per service IP. Creating a key is
 * the backend's atomic "create if absent", so two registries sharing one etcd can never hand
 * out the same item, and the state survives restarts with the data.
 *
 * To pick a free item without reading every key, the set remembers which items it has seen
 * taken (loaded with one list on first use, then kept current by its own claims and releases
 * and by every failed claim); when it believes the range full it lists again before giving
 * up. Over an in-process backend (memory) it asks the backend directly instead.
 */
export class ClaimSet {
  private known: Set<string> | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly o: ClaimSetOptions) {}

  /** The storage key of an item. */
  key(name: string): string {
    return this.o.prefix + name;
  }

  /** The claim on an item, if any. */
  async get(name: string): Promise<StoredObject | undefined> {
    const b = this.o.backend;
    return b.peek ? b.peek(this.key(name)) : b.get(this.key(name));
  }

  /** Every claim (for repair). */
  async list(): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    let startAfter: string | undefined;
    let revision: number | undefined;
    for (;;) {
      const page = await this.o.backend.list({
        prefix: this.o.prefix,
        limit: 1000,
        ...(startAfter ? { startAfter } : {}),
        ...(revision ? { revision } : {}),
      });
      revision = page.revision;
      out.push(...page.items);
      if (!page.more || page.items.length === 0) return out;
      startAfter = page.items[page.items.length - 1]!.key;
    }
  }

  /** Claims an item for `owner`: false when it is taken (by anyone, or by another Service of the same name). */
  async claim(name: string, owner: ClaimOwner): Promise<boolean> {
    const b = this.o.backend;
    const claim: ClaimObject = {
      apiVersion: 'internal.converge.dev/v1',
      kind: this.o.kind,
      metadata: { name },
      owner: { ...owner },
      claimedAt: this.o.clock.now(),
    };
    const res = b.createNow ? b.createNow(this.key(name), claim) : await b.create(this.key(name), claim);
    this.known?.add(name);
    return res.ok;
  }

  /** Releases an item if `owner` holds it; a claim held by anyone else is left alone. */
  async release(name: string, owner: ClaimOwner): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const current = await this.get(name);
      if (!current || !ownedBy(current.object, owner)) return;
      const res = await this.o.backend.delete(current.key, current.revision);
      if (res.ok || res.reason === 'not-found') {
        this.known?.delete(name);
        return;
      }
    }
  }

  /** Deletes a claim whatever its owner, if it is still at `revision` (repair). */
  async discard(stored: StoredObject): Promise<boolean> {
    const res = await this.o.backend.delete(stored.key, stored.revision);
    if (res.ok) this.known?.delete(stored.key.slice(this.o.prefix.length));
    return res.ok;
  }

  /** Whether an item is taken, as far as this process can tell without a read (exact over memory). */
  private async seemsTaken(name: string): Promise<boolean> {
    const b = this.o.backend;
    if (b.peek) return b.peek(this.key(name)) !== undefined;
    await this.load(false);
    return this.known!.has(name);
  }

  /** Whether an item is taken, read from the backend. */
  async isTaken(name: string): Promise<boolean> {
    return (await this.get(name)) !== undefined;
  }

  /**
   * Claims a free item of the range for `owner`, trying them in `dynamicOrder`; with
   * `dryRun`, only finds one. Undefined when the range is full.
   */
  async claimNext(range: AllocationRange, owner: ClaimOwner, dryRun: boolean): Promise<string | undefined> {
    for (let pass = 0; pass < 2; pass++) {
      for (const i of dynamicOrder(range, this.o.random)) {
        const name = range.nameAt(i);
        if (await this.seemsTaken(name)) continue;
        if (dryRun || (await this.claim(name, owner))) return name;
      }
      if (this.o.backend.peek) return undefined;
      // Believed full: others may have released items since the set was loaded.
      await this.load(true);
    }
    return undefined;
  }

  private load(force: boolean): Promise<void> {
    if (this.known && !force) return Promise.resolve();
    if (!this.loading) {
      this.loading = this.list()
        .then((items) => {
          this.known = new Set(items.map((s) => s.key.slice(this.o.prefix.length)));
        })
        .finally(() => {
          this.loading = undefined;
        });
    }
    return this.loading;
  }
}
