/**
 * A set of equal IPv4 subnets carved out of a cluster CIDR, for node IPAM: which are in use,
 * and the next free one, handed out round-robin as Kubernetes' `cidrset` does (so a subnet
 * just released is not given again at once while others are free).
 */

/** The most subnet bits a cluster CIDR may be split into (Kubernetes allows 2^16 node ranges). */
export const MAX_SUBNET_BITS = 16;

/** An IPv4 CIDR parsed: the network address as an unsigned 32-bit number and the prefix length. */
export interface Ipv4Cidr {
  /** The network address (host bits zero). */
  base: number;
  /** The prefix length, 0..32. */
  prefix: number;
}

/** Parses `a.b.c.d/n`; throws on anything else, or when host bits are set. */
export function parseIpv4Cidr(text: string): Ipv4Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not an IPv4 CIDR (a.b.c.d/n)`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`"${text}" is not an IPv4 CIDR (a.b.c.d/n)`);
  const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const base = addr - (addr % size);
  if (base !== addr) throw new Error(`"${text}" has host bits set (the network is ${formatIpv4Cidr({ base, prefix })})`);
  return { base, prefix };
}

/** Formats an IPv4 CIDR as `a.b.c.d/n`. */
export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const b = cidr.base;
  return `${Math.floor(b / 16777216) % 256}.${Math.floor(b / 65536) % 256}.${Math.floor(b / 256) % 256}.${b % 256}/${cidr.prefix}`;
}

/** Options of a CidrSet. */
export interface CidrSetOptions {
  /** The cluster CIDR, e.g. `10.244.0.0/16` (`--cluster-cidr`). */
  clusterCidr: string;
  /** The prefix length of each node's range, e.g. 24 (`--node-cidr-mask-size`). */
  nodeMaskSize: number;
}

/** The subnets of a cluster CIDR, with the ones in use. */
export class CidrSet {
  /** The cluster CIDR. */
  readonly cluster: Ipv4Cidr;
  /** The prefix length of each subnet. */
  readonly nodeMaskSize: number;
  /** How many subnets there are. */
  readonly size: number;
  private readonly used: Uint8Array;
  private usedCount = 0;
  private nextCandidate = 0;

  /** Splits the cluster CIDR; throws when the mask size does not fit it. */
  constructor(options: CidrSetOptions) {
    this.cluster = parseIpv4Cidr(options.clusterCidr);
    const mask = options.nodeMaskSize;
    if (!Number.isInteger(mask) || mask < this.cluster.prefix || mask > 32)
      throw new Error(`node CIDR mask size ${mask} must be between the cluster CIDR's prefix (${this.cluster.prefix}) and 32`);
    if (mask - this.cluster.prefix > MAX_SUBNET_BITS)
      throw new Error(
        `node CIDR mask size ${mask} splits ${options.clusterCidr} into more than 2^${MAX_SUBNET_BITS} ranges; use a mask size of at most ${this.cluster.prefix + MAX_SUBNET_BITS}`,
      );
    this.nodeMaskSize = mask;
    this.size = 2 ** (mask - this.cluster.prefix);
    this.used = new Uint8Array(this.size);
  }

  /** How many subnets are in use. */
  inUse(): number {
    return this.usedCount;
  }

  /** Takes the next free subnet (round-robin from the last one taken), or undefined when all are in use. */
  allocateNext(): string | undefined {
    if (this.usedCount >= this.size) return undefined;
    for (let i = 0; i < this.size; i++) {
      const candidate = (this.nextCandidate + i) % this.size;
      if (this.used[candidate]) continue;
      this.mark(candidate, true);
      this.nextCandidate = (candidate + 1) % this.size;
      return this.format(candidate);
    }
    return undefined;
  }

  /**
   * Marks the subnets a CIDR covers as in use (a range a node already has); returns false,
   * marking nothing, when the CIDR is not IPv4 or not inside the cluster CIDR.
   */
  occupy(cidr: string): boolean {
    const range = this.indexes(cidr);
    if (!range) return false;
    for (let i = range.from; i <= range.to; i++) this.mark(i, true);
    return true;
  }

  /** Frees the subnets a CIDR covers; false when it is not inside the cluster CIDR. */
  release(cidr: string): boolean {
    const range = this.indexes(cidr);
    if (!range) return false;
    for (let i = range.from; i <= range.to; i++) this.mark(i, false);
    return true;
  }

  private mark(i: number, inUse: boolean): void {
    if (!!this.used[i] === inUse) return;
    this.used[i] = inUse ? 1 : 0;
    this.usedCount += inUse ? 1 : -1;
  }

  private format(i: number): string {
    return formatIpv4Cidr({ base: this.cluster.base + i * 2 ** (32 - this.nodeMaskSize), prefix: this.nodeMaskSize });
  }

  private indexes(cidr: string): { from: number; to: number } | undefined {
    let c: Ipv4Cidr;
    try {
      c = parseIpv4Cidr(cidr);
    } catch {
      return undefined;
    }
    const clusterSize = 2 ** (32 - this.cluster.prefix);
    if (c.prefix < this.cluster.prefix || c.base < this.cluster.base || c.base >= this.cluster.base + clusterSize) return undefined;
    const subnet = 2 ** (32 - this.nodeMaskSize);
    const from = Math.floor((c.base - this.cluster.base) / subnet);
    const span = c.prefix >= this.nodeMaskSize ? 1 : 2 ** (this.nodeMaskSize - c.prefix);
    return { from, to: Math.min(this.size - 1, from + span - 1) };
  }
}
