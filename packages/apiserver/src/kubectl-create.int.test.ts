/**
 * The real kubectl's typed clients (protobuf request bodies) against the API server: every
 * `kubectl create <generator>` followed by a `kubectl get` of what it made, `create token` and a
 * request made with that token, and `auth can-i` / `auth whoami`. One server for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kubectl } from './testing/kubectl.js';
import { startTestServer, type TestServer } from './testing/test-server.js';

let t: TestServer;
let k: Kubectl;

beforeAll(async () => {
  t = await startTestServer();
  k = t.kubectl();
});
afterAll(async () => {
  await t?.close();
});

/** Each generator: the create arguments, what kubectl prints, and a get that must find it. */
const generators: { args: string[]; printed: string; get: string[]; expect: RegExp }[] = [
  {
    args: ['deployment', 'web', '--image=nginx', '--replicas=2'],
    printed: 'deployment.apps/web created',
    get: ['deployment', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}'],
    expect: /^2 nginx$/,
  },
  {
    args: ['service', 'clusterip', 'svc-c', '--tcp=80:8080'],
    printed: 'service/svc-c created',
    get: ['service', 'svc-c', '-o', 'jsonpath={.spec.type} {.spec.ports[0].targetPort}'],
    expect: /^ClusterIP 8080$/,
  },
  {
    args: ['service', 'nodeport', 'svc-n', '--tcp=80:8080'],
    printed: 'service/svc-n created',
    get: ['service', 'svc-n', '-o', 'jsonpath={.spec.type}'],
    expect: /^NodePort$/,
  },
  {
    args: ['service', 'loadbalancer', 'svc-l', '--tcp=80:8080'],
    printed: 'service/svc-l created',
    get: ['service', 'svc-l', '-o', 'jsonpath={.spec.type}'],
    expect: /^LoadBalancer$/,
  },
  {
    args: ['service', 'externalname', 'svc-e', '--external-name=example.com'],
    printed: 'service/svc-e created',
    get: ['service', 'svc-e', '-o', 'jsonpath={.spec.externalName}'],
    expect: /^example\.com$/,
  },
  {
    args: ['configmap', 'cm', '--from-literal=a=1', '--from-literal=b=2'],
    printed: 'configmap/cm created',
    get: ['configmap', 'cm', '-o', 'jsonpath={.data.a}{.data.b}'],
    expect: /^12$/,
  },
  {
    args: ['secret', 'generic', 'sec', '--from-literal=password=s3cret'],
    printed: 'secret/sec created',
    get: ['secret', 'sec', '-o', 'jsonpath={.data.password}'],
    expect: new RegExp(`^${Buffer.from('s3cret').toString('base64')}$`),
  },
  {
    args: ['secret', 'docker-registry', 'reg', '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p'],
    printed: 'secret/reg created',
    get: ['secret', 'reg', '-o', 'jsonpath={.type}'],
    expect: /^kubernetes\.io\/dockerconfigjson$/,
  },
  {
    args: ['namespace', 'team-a'],
    printed: 'namespace/team-a created',
    get: ['namespace', 'team-a', '-o', 'jsonpath={.status.phase}'],
    expect: /^Active$/,
  },
  {
    args: ['job', 'once', '--image=busybox'],
    printed: 'job.batch/once created',
    get: ['job', 'once', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'],
    expect: /^busybox$/,
  },
  {
    args: ['cronjob', 'every5', '--image=busybox', '--schedule=*/5 * * * *'],
    printed: 'cronjob.batch/every5 created',
    get: ['cronjob', 'every5', '-o', 'jsonpath={.spec.schedule}'],
    expect: /^\*\/5 \* \* \* \*$/,
  },
  {
    args: ['serviceaccount', 'bot'],
    printed: 'serviceaccount/bot created',
    get: ['serviceaccount', 'bot', '-o', 'name'],
    expect: /^serviceaccount\/bot$/,
  },
  {
    args: ['quota', 'q', '--hard=pods=10,cpu=4'],
    printed: 'resourcequota/q created',
    get: ['quota', 'q', '-o', 'jsonpath={.spec.hard.pods}'],
    expect: /^10$/,
  },
  {
    args: ['priorityclass', 'high', '--value=1000', '--description=important'],
    printed: 'priorityclass.scheduling.k8s.io/high created',
    get: ['priorityclass', 'high', '-o', 'jsonpath={.value}'],
    expect: /^1000$/,
  },
  {
    args: ['poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=1'],
    printed: 'poddisruptionbudget.policy/pdb created',
    get: ['pdb', 'pdb', '-o', 'jsonpath={.spec.minAvailable}'],
    expect: /^1$/,
  },
  {
    args: ['role', 'reader', '--verb=get,list', '--resource=pods'],
    printed: 'role.rbac.authorization.k8s.io/reader created',
    get: ['role', 'reader', '-o', 'jsonpath={.rules[0].verbs}'],
    expect: /get.*list/,
  },
  {
    args: ['clusterrole', 'node-reader', '--verb=get', '--resource=nodes'],
    printed: 'clusterrole.rbac.authorization.k8s.io/node-reader created',
    get: ['clusterrole', 'node-reader', '-o', 'jsonpath={.rules[0].resources}'],
    expect: /nodes/,
  },
  {
    args: ['rolebinding', 'read-pods', '--role=reader', '--user=alice'],
    printed: 'rolebinding.rbac.authorization.k8s.io/read-pods created',
    get: ['rolebinding', 'read-pods', '-o', 'jsonpath={.roleRef.name} {.subjects[0].name}'],
    expect: /^reader alice$/,
  },
  {
    args: ['clusterrolebinding', 'read-nodes', '--clusterrole=node-reader', '--group=ops'],
    printed: 'clusterrolebinding.rbac.authorization.k8s.io/read-nodes created',
    get: ['clusterrolebinding', 'read-nodes', '-o', 'jsonpath={.subjects[0].kind}'],
    expect: /^Group$/,
  },
  {
    args: ['ingress', 'site', '--rule=example.com/=svc-c:80'],
    printed: 'ingress.networking.k8s.io/site created',
    get: ['ingress', 'site', '-o', 'jsonpath={.spec.rules[0].host}'],
    expect: /^example\.com$/,
  },
];

describe('kubectl create <generator> (protobuf bodies)', () => {
  for (const g of generators) {
    it(`creates ${g.args.slice(0, g.args[0] === 'service' || g.args[0] === 'secret' ? 2 : 1).join(' ')} and gets it back`, async () => {
      const r = await k.run(['create', ...g.args]);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(g.printed);
      expect((await k.ok(['get', ...g.get])).trim()).toMatch(g.expect);
    });
  }

  it('creates a TLS secret from files', async () => {
    const pair = t.api.issueClientCertificate('tls-user');
    const cert = k.file('tls.crt', pair.certPem);
    const key = k.file('tls.key', pair.keyPem);
    expect((await k.ok(['create', 'secret', 'tls', 'tls', `--cert=${cert}`, `--key=${key}`])).trim()).toBe('secret/tls created');
    expect((await k.ok(['get', 'secret', 'tls', '-o', 'jsonpath={.type}'])).trim()).toBe('kubernetes.io/tls');
  });

  it('lists what it made with get all', async () => {
    const out = await k.ok(['get', 'all']);
    expect(out).toMatch(/^deployment\.apps\/web\s/m);
    expect(out).toMatch(/^cronjob\.batch\/every5\s/m);
    expect(out).toMatch(/^service\/svc-c\s+ClusterIP/m);
  });
});

describe('tokens and auth', () => {
  it('creates a token that authenticates as the service account', async () => {
    // A server alone has no `default` ServiceAccount (the controller-manager makes them): create it.
    await k.ok(['create', 'serviceaccount', 'default']);
    const token = (await k.ok(['create', 'token', 'default', '--duration=1h'])).trim();
    expect(token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const who = await k.ok(['auth', 'whoami', '--token', token]);
    expect(who).toMatch(/^Username\s+system:serviceaccount:default:default$/m);
    expect(who).toMatch(/^Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]$/m);
    const pods = await k.run(['get', 'configmaps', '-o', 'name', '--token', token]);
    expect(pods.code).toBe(0);
    expect(pods.stdout).toContain('configmap/cm');
    const bad = await k.run(['get', 'pods', '--token', `${token.slice(0, -4)}AAAA`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unauthorized');
  });

  it('answers auth can-i from the authorizer', async () => {
    const r = await k.run(['auth', 'can-i', 'create', 'deployments']);
    expect(r.stdout.trim()).toBe('yes');
    expect(r.code).toBe(0);
    const list = await k.ok(['auth', 'can-i', '--list']);
    expect(list.split('\n')[0]).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    expect(list).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    expect(list).toMatch(/^\s+\[\*\]\s+\[\]\s+\[\*\]$/m);
  });

  it('authenticates a client certificate signed by the cluster CA', async () => {
    const withCert = t.kubectl({ cert: t.api.issueClientCertificate('carol', ['developers']) });
    try {
      const out = await withCert.ok(['auth', 'whoami']);
      expect(out).toMatch(/^Username\s+carol$/m);
      expect(out).toMatch(/^Groups\s+\[developers system:authenticated\]$/m);
    } finally {
      withCert.dispose();
    }
  });

  it('prints who the caller is', async () => {
    const out = await k.ok(['auth', 'whoami']);
    expect(out).toMatch(/^Username\s+admin$/m);
    expect(out).toMatch(/^Groups\s+\[system:masters system:authenticated\]$/m);
  });
});
