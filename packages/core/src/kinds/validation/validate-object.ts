/**
 * `validateObject`: the check every write of every kind goes through, in Kubernetes' order:
 * decode (types, unknown fields pruned), defaulting, metadata and kind validation, and on
 * update the immutable fields.
 */
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import type { FieldValidation } from '../../store/object-store.js';
import { mutable } from '../../util/mutable.js';
import { metaRulesOf } from '../definition.js';
import { jsonSchemaOf } from '../schema/json-schema.js';
import { immutableField, typeInvalid } from './field-errors.js';
import { validateObjectMeta, type ObjectMetaRules } from './object-meta.validation.js';
import { compileStructuralSchema, newValidationContext, type Checker } from './structural-schema.js';
import { hasZodOnlyChecks, zodIssuesToCauses } from './zod-issues.js';

/** Options of `validateObject`. */
export interface ValidateObjectOptions<T extends KubeObject = KubeObject> {
  /** How unknown fields are treated by the caller; the result lists them either way (empty under `Ignore`). */
  fieldValidation?: FieldValidation;
  /** The stored object, on update: enables immutable-field and transition checks. */
  old?: T;
  /** Apply the kind's defaults (`strategy.default`) after pruning; true when unset. */
  defaults?: boolean;
}

/** What `validateObject` found. */
export interface ValidationResult<T extends KubeObject = KubeObject> {
  /** The object with unknown fields pruned and defaults applied (the argument itself, or a copy of it if it was frozen). */
  object: T;
  /** One cause per invalid field; empty when the object is valid. */
  causes: StatusCause[];
  /**
   * Paths of the unknown fields that were pruned (`spec.foo`, `spec.containers[0].bad`): under
   * `Strict` the registry answers 400 `strict decoding error: unknown field "spec.foo"`, under
   * `Warn` it returns them as warnings.
   */
  unknownFields: string[];
}

const checkers = new WeakMap<object, Checker>();
// Definitions whose checker came from a JSON schema directly (CRDs): their zod schema is derived, never run.
const jsonNative = new WeakSet<object>();

// The metadata rules of each definition's objects, built once (not per write) and rebuilt when
// the definition's rules change.
const objectMetaRules = new WeakMap<object, Readonly<ObjectMetaRules>>();

function objectMetaRulesOf(d: ResourceDefinition): Readonly<ObjectMetaRules> {
  const r = metaRulesOf(d);
  const cached = objectMetaRules.get(d);
  if (cached && cached.namespaced === d.namespaced && cached.nameRule === r.nameRule && cached.nameOptional === r.nameOptional)
    return cached;
  const rules: Readonly<ObjectMetaRules> = Object.freeze({ namespaced: d.namespaced, ...r });
  objectMetaRules.set(d, rules);
  return rules;
}

/** Appends `more` to `out` (without spreading it into a call's arguments). */
function append(out: StatusCause[], more: readonly StatusCause[]): void {
  for (let i = 0; i < more.length; i++) out.push(more[i]!);
}

/** The compiled structural checker of a definition (compiled on first use). */
export function checkerOf(def: ResourceDefinition<KubeObject> | ResourceDefinition): Checker {
  let c = checkers.get(def);
  if (!c) {
    c = compileStructuralSchema(jsonSchemaOf(def as ResourceDefinition));
    checkers.set(def, c);
  }
  return c;
}

/** Replaces the structural checker of a definition (used for CRDs, whose schema is JSON to begin with). */
export function setChecker(def: object, checker: Checker): void {
  checkers.set(def, checker);
  jsonNative.add(def);
}

/** Reads a dotted path (`spec.selector`) of an object. */
export function getPath(obj: unknown, path: string): unknown {
  let v = obj;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Deep equality of JSON values, where an absent value equals an absent value only. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    n++;
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

/** Checks the `immutableFields` of a strategy against the stored object. */
export function checkImmutableFields(paths: readonly string[], obj: unknown, old: unknown): StatusCause[] {
  const out: StatusCause[] = [];
  for (const p of paths) {
    const now = getPath(obj, p);
    if (!jsonEqual(now, getPath(old, p))) out.push(immutableField(p, now ?? null));
  }
  return out;
}

/**
 * Validates an object of a kind, as the registry does on every create and update:
 *
 * 1. the structural schema (from the kind's zod schema): JSON types, required fields, enums,
 *    bounds; `null`s of non-nullable fields are dropped and unknown fields pruned and listed;
 *    a schema with refinements JSON Schema cannot express (a custom resource's `.refine()`)
 *    is also parsed by zod, whose issues become causes;
 * 2. the kind's defaults (`strategy.default`), unless `defaults: false`;
 * 3. metadata rules (name by the kind's name rule, labels, annotations, finalizers, owners);
 * 4. the kind's own rules (`strategy.validate`), given `old` on update;
 * 5. on update, the strategy's `immutableFields`.
 *
 * Steps 2-5 run only when the structure is sound. The object is changed in place (pruning,
 * defaults); a frozen object is copied first. Never throws on bad input.
 */
export function validateObject<T extends KubeObject>(
  def: ResourceDefinition<T>,
  obj: T,
  options: ValidateObjectOptions<T> = {},
): ValidationResult<T> {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return { object: obj, causes: [typeInvalid('', obj, 'must be of type object')], unknownFields: [] };
  }
  // A frozen object is never extensible: the flag spares the walk of `Object.isFrozen` on the usual (fresh) object.
  let o = !Object.isExtensible(obj) && Object.isFrozen(obj) ? mutable(obj) : obj;
  if (o.metadata === null || o.metadata === undefined) (o as KubeObject).metadata = {};
  const d = def as unknown as ResourceDefinition;
  const ctx = newValidationContext();
  checkerOf(d)(o, ctx);
  const unknownFields = options.fieldValidation === 'Ignore' ? [] : ctx.unknownFields;
  if (ctx.causes.length > 0) return { object: o, causes: ctx.causes, unknownFields };
  const strategy = def.strategy;
  const causes: StatusCause[] = [];
  try {
    // Refinements only zod knows (custom resources' `.refine()`): run zod itself.
    if (!jsonNative.has(d) && hasZodOnlyChecks(d.schema)) {
      const parsed = d.schema.safeParse(o);
      if (!parsed.success) {
        const zc = zodIssuesToCauses(parsed.error.issues as never, o);
        if (zc.length > 0) return { object: o, causes: zc, unknownFields };
      }
    }
    if (options.defaults !== false && strategy?.default) strategy.default(o);
    append(causes, validateObjectMeta(o, objectMetaRulesOf(d)));
    if (strategy?.validate) append(causes, strategy.validate(o, options.old));
    if (options.old && strategy?.immutableFields) append(causes, checkImmutableFields(strategy.immutableFields, o, options.old));
  } catch (err) {
    causes.push({ reason: 'InternalError', message: `Internal error: ${(err as Error).message}`, field: '' });
  }
  o = o as T;
  return { object: o, causes, unknownFields };
}
