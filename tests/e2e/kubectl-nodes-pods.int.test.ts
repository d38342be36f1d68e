/**
 * Nodes and pods as kubectl shows and drives them before any kubelet runs: node tables and
 * describe, cordon / taint / label, pod STATUS columns computed from pod status, binding
 * (201, then 409), and `kubectl proxy` in front of the API server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startConvergeCluster, tableRows, type ConvergeCluster } from './support/converge-cluster.js';

let c: ConvergeCluster;
beforeAll(async () => {
  // The pods/binding tests bind pods themselves, as a scheduler does: no scheduler in process.
  c = await startConvergeCluster({ args: ['--no-scheduler'] });
});
afterAll(async () => {
  if (c) expect(await c.stop()).toBe(0);
});

const node = `apiVersion: v1
kind: Node
metadata: {name: n1, labels: {kubernetes.io/hostname: n1, node-role.kubernetes.io/control-plane: ""}}
spec: {podCIDR: 10.244.1.0/24}
status:
  capacity: {cpu: "4", memory: 8Gi, pods: "110"}
  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}
  conditions: [{type: Ready, status: "True", reason: KubeletReady, message: ok, lastHeartbeatTime: "2024-01-01T00:00:00Z", lastTransitionTime: "2024-01-01T00:00:00Z"}]
  addresses: [{type: InternalIP, address: 10.0.0.2}, {type: Hostname, address: n1}]
  nodeInfo: {kubeletVersion: v1.32.0, osImage: Debian GNU/Linux 12, kernelVersion: "6.1", containerRuntimeVersion: "containerd://1.7", architecture: amd64, operatingSystem: linux, machineID: a, systemUUID: b, bootID: c, kubeProxyVersion: v1.32.0}
`;

describe('nodes through kubectl', () => {
  it('prints node tables and describe from the status a node reports', () => {
    ok(c.kubectl(['apply', '-f', '-'], { input: node }));
    const rows = tableRows(ok(c.kubectl(['get', 'nodes', '-o', 'wide'])));
    expect(rows[0]).toEqual([
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ]);
    expect(rows[1]).toEqual([
      'n1',
      'Ready',
      'control-plane',
      expect.any(String),
      'v1.32.0',
      '10.0.0.2',
      '<none>',
      'Debian GNU/Linux 12',
      '6.1',
      'containerd://1.7',
    ]);
    const d = ok(c.kubectl(['describe', 'node', 'n1']));
    expect(d).toMatch(/^Roles:\s+control-plane$/m);
    expect(d).toMatch(/^PodCIDR:\s+10\.244\.1\.0\/24$/m);
    expect(d).toMatch(/^\s+cpu\s+0 \(0%\)\s+0 \(0%\)$/m);
  });

  it('cordons, taints, labels and uncordons a node', () => {
    expect(ok(c.kubectl(['cordon', 'n1'])).trim()).toBe('node/n1 cordoned');
    expect(tableRows(ok(c.kubectl(['get', 'node', 'n1'])))[1]![1]).toBe('Ready,SchedulingDisabled');
    expect(ok(c.kubectl(['taint', 'nodes', 'n1', 'dedicated=e2e:NoSchedule'])).trim()).toBe('node/n1 tainted');
    // The node lifecycle controller may have added node.kubernetes.io/unschedulable for the cordon, as Kubernetes' does.
    const taints = JSON.parse(ok(c.kubectl(['get', 'node', 'n1', '-o', 'jsonpath={.spec.taints}']))) as { key: string }[];
    expect(taints).toContainEqual({ effect: 'NoSchedule', key: 'dedicated', value: 'e2e' });
    expect(taints.every((t) => t.key === 'dedicated' || t.key === 'node.kubernetes.io/unschedulable')).toBe(true);
    expect(ok(c.kubectl(['taint', 'nodes', 'n1', 'dedicated-'])).trim()).toBe('node/n1 untainted');
    ok(c.kubectl(['label', 'node', 'n1', 'node-role.kubernetes.io/worker=']));
    expect(tableRows(ok(c.kubectl(['get', 'node', 'n1'])))[1]![2]).toBe('control-plane,worker');
    expect(ok(c.kubectl(['uncordon', 'n1'])).trim()).toBe('node/n1 uncordoned');
    expect(ok(c.kubectl(['get', 'node', 'n1', '-o', 'jsonpath={.spec.unschedulable}']))).toBe('');
  });
});

describe('pods through kubectl', () => {
  const status = (name: string, patch: unknown) => {
    ok(c.kubectl(['run', name, '--image=busybox', '--restart=Never']));
    ok(c.kubectl(['patch', 'pod', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: patch })]));
  };
  const container = (name: string, extra: Record<string, unknown>) => ({
    name,
    image: 'busybox',
    imageID: '',
    ready: false,
    restartCount: 0,
    ...extra,
  });

  it('computes READY, STATUS and RESTARTS from the pod status as kubectl users expect', () => {
    status('st-crash', {
      phase: 'Running',
      containerStatuses: [
        container('st-crash', { restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } } }),
      ],
    });
    status('st-done', {
      phase: 'Succeeded',
      containerStatuses: [
        container('st-done', {
          state: {
            terminated: { exitCode: 0, reason: 'Completed', startedAt: '2024-01-01T00:00:00Z', finishedAt: '2024-01-01T00:00:00Z' },
          },
        }),
      ],
    });
    status('st-run', {
      phase: 'Running',
      podIP: '10.244.1.5',
      podIPs: [{ ip: '10.244.1.5' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [container('st-run', { ready: true, started: true, state: { running: { startedAt: '2024-01-01T00:00:00Z' } } })],
    });
    status('st-create', {
      phase: 'Pending',
      containerStatuses: [container('st-create', { state: { waiting: { reason: 'ContainerCreating' } } })],
    });
    status('st-evicted', { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' });
    const rows = new Map(tableRows(ok(c.kubectl(['get', 'pods', '-o', 'wide']))).map((r) => [r[0], r]));
    expect(rows.get('NAME')).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(rows.get('st-crash')!.slice(1, 3)).toEqual(['0/1', 'CrashLoopBackOff']);
    expect(rows.get('st-crash')![3]).toBe('5');
    expect(rows.get('st-done')!.slice(1, 3)).toEqual(['0/1', 'Completed']);
    expect(rows.get('st-run')!.slice(1, 3)).toEqual(['1/1', 'Running']);
    expect(rows.get('st-run')![5]).toBe('10.244.1.5');
    expect(rows.get('st-create')![2]).toBe('ContainerCreating');
    expect(rows.get('st-evicted')![2]).toBe('Evicted');
    expect(
      ok(c.kubectl(['get', 'pods', '--field-selector', 'status.phase=Running', '-o', 'name']))
        .trim()
        .split('\n'),
    ).toEqual(['pod/st-crash', 'pod/st-run']);
  });

  it('adds the admission defaults real clusters add to a new pod', () => {
    ok(c.kubectl(['run', 'defaults', '--image=busybox', '--restart=Never']));
    const pod = JSON.parse(ok(c.kubectl(['get', 'pod', 'defaults', '-o', 'json'])));
    expect(pod.spec.serviceAccountName).toBe('default');
    expect(pod.spec.priority).toBe(0);
    expect(pod.spec.tolerations).toEqual(
      expect.arrayContaining([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ]),
    );
    const volume = pod.spec.volumes.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
    expect(volume.projected.sources.map((s: Record<string, unknown>) => Object.keys(s)[0]).sort()).toEqual([
      'configMap',
      'downwardAPI',
      'serviceAccountToken',
    ]);
    expect(pod.spec.containers[0].volumeMounts).toEqual([
      { name: volume.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ]);
  });

  it('binds a pod to a node once (201), then answers 409, and shows the node', () => {
    ok(c.kubectl(['run', 'bindme', '--image=busybox']));
    const binding = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'bindme' },
      target: { kind: 'Node', name: 'n1' },
    });
    const first = c.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/bindme/binding', '-f', '-'], { input: binding });
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    const again = c.kubectl(['create', '--raw', '/api/v1/namespaces/default/pods/bindme/binding', '-f', '-'], { input: binding });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('Error from server (Conflict)');
    expect(again.stderr).toContain('pod bindme is already assigned to node "n1"');
    expect(ok(c.kubectl(['get', 'pod', 'bindme', '-o', 'jsonpath={.spec.nodeName}']))).toBe('n1');
    expect(ok(c.kubectl(['get', 'pods', '--field-selector', 'spec.nodeName=n1', '-o', 'name'])).trim()).toBe('pod/bindme');
    expect(ok(c.kubectl(['describe', 'node', 'n1']))).toMatch(/Non-terminated Pods:\s+\(1 in total\)/);
  });

  it('serves the API through kubectl proxy: get, create and watch', async () => {
    const proxy = c.kubectlBackground(['proxy', '--port=0']);
    try {
      const banner = await proxy.waitFor((s) => /Starting to serve on 127\.0\.0\.1:\d+/.test(s));
      const base = `http://${/Starting to serve on (127\.0\.0\.1:\d+)/.exec(banner)![1]}`;
      expect(await (await fetch(`${base}/version`)).json()).toMatchObject({ major: '1', minor: '32' });
      const created = await fetch(`${base}/api/v1/namespaces/default/configmaps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'via-proxy' }, data: { a: '1' } }),
      });
      expect(created.status).toBe(201);
      const obj = (await created.json()) as { kind: string; metadata: { resourceVersion: string } };
      expect(obj.kind).toBe('ConfigMap');
      const watch = await fetch(
        `${base}/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Dvia-proxy&resourceVersion=${obj.metadata.resourceVersion}&timeoutSeconds=5`,
      );
      ok(c.kubectl(['label', 'cm', 'via-proxy', 'seen=yes']));
      const reader = watch.body!.getReader();
      let text = '';
      while (!text.includes('\n')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
      }
      await reader.cancel();
      const event = JSON.parse(text.split('\n')[0]!);
      expect(event.type).toBe('MODIFIED');
      expect(event.object.metadata.labels).toEqual({ seen: 'yes' });
    } finally {
      await proxy.stop();
    }
  });
});

describe('kubectl debug before any kubelet runs', () => {
  it('fails with kubectl’s own message instead of crashing kubectl', () => {
    ok(c.kubectl(['run', 'dbg', '--image=busybox', '--restart=Never']));
    const r = c.kubectl(['debug', 'dbg', '--image=busybox', '-c', 'dbgc', '--', 'sleep', '1']);
    expect(r.stderr).not.toContain('panic');
    expect(r.stderr).toContain('ephemeral containers are disabled for this cluster');
  });
});
