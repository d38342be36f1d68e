import { afterAll, describe, expect, test } from 'vitest';
import { defineCustomResource } from '@converge/core';
import { createBuiltinCatalog, ResourceCatalog } from '@converge/core/kinds';
import { z } from 'zod';
import { OpenAPIService } from './openapi-service.js';
import { forEachRef, type OpenAPIV3Document } from './v3-documents.js';

const catalog = createBuiltinCatalog();
const service = new OpenAPIService({ catalog });
afterAll(() => service.close());

type Schema = Record<string, unknown>;
type Operation = Record<string, unknown> & { parameters?: { name: string; in: string }[] };

const doc = (path: string): OpenAPIV3Document => service.v3Object(path)!;
const schemaOf = (d: OpenAPIV3Document, name: string): Schema => {
  const s = d.components.schemas[name];
  if (!s) throw new Error(`no schema ${name}`);
  return s;
};
const refName = (s: unknown): string | undefined => {
  const o = s as Schema;
  if (typeof o.$ref === 'string') return o.$ref.split('/').pop();
  const allOf = o.allOf as Schema[] | undefined;
  return allOf?.[0] && typeof allOf[0].$ref === 'string' ? (allOf[0].$ref as string).split('/').pop() : undefined;
};
const prop = (s: Schema, name: string): Schema => (s.properties as Record<string, Schema>)[name]!;

function operationsOf(d: OpenAPIV3Document): [string, string, Operation][] {
  const out: [string, string, Operation][] = [];
  for (const [path, item] of Object.entries(d.paths)) {
    for (const [method, op] of Object.entries(item)) if (method !== 'parameters') out.push([path, method, op as Operation]);
  }
  return out;
}

describe('the v3 index', () => {
  test('lists every group-version, every group, api and apis, each with a hashed URL of its current document', () => {
    const index = JSON.parse(service.v3Index().body.toString('utf8')) as { paths: Record<string, { serverRelativeURL: string }> };
    for (const p of [
      'api',
      'api/v1',
      'apis',
      'apis/apps',
      'apis/apps/v1',
      'apis/batch/v1',
      'apis/rbac.authorization.k8s.io/v1',
      'apis/apiextensions.k8s.io/v1',
      'apis/authorization.k8s.io/v1',
    ]) {
      expect(index.paths[p], p).toBeDefined();
    }
    for (const [p, { serverRelativeURL }] of Object.entries(index.paths)) {
      const current = service.v3Document(p)!;
      expect(serverRelativeURL).toBe(`/openapi/v3/${p}?hash=${current.hash}`);
      expect(current.hash).toMatch(/^[0-9A-F]{128}$/);
    }
  });

  test('the same catalog gives byte-identical documents (hashes are stable)', () => {
    const other = new OpenAPIService({ catalog: createBuiltinCatalog() });
    expect(other.v3Document('apis/apps/v1')!.hash).toBe(service.v3Document('apis/apps/v1')!.hash);
    expect(other.v3Index().etag).toBe(service.v3Index().etag);
    other.close();
  });
});

describe('group-version documents', () => {
  test('every $ref of every v3 document resolves inside that document', () => {
    for (const p of service.v3Paths()) {
      const d = doc(p);
      const missing = new Set<string>();
      forEachRef(d, (ref) => {
        const name = ref.replace('#/components/schemas/', '');
        if (!ref.startsWith('#/components/schemas/') || !d.components.schemas[name]) missing.add(ref);
      });
      expect([...missing], p).toEqual([]);
    }
  });

  test('schemas carry Kubernetes names and each top-level kind its group-version-kind', () => {
    const apps = doc('apis/apps/v1');
    expect(schemaOf(apps, 'io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    expect(schemaOf(apps, 'io.k8s.api.apps.v1.DeploymentList')['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'DeploymentList', version: 'v1' },
    ]);
    expect(schemaOf(doc('api/v1'), 'io.k8s.api.core.v1.Pod')['x-kubernetes-group-version-kind']).toEqual([
      { group: '', kind: 'Pod', version: 'v1' },
    ]);
    expect(apps.components.schemas['io.k8s.api.autoscaling.v1.ScaleList']).toBeUndefined(); // create-only and subresource kinds have no lists
    expect(
      doc('apis/authorization.k8s.io/v1').components.schemas['io.k8s.api.authorization.v1.SelfSubjectAccessReviewList'],
    ).toBeUndefined();
    const crd = doc('apis/apiextensions.k8s.io/v1');
    expect(schemaOf(crd, 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition')).toBeDefined();
    for (const def of catalog.all()) {
      const d = doc(def.group ? `apis/${def.group}/${def.version}` : `api/${def.version}`);
      const s = schemaOf(d, def.openAPIName!);
      expect(s['x-kubernetes-group-version-kind'], def.kind).toEqual([{ group: def.group, kind: def.kind, version: def.version }]);
      expect(typeof s.description, def.kind).toBe('string');
    }
  });

  test('shared types are referenced, not inlined: metadata, the pod template, selectors, times and quantities', () => {
    const apps = doc('apis/apps/v1');
    const deployment = schemaOf(apps, 'io.k8s.api.apps.v1.Deployment');
    expect(refName(prop(deployment, 'metadata'))).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(refName(prop(deployment, 'spec'))).toBe('io.k8s.api.apps.v1.DeploymentSpec');
    const spec = schemaOf(apps, 'io.k8s.api.apps.v1.DeploymentSpec');
    expect(refName(prop(spec, 'template'))).toBe('io.k8s.api.core.v1.PodTemplateSpec');
    expect(refName(prop(spec, 'selector'))).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector');
    expect(refName(prop(spec, 'strategy'))).toBe('io.k8s.api.apps.v1.DeploymentStrategy');
    expect(prop(spec, 'strategy').description).toBe('How old pods are replaced by new ones.');
    const meta = schemaOf(apps, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(refName(prop(meta, 'creationTimestamp'))).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.Time');
    expect(refName(prop(meta, 'ownerReferences').items as Schema)).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference');
    const resources = schemaOf(apps, 'io.k8s.api.core.v1.ResourceRequirements');
    expect(refName(prop(resources, 'limits').additionalProperties)).toBe('io.k8s.apimachinery.pkg.api.resource.Quantity');
    const rolling = schemaOf(apps, 'io.k8s.api.apps.v1.RollingUpdateDeployment');
    expect(refName(prop(rolling, 'maxSurge'))).toBe('io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    // ObjectMeta's fields appear once, in its own component.
    const text = service.v3Document('apis/apps/v1')!.body.toString('utf8');
    expect(text.split('"generateName"').length - 1).toBe(1);
  });

  test('list metadata lets apply merge containers by name, ports by containerPort, env and volumes by name', () => {
    const core = doc('api/v1');
    const podSpec = schemaOf(core, 'io.k8s.api.core.v1.PodSpec');
    const container = schemaOf(core, 'io.k8s.api.core.v1.Container');
    const expectMerged = (s: Schema, key: string, mapKeys: string[]) => {
      expect(s['x-kubernetes-patch-merge-key']).toBe(key);
      expect(s['x-kubernetes-patch-strategy']).toContain('merge');
      expect(s['x-kubernetes-list-type']).toBe('map');
      expect(s['x-kubernetes-list-map-keys']).toEqual(mapKeys);
    };
    expectMerged(prop(podSpec, 'containers'), 'name', ['name']);
    expectMerged(prop(podSpec, 'initContainers'), 'name', ['name']);
    expectMerged(prop(podSpec, 'volumes'), 'name', ['name']);
    expectMerged(prop(container, 'ports'), 'containerPort', ['containerPort', 'protocol']);
    expectMerged(prop(container, 'env'), 'name', ['name']);
    expectMerged(prop(container, 'volumeMounts'), 'mountPath', ['mountPath']);
    expect(refName(prop(podSpec, 'containers').items)).toBe('io.k8s.api.core.v1.Container');
    expect(refName(prop(container, 'ports').items)).toBe('io.k8s.api.core.v1.ContainerPort');
  });

  test('every operation has an operationId, an action and a group-version-kind; every PATCH lists fieldValidation', () => {
    let patches = 0;
    const ids = new Set<string>();
    for (const p of service.v3Paths()) {
      for (const [path, method, op] of operationsOf(doc(p))) {
        expect(typeof op.operationId, `${method} ${path}`).toBe('string');
        expect(ids.has(op.operationId as string), `duplicate ${op.operationId}`).toBe(false);
        ids.add(op.operationId as string);
        if (path.endsWith('/') && method === 'get') continue; // discovery documents
        expect(op['x-kubernetes-action'], `${method} ${path}`).toBeTypeOf('string');
        expect(op['x-kubernetes-group-version-kind'], `${method} ${path}`).toBeTypeOf('object');
        // Proxies forward any method (their kind is e.g. PodProxyOptions); every other PATCH writes its kind.
        if (method === 'patch' && op['x-kubernetes-action'] !== 'connect') {
          patches++;
          expect(
            op.parameters?.some((q) => q.name === 'fieldValidation' && q.in === 'query'),
            `${method} ${path}`,
          ).toBe(true);
        }
      }
    }
    expect(patches).toBeGreaterThan(55);
  });

  test('operations follow Kubernetes naming and actions', () => {
    const apps = doc('apis/apps/v1');
    const at = (path: string, method: string) => (apps.paths[path] as Record<string, Operation>)[method]!;
    const item = '/apis/apps/v1/namespaces/{namespace}/deployments/{name}';
    expect(at('/apis/apps/v1/namespaces/{namespace}/deployments', 'get')).toMatchObject({
      operationId: 'listAppsV1NamespacedDeployment',
      'x-kubernetes-action': 'list',
    });
    expect(at('/apis/apps/v1/namespaces/{namespace}/deployments', 'post')).toMatchObject({
      operationId: 'createAppsV1NamespacedDeployment',
      'x-kubernetes-action': 'post',
    });
    expect(at('/apis/apps/v1/namespaces/{namespace}/deployments', 'delete')).toMatchObject({
      operationId: 'deleteAppsV1CollectionNamespacedDeployment',
      'x-kubernetes-action': 'deletecollection',
    });
    expect(at(item, 'get')).toMatchObject({
      operationId: 'readAppsV1NamespacedDeployment',
      'x-kubernetes-action': 'get',
      'x-kubernetes-group-version-kind': { group: 'apps', kind: 'Deployment', version: 'v1' },
    });
    expect(at(item, 'put')).toMatchObject({ operationId: 'replaceAppsV1NamespacedDeployment', 'x-kubernetes-action': 'put' });
    expect(at(item, 'patch')).toMatchObject({ operationId: 'patchAppsV1NamespacedDeployment', 'x-kubernetes-action': 'patch' });
    expect(at(item, 'delete')).toMatchObject({ operationId: 'deleteAppsV1NamespacedDeployment', 'x-kubernetes-action': 'delete' });
    expect(at('/apis/apps/v1/deployments', 'get')).toMatchObject({ operationId: 'listAppsV1DeploymentForAllNamespaces' });
    expect(at('/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}', 'get')).toMatchObject({
      operationId: 'watchAppsV1NamespacedDeployment',
      'x-kubernetes-action': 'watch',
    });
    expect(at(`${item}/status`, 'patch')).toMatchObject({
      operationId: 'patchAppsV1NamespacedDeploymentStatus',
      'x-kubernetes-group-version-kind': { group: 'apps', kind: 'Deployment', version: 'v1' },
    });
    expect(at(`${item}/scale`, 'put')).toMatchObject({
      operationId: 'replaceAppsV1NamespacedDeploymentScale',
      'x-kubernetes-group-version-kind': { group: 'autoscaling', kind: 'Scale', version: 'v1' },
    });
    expect(schemaOf(apps, 'io.k8s.api.autoscaling.v1.Scale')).toBeDefined();
    const patchTypes = Object.keys((at(item, 'patch').requestBody as Schema).content as Schema);
    expect(patchTypes).toEqual(
      expect.arrayContaining([
        'application/apply-patch+yaml',
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ]),
    );

    const core = doc('api/v1');
    const coreAt = (path: string, method: string) => (core.paths[path] as Record<string, Operation>)[method]!;
    expect(coreAt('/api/v1/nodes/{name}', 'get')).toMatchObject({ operationId: 'readCoreV1Node' });
    expect(coreAt('/api/v1/namespaces/{namespace}/pods/{name}/log', 'get')).toMatchObject({ operationId: 'readCoreV1NamespacedPodLog' });
    expect(coreAt('/api/v1/namespaces/{namespace}/pods/{name}/eviction', 'post')).toMatchObject({
      operationId: 'createCoreV1NamespacedPodEviction',
      'x-kubernetes-group-version-kind': { group: 'policy', kind: 'Eviction', version: 'v1' },
    });
    expect(coreAt('/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token', 'post')).toMatchObject({
      operationId: 'createCoreV1NamespacedServiceAccountToken',
    });
    expect(coreAt('/api/v1/namespaces/{namespace}/pods/{name}/exec', 'post')).toMatchObject({
      operationId: 'connectCoreV1PostNamespacedPodExec',
      'x-kubernetes-action': 'connect',
    });
    const rbac = doc('apis/rbac.authorization.k8s.io/v1');
    expect((rbac.paths['/apis/rbac.authorization.k8s.io/v1/clusterroles/{name}'] as Record<string, Operation>).get).toMatchObject({
      operationId: 'readRbacAuthorizationV1ClusterRole',
    });
    const authz = doc('apis/authorization.k8s.io/v1');
    expect((authz.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'] as Record<string, Operation>).post).toMatchObject({
      operationId: 'createAuthorizationV1SelfSubjectAccessReview',
    });
  });
});

describe('custom resources', () => {
  test('appear in the index the moment they are added, with their schema and operations, and go when removed', () => {
    const cat = new ResourceCatalog(createBuiltinCatalog().all());
    const svc = new OpenAPIService({ catalog: cat });
    const before = svc.v3Index().etag;
    expect(svc.v3Document('apis/stable.example.com/v1')).toBeUndefined();
    const crontabs = defineCustomResource({
      group: 'stable.example.com',
      version: 'v1',
      kind: 'CronTab',
      plural: 'crontabs',
      spec: z.object({ cronSpec: z.string().meta({ description: 'The schedule.' }), image: z.string() }),
      status: z.object({ active: z.number().int().optional() }),
    });
    cat.add(crontabs);
    expect(svc.v3Index().etag).not.toBe(before);
    const d = svc.v3Object('apis/stable.example.com/v1')!;
    const s = schemaOf(d, 'com.example.stable.v1.CronTab');
    expect(s['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(refName(prop(s, 'metadata'))).toBe('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    expect(prop(prop(s, 'spec'), 'cronSpec').description).toBe('The schedule.');
    const patch = (d.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'] as Record<string, Operation>).patch!;
    expect(patch.parameters!.some((q) => q.name === 'fieldValidation')).toBe(true);
    expect(Object.keys((patch.requestBody as Schema).content as Schema)).not.toContain('application/strategic-merge-patch+json');
    expect(
      (d.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status'] as Record<string, Operation>).patch,
    ).toMatchObject({ operationId: 'patchStableExampleComV1NamespacedCronTabStatus' });
    expect(JSON.parse(svc.v3Index().body.toString()).paths['apis/stable.example.com']).toBeDefined();
    expect((JSON.parse(svc.v2().json.toString()) as { definitions: Schema }).definitions['com.example.stable.v1.CronTab']).toBeDefined();

    cat.remove(crontabs);
    expect(svc.v3Document('apis/stable.example.com/v1')).toBeUndefined();
    expect(JSON.parse(svc.v3Index().body.toString()).paths['apis/stable.example.com/v1']).toBeUndefined();
    expect(svc.v3Index().etag).toBe(before);
    svc.close();
  });
});

describe('the v2 document', () => {
  const v2 = JSON.parse(service.v2().json.toString('utf8')) as {
    swagger: string;
    definitions: Record<string, Schema>;
    paths: Record<string, Record<string, Operation>>;
  };

  test('is Swagger 2.0 with every definition and every reference resolving', () => {
    expect(v2.swagger).toBe('2.0');
    expect(v2.definitions['io.k8s.api.apps.v1.Deployment']!['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    const missing = new Set<string>();
    forEachRef(v2, (ref) => {
      if (!ref.startsWith('#/definitions/') || !v2.definitions[ref.slice('#/definitions/'.length)]) missing.add(ref);
    });
    expect([...missing]).toEqual([]);
    const text = service.v2().json.toString('utf8');
    expect(text).not.toContain('#/components/');
    expect(text).not.toContain('"oneOf"');
    expect(text).not.toContain('"anyOf"');
  });

  test('writes references beside descriptions, int-or-strings as strings, bodies as body parameters', () => {
    const spec = v2.definitions['io.k8s.api.apps.v1.DeploymentSpec']!;
    expect(prop(spec, 'strategy')).toMatchObject({
      $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy',
      description: 'How old pods are replaced by new ones.',
    });
    expect(v2.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    const container = v2.definitions['io.k8s.api.core.v1.Container']!;
    expect(prop(container, 'ports')['x-kubernetes-patch-merge-key']).toBe('containerPort');
    const create = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments']!.post!;
    expect(create.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'body', in: 'body', schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } }),
      ]),
    );
    const patch = v2.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    expect(patch.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'fieldValidation', in: 'query', type: 'string' })]),
    );
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', kind: 'Deployment', version: 'v1' });
  });
});
