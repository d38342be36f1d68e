import type { Etcd3 } from 'etcd3';
import type { Clock, ClockTimer } from '@converge/core';

/** Options of `EtcdCompactor`. */
export interface EtcdCompactorOptions {
  /** The etcd client. */
  client: Etcd3;
  /** The key that coordinates the compactors of several API servers sharing one etcd. */
  key: string;
  /** Time between two rounds, in clock milliseconds. */
  intervalMs: number;
  clock: Clock;
  /** Called with the revision compacted to, after each compaction. */
  onCompacted?: (revision: number) => void;
  /** Called when a round fails (the next round tries again). */
  onError?: (err: unknown) => void;
}

/**
 * Compacts etcd's history periodically, as Kubernetes' API server does: each round compacts
 * to the revision seen one round earlier, so history stays available for about one interval
 * (watches and continue tokens older than that get 410 Expired).
 *
 * Several API servers may share one etcd: each round is a transaction on the version of a
 * coordination key, so only one of them compacts per interval. A round that finds nothing
 * written since the previous round but compaction rounds it knows of does not write that key
 * (it still compacts, which is not a write): idle servers leave etcd's revision alone.
 */
export class EtcdCompactor {
  private timer?: ClockTimer;
  private stopped = false;
  /** The version of the coordination key this compactor last saw. */
  private seenVersion = 0;
  /** The revision seen at the previous round: what the next round compacts to. */
  private lastRevision = 0;
  /** The highest revision this compactor compacted to. */
  private compactedTo = 0;

  constructor(private readonly options: EtcdCompactorOptions) {}

  /** Starts the rounds. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops the rounds. */
  stop(): void {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
  }

  /** Runs one round now: returns the revision compacted to, or undefined when none. */
  async round(): Promise<number | undefined> {
    const { client, key } = this.options;
    const k = Buffer.from(key);
    const target = this.lastRevision;
    // The first round only records where etcd stands. A later round first looks whether
    // anything but compaction rounds this compactor already knows of was written since: if not,
    // it skips its write, so idle servers leave etcd's revision alone.
    const now = await client.kv.range({ key: k });
    const revision = Number(now.header.revision);
    const kv = now.kvs[0];
    if (target === 0) {
      this.lastRevision = revision;
      this.seenVersion = Number(kv?.version ?? 0);
      return undefined;
    }
    const onlyKnownRounds = kv !== undefined && Number(kv.mod_revision) === revision && Number(kv.version) === this.seenVersion;
    if (revision === target || onlyKnownRounds) {
      // Idle: compacting is not a write, so it still happens (each idle server may do it; the
      // same revision twice is harmless), but the coordination key is left as it is.
      if (target <= this.compactedTo) return undefined;
      return this.compactTo(target);
    }
    return this.compactRound(k, target);
  }

  private async compactRound(k: Buffer, target: number): Promise<number | undefined> {
    const { client } = this.options;
    const res = await client.kv.txn({
      compare: [{ key: k, target: 'Version', result: 'Equal', version: this.seenVersion }],
      success: [{ request_put: { key: k, value: Buffer.from(String(target)) } }],
      failure: [{ request_range: { key: k } }],
    });
    this.lastRevision = Number(res.header.revision);
    if (!res.succeeded) {
      // Another compactor took this round: follow its count.
      this.seenVersion = Number(res.responses[0]?.response_range?.kvs?.[0]?.version ?? 0);
      return undefined;
    }
    this.seenVersion += 1;
    return this.compactTo(target);
  }

  private async compactTo(target: number): Promise<number> {
    try {
      await this.options.client.kv.compact({ revision: target });
    } catch (err) {
      if (!/required revision has been compacted/.test(String(err))) throw err;
    }
    this.compactedTo = Math.max(this.compactedTo, target);
    this.options.onCompacted?.(target);
    return target;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.round()
        .catch((err: unknown) => this.options.onError?.(err))
        .finally(() => this.schedule());
    }, this.options.intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }
}
