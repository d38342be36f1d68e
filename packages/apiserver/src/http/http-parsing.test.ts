import { describe, expect, it } from 'vitest';
import { StatusError } from '@converge/core';
import { parseJson, parseYaml } from './body-decoder.js';
import { findDuplicateFields } from './json-duplicate-fields.js';
import { bodyEncodingOf, contentTypeOf, negotiate, patchTypeOf } from './media-types.js';
import { deleteOptionsOf, listOptionsOf, managerFromUserAgent, watchOptionsOf, writeOptionsOf } from './query-options.js';
import { parseRequestInfo } from './request-info.js';

const info = (method: string, path: string) => parseRequestInfo(method, new URL(path, 'https://x'));

describe('parseRequestInfo', () => {
  it('reads namespaced, cluster-scoped and subresource paths', () => {
    expect(info('GET', '/api/v1/namespaces/default/pods/web/log')).toMatchObject({
      isResourceRequest: true,
      verb: 'get',
      group: '',
      version: 'v1',
      namespace: 'default',
      resource: 'pods',
      name: 'web',
      subresource: 'log',
    });
    expect(info('GET', '/apis/apps/v1/deployments')).toMatchObject({ verb: 'list', group: 'apps', resource: 'deployments', namespace: '' });
    expect(info('DELETE', '/api/v1/nodes/n1')).toMatchObject({ verb: 'delete', resource: 'nodes', name: 'n1' });
    expect(info('DELETE', '/api/v1/namespaces/ns/configmaps')).toMatchObject({ verb: 'deletecollection', resource: 'configmaps' });
    expect(info('PATCH', '/apis/apps/v1/namespaces/ns/deployments/d/scale')).toMatchObject({ verb: 'patch', subresource: 'scale' });
  });

  it('keeps the verb of the method on proxy subresources, as authorizers see them in Kubernetes', () => {
    expect(info('GET', '/api/v1/namespaces/default/services/app:80/proxy/a/b')).toMatchObject({
      verb: 'get',
      resource: 'services',
      name: 'app:80',
      subresource: 'proxy',
      parts: ['services', 'app:80', 'proxy', 'a', 'b'],
    });
    expect(info('POST', '/api/v1/nodes/n1/proxy/')).toMatchObject({ verb: 'create', resource: 'nodes', name: 'n1', subresource: 'proxy' });
  });

  it('reads the namespace object itself and its status', () => {
    expect(info('GET', '/api/v1/namespaces/team')).toMatchObject({ resource: 'namespaces', name: 'team' });
    expect(info('PUT', '/api/v1/namespaces/team/status')).toMatchObject({
      verb: 'update',
      resource: 'namespaces',
      name: 'team',
      subresource: 'status',
    });
  });

  it('recognises watches by parameter and by the legacy /watch/ prefix', () => {
    expect(info('GET', '/api/v1/pods?watch=1').verb).toBe('watch');
    expect(info('GET', '/api/v1/pods?watch=true').verb).toBe('watch');
  });

  it('reads watch as Kubernetes converts query booleans: false only for 0 and false in any case', () => {
    for (const v of ['True', 'TRUE', 't', 'yes', '', 'anything']) expect(info('GET', `/api/v1/pods?watch=${v}`).verb, v).toBe('watch');
    expect(info('GET', '/api/v1/pods?watch').verb).toBe('watch');
    for (const v of ['0', 'false', 'False', 'FALSE']) expect(info('GET', `/api/v1/pods?watch=${v}`).verb, v).toBe('list');
    expect(info('GET', '/api/v1/pods?watch=false&watch=true').verb).toBe('list');
    expect(info('GET', '/api/v1/watch/namespaces/x/pods')).toMatchObject({ verb: 'watch', namespace: 'x', resource: 'pods' });
  });

  it('treats discovery and other paths as non-resource requests', () => {
    for (const p of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/version', '/openapi/v3'])
      expect(info('GET', p).isResourceRequest).toBe(false);
  });
});

describe('content negotiation', () => {
  it('picks Tables, partial metadata and aggregated discovery from media-type parameters', () => {
    expect(negotiate('application/json;as=Table;v=v1;g=meta.k8s.io,application/json', { table: true })).toEqual({
      kind: 'table',
      format: 'json',
      version: 'v1',
    });
    expect(negotiate('application/json;as=Table;v=v1;g=meta.k8s.io,application/json', {})).toEqual({ kind: 'object', format: 'json' });
    expect(negotiate('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', { partial: true })).toMatchObject({
      kind: 'partial',
      list: true,
    });
    expect(negotiate('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', { discovery: true })).toEqual(
      { kind: 'discovery', version: 'v2' },
    );
    expect(negotiate('application/vnd.kubernetes.protobuf,application/json')).toEqual({ kind: 'object', format: 'json' });
    expect(negotiate('application/yaml')).toEqual({ kind: 'object', format: 'yaml' });
    expect(negotiate(undefined)).toEqual({ kind: 'object', format: 'json' });
    expect(negotiate('*/*')).toEqual({ kind: 'object', format: 'json' });
  });

  it('honours quality values and refuses what it cannot produce with 406', () => {
    expect(negotiate('application/json;q=0.5,application/yaml')).toEqual({ kind: 'object', format: 'yaml' });
    expect(() => negotiate('text/html')).toThrow(StatusError);
    expect(() => negotiate('application/vnd.kubernetes.protobuf')).toThrow(/only the following media types are accepted/);
  });

  it('names the content types it produces', () => {
    expect(contentTypeOf({ kind: 'table', format: 'json', version: 'v1' })).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(contentTypeOf({ kind: 'discovery', version: 'v2' })).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
  });

  it('maps body and patch content types, refusing others with 415', () => {
    expect(bodyEncodingOf('application/json; charset=utf-8')).toBe('json');
    expect(bodyEncodingOf(undefined)).toBe('json');
    expect(bodyEncodingOf('application/yaml')).toBe('yaml');
    expect(bodyEncodingOf('application/vnd.kubernetes.protobuf')).toBe('protobuf');
    expect(() => bodyEncodingOf('text/plain')).toThrow(expect.objectContaining({ code: 415 }));
    expect(patchTypeOf('application/apply-patch+yaml', { strategic: true })).toBe('apply');
    expect(patchTypeOf('application/strategic-merge-patch+json', { strategic: true })).toBe('strategic');
    expect(() => patchTypeOf('application/strategic-merge-patch+json', { strategic: false })).toThrow(
      expect.objectContaining({ code: 415 }),
    );
  });
});

describe('duplicate fields', () => {
  it('finds fields named twice in one object, with their paths', () => {
    expect(findDuplicateFields('{"a":1,"b":{"c":1,"c":2},"l":[{"x":1,"x":2}],"a":3}')).toEqual(['b.c', 'l[0].x', 'a']);
    expect(findDuplicateFields('{"a":"x\\"y","b":1}')).toEqual([]);
    expect(findDuplicateFields('{"\\u0061":1,"a":2}')).toEqual(['a']);
  });

  it('finds them in YAML too', () => {
    expect(parseYaml('a: 1\nspec:\n  b: 1\n  b: 2\n', true).duplicateFields).toEqual(['spec.b']);
  });

  it('answers malformed bodies with a 400', () => {
    expect(() => parseJson('{"a":')).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => parseYaml('a: [1, 2\n')).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => parseYaml('a: 1\n---\nb: 2\n')).toThrow(/more than one YAML document/);
  });
});

describe('query options', () => {
  const q = (s: string) => new URLSearchParams(s);

  it('reads list options, leaving their combination to the store, and refuses unreadable ones', () => {
    expect(listOptionsOf(q('labelSelector=a%3Db&limit=5&continue=c'), 'ns')).toEqual({
      namespace: 'ns',
      labelSelector: 'a=b',
      limit: 5,
      continue: 'c',
    });
    expect(listOptionsOf(q('resourceVersion=10&resourceVersionMatch=Exact'), undefined)).toEqual({
      resourceVersion: '10',
      resourceVersionMatch: 'Exact',
    });
    expect(listOptionsOf(q('resourceVersionMatch=Exact'), undefined)).toEqual({ resourceVersionMatch: 'Exact' });
    expect(() => listOptionsOf(q('limit=x'), undefined)).toThrow(expect.objectContaining({ code: 400 }));
  });

  it('reads watch options, turning a name into a field selector', () => {
    expect(watchOptionsOf(q('resourceVersion=3&allowWatchBookmarks=true&timeoutSeconds=30'), 'ns', 'web')).toEqual({
      namespace: 'ns',
      fieldSelector: 'metadata.name=web',
      resourceVersion: '3',
      allowWatchBookmarks: true,
      timeoutSeconds: 30,
    });
    expect(watchOptionsOf(q('sendInitialEvents=true&resourceVersionMatch=NotOlderThan'), undefined)).toMatchObject({
      sendInitialEvents: true,
    });
    expect(() => watchOptionsOf(q('sendInitialEvents=true'), undefined)).toThrow(expect.objectContaining({ code: 422 }));
  });

  it('names the field manager of a write after the User-Agent when the request names none', () => {
    expect(managerFromUserAgent('kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07')).toBe('kubectl');
    expect(managerFromUserAgent(undefined)).toBeUndefined();
    expect(writeOptionsOf(q(''), 'kube-scheduler/v1.32')).toEqual({ fieldManager: 'kube-scheduler' });
    expect(writeOptionsOf(q('fieldManager=mine'), 'kubectl/v1')).toEqual({ fieldManager: 'mine' });
    expect(managerFromUserAgent('x'.repeat(300))).toHaveLength(128);
  });

  it('reads write and delete options', () => {
    expect(writeOptionsOf(q('dryRun=All&fieldManager=kubectl-apply&fieldValidation=Strict'))).toEqual({
      dryRun: true,
      fieldManager: 'kubectl-apply',
      fieldValidation: 'Strict',
    });
    expect(() => writeOptionsOf(q('dryRun=Some'))).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => writeOptionsOf(q('fieldValidation=Loose'))).toThrow(expect.objectContaining({ code: 400 }));
    expect(deleteOptionsOf(q('gracePeriodSeconds=0'), { propagationPolicy: 'Foreground', preconditions: { uid: 'u' } })).toEqual({
      gracePeriodSeconds: 0,
      propagationPolicy: 'Foreground',
      preconditions: { uid: 'u' },
    });
    expect(deleteOptionsOf(q('orphanDependents=true'), undefined)).toEqual({ propagationPolicy: 'Orphan' });
  });
});
