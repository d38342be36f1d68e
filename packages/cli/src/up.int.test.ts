import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const main = join(import.meta.dirname, '..', 'dist', 'main.js');

interface Up {
  child: ChildProcess;
  kubeconfig: string;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `converge up` as a real process on a free port and waits for its "up" banner. */
async function up(args: string[]): Promise<Up> {
  const child = spawn(process.execPath, [main, 'up', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`converge up did not start in time:\n${err}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Press Ctrl-C to stop.')) {
        clearTimeout(deadline);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(deadline);
      reject(new Error(`converge up exited with ${code}:\n${err}`));
    });
  });
  const kubeconfig = /export KUBECONFIG=(\S+)/.exec(out)![1]!;
  const url = /API server at (\S+) /.exec(out)![1]!;
  return { child, kubeconfig, url, stderr: () => err, exited };
}

function kubectl(kubeconfig: string, ...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

async function stop(u: Up): Promise<number | null> {
  u.child.kill('SIGTERM');
  return u.exited;
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'converge-up-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('converge up', () => {
  it('documents every flag in --help', () => {
    const r = spawnSync(process.execPath, [main, 'up', '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const flag of ['--store', '--data-dir', '--host', '--port', '--etcd-endpoints', '--insecure-http', '--kubeconfig', '--log-level']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('serves kubectl over HTTPS with the kubeconfig it writes, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const u = await up(['--data-dir', dataDir]);
    try {
      expect(u.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(u.kubeconfig).toBe(join(dataDir, 'kubeconfig'));
      expect(readFileSync(u.kubeconfig, 'utf8')).toContain('certificate-authority-data');
      const ns = kubectl(u.kubeconfig, 'get', 'ns');
      expect(ns.stderr).toBe('');
      expect(ns.stdout).toMatch(/^NAME\s+STATUS\s+AGE/);
      expect(ns.stdout).toMatch(/\ndefault\s+Active/);
      const version = kubectl(u.kubeconfig, 'version', '-o', 'json');
      expect(JSON.parse(version.stdout).serverVersion).toMatchObject({ major: '1', minor: '32' });
    } finally {
      expect(await stop(u)).toBe(0);
    }
    expect(u.stderr()).toContain('stopped');
  });

  it('serves kubectl over plain HTTP without authentication with --insecure-http, and says so', async () => {
    const u = await up(['--data-dir', tempDir(), '--insecure-http']);
    try {
      expect(u.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ns = kubectl(u.kubeconfig, 'get', 'ns', 'default', '-o', 'name');
      expect(ns.stderr).toBe('');
      expect(ns.stdout.trim()).toBe('namespace/default');
    } finally {
      expect(await stop(u)).toBe(0);
    }
    expect(u.stderr()).toMatch(/WARNING: --insecure-http .* WITHOUT AUTHENTICATION/);
  });

  it('keeps objects across restarts with --store etcd', async () => {
    const dataDir = tempDir();
    const first = await up(['--data-dir', dataDir, '--store', 'etcd']);
    try {
      const created = kubectl(first.kubeconfig, 'create', 'configmap', 'kept', '--from-literal=answer=42');
      expect(created.stdout.trim()).toBe('configmap/kept created');
    } finally {
      expect(await stop(first)).toBe(0);
    }
    const second = await up(['--data-dir', dataDir, '--store', 'etcd']);
    try {
      const got = kubectl(second.kubeconfig, 'get', 'configmap', 'kept', '-o', 'jsonpath={.data.answer}');
      expect(got.stdout).toBe('42');
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });
});
