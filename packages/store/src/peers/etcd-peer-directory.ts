/**
 * The peer directory of API servers sharing one etcd (see `PeerDirectory`). Keys:
 *
 * - `<prefix>/converge/cluster-identity`: the cluster's identity (JSON), written once by the
 *   first server, in a transaction that only creates it;
 * - `<prefix>/converge/apiservers/<id>`: one record per live server (JSON), attached to an etcd
 *   lease of `ttlSeconds` that the server keeps alive (the etcd3 client sends a keep-alive every
 *   third of the TTL). Keep-alives do not move etcd's revision, so idle servers write nothing;
 *   a server that dies without withdrawing loses its record when the lease expires, and a
 *   stopping server revokes its lease, which deletes the record at once.
 *
 * This plays the part of Kubernetes' `/masterleases/<ip>` keys (the lease endpoint reconciler),
 * which are TTL keys too; Kubernetes re-puts them every 10 s, Converge keeps their lease alive.
 */
import { Etcd3, type IOptions, type Lease } from 'etcd3';
import {
  sortPeers,
  type AnnounceOptions,
  type ClusterIdentity,
  type IdentityClaim,
  type PeerAnnouncement,
  type PeerDirectory,
  type PeerRecord,
} from './peer-directory.js';

/** Options of an EtcdPeerDirectory. */
export interface EtcdPeerDirectoryOptions {
  /** Client URLs of the etcd members. */
  endpoints: string[];
  /** Prepended to every key (default none): the same prefix as the etcd backend's `keyPrefix`. */
  keyPrefix?: string;
  /** More etcd3 client options. */
  clientOptions?: Omit<IOptions, 'hosts'>;
  /** Called when an announcement's lease was lost and is being made again (default: nothing). */
  onLeaseLost?: (err: unknown) => void;
}

function isRecord(v: unknown): v is PeerRecord {
  const r = v as PeerRecord;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.address === 'string' && typeof r.port === 'number';
}

/** API servers' records and the cluster identity in etcd. */
export class EtcdPeerDirectory implements PeerDirectory {
  private readonly client: Etcd3;
  private readonly identityKey: string;
  private readonly serversPrefix: string;
  private readonly leases = new Set<Lease>();
  private closed = false;

  constructor(private readonly options: EtcdPeerDirectoryOptions) {
    this.client = new Etcd3({ ...(options.clientOptions ?? {}), hosts: options.endpoints });
    const prefix = options.keyPrefix ?? '';
    this.identityKey = `${prefix}/converge/cluster-identity`;
    this.serversPrefix = `${prefix}/converge/apiservers/`;
  }

  async claimIdentity(identity: ClusterIdentity): Promise<IdentityClaim> {
    const value = JSON.stringify({ ca: identity.ca, serviceAccountKey: identity.serviceAccountKey });
    const res = await this.client
      .if(this.identityKey, 'Create', '==', 0)
      .then(this.client.put(this.identityKey).value(value))
      .else(this.client.get(this.identityKey))
      .commit();
    if (res.succeeded) return { ok: true, created: true };
    const raw = res.responses[0]?.response_range?.kvs?.[0]?.value?.toString() ?? '{}';
    const stored = JSON.parse(raw) as Partial<ClusterIdentity>;
    const storedIdentity: ClusterIdentity = { ca: String(stored.ca ?? ''), serviceAccountKey: String(stored.serviceAccountKey ?? '') };
    const same = storedIdentity.ca === identity.ca && storedIdentity.serviceAccountKey === identity.serviceAccountKey;
    return same ? { ok: true, created: false } : { ok: false, stored: storedIdentity };
  }

  async announce(record: PeerRecord, options: AnnounceOptions): Promise<PeerAnnouncement> {
    const ttl = Math.max(1, Math.ceil(options.ttlSeconds));
    const key = `${this.serversPrefix}${record.id}`;
    const value = JSON.stringify({ id: record.id, address: record.address, port: record.port });
    let withdrawn = false;
    let current: Lease | undefined;
    const grant = async (): Promise<void> => {
      const lease = this.client.lease(ttl);
      current = lease;
      this.leases.add(lease);
      lease.on('lost', (err: unknown) => {
        this.leases.delete(lease);
        if (withdrawn || this.closed) return;
        this.options.onLeaseLost?.(err);
        // Made again after a pause: a lost lease means etcd was unreachable for a whole TTL.
        const again = (): void => {
          if (withdrawn || this.closed) return;
          grant().catch(() => setTimeout(again, 1000).unref());
        };
        setTimeout(again, 1000).unref();
      });
      await lease.put(key).value(value);
    };
    await grant();
    return {
      withdraw: async () => {
        if (withdrawn) return;
        withdrawn = true;
        const lease = current;
        if (!lease) return;
        this.leases.delete(lease);
        await lease.revoke().catch(() => undefined);
      },
    };
  }

  async list(): Promise<PeerRecord[]> {
    const values = await this.client.getAll().prefix(this.serversPrefix).strings();
    const out: PeerRecord[] = [];
    for (const raw of Object.values(values)) {
      try {
        const r = JSON.parse(raw) as unknown;
        if (isRecord(r)) out.push({ id: r.id, address: r.address, port: r.port });
      } catch {
        // not a record: ignored
      }
    }
    return sortPeers(out);
  }

  watch(onChange: () => void): () => void {
    let cancelled = false;
    let cancel: (() => void) | undefined;
    const open = (): void => {
      if (cancelled || this.closed) return;
      this.client
        .watch()
        .prefix(this.serversPrefix)
        .create()
        .then((watcher) => {
          cancel = () => void watcher.cancel().catch(() => undefined);
          if (cancelled) return cancel();
          watcher.on('put', () => onChange());
          watcher.on('delete', () => onChange());
          // After a reconnection, changes may have been missed: look again.
          watcher.on('connected', () => onChange());
          watcher.on('error', () => undefined);
        })
        // etcd unreachable when the watch is opened: try again (changes meanwhile are seen then).
        .catch(() => {
          setTimeout(() => {
            open();
            onChange();
          }, 1000).unref();
        });
    };
    open();
    return () => {
      cancelled = true;
      cancel?.();
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.leases].map((l) => l.revoke().catch(() => undefined)));
    this.leases.clear();
    this.client.close();
  }
}
