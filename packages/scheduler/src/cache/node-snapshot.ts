/**
 * The snapshot a scheduling cycle reads (kube-scheduler's cache.Snapshot): copies of the
 * cache's NodeInfos, refreshed incrementally by `SchedulerCache.updateSnapshot` before each
 * cycle so that nothing the cache does during the cycle (informer events, bindings) changes
 * what the cycle's plugins see.
 */
import type { Snapshot, SnapshotChanges } from '../framework/handle.js';
import type { NodeInfo } from '../framework/node-info.js';

/** How many changed names the snapshot remembers before it forgets them all (readers then rescan). */
const MAX_JOURNAL = 1 << 16;

/**
 * A consistent view of the nodes for one scheduling cycle.
 *
 * Invariants: `list` holds exactly the NodeInfos of `map` that have a Node, and
 * `positions.get(name)` is the index of that node in `list`; the affinity lists hold the
 * NodeInfos of `list` with pods with (required anti-)affinity.
 */
export class NodeSnapshot implements Snapshot {
  /** Every NodeInfo by node name (including nodes whose Node object is gone but pods remain). */
  readonly map = new Map<string, NodeInfo>();
  /** The NodeInfos with a Node, in the cache's node order. */
  nodes: NodeInfo[] = [];
  /** Index of each node in `nodes`. */
  readonly positions = new Map<string, number>();
  /** The nodes with pods with affinity terms (in no particular order). */
  withAffinity: NodeInfo[] = [];
  /** The nodes with pods with required anti-affinity terms (in no particular order). */
  withRequiredAntiAffinity: NodeInfo[] = [];
  /** Index of each node in `withAffinity`. */
  private readonly affinityPos = new Map<string, number>();
  /** Index of each node in `withRequiredAntiAffinity`. */
  private readonly antiAffinityPos = new Map<string, number>();
  /** Bumped by every `recordChanges` with at least one name. */
  private revision = 0;
  /** The names changed, oldest first, with the revision each change was recorded at. */
  private journal: string[] = [];
  private journalRevisions: number[] = [];
  /** The oldest revision `changesSince` can answer for. */
  private journalBase = 0;

  /** Every node, in a stable order. */
  list(): readonly NodeInfo[] {
    return this.nodes;
  }

  /** One node by name. */
  get(name: string): NodeInfo | undefined {
    return this.map.get(name);
  }

  /** The nodes with pods that have pod affinity or anti-affinity terms. */
  havePodsWithAffinity(): readonly NodeInfo[] {
    return this.withAffinity;
  }

  /** The nodes with pods that have required pod anti-affinity terms. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.withRequiredAntiAffinity;
  }

  /** The nodes changed since `revision` (see `Snapshot.changesSince`). */
  changesSince(revision: number): SnapshotChanges {
    if (revision < this.journalBase || revision > this.revision) return { revision: this.revision, names: undefined };
    const revs = this.journalRevisions;
    let lo = 0;
    let hi = revs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (revs[mid]! <= revision) lo = mid + 1;
      else hi = mid;
    }
    return { revision: this.revision, names: this.journal.slice(lo) };
  }

  /** Records that the NodeInfos of `names` were added, replaced or removed (the cache calls it as it updates the snapshot). */
  recordChanges(names: Iterable<string>): void {
    const rev = this.revision + 1;
    let any = false;
    for (const name of names) {
      this.journal.push(name);
      this.journalRevisions.push(rev);
      any = true;
    }
    if (!any) return;
    this.revision = rev;
    if (this.journal.length > MAX_JOURNAL) {
      this.journal = [];
      this.journalRevisions = [];
      this.journalBase = rev;
    }
  }

  /** Rebuilds the affinity lists from `nodes`. */
  rebuildAffinityLists(): void {
    const a: NodeInfo[] = [];
    const r: NodeInfo[] = [];
    this.affinityPos.clear();
    this.antiAffinityPos.clear();
    for (const n of this.nodes) {
      if (n.podsWithAffinity.length > 0) {
        this.affinityPos.set(n.name, a.length);
        a.push(n);
      }
      if (n.podsWithRequiredAntiAffinity.length > 0) {
        this.antiAffinityPos.set(n.name, r.length);
        r.push(n);
      }
    }
    this.withAffinity = a;
    this.withRequiredAntiAffinity = r;
  }

  /**
   * Puts the new copy of a node in the affinity lists: in place of the old copy, appended when
   * it joins a list, swapped out with the last entry when it leaves one (the lists' order is not
   * meaningful).
   */
  updateAffinityLists(copy: NodeInfo): void {
    const listed = copy.node !== undefined;
    place(this.withAffinity, this.affinityPos, copy, listed && copy.podsWithAffinity.length > 0);
    place(this.withRequiredAntiAffinity, this.antiAffinityPos, copy, listed && copy.podsWithRequiredAntiAffinity.length > 0);
  }
}

function place(list: NodeInfo[], pos: Map<string, number>, copy: NodeInfo, member: boolean): void {
  const name = copy.name;
  const i = pos.get(name);
  if (member) {
    if (i !== undefined) list[i] = copy;
    else {
      pos.set(name, list.length);
      list.push(copy);
    }
    return;
  }
  if (i === undefined) return;
  const last = list.pop()!;
  pos.delete(name);
  if (i < list.length) {
    list[i] = last;
    pos.set(last.name, i);
  }
}
