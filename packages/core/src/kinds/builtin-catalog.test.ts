import { describe, expect, it } from 'vitest';
import { builtinResources, createBuiltinCatalog, subresourceKinds } from './builtin-catalog.js';
import { jsonSchemaOf } from './schema/json-schema.js';
import { hasZodOnlyChecks } from './validation/zod-issues.js';

describe('the builtin catalog', () => {
  const catalog = createBuiltinCatalog();

  it('finds kinds by the short names kubectl users type', () => {
    const cases: [string, string, string][] = [
      ['po', '', 'pods'],
      ['svc', '', 'services'],
      ['deploy', 'apps', 'deployments'],
      ['rs', 'apps', 'replicasets'],
      ['rc', '', 'replicationcontrollers'],
      ['sts', 'apps', 'statefulsets'],
      ['ds', 'apps', 'daemonsets'],
      ['cj', 'batch', 'cronjobs'],
      ['ns', '', 'namespaces'],
      ['no', '', 'nodes'],
      ['cm', '', 'configmaps'],
      ['sa', '', 'serviceaccounts'],
      ['ep', '', 'endpoints'],
      ['pv', '', 'persistentvolumes'],
      ['pvc', '', 'persistentvolumeclaims'],
      ['crd', 'apiextensions.k8s.io', 'customresourcedefinitions'],
      ['crds', 'apiextensions.k8s.io', 'customresourcedefinitions'],
      ['pc', 'scheduling.k8s.io', 'priorityclasses'],
      ['netpol', 'networking.k8s.io', 'networkpolicies'],
      ['ing', 'networking.k8s.io', 'ingresses'],
      ['hpa', 'autoscaling', 'horizontalpodautoscalers'],
      ['limits', '', 'limitranges'],
      ['quota', '', 'resourcequotas'],
      ['sc', 'storage.k8s.io', 'storageclasses'],
      ['pdb', 'policy', 'poddisruptionbudgets'],
    ];
    for (const [short, group, resource] of cases) {
      const found = catalog.find(short);
      expect(
        found.map((d) => `${d.group}/${d.resource}`),
        short,
      ).toContain(`${group}/${resource}`);
    }
  });

  it('finds events in both groups by ev', () => {
    expect(
      catalog
        .find('ev')
        .map((d) => d.group)
        .sort(),
    ).toEqual(['', 'events.k8s.io']);
  });

  it('finds a kind by apiVersion and kind', () => {
    expect(catalog.forKind('apps/v1', 'Deployment')?.resource).toBe('deployments');
    expect(catalog.forKind('v1', 'Pod')?.openAPIName).toBe('io.k8s.api.core.v1.Pod');
    expect(catalog.get({ group: 'batch', version: 'v1', resource: 'jobs' })?.kind).toBe('Job');
  });

  it('puts the workloads of kubectl get all in category all', () => {
    const all = [...new Set(builtinResources.filter((d) => d.categories?.includes('all')).map((d) => d.resource))].sort();
    expect(all).toEqual([
      'cronjobs',
      'daemonsets',
      'deployments',
      'horizontalpodautoscalers',
      'jobs',
      'pods',
      'replicasets',
      'replicationcontrollers',
      'services',
      'statefulsets',
    ]);
  });

  it('serves the review kinds for create only and keeps subresource bodies out of discovery', () => {
    const ssar = catalog.find('selfsubjectaccessreviews')[0]!;
    expect(ssar.virtual).toBe(true);
    expect(ssar.verbs).toEqual(['create']);
    expect(catalog.find('scales')).toEqual([]);
    expect(subresourceKinds.map((d) => d.kind)).toEqual(['Scale', 'Eviction', 'TokenRequest']);
  });

  it('gives the workloads a scale subresource with replica paths', () => {
    for (const r of ['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers']) {
      expect(catalog.find(r)[0]!.subresources?.scale).toEqual({
        specReplicasPath: '.spec.replicas',
        statusReplicasPath: '.status.replicas',
        labelSelectorPath: '.spec.selector',
      });
    }
    expect(catalog.find('pods')[0]!.subresources?.others).toEqual(
      expect.arrayContaining(['log', 'exec', 'attach', 'portforward', 'eviction', 'binding', 'proxy']),
    );
  });

  it('validates every built-in kind with the compiled JSON schema alone (no zod pass on the hot path)', () => {
    for (const d of [...builtinResources, ...subresourceKinds]) expect(hasZodOnlyChecks(d.schema), d.kind).toBe(false);
  });

  it('has a JSON schema, description, openAPIName and printer columns for every kind', () => {
    for (const d of [...builtinResources, ...subresourceKinds]) {
      const s = jsonSchemaOf(d);
      expect(s.type, d.kind).toBe('object');
      expect(s.properties?.metadata, d.kind).toBeDefined();
      expect(d.description, d.kind).toBeTruthy();
      expect(d.openAPIName, d.kind).toMatch(/^io\.k8s\./);
      if (!d.virtual) expect(d.printerColumns?.length, d.kind).toBeGreaterThan(0);
    }
  });
});
