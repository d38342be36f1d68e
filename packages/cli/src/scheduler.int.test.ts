import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Events, Leases, Nodes, Pods, type Node, type Pod } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { MemoryBackend, Registry } from '@converge/store';
import { startApiServer, type RunningApiServer } from '@converge/apiserver';
import { CLI_MAIN, startCli, type CliProcess } from './cli-process.fixture.js';
import { writeKubeconfig } from './kubeconfig.js';

let dir: string;
let api: RunningApiServer;
let registry: Registry;
let kubeconfig: string;
let cli: CliProcess | undefined;
let healthUrl: string;

const CONFIG = `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
  - schedulerName: bin-packing
    pluginConfig:
      - name: NodeResourcesFit
        args:
          scoringStrategy:
            type: MostAllocated
            resources: [{ name: cpu, weight: 1 }, { name: memory, weight: 1 }]
`;

function node(name: string, cpu: string): Node {
  const allocatable = { cpu, memory: '16Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  } as Node;
}

function pod(name: string, cpu: string, schedulerName?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      ...(schedulerName ? { schedulerName } : {}),
      containers: [{ name: 'c', image: 'img:1', resources: { requests: { cpu } } }],
    },
  } as Pod;
}

const nodeOf = async (name: string) => (await registry.get(Pods, { namespace: 'default', name })).spec?.nodeName;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'converge-sched-'));
  const catalog = createBuiltinCatalog();
  registry = new Registry({ backend: new MemoryBackend(), catalog });
  api = await startApiServer({ store: registry, catalog, host: '127.0.0.1', port: 0, dataDir: dir });
  kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig(kubeconfig, { server: api.url, caCertPem: api.caCertPem, token: api.adminToken });
  writeFileSync(join(dir, 'scheduler.yaml'), CONFIG);
  await registry.create(Nodes, node('small', '2'));
  await registry.create(Nodes, node('large', '16'));
  cli = await startCli(
    ['scheduler', '--kubeconfig', kubeconfig, '--config', join(dir, 'scheduler.yaml'), '--port', '0', '--log-level', 'warn'],
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

describe('converge scheduler --kubeconfig --config', () => {
  it('serves health and leads on the kube-system/kube-scheduler Lease', async () => {
    expect((await fetch(`${healthUrl}/healthz`)).status).toBe(200);
    await expect
      .poll(
        async () =>
          (await registry.get(Leases, { namespace: 'kube-system', name: 'kube-scheduler' }).catch(() => undefined))?.spec?.holderIdentity,
        {
          timeout: 30_000,
        },
      )
      .toBeTruthy();
  });

  it('spreads by default (least allocated) and packs for the bin-packing profile (most allocated)', { timeout: 120_000 }, async () => {
    await registry.create(Pods, pod('spread', '1'));
    await registry.create(Pods, pod('packed', '1', 'bin-packing'));
    // Both bound first (a loaded machine may take a while), then where: a wrong node fails at once, with the scheduler's log.
    await expect.poll(async () => [await nodeOf('spread'), await nodeOf('packed')].every(Boolean), { timeout: 90_000 }).toBe(true);
    expect({ spread: await nodeOf('spread'), packed: await nodeOf('packed'), log: cli?.stderr() }).toMatchObject({
      spread: 'large',
      packed: 'small',
    });
  });

  it("reports a pod that fits nowhere with Kubernetes' message, as an event and a condition", { timeout: 120_000 }, async () => {
    await registry.create(Pods, pod('huge', '64'));
    const message =
      '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.';
    await expect
      .poll(
        async () =>
          (await registry.list(Events, { namespace: 'default' })).items.some(
            (e) => e.reason === 'FailedScheduling' && e.message === message,
          ),
        {
          timeout: 30_000,
        },
      )
      .toBe(true);
    const cond = (await registry.get(Pods, { namespace: 'default', name: 'huge' })).status?.conditions?.find(
      (c) => c.type === 'PodScheduled',
    );
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
  });

  it('refuses an invalid configuration file at start, naming the plugin', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      CONFIG.replace('    pluginConfig:', '    plugins:\n      score:\n        enabled: [{ name: NoSuchPlugin }]\n    pluginConfig:'),
    );
    const r = spawnSync(process.execPath, [CLI_MAIN, 'scheduler', '--kubeconfig', kubeconfig, '--config', bad, '--port', '0'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('NoSuchPlugin');
  });
});
