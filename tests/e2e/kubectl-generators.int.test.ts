/**
 * `kubectl create <generator>` (protobuf bodies), tokens, auth reviews, discovery and the raw
 * endpoints, as a user runs them against `converge up`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startConvergeCluster, tableRows, type ConvergeCluster } from './support/converge-cluster.js';

let c: ConvergeCluster;
let scratch: string;
beforeAll(async () => {
  c = await startConvergeCluster();
  scratch = mkdtempSync(join(tmpdir(), 'converge-e2e-gen-'));
});
afterAll(async () => {
  if (c) expect(await c.stop()).toBe(0);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('kubectl create <generator> against converge up', () => {
  it('creates every generator kind and reads each back with kubectl get', () => {
    const certFile = join(scratch, 'tls.crt');
    const keyFile = join(scratch, 'tls.key');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=e2e', '-days', '1'],
      { stdio: 'ignore' },
    );
    const generators: Array<[string[], string]> = [
      [['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3', '--port=80'], 'deployment.apps/web created'],
      [['create', 'service', 'clusterip', 'web', '--tcp=80:8080'], 'service/web created'],
      [['create', 'service', 'nodeport', 'np', '--tcp=80:8080'], 'service/np created'],
      [['create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443'], 'service/lb created'],
      [['create', 'service', 'externalname', 'ext', '--external-name=example.com'], 'service/ext created'],
      [['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=2'], 'configmap/cfg created'],
      [['create', 'secret', 'generic', 'sec', '--from-literal=pw=hunter2'], 'secret/sec created'],
      [['create', 'secret', 'tls', 'tlss', `--cert=${certFile}`, `--key=${keyFile}`], 'secret/tlss created'],
      [
        ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
        'secret/reg created',
      ],
      [['create', 'namespace', 'e2e-gen'], 'namespace/e2e-gen created'],
      [['create', 'job', 'j1', '--image=busybox', '--', 'echo', 'hi'], 'job.batch/j1 created'],
      [['create', 'cronjob', 'cj1', '--image=busybox', '--schedule=*/5 * * * *', '--', 'echo', 'hi'], 'cronjob.batch/cj1 created'],
      [['create', 'job', 'j2', '--from=cronjob/cj1'], 'job.batch/j2 created'],
      [['create', 'serviceaccount', 'sa1'], 'serviceaccount/sa1 created'],
      [['create', 'quota', 'q1', '--hard=pods=10,cpu=2'], 'resourcequota/q1 created'],
      [['create', 'priorityclass', 'pc1', '--value=1000', '--description=e2e'], 'priorityclass.scheduling.k8s.io/pc1 created'],
      [['create', 'poddisruptionbudget', 'pdb1', '--selector=app=web', '--min-available=1'], 'poddisruptionbudget.policy/pdb1 created'],
      [['create', 'role', 'r1', '--verb=get,list', '--resource=pods'], 'role.rbac.authorization.k8s.io/r1 created'],
      [['create', 'clusterrole', 'cr1', '--verb=get', '--resource=nodes'], 'clusterrole.rbac.authorization.k8s.io/cr1 created'],
      [['create', 'rolebinding', 'rb1', '--role=r1', '--serviceaccount=default:sa1'], 'rolebinding.rbac.authorization.k8s.io/rb1 created'],
      [
        ['create', 'clusterrolebinding', 'crb1', '--clusterrole=cr1', '--user=bob'],
        'clusterrolebinding.rbac.authorization.k8s.io/crb1 created',
      ],
      [['create', 'ingress', 'ing1', '--rule=foo.example/bar=web:80'], 'ingress.networking.k8s.io/ing1 created'],
      // kubectl 1.32 autoscale posts an autoscaling/v1 HorizontalPodAutoscaler.
      [['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=80'], 'horizontalpodautoscaler.autoscaling/web autoscaled'],
    ];
    for (const [args, printed] of generators) {
      const r = c.kubectl(args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.stdout.trim(), args.join(' ')).toBe(printed);
    }

    expect(
      ok(
        c.kubectl([
          'get',
          'deploy',
          'web',
          '-o',
          'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}',
        ]),
      ),
    ).toBe('3 nginx:1.25 80');
    expect(ok(c.kubectl(['get', 'svc', 'ext', '-o', 'jsonpath={.spec.type} {.spec.externalName}']))).toBe('ExternalName example.com');
    expect(ok(c.kubectl(['get', 'svc', 'np', '-o', 'jsonpath={.spec.type} {.spec.ports[0].port} {.spec.ports[0].targetPort}']))).toBe(
      'NodePort 80 8080',
    );
    expect(ok(c.kubectl(['get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}{.data.b}']))).toBe('12');
    expect(Buffer.from(ok(c.kubectl(['get', 'secret', 'sec', '-o', 'jsonpath={.data.pw}'])), 'base64').toString()).toBe('hunter2');
    expect(ok(c.kubectl(['get', 'secret', 'tlss', '-o', 'jsonpath={.type}']))).toBe('kubernetes.io/tls');
    expect(ok(c.kubectl(['get', 'secret', 'reg', '-o', 'jsonpath={.type}']))).toBe('kubernetes.io/dockerconfigjson');
    expect(
      ok(c.kubectl(['get', 'ns', 'e2e-gen', '-o', 'jsonpath={.status.phase} {.metadata.labels.kubernetes\\.io/metadata\\.name}'])),
    ).toBe('Active e2e-gen');
    expect(ok(c.kubectl(['get', 'job', 'j2', '-o', 'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}']))).toBe(
      'manual',
    );
    expect(ok(c.kubectl(['get', 'cj', 'cj1', '-o', 'jsonpath={.spec.schedule}']))).toBe('*/5 * * * *');
    expect(ok(c.kubectl(['get', 'quota', 'q1', '-o', 'jsonpath={.spec.hard.pods}/{.spec.hard.cpu}']))).toBe('10/2');
    expect(ok(c.kubectl(['get', 'pc', 'pc1', '-o', 'jsonpath={.value} {.description}']))).toBe('1000 e2e');
    expect(ok(c.kubectl(['get', 'pdb', 'pdb1', '-o', 'jsonpath={.spec.minAvailable} {.spec.selector.matchLabels.app}']))).toBe('1 web');
    expect(ok(c.kubectl(['get', 'role', 'r1', '-o', 'jsonpath={.rules[0].verbs}']))).toBe('["get","list"]');
    expect(ok(c.kubectl(['get', 'rolebinding', 'rb1', '-o', 'jsonpath={.roleRef.name} {.subjects[0].kind}:{.subjects[0].name}']))).toBe(
      'r1 ServiceAccount:sa1',
    );
    expect(ok(c.kubectl(['get', 'clusterrolebinding', 'crb1', '-o', 'jsonpath={.subjects[0].name}']))).toBe('bob');
    expect(ok(c.kubectl(['get', 'hpa', 'web', '-o', 'jsonpath={.spec.minReplicas}-{.spec.maxReplicas} {.spec.scaleTargetRef.name}']))).toBe(
      '2-5 web',
    );
    expect(ok(c.kubectl(['get', 'ing', 'ing1', '-o', 'jsonpath={.spec.rules[0].host}{.spec.rules[0].http.paths[0].path}']))).toBe(
      'foo.example/bar',
    );

    // The printed tables carry the columns users know.
    const jobs = tableRows(ok(c.kubectl(['get', 'jobs'])));
    expect(jobs[0]).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    const pdbs = tableRows(ok(c.kubectl(['get', 'pdb'])));
    expect(pdbs[0]).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    const rbs = tableRows(ok(c.kubectl(['get', 'rolebindings'])));
    expect(rbs[1]!.slice(0, 2)).toEqual(['rb1', 'Role/r1']);
  });

  it('starts with the objects every cluster has: the kubernetes Service and kube-root-ca.crt in each namespace', () => {
    const svc = JSON.parse(ok(c.kubectl(['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'json'])));
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(svc.spec.ports[0]).toMatchObject({ name: 'https', port: 443 });
    expect(ok(c.kubectl(['get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].addresses[0].ip}']))).toBe('127.0.0.1');
    // Every namespace (also one created later) publishes the cluster CA that signed the serving certificate.
    ok(c.kubectl(['wait', '--for=create', 'cm/kube-root-ca.crt', '-n', 'e2e-gen', '--timeout=10s']));
    for (const ns of ['default', 'kube-system', 'e2e-gen']) {
      const ca = ok(c.kubectl(['get', 'cm', 'kube-root-ca.crt', '-n', ns, '-o', 'jsonpath={.data.ca\\.crt}']));
      expect(ca.trim(), ns).toBe(c.caPem().trim());
    }
    expect(ok(c.kubectl(['get', 'sa', 'default', '-n', 'e2e-gen', '-o', 'name'])).trim()).toBe('serviceaccount/default');
  });

  it('rejects a second create with AlreadyExists and an invalid name with the field message', () => {
    const again = c.kubectl(['create', 'configmap', 'cfg']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('configmaps "cfg" already exists');
    const bad = c.kubectl(['create', 'configmap', 'Bad_Name']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      'The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain',
    );
    const noNs = c.kubectl(['create', 'configmap', 'x', '-n', 'no-such-namespace']);
    expect(noNs.status).toBe(1);
    expect(noNs.stderr).toContain('namespaces "no-such-namespace" not found');
    expect(c.kubectl(['get', 'cm', 'Bad_Name']).stderr).toContain('NotFound');
  });

  it('prints a token with kubectl create token that the server accepts as the service account', () => {
    const token = ok(c.kubectl(['create', 'token', 'sa1'])).trim();
    expect(token.split('.')).toHaveLength(3);
    const ca = join(scratch, 'ca.crt');
    writeFileSync(ca, c.caPem());
    const asSa = ['--kubeconfig=/dev/null', `--server=${c.url}`, `--certificate-authority=${ca}`, `--token=${token}`];
    const who = ok(c.kubectl([...asSa, 'auth', 'whoami']));
    expect(who).toMatch(/Username\s+system:serviceaccount:default:sa1/);
    expect(who).toMatch(/Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]/);
    expect(ok(c.kubectl([...asSa, 'get', 'cm', 'cfg', '-o', 'name'])).trim()).toBe('configmap/cfg');

    const tooShort = c.kubectl(['create', 'token', 'sa1', '--duration=1s']);
    expect(tooShort.stderr).toContain('may not specify a duration less than 10 minutes');
    const otherAudience = ok(c.kubectl(['create', 'token', 'sa1', '--audience=not-the-apiserver'])).trim();
    const rejected = c.kubectl([
      '--kubeconfig=/dev/null',
      `--server=${c.url}`,
      `--certificate-authority=${ca}`,
      `--token=${otherAudience}`,
      'get',
      'cm',
    ]);
    expect(rejected.stderr).toContain('Unauthorized');
    const garbage = c.kubectl([
      '--kubeconfig=/dev/null',
      `--server=${c.url}`,
      `--certificate-authority=${ca}`,
      '--token=garbage',
      'get',
      'cm',
    ]);
    expect(garbage.stderr).toContain('You must be logged in to the server (Unauthorized)');

    // Deleting the service account revokes its tokens.
    ok(c.kubectl(['delete', 'sa', 'sa1']));
    expect(c.kubectl([...asSa, 'get', 'cm']).stderr).toContain('Unauthorized');
    expect(c.kubectl(['create', 'token', 'sa1']).stderr).toContain('serviceaccounts "sa1" not found');
  });

  it('answers kubectl auth whoami (also impersonated with --as) and auth can-i', () => {
    const who = ok(c.kubectl(['auth', 'whoami']));
    expect(tableRows(who)[0]).toEqual(['ATTRIBUTE', 'VALUE']);
    expect(who).toMatch(/Username\s+admin/);
    expect(ok(c.kubectl(['auth', 'can-i', 'create', 'deployments'])).trim()).toBe('yes');
    expect(ok(c.kubectl(['auth', 'can-i', 'get', '/healthz'])).trim()).toBe('yes');
    // Impersonation: kubectl --as / --as-group send Impersonate-* headers.
    const bob = ok(c.kubectl(['auth', 'whoami', '--as=bob', '--as-group=devs']));
    expect(bob).toMatch(/Username\s+bob/);
    expect(bob).toMatch(/Groups\s+\[devs system:authenticated\]/);
    const sa = ok(c.kubectl(['auth', 'whoami', '--as=system:serviceaccount:default:default']));
    expect(sa).toMatch(/Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]/);
    const list = tableRows(ok(c.kubectl(['auth', 'can-i', '--list'])));
    expect(list[0]).toEqual(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
    expect(list.some((row) => row[0] === '*.*' && row.at(-1) === '[*]')).toBe(true);
  });

  it('lists api-resources and api-versions as Kubernetes does', () => {
    const resources = tableRows(ok(c.kubectl(['api-resources'])));
    expect(resources[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const byName = new Map(resources.slice(1).map((r) => [`${r[0]} ${r.at(-3)}`, r]));
    expect(byName.get('pods v1')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(byName.get('deployments apps/v1')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(byName.get('namespaces v1')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(byName.get('customresourcedefinitions apiextensions.k8s.io/v1')).toEqual([
      'customresourcedefinitions',
      'crd,crds',
      'apiextensions.k8s.io/v1',
      'false',
      'CustomResourceDefinition',
    ]);
    const wide = ok(c.kubectl(['api-resources', '-o', 'wide', '--api-group=apps']));
    expect(wide).toMatch(
      /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s+create,delete,deletecollection,get,list,patch,update,watch\s+all/,
    );
    const clusterRbac = ok(c.kubectl(['api-resources', '--namespaced=false', '--api-group=rbac.authorization.k8s.io', '-o', 'name']));
    expect(clusterRbac.trim().split('\n')).toEqual([
      'clusterrolebindings.rbac.authorization.k8s.io',
      'clusterroles.rbac.authorization.k8s.io',
    ]);
    const versions = ok(c.kubectl(['api-versions']))
      .trim()
      .split('\n');
    for (const gv of [
      'v1',
      'apps/v1',
      'batch/v1',
      'rbac.authorization.k8s.io/v1',
      'apiextensions.k8s.io/v1',
      'networking.k8s.io/v1',
      'policy/v1',
      'autoscaling/v2',
    ]) {
      expect(versions).toContain(gv);
    }
    expect(ok(c.kubectl(['cluster-info']))).toContain(`Kubernetes control plane is running at ${c.url}`);
  });

  it('serves /version, health checks and metrics through kubectl get --raw', () => {
    const version = JSON.parse(ok(c.kubectl(['get', '--raw', '/version'])));
    expect(version).toMatchObject({ major: '1', minor: '32' });
    expect(version.gitVersion).toMatch(/^v1\.32\.\d+/);
    expect(ok(c.kubectl(['get', '--raw', '/healthz']))).toBe('ok');
    expect(ok(c.kubectl(['get', '--raw', '/livez']))).toBe('ok');
    const readyz = ok(c.kubectl(['get', '--raw', '/readyz?verbose']));
    expect(readyz).toContain('[+]ping ok');
    expect(readyz).toContain('readyz check passed');
    const apis = JSON.parse(ok(c.kubectl(['get', '--raw', '/apis'])));
    expect(apis.kind).toBe('APIGroupList');
    expect(apis.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(['apps', 'batch', 'rbac.authorization.k8s.io']),
    );
    const metrics = ok(c.kubectl(['get', '--raw', '/metrics']));
    expect(metrics).toContain('# TYPE apiserver_request_total counter');
    expect(metrics).toMatch(/apiserver_request_total\{verb="POST",group="apps",version="v1",resource="deployments"[^}]*code="201"\} \d+/);
    expect(metrics).toMatch(/apiserver_request_duration_seconds_bucket\{/);
  });

  it('fails kubectl top, logs, exec and port-forward with a clear message, not a hang', () => {
    expect(c.kubectl(['top', 'pods']).stderr).toContain('Metrics API not available');
    ok(c.kubectl(['run', 'lonely', '--image=busybox', '--restart=Never']));
    const logs = c.kubectl(['logs', 'lonely'], { timeoutMs: 15_000 });
    expect(logs.status).toBe(1);
    expect(logs.stderr).toContain('pod lonely does not have a host assigned');
    const exec = c.kubectl(['exec', 'lonely', '--', 'ls'], { timeoutMs: 15_000 });
    expect(exec.status).toBe(1);
    expect(exec.stderr).toContain('does not have a host assigned');
    const pf = c.kubectl(['port-forward', 'pod/lonely', '0:80'], { timeoutMs: 15_000 });
    expect(pf.status).toBe(1);
    expect(pf.stderr).toContain('pod is not running');
  });
});
