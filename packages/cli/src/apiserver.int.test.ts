/**
 * `converge apiserver` as an operator runs it: one etcd, two API server processes (the second
 * joining with the first one's data dir as its identity), on 127.0.0.2 and 127.0.0.3 with the
 * same port; kubectl with either kubeconfig against either server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdProcess } from '@converge/store';

const main = join(import.meta.dirname, '..', 'dist', 'main.js');

interface Proc {
  child: ChildProcess;
  kubeconfig: string;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

let etcd: EtcdProcess;
let port: number;
const dirs: string[] = [];
const procs: Proc[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'converge-apiserver-'));
  dirs.push(d);
  return d;
}

function canListen(host: string, p: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(p, host, () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : undefined));
    });
  });
}

async function portFreeOn(hosts: string[]): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await canListen(hosts[0]!, 0);
    if (p === undefined) continue;
    let all = true;
    for (const h of hosts.slice(1)) if ((await canListen(h, p)) === undefined) all = false;
    if (all) return p;
  }
  throw new Error('no shared free port');
}

/** Starts `converge apiserver` and waits for its banner (or its exit). */
function apiserver(args: string[]): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [main, 'apiserver', '--etcd-endpoints', etcd.endpoints.join(','), '--port', String(port), '--apiserver-lease-seconds', '2', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise<Proc>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`converge apiserver did not start in time:\n${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(deadline);
        const p: Proc = {
          child,
          kubeconfig: /export KUBECONFIG=(\S+)/.exec(out)![1]!,
          url: /API server at (\S+) /.exec(out)![1]!,
          stderr: () => err,
          exited,
        };
        procs.push(p);
        resolve(p);
      }
    });
    void exited.then((code) => {
      clearTimeout(deadline);
      reject(new Error(`converge apiserver exited with ${code}:\n${err}`));
    });
  });
}

function kubectl(kubeconfig: string, ...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The `kubernetes` Endpoints as `ip:port` pairs, read with kubectl. */
function endpoints(kubeconfig: string, server: string): string[] {
  const r = kubectl(
    kubeconfig,
    '--server',
    server,
    'get',
    'endpoints',
    'kubernetes',
    '-o',
    'jsonpath={range .subsets[*]}{range .addresses[*]}{.ip}{" "}{end}{end}',
  );
  return r.stdout.trim().split(/\s+/).filter(Boolean);
}

async function eventually<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 100));
  }
}

let first: Proc;
let second: Proc;
let firstDir: string;

beforeAll(async () => {
  etcd = await startEtcd({ dataDir: tempDir() });
  port = await portFreeOn(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
  firstDir = tempDir();
  first = await apiserver(['--host', '127.0.0.2', '--data-dir', firstDir]);
  second = await apiserver(['--host', '127.0.0.3', '--data-dir', tempDir(), '--identity-dir', firstDir]);
}, 120_000);

afterAll(async () => {
  for (const p of procs) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }
  await etcd?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('converge apiserver', () => {
  it('documents its flags in --help', () => {
    const r = spawnSync(process.execPath, [main, 'apiserver', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const flag of [
      '--etcd-endpoints',
      '--identity-dir',
      '--ca-file',
      '--ca-key-file',
      '--service-account-signing-key-file',
      '--admin-token-file',
      '--advertise-address',
      '--apiserver-lease-seconds',
      '--port',
      '--host',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('runs several servers on one etcd as one cluster: either kubeconfig works against either server, and both are in the kubernetes endpoints', async () => {
    expect(first.url).toBe(`https://127.0.0.2:${port}`);
    expect(second.url).toBe(`https://127.0.0.3:${port}`);
    const created = kubectl(first.kubeconfig, 'create', 'configmap', 'from-first', '--from-literal=a=1');
    expect(created.stdout.trim()).toBe('configmap/from-first created');
    const read = kubectl(first.kubeconfig, '--server', second.url, 'get', 'configmap', 'from-first', '-o', 'jsonpath={.data.a}');
    expect(read.stderr).toBe('');
    expect(read.stdout).toBe('1');
    // `converge apiserver` alone makes no `default` ServiceAccount (a controller-manager does).
    expect(kubectl(first.kubeconfig, 'create', 'serviceaccount', 'default').status).toBe(0);
    const token = kubectl(second.kubeconfig, 'create', 'token', 'default');
    expect(token.status).toBe(0);
    const whoami = kubectl(
      first.kubeconfig,
      '--token',
      token.stdout.trim(),
      'auth',
      'whoami',
      '-o',
      'jsonpath={.status.userInfo.username}',
    );
    expect(whoami.stdout).toBe('system:serviceaccount:default:default');
    for (const [k, server] of [
      [first.kubeconfig, second.url],
      [second.kubeconfig, first.url],
    ] as const) {
      expect(
        await eventually(() => {
          const e = endpoints(k, server);
          return e.length === 2 ? e : undefined;
        }, 10_000),
      ).toEqual(['127.0.0.2', '127.0.0.3']);
    }
  });

  it('refuses to join with another identity and says which flags to pass', async () => {
    await expect(apiserver(['--host', '127.0.0.4', '--data-dir', tempDir()])).rejects.toThrow(
      /exited with 1[\s\S]*another identity[\s\S]*--identity-dir[\s\S]*--ca-file/,
    );
  });

  it('drops a killed server from the endpoints once its lease expires', async () => {
    const third = await apiserver(['--host', '127.0.0.4', '--data-dir', tempDir(), '--identity-dir', firstDir]);
    await eventually(() => (endpoints(first.kubeconfig, first.url).includes('127.0.0.4') ? true : undefined), 10_000);
    third.child.kill('SIGKILL');
    await third.exited;
    const killedAt = Date.now();
    expect(
      await eventually(() => {
        const e = endpoints(first.kubeconfig, first.url);
        return e.includes('127.0.0.4') ? undefined : e;
      }, 10_000),
    ).toEqual(['127.0.0.2', '127.0.0.3']);
    // The lease is 2 s; etcd checks expiry about every 0.5 s; kubectl adds its own start-up time.
    expect(Date.now() - killedAt).toBeLessThan(8000);
  });

  it('lets converge up join the same etcd the way an operator tries it: refused without the identity, listed beside the others with it', async () => {
    const upArgs = (dataDir: string, extra: string[]) => [
      main,
      'up',
      '--store',
      'etcd',
      '--etcd-endpoints',
      etcd.endpoints.join(','),
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--apiserver-lease-seconds',
      '2',
      ...extra,
    ];
    const refused = spawnSync(process.execPath, upArgs(tempDir(), []), { encoding: 'utf8', timeout: 60_000 });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/another identity[\s\S]*--identity-dir/);
    const child = spawn(process.execPath, upArgs(tempDir(), ['--identity-dir', firstDir]), { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          const m = /API server at (\S+) /.exec(out);
          if (m && out.includes('Press Ctrl-C to stop.')) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`converge up exited with ${code}`)));
      });
      const upPort = new URL(url).port;
      // Another port on 127.0.0.1: its own Endpoints subset beside the servers on the shared port.
      const ep = await eventually(() => {
        const r = kubectl(
          first.kubeconfig,
          'get',
          'endpoints',
          'kubernetes',
          '-o',
          'jsonpath={range .subsets[*]}{range .addresses[*]}{.ip}{" "}{end}{.ports[0].port}{";"}{end}',
        );
        return r.stdout.includes(`127.0.0.1 ${upPort}`) ? r.stdout : undefined;
      }, 10_000);
      expect(ep).toContain(`127.0.0.2 127.0.0.3 ${port}`);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
