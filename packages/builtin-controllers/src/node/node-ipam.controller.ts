import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  EventRecorder,
  isConflict,
  isNotFound,
  LoggerToken,
  mutable,
  Nodes,
  ObjectStoreToken,
  patchFrom,
  type Clock,
  type Logger,
  type Node,
  type ObjectStore,
  type Reconciler,
  type ReconcileContext,
  type Request,
  type Result,
} from '@converge/core';
import { inject, optional } from 'inversify';
import { CidrSet } from './cidr-set.js';

/** The cluster CIDR node ranges come from unless configured (the one `converge up`'s simulated nodes use, and flannel's default). */
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
/** The prefix length of a node's IPv4 range unless configured (`--node-cidr-mask-size`). */
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;
/** How long a node waits before it asks again for a range when the cluster CIDR is full, in ms. */
export const CIDR_RETRY_MS = 30_000;

/** Options of the node IPAM controller, as kube-controller-manager's flags. */
export interface NodeIpamOptions {
  /** The range node ranges are carved from (`--cluster-cidr`); IPv4; default `10.244.0.0/16`. */
  clusterCidr?: string;
  /** The prefix length of each node's range (`--node-cidr-mask-size`); default 24. */
  nodeCidrMaskSize?: number;
}

/** The inversify token of the node IPAM controller's options (optional; defaults apply without it). */
export const NodeIpamOptionsToken = Symbol.for('converge.builtin-controllers.NodeIpamOptions');

/**
 * Kubernetes' node IPAM controller (`node-ipam-controller`, the RangeAllocator): gives each
 * node a pod range, `spec.podCIDR` and `spec.podCIDRs`, from the cluster CIDR.
 *
 * - Before its first allocation it marks as used every range existing nodes already have, so
 *   a restart never hands out a range twice; a node that already has a range keeps it.
 * - A node without a range gets the next free one, round-robin through the cluster CIDR (a
 *   released range comes back once the others were handed out, as Kubernetes' `cidrset`).
 * - A deleted node's range is released.
 * - When every range is in use, a `CIDRNotAvailable` event is recorded on the node and it
 *   asks again after `CIDR_RETRY_MS`; nothing fails. A write of the range the API refuses
 *   (other than a conflict) gives the range back, with a `CIDRAssignmentFailed` event.
 *
 * IPv4 only (no dual-stack pair of ranges). Runs with one worker (allocations are in memory).
 *
 * `@Controller({ name: 'node-ipam-controller', for: Nodes })`.
 */
@Controller({ name: 'node-ipam-controller', for: Nodes })
export class NodeIpamController implements Reconciler {
  /** The Events it records (`CIDRNotAvailable`). */
  readonly events: EventRecorder;
  /** The ranges and which are in use. */
  readonly cidrs: CidrSet;
  /** The range each node has (or was given and is being written), by node name. */
  private readonly byNode = new Map<string, string>();
  private rebuilt: Promise<void> | undefined;

  /** Takes the store (the cached client under a Manager), the clock and the options; throws on a bad cluster CIDR or mask size. */
  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) clock: Clock,
    @inject(NodeIpamOptionsToken) @optional() options: NodeIpamOptions = {},
    @inject(LoggerToken) @optional() logger?: Logger,
  ) {
    this.cidrs = new CidrSet({
      clusterCidr: options.clusterCidr ?? DEFAULT_CLUSTER_CIDR,
      nodeMaskSize: options.nodeCidrMaskSize ?? DEFAULT_NODE_CIDR_MASK_SIZE,
    });
    this.events = new EventRecorder({ store, component: 'cidrAllocator', clock, ...(logger ? { logger } : {}) });
  }

  /** Gives the node a range if it has none, records the one it has, or releases a deleted node's. */
  async reconcile(request: Request, ctx?: ReconcileContext): Promise<Result | void> {
    await (this.rebuilt ??= this.rebuild().catch((err: unknown) => {
      this.rebuilt = undefined;
      throw err;
    }));
    const name = request.name;
    let node: Node;
    try {
      node = await this.store.get(Nodes, { name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      this.release(name);
      return;
    }
    const existing = node.spec?.podCIDRs?.[0] ?? node.spec?.podCIDR;
    if (existing) {
      this.record(name, existing);
      return;
    }
    if (node.metadata.deletionTimestamp) return;
    let cidr = this.byNode.get(name);
    if (!cidr) {
      cidr = this.cidrs.allocateNext();
      if (!cidr) {
        this.events.normal(node, 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`, { type: Nodes });
        ctx?.log.info({ node: name, clusterCidr: this.describe() }, 'no pod CIDR left for the node');
        return { requeueAfter: CIDR_RETRY_MS };
      }
      this.byNode.set(name, cidr);
    }
    const modified = mutable(node);
    modified.spec = { ...modified.spec, podCIDR: cidr, podCIDRs: [cidr] };
    try {
      await patchFrom(this.store, Nodes, node, modified, { optimistic: true });
    } catch (err) {
      if (isNotFound(err)) {
        this.release(name);
        return;
      }
      if (!isConflict(err)) {
        // refused (not a race): give the range back, as Kubernetes does, and try afresh later
        this.release(name);
        this.events.normal(node, 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`, { type: Nodes });
      }
      throw err; // retried with back-off; after a conflict, with the same range (kept in byNode)
    }
  }

  /** Marks the ranges of every existing node as used (once, before the first allocation). */
  private async rebuild(): Promise<void> {
    for (const node of (await this.store.list(Nodes)).items) {
      const cidr = node.spec?.podCIDRs?.[0] ?? node.spec?.podCIDR;
      if (cidr) this.record(node.metadata.name!, cidr);
    }
  }

  private record(name: string, cidr: string): void {
    const had = this.byNode.get(name);
    if (had === cidr) return;
    if (had) this.cidrs.release(had);
    this.byNode.set(name, cidr);
    this.cidrs.occupy(cidr);
  }

  private release(name: string): void {
    const cidr = this.byNode.get(name);
    if (!cidr) return;
    this.byNode.delete(name);
    this.cidrs.release(cidr);
  }

  private describe(): string {
    return `${this.cidrs.inUse()}/${this.cidrs.size} ranges of /${this.cidrs.nodeMaskSize} in use`;
  }
}
