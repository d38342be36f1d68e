import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { MemoryBackend, Registry } from '@converge/store';
import { startApiServer, type RunningApiServer } from '@converge/apiserver';
import { startCli, type CliProcess } from './cli-process.fixture.js';
import { writeKubeconfig } from './kubeconfig.js';

let dir: string;
let api: RunningApiServer;
let registry: Registry;
let kubeconfig: string;
let cli: CliProcess | undefined;
let healthUrl: string;

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

/** Runs kubectl without blocking this process's event loop (the API server under test runs in it). */
function kubectlWith(input: string | undefined, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGTERM'), 60_000);
    p.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
    p.stdin.end(input ?? '');
  });
}

function kubectl(...args: string[]): Promise<Run> {
  return kubectlWith(undefined, ...args);
}

async function ok(run: Promise<Run>): Promise<string> {
  const r = await run;
  if (r.status !== 0) throw new Error(`kubectl failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'converge-cm-'));
  const catalog = createBuiltinCatalog();
  registry = new Registry({ backend: new MemoryBackend(), catalog });
  api = await startApiServer({ store: registry, catalog, host: '127.0.0.1', port: 0, dataDir: dir });
  kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, { server: api.url, caCertPem: api.caCertPem, token: api.adminToken });
  cli = await startCli(
    ['controller-manager', '--kubeconfig', kubeconfig, '--port', '0', '--log-level', 'warn'],
    /health and metrics at (\S+)\./,
  );
  healthUrl = cli.ready;
}, 90_000);

afterAll(async () => {
  if (cli) expect(await cli.stop()).toBe(0);
  await api?.stop();
  await registry?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('converge controller-manager --kubeconfig', () => {
  it('serves health and metrics, and leads on the kube-system/kube-controller-manager Lease', async () => {
    expect((await fetch(`${healthUrl}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${healthUrl}/metrics`)).text();
    expect(metrics).toContain('controller_runtime_');
    let holder = '';
    for (let i = 0; i < 100 && !holder; i++) {
      holder = (await kubectl('-n', 'kube-system', 'get', 'lease', 'kube-controller-manager', '-o', 'jsonpath={.spec.holderIdentity}'))
        .stdout;
      if (!holder) await new Promise((r) => setTimeout(r, 200));
    }
    expect(holder).not.toBe('');
  });

  it(
    "keeps a default ServiceAccount and kube-root-ca.crt (the kubeconfig's CA, without --root-ca-file) in every namespace",
    { timeout: 120_000 },
    async () => {
      await ok(kubectl('create', 'namespace', 'published'));
      for (const ns of ['default', 'kube-system', 'published']) {
        await ok(kubectl('-n', ns, 'wait', '--for=create', 'serviceaccount/default', 'configmap/kube-root-ca.crt', '--timeout=60s'));
        expect(await ok(kubectl('-n', ns, 'get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}'))).toBe(api.caCertPem);
      }
      await ok(kubectl('-n', 'published', 'delete', 'serviceaccount', 'default'));
      await ok(kubectl('-n', 'published', 'wait', '--for=create', 'serviceaccount/default', '--timeout=60s'));
    },
  );

  it('runs the namespace controller and the garbage collector against a remote API server', { timeout: 120_000 }, async () => {
    await ok(kubectl('create', 'namespace', 'remote'));
    await ok(kubectl('-n', 'remote', 'create', 'configmap', 'owner'));
    const uid = await ok(kubectl('-n', 'remote', 'get', 'configmap', 'owner', '-o', 'jsonpath={.metadata.uid}'));
    await ok(
      kubectlWith(
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dep\n  ownerReferences:\n  - {apiVersion: v1, kind: ConfigMap, name: owner, uid: ${uid}, blockOwnerDeletion: true}\n`,
        '-n',
        'remote',
        'apply',
        '-f',
        '-',
      ),
    );
    await ok(kubectl('-n', 'remote', 'delete', 'configmap', 'owner', '--cascade=foreground', '--timeout=60s'));
    expect((await kubectl('-n', 'remote', 'get', 'configmap', 'dep')).status).not.toBe(0);
    await ok(kubectl('delete', 'namespace', 'remote', '--timeout=60s'));
    expect((await kubectl('get', 'namespace', 'remote')).stderr).toContain('NotFound');
  });
});
