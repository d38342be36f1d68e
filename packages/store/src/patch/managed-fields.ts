/**
 * `metadata.managedFields`: one entry per field manager, operation (Apply / Update), API
 * version (for Update) and subresource, holding the fields that manager owns (FieldsV1) and
 * when it last changed the object. These are the decoded form and the encoding back, with
 * Kubernetes' rules for identity and order.
 */
import type { ManagedFieldsEntry } from '@converge/core';
import { EMPTY_SET, fromFieldsV1, isEmptySet, toFieldsV1, union, type FieldNode } from './field-set.js';
import { isObject } from './json-value.js';

/** The operations recorded in managedFields. */
export type ManagedOperation = 'Apply' | 'Update';

/** One decoded manager: its identity, owned fields and time. */
export interface ManagerRecord {
  manager: string;
  operation: ManagedOperation;
  apiVersion: string;
  subresource: string;
  time: string | undefined;
  set: FieldNode;
  /** The entry this record was decoded from, reused on encoding when nothing changed. */
  source?: ManagedFieldsEntry;
}

/** Managers by identity (`managerIdentity`). */
export type ManagerMap = Map<string, ManagerRecord>;

/**
 * The identity of a manager entry, as Kubernetes' `BuildManagerIdentifier` keys them: manager,
 * operation and subresource, plus the API version for Update entries (an applier keeps one
 * entry whatever version it applies with).
 */
export function managerIdentity(manager: string, operation: ManagedOperation, apiVersion: string, subresource: string): string {
  return JSON.stringify([manager, operation, operation === 'Apply' ? '' : apiVersion, subresource]);
}

/** The identity of a record. */
export function identityOf(r: Pick<ManagerRecord, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  return managerIdentity(r.manager, r.operation, r.apiVersion, r.subresource);
}

/**
 * Decodes `metadata.managedFields`. Entries that are malformed (unknown operation or
 * fieldsType, undecodable FieldsV1) are dropped; entries of the same identity are merged.
 */
export function decodeManagedFields(entries: unknown): ManagerMap {
  const out: ManagerMap = new Map();
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    if (!isObject(e)) continue;
    const operation = e.operation;
    if (operation !== 'Apply' && operation !== 'Update' && operation !== undefined) continue;
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1') continue;
    const set = e.fieldsV1 === undefined ? EMPTY_SET : fromFieldsV1(e.fieldsV1);
    if (!set) continue;
    const rec: ManagerRecord = {
      manager: typeof e.manager === 'string' ? e.manager : '',
      operation: operation ?? 'Update',
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      subresource: typeof e.subresource === 'string' ? e.subresource : '',
      time: typeof e.time === 'string' ? e.time : undefined,
      set,
      source: e as ManagedFieldsEntry,
    };
    const id = identityOf(rec);
    const prev = out.get(id);
    if (prev) {
      out.set(id, withoutSource({ ...prev, set: union(prev.set, rec.set), time: later(prev.time, rec.time) }));
    } else out.set(id, rec);
  }
  return out;
}

/** A record that must be encoded afresh. */
export function withoutSource(r: ManagerRecord): ManagerRecord {
  const { source: _s, ...rest } = r;
  return rest;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

/**
 * Encodes managers back into `metadata.managedFields`, dropping managers that own nothing,
 * sorted as Kubernetes sorts them (Apply before Update, then by time, manager, API version
 * and subresource). Unchanged records reuse their original entry object.
 */
export function encodeManagedFields(managers: ManagerMap): ManagedFieldsEntry[] {
  const recs = [...managers.values()].filter((r) => !isEmptySet(r.set));
  recs.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const pt = seconds(p.time);
    const qt = seconds(q.time);
    if (pt !== qt) return pt - qt;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return p.subresource < q.subresource ? -1 : p.subresource > q.subresource ? 1 : 0;
  });
  return recs.map((r) => {
    if (r.source) return r.source;
    const e: ManagedFieldsEntry = { manager: r.manager, operation: r.operation, apiVersion: r.apiVersion };
    if (r.time !== undefined) e.time = r.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = toFieldsV1(r.set);
    if (r.subresource) e.subresource = r.subresource;
    return e;
  });
}

function seconds(t: string | undefined): number {
  if (t === undefined) return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** The name of the Update entry that absorbs the oldest update managers beyond the cap. */
export const ANCIENT_CHANGES_MANAGER = 'ancient-changes';

/** How many Update entries an object keeps before the oldest are merged (Kubernetes' `DefaultMaxUpdateManagers`). */
export const MAX_UPDATE_MANAGERS = 10;

/** Merges the oldest Update managers into `ancient-changes` entries (one per API version) until at most the cap remain. */
export function capUpdateManagers(managers: ManagerMap, max = MAX_UPDATE_MANAGERS): void {
  const updaters = [...managers.entries()].filter(([, r]) => r.operation === 'Update' && r.manager !== ANCIENT_CHANGES_MANAGER);
  let count = [...managers.values()].filter((r) => r.operation === 'Update').length;
  if (count <= max) return;
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || (ia < ib ? -1 : ia > ib ? 1 : 0));
  for (const [id, r] of updaters) {
    if (count <= max) break;
    const bucketId = managerIdentity(ANCIENT_CHANGES_MANAGER, 'Update', r.apiVersion, '');
    const bucket = managers.get(bucketId);
    managers.delete(id);
    if (bucket) {
      managers.set(bucketId, withoutSource({ ...bucket, set: union(bucket.set, r.set), time: later(bucket.time, r.time) }));
      count--;
    } else {
      managers.set(bucketId, {
        manager: ANCIENT_CHANGES_MANAGER,
        operation: 'Update',
        apiVersion: r.apiVersion,
        subresource: '',
        time: r.time,
        set: r.set,
      });
    }
  }
}
