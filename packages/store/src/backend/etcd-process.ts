import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';

/** Options of `startEtcd`. */
export interface StartEtcdOptions {
  /** The data directory (created when missing); the same one brings back the same data. */
  dataDir: string;
  /** The etcd binary (default `etcd`, found on PATH). */
  binary?: string;
  /** The member name (default `converge`). */
  name?: string;
  /** The client port on 127.0.0.1 (default: a free one). */
  clientPort?: number;
  /** The peer port on 127.0.0.1 (default: a free one). */
  peerPort?: number;
  /** How long to wait for etcd to report healthy (default 30 s). */
  startTimeoutMs?: number;
  /** Called with each chunk etcd writes to stderr (default: kept for the error message of a failed start). */
  onLog?: (text: string) => void;
  /** Extra command-line flags. */
  extraArgs?: string[];
}

/** A running etcd started by `startEtcd`. */
export interface EtcdProcess {
  /** The client URLs to give the etcd backend. */
  readonly endpoints: string[];
  /** The process id of etcd. */
  readonly pid: number;
  readonly dataDir: string;
  /** Stops etcd by its PID (SIGTERM, then SIGKILL after `graceMs`, default 5 s) and waits for it to exit. */
  stop(graceMs?: number): Promise<void>;
}

/** Finds a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a single-member etcd (found on PATH) listening on 127.0.0.1 only, on free ports,
 * with the given data directory, and resolves once it reports healthy. Stop it with
 * `stop()`, which signals exactly that process. `converge up --store etcd` and the tests use it.
 *
 * @example
 * ```ts
 * const etcd = await startEtcd({ dataDir: '/tmp/converge-etcd' });
 * const backend = new EtcdBackend({ endpoints: etcd.endpoints });
 * // ...
 * await etcd.stop();
 * ```
 */
export async function startEtcd(options: StartEtcdOptions): Promise<EtcdProcess> {
  mkdirSync(options.dataDir, { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      lastError = err;
      if (options.clientPort !== undefined || !/address already in use/.test(String(err))) throw err;
    }
  }
  throw lastError;
}

async function startOnce(options: StartEtcdOptions): Promise<EtcdProcess> {
  const clientPort = options.clientPort ?? (await freePort());
  const peerPort = options.peerPort ?? (await freePort());
  const name = options.name ?? 'converge';
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name',
    name,
    '--data-dir',
    options.dataDir,
    '--listen-client-urls',
    clientUrl,
    '--advertise-client-urls',
    clientUrl,
    '--listen-peer-urls',
    peerUrl,
    '--initial-advertise-peer-urls',
    peerUrl,
    '--initial-cluster',
    `${name}=${peerUrl}`,
    '--logger',
    'zap',
    '--log-level',
    'warn',
    ...(options.extraArgs ?? []),
  ];
  const child: ChildProcess = spawn(options.binary ?? 'etcd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    if (options.onLog) options.onLog(text);
    else log = (log + text).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (err) => reject(new Error(`cannot start etcd (${options.binary ?? 'etcd'}): ${err.message}`))),
  );
  const pid = child.pid;
  const stop = async (graceMs = 5000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return;
    signal(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) signal(pid, 'SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  const healthy = (async () => {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`etcd exited with code ${child.exitCode} while starting:\n${log}`);
      if (await isHealthy(clientUrl)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`etcd did not become healthy within ${options.startTimeoutMs ?? 30_000} ms:\n${log}`);
  })();
  try {
    await Promise.race([healthy, spawnError]);
  } catch (err) {
    await stop(1000).catch(() => undefined);
    throw err;
  }
  return { endpoints: [clientUrl], pid: pid!, dataDir: options.dataDir, stop };
}

/** Signals a process, ignoring one that is already gone. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

function isHealthy(clientUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${clientUrl}/health`, { timeout: 1000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"health":"true"')));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}
