import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startConvergeCluster } from '../../../tests/e2e/support/converge-cluster.js';

const main = join(import.meta.dirname, '..', 'dist', 'main.js');

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
    for (const flag of [
      '--store',
      '--data-dir',
      '--host',
      '--port',
      '--etcd-endpoints',
      '--insecure-http',
      '--kubeconfig',
      '--log-level',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('serves kubectl over HTTPS with the kubeconfig it writes, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const u = await startConvergeCluster({ dataDir });
    try {
      expect(u.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(u.kubeconfig).toBe(join(dataDir, 'kubeconfig'));
      expect(readFileSync(u.kubeconfig, 'utf8')).toContain('certificate-authority-data');
      const ns = u.kubectl(['get', 'ns']);
      expect(ns.stderr).toBe('');
      expect(ns.stdout).toMatch(/^NAME\s+STATUS\s+AGE/);
      expect(ns.stdout).toMatch(/\ndefault\s+Active/);
      const version = u.kubectl(['version', '-o', 'json']);
      expect(JSON.parse(version.stdout).serverVersion).toMatchObject({ major: '1', minor: '32' });
    } finally {
      expect(await u.stop()).toBe(0);
    }
    expect(u.serverStderr()).toContain('stopped');
  });

  it('serves kubectl over plain HTTP without authentication with --insecure-http, and says so', async () => {
    const u = await startConvergeCluster({ dataDir: tempDir(), args: ['--insecure-http'] });
    try {
      expect(u.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ns = u.kubectl(['get', 'ns', 'default', '-o', 'name']);
      expect(ns.stderr).toBe('');
      expect(ns.stdout.trim()).toBe('namespace/default');
    } finally {
      expect(await u.stop()).toBe(0);
    }
    expect(u.serverStderr()).toMatch(/WARNING: --insecure-http .* WITHOUT AUTHENTICATION/);
  });

  it('keeps objects across restarts with --store etcd', async () => {
    const dataDir = tempDir();
    const first = await startConvergeCluster({ dataDir, args: ['--store', 'etcd'] });
    try {
      const created = first.kubectl(['create', 'configmap', 'kept', '--from-literal=answer=42']);
      expect(created.stdout.trim()).toBe('configmap/kept created');
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await startConvergeCluster({ dataDir, args: ['--store', 'etcd'] });
    try {
      const got = second.kubectl(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.answer}']);
      expect(got.stdout).toBe('42');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
