/**
 * The two ranges Service allocation draws from, each a row of `size` items addressed by index:
 * cluster IPs from the service CIDR and node ports from the node port range.
 *
 * Like Kubernetes' allocators, each range has a small lower band (`staticBand` items) that
 * dynamic allocation uses only when the rest is full, leaving it to addresses and ports that
 * users pick themselves (the `ServiceIPStaticSubrange` and `ServiceNodePortStaticSubrange`
 * rules: min(max(16, size / 16), 256) addresses, min(max(16, size / 32), 128) ports).
 */

/** A range of items allocated by index. */
export interface AllocationRange {
  /** How many items the range holds. */
  readonly size: number;
  /** Items [0, staticBand) are handed out dynamically only once the others are taken. */
  readonly staticBand: number;
  /** Items before this index are never handed out dynamically (the first service IP is the `kubernetes` Service's). */
  readonly firstDynamic: number;
  /** The item at an index, as stored in claims (`10.96.0.10`, `30080`). */
  nameAt(index: number): string;
}

function bandOf(size: number, step: number, max: number): number {
  const min = 16;
  if (size < min) return 0;
  return Math.min(max, Math.max(min, Math.floor(size / step)));
}

/** Parses a dotted IPv4 address to an unsigned 32-bit number; undefined when it is not one. */
export function parseIPv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = Number(m[i]);
    if (part > 255 || (m[i]!.length > 1 && m[i]!.startsWith('0'))) return undefined;
    n = n * 256 + part;
  }
  return n;
}

function formatIPv4(n: number): string {
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/**
 * The service cluster IP range (`--service-cluster-ip-range`, default `10.96.0.0/12`): every
 * address of the CIDR but the network and broadcast addresses. Index 0 is the first address
 * (`10.96.0.1`), kept for the `kubernetes` Service: only an explicit request gets it. IPv4 only.
 */
export class ServiceIPRange implements AllocationRange {
  /** The CIDR as configured, e.g. `10.96.0.0/12`. */
  readonly cidr: string;
  readonly size: number;
  readonly staticBand: number;
  readonly firstDynamic = 1;
  /** The network address as a number. */
  private readonly base: number;

  constructor(cidr: string) {
    const m = /^([0-9.]+)\/(\d{1,2})$/.exec(cidr.trim());
    const addr = m ? parseIPv4(m[1]!) : undefined;
    const bits = m ? Number(m[2]) : NaN;
    if (addr === undefined || !(bits >= 1 && bits <= 30))
      throw new Error(
        `invalid service cluster IP range ${JSON.stringify(cidr)}: want an IPv4 CIDR with a prefix length from 1 to 30, e.g. 10.96.0.0/12`,
      );
    const block = 2 ** (32 - bits);
    this.base = addr - (addr % block);
    this.cidr = `${formatIPv4(this.base)}/${bits}`;
    this.size = block - 2;
    this.staticBand = bandOf(block, 16, 256);
  }

  nameAt(index: number): string {
    return formatIPv4(this.base + 1 + index);
  }

  /** The index of an address, or -1 when it is not one the range hands out. */
  indexOf(ip: string): number {
    const n = parseIPv4(ip);
    if (n === undefined) return -1;
    const i = n - this.base - 1;
    return i >= 0 && i < this.size ? i : -1;
  }
}

/** The node port range (`--service-node-port-range`, default `30000-32767`), inclusive. */
export class NodePortRange implements AllocationRange {
  /** The range as configured, e.g. `30000-32767`. */
  readonly text: string;
  readonly first: number;
  readonly size: number;
  readonly staticBand: number;
  readonly firstDynamic = 0;

  constructor(range: string) {
    const m = /^\s*(\d{1,5})\s*-\s*(\d{1,5})\s*$/.exec(range);
    const first = m ? Number(m[1]) : NaN;
    const last = m ? Number(m[2]) : NaN;
    if (!(first >= 1 && last <= 65535 && first <= last))
      throw new Error(`invalid service node port range ${JSON.stringify(range)}: want first-last, e.g. 30000-32767`);
    this.first = first;
    this.size = last - first + 1;
    this.text = `${first}-${last}`;
    this.staticBand = bandOf(this.size, 32, 128);
  }

  nameAt(index: number): string {
    return String(this.first + index);
  }

  /** The index of a port, or -1 when it is outside the range. */
  indexOf(port: number): number {
    const i = port - this.first;
    return Number.isInteger(port) && i >= 0 && i < this.size ? i : -1;
  }
}

/**
 * The indexes dynamic allocation tries, in order: the band above `staticBand` from a random
 * start (wrapping around), then the static band from a random start, skipping the indexes
 * before `firstDynamic`.
 */
export function* dynamicOrder(range: AllocationRange, random: () => number): Generator<number> {
  const bands: [number, number][] = [
    [Math.max(range.staticBand, range.firstDynamic), range.size],
    [range.firstDynamic, Math.min(range.staticBand, range.size)],
  ];
  for (const [from, to] of bands) {
    const n = to - from;
    if (n <= 0) continue;
    const start = Math.floor(random() * n) % n;
    for (let k = 0; k < n; k++) yield from + ((start + k) % n);
  }
}
