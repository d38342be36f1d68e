/**
 * Zod refinements in custom resource schemas. `z.toJSONSchema` cannot express a `.refine()`
 * or a transform, so for schemas that have one, `validateObject` also runs zod itself and
 * turns its issues into Kubernetes field causes with this module.
 */
import type { ZodType } from 'zod';
import type { StatusCause } from '../../api/meta.js';
import { fieldPath, invalidValue, notSupported, requiredValue, tooLong, tooMany, typeInvalid } from './field-errors.js';

interface ZodDefLike {
  type?: string;
  checks?: { _zod?: { def?: { check?: string } } }[];
  shape?: Record<string, ZodLike>;
  element?: ZodLike;
  innerType?: ZodLike;
  options?: ZodLike[];
  valueType?: ZodLike;
  keyType?: ZodLike;
  left?: ZodLike;
  right?: ZodLike;
  in?: ZodLike;
  out?: ZodLike;
  items?: ZodLike[];
  getter?: () => ZodLike;
}
interface ZodLike {
  _zod?: { def?: ZodDefLike };
}

const refinedCache = new WeakMap<object, boolean>();

/** Whether a zod schema has a refinement or transform its JSON Schema cannot express. */
export function hasZodOnlyChecks(schema: ZodType): boolean {
  const cached = refinedCache.get(schema);
  if (cached !== undefined) return cached;
  const seen = new Set<object>();
  const visit = (s: ZodLike | undefined): boolean => {
    if (!s || typeof s !== 'object' || seen.has(s)) return false;
    seen.add(s);
    const d = s._zod?.def;
    if (!d) return false;
    if (d.type === 'pipe' || d.type === 'transform' || d.type === 'custom') return true;
    if ((d.checks ?? []).some((c) => c._zod?.def?.check === 'custom')) return true;
    const children: (ZodLike | undefined)[] = [
      d.element,
      d.innerType,
      d.valueType,
      d.keyType,
      d.left,
      d.right,
      d.in,
      d.out,
      ...(d.options ?? []),
      ...(d.items ?? []),
      ...Object.values(d.shape ?? {}),
    ];
    if (d.type === 'lazy' && d.getter) children.push(d.getter());
    return children.some(visit);
  };
  const result = visit(schema as unknown as ZodLike);
  refinedCache.set(schema, result);
  return result;
}

interface IssueLike {
  code?: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  input?: unknown;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  origin?: string;
  values?: unknown[];
  pattern?: string;
  keys?: string[];
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Maps zod issues (from `schema.safeParse(obj)`) to causes with Kubernetes paths and messages. */
export function zodIssuesToCauses(issues: readonly IssueLike[], root: unknown): StatusCause[] {
  const out: StatusCause[] = [];
  for (const i of issues) {
    const field = fieldPath(...i.path.map((p) => (typeof p === 'number' ? p : String(p))));
    const value = 'input' in i ? i.input : valueAt(root, i.path);
    switch (i.code) {
      case 'invalid_type':
        out.push(
          value === undefined
            ? requiredValue(field)
            : typeInvalid(field, value, `must be of type ${i.expected === 'int' ? 'integer' : i.expected}`),
        );
        break;
      case 'too_small':
        if (i.origin === 'string') out.push(invalidValue(field, value, `should be at least ${i.minimum} chars long`));
        else if (i.origin === 'array' || i.origin === 'set')
          out.push(invalidValue(field, Array.isArray(value) ? value.length : value, `must have at least ${i.minimum} items`));
        else out.push(invalidValue(field, value, `must be greater than${i.inclusive === false ? '' : ' or equal to'} ${i.minimum}`));
        break;
      case 'too_big':
        if (i.origin === 'string') out.push(tooLong(field, Number(i.maximum)));
        else if (i.origin === 'array' || i.origin === 'set')
          out.push(tooMany(field, Array.isArray(value) ? value.length : 0, Number(i.maximum)));
        else out.push(invalidValue(field, value, `must be less than${i.inclusive === false ? '' : ' or equal to'} ${i.maximum}`));
        break;
      case 'invalid_value':
        out.push(
          notSupported(
            field,
            value,
            (i.values ?? []).map((v) => String(v)),
          ),
        );
        break;
      case 'invalid_format':
        out.push(invalidValue(field, value, i.pattern ? `should match '${i.pattern}'` : i.message));
        break;
      case 'unrecognized_keys':
        break; // pruned by the structural pass
      default:
        out.push(invalidValue(field, value, i.message));
    }
  }
  return out;
}
