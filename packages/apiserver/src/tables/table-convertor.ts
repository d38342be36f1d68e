/**
 * Turns objects into `meta.k8s.io/v1` Table rows, the representation `kubectl get` asks for.
 *
 * Columns come from the kind's `printerColumns` (built-in kinds compute cells with `value`;
 * custom resources use `jsonPath`, as `additionalPrinterColumns`). A `Name` column comes first,
 * except for the kinds whose definition says `nameColumn: false` (Events, whose
 * table opens with LAST SEEN and ends, in `-o wide`, with the name); a kind without columns
 * gets `Name` and `Age`. Columns with `priority > 0` are shown by
 * kubectl only with `-o wide`. Date cells are turned into ages (`5m`, `3d4h`) the way the
 * Kubernetes API server does for custom resources. Each row carries the object as
 * PartialObjectMetadata (or whole, or not at all), so `-A`, `--show-labels` and `-L` work.
 */
import type { KubeObject, ResourceDefinition } from '@converge/core';
import { type JsonPath, type PrinterColumn, compileJsonPath, humanDuration } from '@converge/core/kinds';

/** What a Table row carries in `object` (`includeObject`). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A `metav1.TableColumnDefinition`. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** A `metav1.TableRow`. */
export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

interface CompiledColumn {
  def: TableColumnDefinition;
  cell: (obj: KubeObject, now: number) => unknown;
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is represented in RFC3339 form and is in UTC.';

const NAME_COLUMN: CompiledColumn = {
  def: { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
  cell: (obj) => obj.metadata?.name ?? '',
};

const AGE_COLUMN: CompiledColumn = {
  def: { name: 'Age', type: 'date', format: '', description: AGE_DESCRIPTION, priority: 0 },
  cell: (obj, now) => ageCell(obj.metadata?.creationTimestamp, now),
};

function ageCell(value: unknown, now: number): unknown {
  if (typeof value !== 'string') return value ?? null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : humanDuration(now - t);
}

function typedCell(type: PrinterColumn['type'], value: unknown, now: number): unknown {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer':
      if (typeof value === 'number') return Math.trunc(value);
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
      return typeof value === 'boolean' ? null : value;
    case 'number':
      if (typeof value === 'number') return value;
      return typeof value === 'string' && !Number.isNaN(Number(value)) ? Number(value) : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : null;
    case 'date':
      return ageCell(value, now);
    default:
      return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

function compile(column: PrinterColumn): CompiledColumn {
  const def: TableColumnDefinition = {
    name: column.name,
    type: column.type,
    format: column.format ?? '',
    description: column.description ?? '',
    priority: column.priority ?? 0,
  };
  if (column.value) {
    const fn = column.value;
    return {
      def,
      cell: (obj, now) => {
        try {
          return typedCell(column.type, fn(obj, now), now);
        } catch {
          return null;
        }
      },
    };
  }
  let path: JsonPath | undefined;
  try {
    if (column.jsonPath) path = compileJsonPath(column.jsonPath);
  } catch {
    path = undefined;
  }
  return {
    def,
    cell: (obj, now) => {
      if (!path) return null;
      const found = path.find(obj);
      return found.length === 0 ? null : typedCell(column.type, found[0], now);
    },
  };
}

/** Strips an object to PartialObjectMetadata (managedFields dropped: tables never show them). */
export function partialObjectMetadata(obj: KubeObject, version: 'v1' | 'v1beta1' = 'v1'): Record<string, unknown> {
  const meta = obj.metadata ?? {};
  let m: Record<string, unknown> = meta as Record<string, unknown>;
  if (meta.managedFields) {
    const { managedFields: _drop, ...rest } = meta;
    m = rest;
  }
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: m };
}

/** Whether a kind's table opens with a Name column (the default rule: unless its definition says `nameColumn: false`). */
export function hasNameColumn(def: Pick<ResourceDefinition, 'nameColumn'>): boolean {
  return def.nameColumn !== false;
}

/** Options of a TableConvertor. */
export interface TableConvertorOptions {
  /** Whether a kind's table gets a leading Name column before its printer columns (default: `hasNameColumn`). */
  hasNameColumn?: (def: ResourceDefinition) => boolean;
}

/** Builds Table columns and rows per kind; compiled columns are cached per definition. */
export class TableConvertor {
  private readonly compiled = new WeakMap<ResourceDefinition, CompiledColumn[]>();
  private readonly nameColumn: (def: ResourceDefinition) => boolean;

  constructor(options: TableConvertorOptions = {}) {
    this.nameColumn = options.hasNameColumn ?? hasNameColumn;
  }

  private columns(def: ResourceDefinition): CompiledColumn[] {
    let cols = this.compiled.get(def);
    if (!cols) {
      const given = (def.printerColumns ?? []).map(compile);
      if (given.length === 0) cols = [NAME_COLUMN, AGE_COLUMN];
      else if (given[0]!.def.name.toLowerCase() === 'name' || !this.nameColumn(def)) cols = given;
      else cols = [NAME_COLUMN, ...given];
      this.compiled.set(def, cols);
    }
    return cols;
  }

  /** The column definitions of a kind's Table. */
  columnDefinitions(def: ResourceDefinition): TableColumnDefinition[] {
    return this.columns(def).map((c) => c.def);
  }

  /** One row for one object. */
  row(
    def: ResourceDefinition,
    obj: KubeObject,
    options: { now: number; includeObject: IncludeObject; version?: 'v1' | 'v1beta1' },
  ): TableRow {
    const cols = this.columns(def);
    const cells = new Array<unknown>(cols.length);
    for (let i = 0; i < cols.length; i++) cells[i] = cols[i]!.cell(obj, options.now);
    const row: TableRow = { cells };
    if (options.includeObject === 'Metadata') row.object = partialObjectMetadata(obj, options.version);
    else if (options.includeObject === 'Object') row.object = obj;
    return row;
  }

  /** A whole Table for a handful of objects (a GET, or one watch event). */
  table(
    def: ResourceDefinition,
    objects: readonly KubeObject[],
    options: { now: number; includeObject: IncludeObject; version?: 'v1' | 'v1beta1'; resourceVersion?: string; noHeaders?: boolean },
  ): Record<string, unknown> {
    const metadata: Record<string, unknown> = {};
    if (options.resourceVersion) metadata['resourceVersion'] = options.resourceVersion;
    return {
      kind: 'Table',
      apiVersion: `meta.k8s.io/${options.version ?? 'v1'}`,
      metadata,
      columnDefinitions: options.noHeaders ? [] : this.columnDefinitions(def),
      rows: objects.map((o) => this.row(def, o, options)),
    };
  }
}
