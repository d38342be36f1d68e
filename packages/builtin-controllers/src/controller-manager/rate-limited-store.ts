import { sleep, type Clock, type ObjectStore } from '@converge/core';

/** Options of `rateLimitedWrites`. */
export interface WriteRateLimitOptions {
  /** Sustained writes per second (`--kube-api-qps`). */
  qps: number;
  /** Writes allowed at once before the rate applies (`--kube-api-burst`); default `max(1, ceil(qps))`. */
  burst?: number;
  /** Time to wait on; the controllers' clock. */
  clock: Clock;
}

/**
 * An ObjectStore whose writes (create, update, patch, delete, deletecollection) pass a
 * token bucket of `qps` per second holding at most `burst` tokens, in arrival order, as
 * client-go's client-side rate limiter does; reads and watches are not limited.
 */
export function rateLimitedWrites(store: ObjectStore, options: WriteRateLimitOptions): ObjectStore {
  const { qps, clock } = options;
  if (!(qps > 0)) throw new Error(`--kube-api-qps must be positive, got ${qps}`);
  const burst = Math.max(1, options.burst ?? Math.ceil(qps));
  let tokens = burst;
  let last = clock.now();
  let queue: Promise<void> = Promise.resolve();
  const take = (): Promise<void> => {
    const turn = queue.then(async () => {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) * qps) / 1000);
      last = now;
      if (tokens < 1) {
        const waitMs = Math.ceil(((1 - tokens) * 1000) / qps);
        await sleep(clock, waitMs);
        const after = clock.now();
        tokens = Math.min(burst, tokens + ((after - last) * qps) / 1000);
        last = after;
      }
      tokens -= 1;
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
  const limited: ObjectStore = {
    get: (type, key, o) => store.get(type, key, o),
    list: (type, o) => store.list(type, o),
    watch: (type, o) => store.watch(type, o),
    create: async (type, obj, o) => {
      await take();
      return store.create(type, obj, o);
    },
    update: async (type, obj, o) => {
      await take();
      return store.update(type, obj, o);
    },
    patch: async (type, key, p, o) => {
      await take();
      return store.patch(type, key, p, o);
    },
    delete: async (type, key, o) => {
      await take();
      return store.delete(type, key, o);
    },
    deleteCollection: async (type, o) => {
      await take();
      return store.deleteCollection(type, o);
    },
  };
  return limited;
}
