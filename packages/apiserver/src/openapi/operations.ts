/**
 * The OpenAPI v3 path items of a kind: one operation per verb it serves, at the paths Kubernetes
 * serves it (namespaced and across namespaces, by name, under `/watch/`, and its subresources),
 * each with `operationId`, `x-kubernetes-action`, `x-kubernetes-group-version-kind` and the query
 * parameters the server honours. PATCH (and PUT and POST) list `fieldValidation`: kubectl reads
 * that parameter off the PATCH operation of a kind to decide the server validates fields.
 */
import { type GroupVersionKind, type ResourceDefinition } from '@converge/core';
import { subresourcesOf, type SubresourceInfo } from '../discovery/subresources.js';
import { gvkExtension, operationGroupStem, refTo, restPrefix, type OpenAPISchema } from './openapi-names.js';
import { MetaNames } from './static-components.js';

/** A path item: operations by HTTP method, plus shared `parameters`. */
export type PathItem = Record<string, unknown>;

/** What the operations need from the document being built. */
export interface OperationContext {
  /** The component name of a kind's schema (added to the document), or undefined when the document cannot describe it. */
  componentOf(gvk: GroupVersionKind): string | undefined;
}

const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type Param = OpenAPISchema;

function query(name: string, description: string, schema: OpenAPISchema): Param {
  return { name, in: 'query', description, schema: { ...schema, uniqueItems: true } };
}
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };

const P = {
  pretty: query('pretty', "If 'true', the output is pretty printed.", str),
  dryRun: query('dryRun', 'When present (`All`), the request is checked, defaulted and validated but nothing is stored.', str),
  fieldManager: query(
    'fieldManager',
    'The name of the actor making the change, recorded in managedFields (at most 128 printable characters).',
    str,
  ),
  fieldValidation: query(
    'fieldValidation',
    'What to do with unknown or duplicate fields in the body: `Ignore` drops them, `Warn` drops them with a `Warning` header each, `Strict` (the default) fails the request with a BadRequest naming them.',
    str,
  ),
  force: query('force', 'Forces an apply request through conflicts with other managers (apply patches only).', bool),
  allowWatchBookmarks: query('allowWatchBookmarks', 'Asks a watch for BOOKMARK events, which carry only a resourceVersion.', bool),
  continue: query('continue', 'The token of the previous page of a paged list (`metadata.continue`).', str),
  fieldSelector: query('fieldSelector', 'Restricts the objects by their fields, e.g. `metadata.name=web,status.phase!=Running`.', str),
  labelSelector: query('labelSelector', 'Restricts the objects by their labels, e.g. `app=web,tier in (front,back)`.', str),
  limit: query('limit', 'The most objects to return in one page of a list; `metadata.continue` reads the rest.', int),
  resourceVersion: query('resourceVersion', 'The resourceVersion a list must be at least as new as, or a watch starts after.', str),
  resourceVersionMatch: query('resourceVersionMatch', 'How resourceVersion applies to a list: `NotOlderThan` or `Exact`.', str),
  sendInitialEvents: query(
    'sendInitialEvents',
    'Whether a watch starts with the current objects as ADDED events, ended by a bookmark.',
    bool,
  ),
  timeoutSeconds: query('timeoutSeconds', 'How long a list or watch call may last.', int),
  watch: query('watch', 'Turns a list into a watch of changes.', bool),
  gracePeriodSeconds: query('gracePeriodSeconds', 'Seconds the object has to terminate gracefully; 0 deletes at once.', int),
  ignoreStoreReadError: query(
    'ignoreStoreReadErrorWithClusterBreakingPotential',
    'Deletes an object that cannot be read back from storage (dangerous).',
    bool,
  ),
  orphanDependents: query('orphanDependents', 'Deprecated: use propagationPolicy.', bool),
  propagationPolicy: query('propagationPolicy', 'How dependents are garbage collected: `Orphan`, `Background` or `Foreground`.', str),
  container: query('container', 'The container to act on; the only container when unset.', str),
};

const LIST_PARAMS = [
  P.allowWatchBookmarks,
  P.continue,
  P.fieldSelector,
  P.labelSelector,
  P.limit,
  P.resourceVersion,
  P.resourceVersionMatch,
  P.sendInitialEvents,
  P.timeoutSeconds,
  P.watch,
];
const WRITE_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_PARAMS = [P.dryRun, P.fieldManager, P.fieldValidation, P.force];
const DELETE_PARAMS = [P.dryRun, P.gracePeriodSeconds, P.ignoreStoreReadError, P.orphanDependents, P.propagationPolicy];

function pathParam(name: string, description: string): Param {
  return { name, in: 'path', required: true, description, schema: { type: 'string', uniqueItems: true } };
}

const RESPONSE_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const WATCH_TYPES = [
  'application/json',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf;stream=watch',
];

function content(types: readonly string[], schema: OpenAPISchema): Record<string, { schema: OpenAPISchema }> {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

function response(description: string, schema: OpenAPISchema, types: readonly string[] = RESPONSE_TYPES): OpenAPISchema {
  return { description, content: content(types, schema) };
}

const UNAUTHORIZED = { description: 'Unauthorized' };

function bodyOf(schema: OpenAPISchema): OpenAPISchema {
  return { required: true, content: { '*/*': { schema } } };
}

function patchBody(strategic: boolean): OpenAPISchema {
  const types = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
  if (strategic) types.push('application/strategic-merge-patch+json');
  return { required: true, content: content(types, refTo(MetaNames.Patch)) };
}

function pascal(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** The path items of one kind, keyed by path (`/apis/apps/v1/namespaces/{namespace}/deployments`). */
export function operationsOf(def: ResourceDefinition, ctx: OperationContext): Record<string, PathItem> {
  const paths: Record<string, PathItem> = {};
  const gvk: GroupVersionKind = { group: def.group, version: def.version, kind: def.kind };
  const kindName = ctx.componentOf(gvk);
  if (!kindName) return paths;
  const listName = `${kindName}List`;
  const verbs = new Set(def.verbs ?? DEFAULT_VERBS);
  const stem = operationGroupStem(def);
  const ns = def.namespaced ? 'Namespaced' : '';
  const prefix = restPrefix(def);
  const nsSeg = def.namespaced ? '/namespaces/{namespace}' : '';
  const collection = `${prefix}${nsSeg}/${def.resource}`;
  const item = `${collection}/{name}`;
  const nsParam = pathParam('namespace', 'The object name and auth scope, such as for teams and projects.');
  const nameParam = pathParam('name', `The name of the ${def.kind}.`);
  const common = (...extra: Param[]): Param[] => [...extra, P.pretty];
  const ext = (action: string, kind: GroupVersionKind = gvk): OpenAPISchema => ({
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvkExtension(kind),
  });
  const op = (id: string, description: string, action: string, rest: OpenAPISchema, kind?: GroupVersionKind): OpenAPISchema => ({
    tags: [stem.replace(/^./, (c) => c.toLowerCase())],
    description,
    operationId: id,
    ...rest,
    ...ext(action, kind),
  });
  const strategic = Boolean(def.openAPIName?.startsWith('io.k8s.'));
  const kindRef = refTo(kindName);

  // The collection: list, create, deletecollection.
  const coll: PathItem = { parameters: common(...(def.namespaced ? [nsParam] : [])) };
  if (verbs.has('list')) {
    coll.get = op(`list${stem}${ns}${def.kind}`, `list or watch objects of kind ${def.kind}`, 'list', {
      parameters: LIST_PARAMS,
      responses: { '200': response('OK', refTo(listName), WATCH_TYPES), '401': UNAUTHORIZED },
    });
  }
  if (verbs.has('create')) {
    coll.post = op(`create${stem}${ns}${def.kind}`, `create a ${def.kind}`, 'post', {
      parameters: WRITE_PARAMS,
      requestBody: bodyOf(kindRef),
      responses: {
        '200': response('OK', kindRef),
        '201': response('Created', kindRef),
        '202': response('Accepted', kindRef),
        '401': UNAUTHORIZED,
      },
    });
  }
  if (verbs.has('deletecollection')) {
    coll.delete = op(`delete${stem}Collection${ns}${def.kind}`, `delete collection of ${def.kind}`, 'deletecollection', {
      parameters: [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p !== P.watch && p !== P.allowWatchBookmarks)],
      requestBody: { content: { '*/*': { schema: refTo(MetaNames.DeleteOptions) } } },
      responses: { '200': response('OK', refTo(MetaNames.Status)), '401': UNAUTHORIZED },
    });
  }
  if (Object.keys(coll).length > 1) paths[collection] = coll;

  // One object: read, replace, patch, delete.
  const one: PathItem = { parameters: common(nameParam, ...(def.namespaced ? [nsParam] : [])) };
  if (verbs.has('get')) {
    one.get = op(`read${stem}${ns}${def.kind}`, `read the specified ${def.kind}`, 'get', {
      responses: { '200': response('OK', kindRef), '401': UNAUTHORIZED },
    });
  }
  if (verbs.has('update')) {
    one.put = op(`replace${stem}${ns}${def.kind}`, `replace the specified ${def.kind}`, 'put', {
      parameters: WRITE_PARAMS,
      requestBody: bodyOf(kindRef),
      responses: { '200': response('OK', kindRef), '201': response('Created', kindRef), '401': UNAUTHORIZED },
    });
  }
  if (verbs.has('patch')) {
    one.patch = op(`patch${stem}${ns}${def.kind}`, `partially update the specified ${def.kind}`, 'patch', {
      parameters: PATCH_PARAMS,
      requestBody: patchBody(strategic),
      responses: { '200': response('OK', kindRef), '201': response('Created', kindRef), '401': UNAUTHORIZED },
    });
  }
  if (verbs.has('delete')) {
    one.delete = op(`delete${stem}${ns}${def.kind}`, `delete a ${def.kind}`, 'delete', {
      parameters: DELETE_PARAMS,
      requestBody: { content: { '*/*': { schema: refTo(MetaNames.DeleteOptions) } } },
      responses: {
        '200': response('OK', refTo(MetaNames.Status)),
        '202': response('Accepted', refTo(MetaNames.Status)),
        '401': UNAUTHORIZED,
      },
    });
  }
  if (Object.keys(one).length > 1) paths[item] = one;

  if (verbs.has('list') && def.namespaced) {
    paths[`${prefix}/${def.resource}`] = {
      parameters: common(),
      get: op(`list${stem}${def.kind}ForAllNamespaces`, `list or watch objects of kind ${def.kind}`, 'list', {
        parameters: LIST_PARAMS,
        responses: { '200': response('OK', refTo(listName), WATCH_TYPES), '401': UNAUTHORIZED },
      }),
    };
  }
  if (verbs.has('watch')) {
    const watchResponse = { '200': response('OK', refTo(MetaNames.WatchEvent), WATCH_TYPES), '401': UNAUTHORIZED };
    const w = `${prefix}/watch${nsSeg}/${def.resource}`;
    paths[w] = {
      parameters: common(...LIST_PARAMS, ...(def.namespaced ? [nsParam] : [])),
      get: op(
        `watch${stem}${ns}${def.kind}List`,
        `watch individual changes to a list of ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
        'watchlist',
        { responses: watchResponse },
      ),
    };
    paths[`${w}/{name}`] = {
      parameters: common(...LIST_PARAMS, nameParam, ...(def.namespaced ? [nsParam] : [])),
      get: op(
        `watch${stem}${ns}${def.kind}`,
        `watch changes to an object of kind ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
        'watch',
        {
          responses: watchResponse,
        },
      ),
    };
    if (def.namespaced) {
      paths[`${prefix}/watch/${def.resource}`] = {
        parameters: common(...LIST_PARAMS),
        get: op(
          `watch${stem}${def.kind}ListForAllNamespaces`,
          `watch individual changes to a list of ${def.kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
          'watchlist',
          {
            responses: watchResponse,
          },
        ),
      };
    }
  }

  for (const sub of subresourcesOf(def)) {
    const item = subresourceItem(def, sub, {
      stem,
      ns,
      op,
      ctx,
      params: common(nameParam, ...(def.namespaced ? [nsParam] : [])),
      strategic,
    });
    if (item) paths[`${collection}/{name}/${sub.name}`] = item;
  }
  return paths;
}

interface SubresourceContext {
  stem: string;
  ns: string;
  op: (id: string, description: string, action: string, rest: OpenAPISchema, kind?: GroupVersionKind) => OpenAPISchema;
  ctx: OperationContext;
  params: Param[];
  strategic: boolean;
}

function subresourceItem(def: ResourceDefinition, sub: SubresourceInfo, c: SubresourceContext): PathItem | undefined {
  const { stem, ns, op } = c;
  const Sub = pascal(sub.name);
  const base = `${stem}${ns}${def.kind}${Sub}`;
  const item: PathItem = { parameters: c.params };
  const verbs = new Set(sub.verbs);
  const text = { type: 'string' };
  switch (sub.name) {
    case 'log':
      item.get = op(
        `read${base}`,
        `read log of the specified ${def.kind}`,
        'get',
        {
          parameters: [
            P.container,
            query('follow', 'Streams the log as it grows.', bool),
            query('previous', 'The log of the previous, terminated container.', bool),
            query('sinceSeconds', 'Only lines newer than this many seconds.', int),
            query('tailLines', 'Only this many lines from the end.', int),
            query('timestamps', 'Prefixes each line with its RFC 3339 timestamp.', bool),
          ],
          responses: {
            '200': response('OK', text, ['text/plain', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']),
            '401': UNAUTHORIZED,
          },
        },
        { group: def.group, version: def.version, kind: def.kind },
      );
      return item;
    case 'exec':
    case 'attach':
    case 'portforward':
    case 'proxy': {
      const methods = sub.name === 'proxy' ? ['get', 'post', 'put', 'patch', 'delete'] : ['get', 'post'];
      const connectKind = sub.kind;
      for (const m of methods) {
        item[m] = op(
          `connect${stem}${pascal(m)}${ns}${def.kind}${Sub}`,
          `connect ${m.toUpperCase()} requests to ${sub.name} of ${def.kind}`,
          'connect',
          {
            responses: { '200': response('OK', text, ['*/*']), '401': UNAUTHORIZED },
          },
          connectKind,
        );
      }
      return item;
    }
  }
  const kindName = c.ctx.componentOf(sub.kind);
  if (!kindName) return undefined;
  const ref = refTo(kindName);
  if (verbs.has('get'))
    item.get = op(
      `read${base}`,
      `read ${sub.name} of the specified ${def.kind}`,
      'get',
      { responses: { '200': response('OK', ref), '401': UNAUTHORIZED } },
      sub.kind,
    );
  if (verbs.has('update')) {
    item.put = op(
      `replace${base}`,
      `replace ${sub.name} of the specified ${def.kind}`,
      'put',
      {
        parameters: WRITE_PARAMS,
        requestBody: bodyOf(ref),
        responses: { '200': response('OK', ref), '201': response('Created', ref), '401': UNAUTHORIZED },
      },
      sub.kind,
    );
  }
  if (verbs.has('patch')) {
    item.patch = op(
      `patch${base}`,
      `partially update ${sub.name} of the specified ${def.kind}`,
      'patch',
      {
        parameters: PATCH_PARAMS,
        requestBody: patchBody(c.strategic),
        responses: { '200': response('OK', ref), '201': response('Created', ref), '401': UNAUTHORIZED },
      },
      sub.kind,
    );
  }
  if (verbs.has('create')) {
    item.post = op(
      `create${base}`,
      `create ${sub.name} of a ${def.kind}`,
      'post',
      {
        parameters: WRITE_PARAMS,
        requestBody: bodyOf(ref),
        responses: { '200': response('OK', ref), '201': response('Created', ref), '202': response('Accepted', ref), '401': UNAUTHORIZED },
      },
      sub.kind,
    );
  }
  return Object.keys(item).length > 1 ? item : undefined;
}
