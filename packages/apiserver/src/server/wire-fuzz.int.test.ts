/**
 * A seeded fuzz test of the write path over the real HTTPS server: valid bodies of several
 * kinds (JSON, YAML, protobuf) are mutated and sent as creates, updates and every patch type.
 * For each: no 5xx, no dropped connection, every error body a Status, and an error reply leaves
 * the store exactly as it was (the target object and the list of its kind, compared before and
 * after). A few seconds by default; `CONVERGE_FUZZ_ITERATIONS=<n>` for more (`pnpm run fuzz`),
 * `CONVERGE_FUZZ_SEED=<seed>` to replay: a failure prints the seed of its case.
 */
import { stringify as yamlStringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProtobufObject } from '../protobuf/protobuf-codec.js';
import { mutateBytes, mutateJson, SeededRandom } from '../testing/body-mutator.js';
import { call, startTestServer, type TestResponse, type TestServer } from '../testing/test-server.js';

const ITERATIONS = Number(process.env['CONVERGE_FUZZ_ITERATIONS'] ?? 80);
const SEED =
  process.env['CONVERGE_FUZZ_SEED'] !== undefined
    ? Number(process.env['CONVERGE_FUZZ_SEED'])
    : process.env['CONVERGE_FUZZ_ITERATIONS']
      ? Date.now() % 1e9
      : 15_000_001;
const NS = 'fuzz';

interface Kind {
  collection: string;
  builtin: boolean;
  body: (name: string) => Record<string, unknown>;
  patch: Record<string, unknown>;
}

const labels = { app: 'fuzz' };
const KINDS: Kind[] = [
  {
    collection: `/api/v1/namespaces/${NS}/configmaps`,
    builtin: true,
    body: (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1', b: 'two' } }),
    patch: { data: { c: '3' } },
  },
  {
    collection: `/apis/apps/v1/namespaces/${NS}/deployments`,
    builtin: true,
    body: (name) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
      },
    }),
    patch: { spec: { replicas: 3, template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } },
  },
  {
    collection: `/api/v1/namespaces/${NS}/services`,
    builtin: true,
    body: (name) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels },
      spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    }),
    patch: { metadata: { annotations: { x: 'y' } }, spec: { ports: [{ port: 80, targetPort: 9090 }] } },
  },
  {
    collection: `/api/v1/namespaces/${NS}/pods`,
    builtin: true,
    body: (name) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 1'], env: [{ name: 'A', value: 'b' }] }] },
    }),
    patch: { metadata: { labels: { extra: 'yes' } }, spec: { activeDeadlineSeconds: 30 } },
  },
];

const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
] as const;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ bootstrap: true });
  expect(
    (
      await call(t.api, {
        method: 'POST',
        path: '/api/v1/namespaces',
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      })
    ).status,
  ).toBe(201);
  for (const k of KINDS) expect((await call(t.api, { method: 'POST', path: k.collection, body: k.body('target') })).status).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

/** What the store holds of one kind: the target object's bytes and the list's bytes. */
async function snapshot(k: Kind): Promise<string> {
  const one = await call(t.api, { path: `${k.collection}/target` });
  const list = await call(t.api, { path: k.collection });
  return `${one.status} ${one.text}\n${list.status} ${list.text}`;
}

interface Case {
  label: string;
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

function mutated(rnd: SeededRandom, doc: Record<string, unknown> | unknown[], encoding: 'json' | 'yaml' | 'protobuf'): Buffer {
  if (encoding === 'protobuf') {
    let bytes = encodeProtobufObject(doc as never);
    for (let n = 1 + rnd.int(3); n > 0; n--) bytes = mutateBytes(rnd, bytes);
    return bytes;
  }
  const structural = rnd.next() < 0.7;
  let bytes = structural ? mutateJson(rnd, doc as never) : Buffer.from(encoding === 'yaml' ? yamlStringify(doc) : JSON.stringify(doc));
  if (!structural || rnd.next() < 0.2) for (let n = 1 + rnd.int(3); n > 0; n--) bytes = mutateBytes(rnd, bytes);
  return bytes;
}

async function makeCase(rnd: SeededRandom, k: Kind, i: number): Promise<Case> {
  const query = [
    rnd.pick(['', 'fieldValidation=Strict', 'fieldValidation=Warn', 'fieldValidation=Ignore']),
    rnd.next() < 0.1 ? 'dryRun=All' : '',
  ].filter(Boolean);
  const op = rnd.pick(['create', 'update', 'patch', 'patch'] as const);
  if (op === 'create' || op === 'update') {
    const encoding = rnd.pick(['json', 'json', 'yaml', 'protobuf'] as const);
    const contentType = { json: 'application/json', yaml: 'application/yaml', protobuf: 'application/vnd.kubernetes.protobuf' }[encoding];
    let doc: Record<string, unknown>;
    if (op === 'create') doc = k.body(`gen-${i}`);
    else {
      const current = await call(t.api, { path: `${k.collection}/target` });
      doc = current.status === 200 ? current.json() : k.body('target');
    }
    const path = op === 'create' ? k.collection : `${k.collection}/target`;
    return {
      label: `${op} ${encoding}`,
      method: op === 'create' ? 'POST' : 'PUT',
      path: `${path}?${query.join('&')}`,
      contentType,
      body: mutated(rnd, doc, encoding),
    };
  }
  const type = rnd.pick(PATCH_TYPES);
  if (type === 'application/apply-patch+yaml') query.push('fieldManager=fuzz', ...(rnd.next() < 0.5 ? ['force=true'] : []));
  const doc: Record<string, unknown> | unknown[] =
    type === 'application/json-patch+json'
      ? [
          { op: 'add', path: '/metadata/labels/fuzzed', value: 'yes' },
          { op: 'replace', path: '/metadata/labels/app', value: 'fuzz' },
        ]
      : type === 'application/apply-patch+yaml'
        ? { ...k.body('target'), ...k.patch }
        : k.patch;
  return {
    label: `patch ${type}`,
    method: 'PATCH',
    path: `${k.collection}/target?${query.join('&')}`,
    contentType: type,
    body: mutated(rnd, doc, 'json'),
  };
}

function failureOf(c: Case, r: TestResponse | undefined, err: unknown): string | undefined {
  if (!r) return `no answer (dropped connection?): ${String(err)}`;
  if (r.status >= 500) return `answered ${r.status}: ${r.text.slice(0, 500)}`;
  if (r.status >= 400) {
    let status: Record<string, unknown>;
    try {
      status = r.json();
    } catch {
      return `error body is not JSON: ${r.text.slice(0, 200)}`;
    }
    if (status['kind'] !== 'Status' || status['apiVersion'] !== 'v1' || status['status'] !== 'Failure' || status['code'] !== r.status)
      return `error body is not a Status: ${r.text.slice(0, 300)}`;
    if (!r.text.endsWith('}\n')) return 'error body does not end with a newline';
  }
  void c;
  return undefined;
}

describe('the write path under mutated bodies', () => {
  it(
    `never answers 5xx, never drops the connection, answers errors as Status and leaves the store unchanged on error (${ITERATIONS} cases from seed ${SEED})`,
    async () => {
      const failures: string[] = [];
      const started = performance.now();
      for (let i = 0; i < ITERATIONS && failures.length < 5; i++) {
        const seed = SEED + i;
        const rnd = new SeededRandom(seed);
        const k = rnd.pick(KINDS);
        const c = await makeCase(rnd, k, i);
        const before = await snapshot(k);
        let r: TestResponse | undefined;
        let err: unknown;
        try {
          r = await call(t.api, {
            method: c.method,
            path: c.path,
            body: c.body,
            headers: { 'Content-Type': c.contentType, Accept: 'application/json' },
          });
        } catch (e) {
          err = e;
        }
        let failure = failureOf(c, r, err);
        if (!failure && r && r.status >= 400) {
          const after = await snapshot(k);
          if (after !== before)
            failure = `answered ${r.status} ${r.text.slice(0, 200)} but the store changed:\nbefore ${before.slice(0, 600)}\nafter  ${after.slice(0, 600)}`;
        }
        if (failure) {
          const line = `seed ${seed} (replay: CONVERGE_FUZZ_SEED=${seed} CONVERGE_FUZZ_ITERATIONS=1): ${c.label} ${c.method} ${c.path} body ${JSON.stringify(c.body.subarray(0, 300).toString('latin1'))}: ${failure}`;
          console.error(line);
          failures.push(line);
        }
      }
      console.info(`wire fuzz: ${ITERATIONS} cases from seed ${SEED} in ${Math.round(performance.now() - started)} ms`);
      expect(failures).toEqual([]);
    },
    60_000 + ITERATIONS * 1000,
  );
});
