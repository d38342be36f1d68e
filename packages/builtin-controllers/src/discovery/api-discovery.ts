import { Observable, distinctUntilChanged, shareReplay } from 'rxjs';
import { realClock, type Clock } from '@converge/core';
import type { ApiConnection } from '@converge/core/client';
import { fingerprint, type DiscoveredKind, type KindDiscovery } from './kind-discovery.js';

/** Options of `apiDiscovery`. */
export interface ApiDiscoveryOptions {
  /** The connection to the API server (a `RemoteObjectStore`'s `connection`). */
  connection: ApiConnection;
  /** Time between refreshes; default the wall clock. */
  clock?: Clock;
  /** How often discovery is read again, in ms; default 30,000 (as Kubernetes' garbage collector resyncs). */
  intervalMs?: number;
}

interface ApiResourceList {
  resources?: { name: string; namespaced: boolean; kind: string; verbs?: string[] }[];
}
interface ApiGroupList {
  groups?: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}

/**
 * The discovery of a remote API server: `/api` and `/apis` with every group version read
 * at start and every `intervalMs`, so new CRDs are seen within one interval. A group version
 * that fails to answer is reported in `failures()` and its kinds are kept from the last
 * successful read.
 */
export function apiDiscovery(options: ApiDiscoveryOptions): KindDiscovery {
  const clock = options.clock ?? realClock;
  const intervalMs = options.intervalMs ?? 30_000;
  let current: readonly DiscoveredKind[] = [];
  let failures: string[] = [];
  let answered = false;
  const previous = new Map<string, DiscoveredKind[]>();

  const getJson = async <T>(path: string): Promise<T> => {
    const res = await options.connection.request({ method: 'GET', path });
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
    return JSON.parse(res.body) as T;
  };

  const readGroupVersion = async (
    group: string,
    version: string,
    preferred: boolean,
    path: string,
    errors: string[],
  ): Promise<DiscoveredKind[]> => {
    const key = `${group}/${version}`;
    try {
      const list = await getJson<ApiResourceList>(path);
      const kinds = (list.resources ?? [])
        .filter((r) => !r.name.includes('/'))
        .map((r) => ({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [], preferred }));
      previous.set(key, kinds);
      return kinds;
    } catch (err) {
      errors.push(`${group ? `${group}/` : ''}${version}: ${(err as Error).message}`);
      return previous.get(key) ?? [];
    }
  };

  const refresh = async (): Promise<readonly DiscoveredKind[]> => {
    const errors: string[] = [];
    const out: DiscoveredKind[] = [];
    out.push(...(await readGroupVersion('', 'v1', true, '/api/v1', errors)));
    try {
      const groups = await getJson<ApiGroupList>('/apis');
      for (const g of groups.groups ?? []) {
        const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
        for (const v of g.versions)
          out.push(...(await readGroupVersion(g.name, v.version, v.version === preferred, `/apis/${v.groupVersion}`, errors)));
      }
    } catch (err) {
      errors.push(`/apis: ${(err as Error).message}`);
      for (const [key, kinds] of previous) if (key !== '/v1') out.push(...kinds);
    }
    failures = errors;
    current = out;
    answered = true;
    return out;
  };

  const changes = new Observable<readonly DiscoveredKind[]>((subscriber) => {
    let stopped = false;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const tick = () => {
      refresh().then(
        (kinds) => {
          if (stopped) return;
          subscriber.next(kinds);
          timer = clock.setTimeout(tick, intervalMs);
        },
        () => {
          if (!stopped) timer = clock.setTimeout(tick, intervalMs);
        },
      );
    };
    tick();
    return () => {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    };
  }).pipe(
    distinctUntilChanged((a, b) => fingerprint(a) === fingerprint(b)),
    shareReplay({ bufferSize: 1, refCount: true }),
  );

  return { kinds: () => current, changes, failures: () => failures, synced: () => answered };
}
