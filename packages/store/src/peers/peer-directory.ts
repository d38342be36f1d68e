/**
 * Where the API servers of one cluster find each other: each server announces itself (its
 * address and port) for as long as it runs, every server can list and follow the live ones,
 * and the first server to start claims the cluster's identity (fingerprints of its CA and
 * service-account key) so that a server with another identity is refused.
 *
 * `LocalPeerDirectory` keeps this in memory (the servers of one process); `EtcdPeerDirectory`
 * keeps it in etcd, under keys bound to an etcd lease that each server keeps alive: a
 * keep-alive is not a write (etcd's revision does not move), so idle servers write nothing,
 * and a server that dies vanishes when its lease runs out.
 */

/** One live API server. */
export interface PeerRecord {
  /** A name unique to this run of the server. */
  readonly id: string;
  /** The address other components reach it at (its advertise address). */
  readonly address: string;
  /** Its secure port. */
  readonly port: number;
}

/** The fingerprints that make two servers one cluster. */
export interface ClusterIdentity {
  /** SHA-256 (hex) of the CA certificate's DER, or `none` without TLS. */
  readonly ca: string;
  /** SHA-256 (hex) of the service-account signing key's public key (SPKI DER). */
  readonly serviceAccountKey: string;
}

/** What `claimIdentity` found: this identity is the cluster's, or another one is. */
export type IdentityClaim = { readonly ok: true; readonly created: boolean } | { readonly ok: false; readonly stored: ClusterIdentity };

/** A server's announcement; withdrawing it removes the server from the directory. */
export interface PeerAnnouncement {
  /** Removes the record now (a stopping server). */
  withdraw(): Promise<void>;
}

/** Options of `PeerDirectory.announce`. */
export interface AnnounceOptions {
  /** How long the record outlives its server when that one dies without withdrawing it, in seconds (≥ 1). */
  ttlSeconds: number;
}

/** The directory of a cluster's API servers (see the file's comment). */
export interface PeerDirectory {
  /** Stores `identity` as the cluster's when none is stored; else compares it with the stored one. */
  claimIdentity(identity: ClusterIdentity): Promise<IdentityClaim>;
  /** Announces a server until the announcement is withdrawn (or, in etcd, its lease expires). */
  announce(record: PeerRecord, options: AnnounceOptions): Promise<PeerAnnouncement>;
  /** The live servers, sorted by id. */
  list(): Promise<PeerRecord[]>;
  /** Calls `onChange` (without arguments) whenever the set of live servers may have changed; returns the unsubscribe function. */
  watch(onChange: () => void): () => void;
  /** Releases the directory's connections (announcements made through it are withdrawn). */
  close(): Promise<void>;
}

/** Sorts peer records by id (the order every directory lists them in). */
export function sortPeers(records: Iterable<PeerRecord>): PeerRecord[] {
  return [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A peer directory in memory: the API servers of one process that share this instance. Records
 * live until withdrawn (a process that dies takes them with it), so `ttlSeconds` is not used.
 */
export class LocalPeerDirectory implements PeerDirectory {
  private identity: ClusterIdentity | undefined;
  private readonly records = new Map<string, PeerRecord>();
  private readonly listeners = new Set<() => void>();

  async claimIdentity(identity: ClusterIdentity): Promise<IdentityClaim> {
    if (!this.identity) {
      this.identity = { ...identity };
      return { ok: true, created: true };
    }
    const same = this.identity.ca === identity.ca && this.identity.serviceAccountKey === identity.serviceAccountKey;
    return same ? { ok: true, created: false } : { ok: false, stored: this.identity };
  }

  async announce(record: PeerRecord): Promise<PeerAnnouncement> {
    this.records.set(record.id, { ...record });
    this.changed();
    return {
      withdraw: async () => {
        if (this.records.delete(record.id)) this.changed();
      },
    };
  }

  async list(): Promise<PeerRecord[]> {
    return sortPeers(this.records.values());
  }

  watch(onChange: () => void): () => void {
    const l = () => onChange();
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  async close(): Promise<void> {
    this.records.clear();
    this.listeners.clear();
  }

  private changed(): void {
    for (const l of [...this.listeners]) queueMicrotask(l);
  }
}
