/**
 * Helpers for the `kubectl get` columns of built-in kinds: ages, lists and selectors
 * formatted the way Kubernetes' table printers format them.
 */
import type { KubeObject } from '../api/meta.js';
import type { PrinterColumn } from '../api/resource-type.js';

/**
 * Formats a duration the way `kubectl get` prints ages (Kubernetes' `HumanDuration`):
 * `45s`, `5m10s`, `3h`, `2d5h`, `30d`, `2y100d`.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** The age of a timestamp at `now`, or `<unknown>` when it is unset. */
export function ageOf(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** The AGE column every kind ends with. */
export const AGE_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'string',
  description: 'Time since the object was created.',
  value: (obj, now) => ageOf(obj.metadata.creationTimestamp, now),
};

/** Reads a nested field of an object by a path of keys. */
export function pick(obj: unknown, ...path: (string | number)[]): unknown {
  let v: unknown = obj;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** Joins strings with commas, `<none>` when there are none. */
export function listOrNone(values: readonly (string | undefined)[] | undefined): string {
  const v = (values ?? []).filter((x): x is string => !!x);
  return v.length ? v.join(',') : '<none>';
}

/** Formats a label map as a selector string (`a=b,c=d`), `<none>` when empty. */
export function labelsString(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** Formats a LabelSelector as Kubernetes' selector string (`app=web,tier in (a,b)`), `<none>` when empty. */
export function selectorString(
  sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined,
): string {
  if (!sel) return '<none>';
  const parts = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels![k]}`);
  for (const r of sel.matchExpressions ?? []) {
    const vals = [...(r.values ?? [])].sort().join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${vals})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${vals})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** A column computing its cell from the object. */
export function column(
  name: string,
  type: PrinterColumn['type'],
  description: string,
  value: (obj: KubeObject, now: number) => unknown,
  priority = 0,
): PrinterColumn {
  return priority ? { name, type, description, value, priority } : { name, type, description, value };
}

/** The CONTAINERS / IMAGES wide columns of workloads, read from `spec.template.spec`. */
export function templateColumns(): PrinterColumn[] {
  const containers = (o: KubeObject) =>
    (pick(o, 'spec', 'template', 'spec', 'containers') as { name?: string; image?: string }[] | undefined) ?? [];
  return [
    column('Containers', 'string', 'Names of the containers of the template.', (o) => listOrNone(containers(o).map((c) => c.name)), 1),
    column('Images', 'string', 'Images of the containers of the template.', (o) => listOrNone(containers(o).map((c) => c.image)), 1),
  ];
}
