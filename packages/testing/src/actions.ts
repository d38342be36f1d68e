import type { KubeObject, ObjectKey, ObjectList, Patch, ResourceType } from '@converge/core';

/** The verbs of the ObjectStore contract, as Kubernetes names them in audit logs and RBAC rules. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

/** The verbs that change something. */
export const WRITE_VERBS: readonly Verb[] = Object.freeze(['create', 'update', 'patch', 'delete', 'deletecollection']);

/**
 * One call a test's code made on a FakeStore, as client-go's fake clientset records them:
 * what was asked (verb, kind, key, body, patch, subresource, options) and how it ended.
 *
 * Bodies are recorded as deep-frozen copies taken at the moment of the call, so a caller
 * that mutates its object afterwards does not rewrite history.
 */
export interface Action {
  /** The position of this call among all the store's calls, from 1. */
  readonly seq: number;
  /** The store clock's time when the call was made (virtual milliseconds since the epoch). */
  readonly time: number;
  readonly verb: Verb;
  /** The plural resource name, e.g. `deployments`. */
  readonly resource: string;
  /** The API group, `''` for the core group. */
  readonly group: string;
  readonly version: string;
  /** The kind, e.g. `Deployment`. */
  readonly kind: string;
  /** The namespace addressed (for list/watch/deletecollection: the namespace selected, if any). */
  readonly namespace?: string;
  /** The name addressed (unset for list, watch and deletecollection, and for a create with generateName). */
  readonly name?: string;
  /** The key addressed, as client-go formats it: `namespace/name`, or `name` (set exactly when `name` is). */
  readonly key?: string;
  /** The subresource addressed, e.g. `status`. */
  readonly subresource?: string;
  /** The body sent by create and update. */
  readonly object?: KubeObject;
  /** The patch sent by patch. */
  readonly patch?: Patch;
  /** The options the call was made with (get, list, watch, write or delete options). */
  readonly options?: Readonly<Record<string, unknown>> | undefined;
  /** What the call returned, once it succeeded (the object, the list; unset for watch). */
  result?: KubeObject | ObjectList;
  /** What the call failed with, once it failed. */
  error?: unknown;
  /** Whether the call has finished (succeeded or failed); a watch finishes when it is opened. */
  done: boolean;
}

/**
 * Selects actions (and the calls interceptors apply to). Every field set must match; an
 * unset field matches anything.
 *
 * `resource` takes a ResourceType (`Deployments`), a plural (`'deployments'`), or a plural
 * qualified by group (`'deployments.apps'`).
 */
export interface ActionMatch {
  verb?: Verb | readonly Verb[];
  resource?: string | ResourceType;
  /** The kind, e.g. `'ConfigMap'`. */
  kind?: string;
  namespace?: string;
  name?: string;
  /** The key, `namespace/name` or `name`. */
  key?: string;
  /** The subresource; `''` matches only calls on the main resource. */
  subresource?: string;
}

/** The key of an action as client-go formats it (`namespace/name`, or `name`), or undefined when it addresses no single object. */
export function actionKey(action: Pick<Action, 'namespace' | 'name'>): string | undefined {
  if (!action.name) return undefined;
  return action.namespace ? `${action.namespace}/${action.name}` : action.name;
}

/** The ObjectKey an action addresses, or undefined for list, watch and deletecollection. */
export function actionObjectKey(action: Pick<Action, 'namespace' | 'name'>): ObjectKey | undefined {
  if (!action.name) return undefined;
  return action.namespace ? { namespace: action.namespace, name: action.name } : { name: action.name };
}

/** True when `action` is selected by `match`. */
export function matchesAction(action: Omit<Action, 'seq' | 'time' | 'done'>, match: ActionMatch): boolean {
  if (match.verb !== undefined) {
    if (typeof match.verb === 'string' ? action.verb !== match.verb : !match.verb.includes(action.verb)) return false;
  }
  if (match.resource !== undefined) {
    if (typeof match.resource === 'string') {
      const r = match.resource;
      if (r !== action.resource && r !== `${action.resource}.${action.group}`) return false;
    } else if (match.resource.resource !== action.resource || match.resource.group !== action.group) {
      return false;
    }
  }
  if (match.kind !== undefined && match.kind !== action.kind) return false;
  if (match.namespace !== undefined && match.namespace !== (action.namespace ?? '')) return false;
  if (match.name !== undefined && match.name !== action.name) return false;
  if (match.key !== undefined && match.key !== actionKey(action)) return false;
  if (match.subresource !== undefined && match.subresource !== (action.subresource ?? '')) return false;
  return true;
}

/** Formats an action on one line, e.g. `update deployments.apps default/web (status)`, for messages. */
export function describeAction(action: Pick<Action, 'verb' | 'resource' | 'group' | 'namespace' | 'name' | 'subresource'>): string {
  const resource = action.group ? `${action.resource}.${action.group}` : action.resource;
  const key = actionKey(action) ?? (action.namespace ? `-n ${action.namespace}` : '');
  const sub = action.subresource ? ` (${action.subresource})` : '';
  return `${action.verb} ${resource}${key ? ` ${key}` : ''}${sub}`;
}

/** Formats a match for messages, e.g. `{ verb: update, resource: deployments }`. */
export function describeMatch(match: ActionMatch): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(match)) {
    if (v === undefined) continue;
    const shown =
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? (v as ResourceType).group
          ? `${(v as ResourceType).resource}.${(v as ResourceType).group}`
          : (v as ResourceType).resource
        : Array.isArray(v)
          ? v.join('|')
          : String(v);
    parts.push(`${k}: ${shown}`);
  }
  return `{ ${parts.join(', ')} }`;
}
