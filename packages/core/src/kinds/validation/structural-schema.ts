/**
 * A validator compiled from a structural JSON Schema (OpenAPI v3 as Kubernetes uses it for
 * built-in kinds and CRDs). Compiling once turns the schema into nested closures, so that
 * validating an object is one walk over it with no allocation on the happy path.
 *
 * The walk, like Kubernetes' decoder:
 * - checks JSON types, `required`, `enum`, `const`, bounds, lengths, `pattern`, `format`
 *   (int32, int64, date-time), item counts, and int-or-string / quantity fields;
 * - drops `null` values of fields that are not `nullable` (Go decodes them as "unset");
 * - prunes fields the schema does not know, unless `x-kubernetes-preserve-unknown-fields`,
 *   and records their paths (`spec.containers[0].bad`) for `fieldValidation`;
 * - applies `default`s of missing fields (CRD schemas);
 * - optionally (CRDs) rejects duplicates in `set` and `map` lists.
 *
 * It mutates the value it validates (pruning, defaults): hand it a value you own.
 */
import type { StatusCause } from '../../api/meta.js';
import { duplicateValue, fieldPath, invalidValue, notSupported, requiredValue, tooLong, tooMany, typeInvalid } from './field-errors.js';

/** The JSON Schema keywords (and Kubernetes extensions) the structural validator understands. */
export interface JSONSchemaNode {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JSONSchemaNode>;
  required?: string[];
  additionalProperties?: boolean | JSONSchemaNode;
  items?: JSONSchemaNode;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JSONSchemaNode[];
  oneOf?: JSONSchemaNode[];
  allOf?: JSONSchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  default?: unknown;
  $ref?: string;
  $defs?: Record<string, JSONSchemaNode>;
  definitions?: Record<string, JSONSchemaNode>;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-map-type'?: string;
  [extension: string]: unknown;
}

/** What a validation walk collects. */
export interface ValidationContext {
  /** The path of the value being checked: property names, list indices, `[key]` for map keys. */
  path: (string | number)[];
  causes: StatusCause[];
  /** Paths of pruned unknown fields. */
  unknownFields: string[];
  /** Set while trying the branches of an `anyOf`: nothing is pruned or defaulted. */
  dry: boolean;
}

/** A compiled check: validates (and prunes) a non-null value at `ctx.path`. */
export type Checker = (value: unknown, ctx: ValidationContext) => void;

/** Options of `compileStructuralSchema`. */
export interface CompileOptions {
  /** Reject duplicate items of `set` lists and duplicate keys of `map` lists (CRD semantics). */
  checkListTypes?: boolean;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function here(ctx: ValidationContext, extra?: string | number): string {
  return extra === undefined ? fieldPath(...ctx.path) : fieldPath(...ctx.path, extra);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Compiles a JSON Schema into a checker. `$ref`s are resolved against the root's `$defs`/`definitions`. */
export function compileStructuralSchema(root: JSONSchemaNode, options: CompileOptions = {}): Checker {
  const defs: Record<string, JSONSchemaNode> = { ...(root.definitions ?? {}), ...(root.$defs ?? {}) };
  const refCache = new Map<string, Checker>();

  function resolveRef(ref: string): Checker {
    let c = refCache.get(ref);
    if (c) return c;
    const name = decodeURIComponent(ref.slice(ref.lastIndexOf('/') + 1));
    const target = defs[name];
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    let compiled: Checker | undefined;
    c = (v, ctx) => (compiled ??= compile(target))(v, ctx);
    refCache.set(ref, c);
    return c;
  }

  function compile(node: JSONSchemaNode): Checker {
    if (node.$ref) return resolveRef(node.$ref);
    const checks: Checker[] = [];
    const intOrString = node['x-kubernetes-int-or-string'] === true;
    const type = Array.isArray(node.type) ? node.type.filter((t) => t !== 'null') : node.type ? [node.type] : [];
    const branches = node.anyOf ?? node.oneOf;
    if (intOrString) {
      checks.push(compileIntOrString(node));
    } else if (branches && type.length === 0) {
      const nonNull = branches.filter((b) => b.type !== 'null');
      if (nonNull.length === 1) {
        const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = node;
        checks.push(compile({ ...rest, ...nonNull[0] }));
      } else checks.push(compileAnyOf(nonNull));
    } else {
      if (type.length > 1) checks.push(compileMultiType(type));
      else if (type[0] === 'object' || (type.length === 0 && (node.properties || node.additionalProperties !== undefined)))
        checks.push(compileObject(node));
      else if (type[0] === 'array') checks.push(compileArray(node));
      else if (type[0] === 'string') checks.push(compileString(node));
      else if (type[0] === 'integer' || type[0] === 'number') checks.push(compileNumber(node, type[0] === 'integer'));
      else if (type[0] === 'boolean') checks.push(typeCheck('boolean', (v) => typeof v === 'boolean'));
      if (branches && type.length > 0) checks.push(compileAnyOf(branches.filter((b) => b.type !== 'null')));
    }
    if (node.enum && !intOrString && type[0] !== 'string') checks.push(compileEnum(node.enum));
    if (node.const !== undefined) checks.push(compileEnum([node.const]));
    for (const sub of node.allOf ?? []) checks.push(compile(sub));
    if (checks.length === 0) return () => {};
    if (checks.length === 1) return checks[0]!;
    return (v, ctx) => {
      const before = ctx.causes.length;
      for (const c of checks) {
        c(v, ctx);
        if (ctx.causes.length !== before) return;
      }
    };
  }

  function typeCheck(name: string, ok: (v: unknown) => boolean): Checker {
    return (v, ctx) => {
      if (!ok(v)) ctx.causes.push(typeInvalid(here(ctx), v, `must be of type ${name}`));
    };
  }

  function compileMultiType(types: string[]): Checker {
    return (v, ctx) => {
      const t = typeName(v);
      const ok = types.some((x) => x === t || (x === 'integer' && Number.isInteger(v)) || (x === 'number' && t === 'number'));
      if (!ok) ctx.causes.push(typeInvalid(here(ctx), v, `must be of type ${types.join(' or ')}`));
    };
  }

  function compileEnum(values: unknown[]): Checker {
    const prim = new Set(values.filter((x) => typeof x !== 'object' || x === null));
    const objs = values.filter((x) => typeof x === 'object' && x !== null);
    return (v, ctx) => {
      if (prim.has(v)) return;
      if (objs.some((o) => deepEqual(o, v))) return;
      ctx.causes.push(
        notSupported(
          here(ctx),
          v,
          values.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))),
        ),
      );
    };
  }

  function compileString(node: JSONSchemaNode): Checker {
    const enumSet = node.enum ? new Set(node.enum) : undefined;
    const enumList = node.enum?.map(String) ?? [];
    const re = node.pattern !== undefined ? new RegExp(node.pattern, 'u') : undefined;
    const { minLength, maxLength, format } = node;
    const dateTime = format === 'date-time';
    return (v, ctx) => {
      if (typeof v !== 'string') {
        ctx.causes.push(typeInvalid(here(ctx), v, 'must be of type string'));
        return;
      }
      if (enumSet !== undefined && !enumSet.has(v)) ctx.causes.push(notSupported(here(ctx), v, enumList));
      if (maxLength !== undefined && v.length > maxLength) ctx.causes.push(tooLong(here(ctx), maxLength));
      if (minLength !== undefined && v.length < minLength)
        ctx.causes.push(invalidValue(here(ctx), v, `should be at least ${minLength} chars long`));
      if (re !== undefined && !re.test(v))
        ctx.causes.push(
          invalidValue(
            here(ctx),
            v,
            format === 'quantity' ? `quantities must match the regular expression '${node.pattern}'` : `should match '${node.pattern}'`,
          ),
        );
      if (dateTime && !DATE_TIME.test(v)) ctx.causes.push(invalidValue(here(ctx), v, 'must be an RFC 3339 date-time'));
    };
  }

  function numberBounds(node: JSONSchemaNode): ((v: number, ctx: ValidationContext) => void) | undefined {
    let min = node.minimum;
    let max = node.maximum;
    let exMin = typeof node.exclusiveMinimum === 'number' || node.exclusiveMinimum === true;
    let exMax = typeof node.exclusiveMaximum === 'number' || node.exclusiveMaximum === true;
    if (typeof node.exclusiveMinimum === 'number') min = node.exclusiveMinimum;
    if (typeof node.exclusiveMaximum === 'number') max = node.exclusiveMaximum;
    if (node.format === 'int32') {
      if (min === undefined || min < INT32_MIN) {
        min = INT32_MIN;
        exMin = false;
      }
      if (max === undefined || max > INT32_MAX) {
        max = INT32_MAX;
        exMax = false;
      }
    }
    // Bounds at the edge of safe integers are zod's way of saying "an integer": no check needed.
    if (min !== undefined && min <= Number.MIN_SAFE_INTEGER) min = undefined;
    if (max !== undefined && max >= Number.MAX_SAFE_INTEGER) max = undefined;
    if (min === undefined && max === undefined) return undefined;
    return (v, ctx) => {
      if (min !== undefined && (exMin ? v <= min : v < min))
        ctx.causes.push(invalidValue(here(ctx), v, `must be greater than${exMin ? '' : ' or equal to'} ${min}`));
      else if (max !== undefined && (exMax ? v >= max : v > max))
        ctx.causes.push(invalidValue(here(ctx), v, `must be less than${exMax ? '' : ' or equal to'} ${max}`));
    };
  }

  function compileNumber(node: JSONSchemaNode, integer: boolean): Checker {
    const bounds = numberBounds(node);
    const name = integer ? 'integer' : 'number';
    return (v, ctx) => {
      if (typeof v !== 'number' || (integer ? !Number.isInteger(v) : !Number.isFinite(v))) {
        ctx.causes.push(typeInvalid(here(ctx), v, `must be of type ${name}`));
        return;
      }
      if (bounds !== undefined) bounds(v, ctx);
    };
  }

  function compileIntOrString(node: JSONSchemaNode): Checker {
    const branches = node.anyOf ?? node.oneOf ?? [];
    const strNode = branches.find((b) => b.type === 'string') ?? {};
    const numNode = branches.find((b) => b.type === 'integer' || b.type === 'number');
    const anyNumber = numNode?.type === 'number';
    const pattern = strNode.pattern ?? node.pattern;
    const format = strNode.format ?? node.format;
    const str = compileString({
      ...strNode,
      ...(pattern !== undefined && { pattern }),
      ...(format !== undefined && { format }),
      type: 'string',
    });
    const bounds = numNode ? numberBounds(numNode) : undefined;
    return (v, ctx) => {
      if (typeof v === 'string') return str(v, ctx);
      if (typeof v === 'number' && (anyNumber ? Number.isFinite(v) : Number.isInteger(v))) {
        if (bounds !== undefined) bounds(v, ctx);
        return;
      }
      ctx.causes.push(typeInvalid(here(ctx), v, `must be of type ${anyNumber ? 'number' : 'integer'} or string`));
    };
  }

  function compileAnyOf(branches: JSONSchemaNode[]): Checker {
    const compiled = branches.map((b) => compile(b));
    if (compiled.length === 0) return () => {};
    return (v, ctx) => {
      const saved = ctx.dry;
      let firstCauses: StatusCause[] | undefined;
      for (const c of compiled) {
        const trial: ValidationContext = { path: ctx.path, causes: [], unknownFields: [], dry: true };
        c(v, trial);
        if (trial.causes.length === 0) {
          ctx.dry = saved;
          if (!saved) c(v, ctx); // apply it for real: prune and default along the winning branch
          return;
        }
        firstCauses ??= trial.causes;
      }
      ctx.dry = saved;
      ctx.causes.push(...(firstCauses ?? [invalidValue(here(ctx), v, 'must match a schema in anyOf')]));
    };
  }

  function compileObject(node: JSONSchemaNode): Checker {
    const props = new Map<string, { check: Checker; nullable: boolean }>();
    const defaults: [string, unknown][] = [];
    for (const [k, p] of Object.entries(node.properties ?? {})) {
      props.set(k, {
        check: compile(p),
        nullable:
          p.nullable === true || (Array.isArray(p.type) && p.type.includes('null')) || (p.anyOf ?? []).some((b) => b.type === 'null'),
      });
      if (p.default !== undefined) defaults.push([k, p.default]);
    }
    if (node['x-kubernetes-embedded-resource']) {
      for (const k of ['apiVersion', 'kind'])
        if (!props.has(k)) props.set(k, { check: compileString({ type: 'string' }), nullable: false });
      if (!props.has('metadata')) props.set('metadata', { check: () => {}, nullable: false });
    }
    const required = node.required ?? [];
    const ap = node.additionalProperties;
    const additional: Checker | undefined = ap === undefined || ap === false ? undefined : ap === true ? () => {} : compile(ap);
    const preserve =
      node['x-kubernetes-preserve-unknown-fields'] === true || (ap === undefined && !node.properties && node.type === undefined);
    const { minProperties, maxProperties } = node;
    return (v, ctx) => {
      if (!isObject(v)) {
        ctx.causes.push(typeInvalid(here(ctx), v, 'must be of type object'));
        return;
      }
      for (const k in v) {
        const x = v[k];
        const p = props.get(k);
        if (p !== undefined) {
          if (x === null || x === undefined) {
            if (!p.nullable && !ctx.dry) delete v[k];
            continue;
          }
          ctx.path.push(k);
          p.check(x, ctx);
          ctx.path.pop();
        } else if (additional !== undefined) {
          if (x === null || x === undefined) {
            if (!ctx.dry) delete v[k];
            continue;
          }
          ctx.path.push(`[${k}]`);
          additional(x, ctx);
          ctx.path.pop();
        } else if (!preserve) {
          if (!ctx.dry) {
            ctx.unknownFields.push(here(ctx, k));
            delete v[k];
          }
        }
      }
      if (defaults.length !== 0 && !ctx.dry) {
        for (const [k, d] of defaults) if (v[k] === undefined) v[k] = structuredClone(d);
      }
      for (let i = 0; i < required.length; i++) {
        const k = required[i]!;
        if (v[k] === undefined || v[k] === null) ctx.causes.push(requiredValue(here(ctx, k)));
      }
      if (minProperties !== undefined || maxProperties !== undefined) {
        const n = Object.keys(v).length;
        if (minProperties !== undefined && n < minProperties)
          ctx.causes.push(invalidValue(here(ctx), n, `must have at least ${minProperties} properties`));
        if (maxProperties !== undefined && n > maxProperties) ctx.causes.push(tooMany(here(ctx), n, maxProperties));
      }
    };
  }

  function compileArray(node: JSONSchemaNode): Checker {
    const item = node.items ? compile(node.items) : undefined;
    const { minItems, maxItems } = node;
    const listType = options.checkListTypes ? node['x-kubernetes-list-type'] : undefined;
    const mapKeys = node['x-kubernetes-list-map-keys'] ?? [];
    return (v, ctx) => {
      if (!Array.isArray(v)) {
        ctx.causes.push(typeInvalid(here(ctx), v, 'must be of type array'));
        return;
      }
      if (minItems !== undefined && v.length < minItems)
        ctx.causes.push(invalidValue(here(ctx), v.length, `must have at least ${minItems} items`));
      if (maxItems !== undefined && v.length > maxItems) ctx.causes.push(tooMany(here(ctx), v.length, maxItems));
      if (item !== undefined) {
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          ctx.path.push(i);
          if (x === null || x === undefined) ctx.causes.push(typeInvalid(here(ctx), null, 'must not be null'));
          else item(x, ctx);
          ctx.path.pop();
        }
      }
      if (listType === 'set') {
        for (let i = 1; i < v.length; i++) {
          for (let j = 0; j < i; j++) {
            if (deepEqual(v[i], v[j])) {
              ctx.causes.push(duplicateValue(here(ctx, i), v[i]));
              break;
            }
          }
        }
      } else if (listType === 'map' && mapKeys.length > 0) {
        const seen = new Set<string>();
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (!isObject(x)) continue;
          const key = JSON.stringify(mapKeys.map((k) => x[k] ?? null));
          if (seen.has(key)) {
            const shown: Record<string, unknown> = {};
            for (const k of mapKeys) shown[k] = x[k];
            ctx.causes.push(duplicateValue(here(ctx, i), shown));
          }
          seen.add(key);
        }
      }
    };
  }

  return compile(root);
}

/** Creates an empty validation context. */
export function newValidationContext(): ValidationContext {
  return { path: [], causes: [], unknownFields: [], dry: false };
}
