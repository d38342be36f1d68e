import type { KubeObject, OwnerReference, ResourceType } from '@converge/core';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from './gc-finalizers.js';

/** Where an object lives and what it is: enough to read or delete it. */
export interface NodeIdentity {
  apiVersion: string;
  kind: string;
  /** Unset for cluster-scoped objects (and for owners whose kind is not known yet). */
  namespace?: string;
  name: string;
}

/**
 * One object in the garbage collector's graph, keyed by uid. A node is *observed* when an
 * informer reported the object, *virtual* when it is only known as the owner some
 * dependent names (its existence is then checked against the API).
 */
export interface GraphNode {
  readonly uid: string;
  identity: NodeIdentity;
  /** The kind it was observed as (unset for virtual nodes). */
  type: ResourceType | undefined;
  /** Its owner references, as last observed. */
  owners: readonly OwnerReference[];
  /** The observed objects naming this node as an owner. */
  readonly dependents: Set<GraphNode>;
  virtual: boolean;
  /** `deletionTimestamp` is set. */
  beingDeleted: boolean;
  /** Being deleted with the `foregroundDeletion` finalizer: waits for its blocking dependents. */
  deletingDependents: boolean;
  /** Being deleted with the `orphan` finalizer: its dependents are to be released first. */
  orphaning: boolean;
}

/**
 * What a change of the graph asks the garbage collector to look at: the uids of nodes to
 * process (verify a virtual node, delete a dependent whose owners are gone, finish a
 * foreground or orphan deletion, check a dependent whose owner lives in another namespace).
 */
export interface GraphWork {
  attempt: string[];
}

/**
 * The owner → dependents graph the garbage collector keeps from every kind's informer
 * events: Kubernetes' dependency graph builder, as a plain data structure. Each change
 * returns the nodes the collector should now process; it never calls the API.
 *
 * Invariants: every observed node is in `nodes`; a node is in `owner.dependents` exactly
 * when its `owners` name `owner.uid`; a virtual node is removed once nothing depends on it
 * and it was verified absent.
 */
export class OwnerGraph {
  private readonly nodes = new Map<string, GraphNode>();

  /** The node of a uid. */
  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Forgets everything (before the informers list again). */
  clear(): void {
    this.nodes.clear();
  }

  /** How many nodes the graph holds. */
  size(): number {
    return this.nodes.size;
  }

  /** Records an object as an informer reported it (added or updated). */
  observe(type: ResourceType, obj: KubeObject): GraphWork {
    const work: GraphWork = { attempt: [] };
    const uid = obj.metadata.uid;
    if (!uid) return work;
    const m = obj.metadata;
    const finalizers = m.finalizers ?? [];
    const beingDeleted = m.deletionTimestamp !== undefined;
    const identity: NodeIdentity = {
      apiVersion: obj.apiVersion ?? apiVersionOfType(type),
      kind: obj.kind ?? type.kind,
      name: m.name ?? '',
    };
    if (m.namespace) identity.namespace = m.namespace;
    const owners = m.ownerReferences ?? [];
    let node = this.nodes.get(uid);
    const wasDeletingDependents = node?.deletingDependents ?? false;
    if (!node) {
      node = {
        uid,
        identity,
        type,
        owners: [],
        dependents: new Set(),
        virtual: false,
        beingDeleted,
        deletingDependents: false,
        orphaning: false,
      };
      this.nodes.set(uid, node);
      this.linkOwners(node, owners, work);
    } else {
      if (node.virtual) {
        node.virtual = false;
      }
      node.identity = identity;
      node.type = type;
      this.relinkOwners(node, owners, work);
    }
    node.owners = owners;
    node.beingDeleted = beingDeleted;
    node.deletingDependents = beingDeleted && finalizers.includes(FOREGROUND_FINALIZER);
    node.orphaning = beingDeleted && finalizers.includes(ORPHAN_FINALIZER);
    if (node.orphaning) work.attempt.push(uid);
    if (node.deletingDependents) {
      work.attempt.push(uid);
      if (!wasDeletingDependents) for (const dep of node.dependents) work.attempt.push(dep.uid);
    }
    return work;
  }

  /**
   * Removes an object that is gone (an informer's delete, or the API said it no longer
   * exists): its dependents are to be checked (their owner is absent), and owners waiting
   * in foreground deletion look again.
   */
  remove(uid: string): GraphWork {
    const work: GraphWork = { attempt: [] };
    const node = this.nodes.get(uid);
    if (!node) return work;
    this.nodes.delete(uid);
    for (const ref of node.owners) {
      const owner = this.nodes.get(ref.uid);
      if (!owner) continue;
      owner.dependents.delete(node);
      if (owner.deletingDependents) work.attempt.push(owner.uid);
      this.dropIfUnneeded(owner);
    }
    for (const dep of node.dependents) work.attempt.push(dep.uid);
    return work;
  }

  /** The dependents whose owner reference to `owner` says `blockOwnerDeletion: true`. */
  blockingDependents(owner: GraphNode, limit = Infinity): GraphNode[] {
    const out: GraphNode[] = [];
    for (const dep of owner.dependents) {
      if (dep.owners.some((r) => r.uid === owner.uid && r.blockOwnerDeletion === true)) {
        out.push(dep);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  private linkOwners(node: GraphNode, owners: readonly OwnerReference[], work: GraphWork): void {
    for (const ref of owners) this.linkOwner(node, ref, work);
  }

  private linkOwner(node: GraphNode, ref: OwnerReference, work: GraphWork): void {
    let owner = this.nodes.get(ref.uid);
    if (!owner) {
      // Known only through this reference: check whether it exists.
      const identity: NodeIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
      if (node.identity.namespace) identity.namespace = node.identity.namespace;
      owner = {
        uid: ref.uid,
        identity,
        type: undefined,
        owners: [],
        dependents: new Set(),
        virtual: true,
        beingDeleted: false,
        deletingDependents: false,
        orphaning: false,
      };
      this.nodes.set(ref.uid, owner);
      work.attempt.push(ref.uid);
    } else if (!owner.virtual && owner.type?.namespaced && owner.identity.namespace !== node.identity.namespace) {
      // A namespaced owner must live in its dependent's namespace: this reference cannot hold.
      work.attempt.push(node.uid);
    } else if (owner.deletingDependents) {
      // A dependent that appears while its owner waits for its dependents is to be deleted too.
      work.attempt.push(node.uid);
    }
    owner.dependents.add(node);
  }

  private relinkOwners(node: GraphNode, owners: readonly OwnerReference[], work: GraphWork): void {
    const before = new Map(node.owners.map((r) => [r.uid, r]));
    const after = new Map(owners.map((r) => [r.uid, r]));
    for (const [uid, ref] of before) {
      const owner = this.nodes.get(uid);
      if (!owner) continue;
      const now = after.get(uid);
      if (!now) {
        owner.dependents.delete(node);
        if (owner.deletingDependents) work.attempt.push(uid);
        this.dropIfUnneeded(owner);
      } else if (ref.blockOwnerDeletion === true && now.blockOwnerDeletion !== true && owner.deletingDependents) {
        work.attempt.push(uid);
      }
    }
    for (const [uid, ref] of after) if (!before.has(uid)) this.linkOwner(node, ref, work);
  }

  /** A virtual node nobody depends on any more is forgotten. */
  private dropIfUnneeded(owner: GraphNode): void {
    if (owner.virtual && owner.dependents.size === 0) this.nodes.delete(owner.uid);
  }
}

function apiVersionOfType(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
