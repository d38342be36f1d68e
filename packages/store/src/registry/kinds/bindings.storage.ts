import type { ResourceType } from '@converge/core';
import { bindPod } from '../pod-binding.js';
import type { KindTableEntry } from './kind-table-entry.js';

const PODS: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

/**
 * Bindings (core/v1): a create-only virtual kind; creating a Binding binds the Pod it names,
 * as `pods/<name>/binding` does (which the API server creates instead, so that any store
 * serving that subresource serves Bindings).
 */
export const bindingsEntry: KindTableEntry = {
  group: '',
  resource: 'bindings',
  routing: { createAs: { resource: PODS.resource, subresource: 'binding' } },
  storage: ({ ops }) => ({ createInstead: (body, options) => bindPod(ops, ops.kind(PODS), body, options) }),
};
