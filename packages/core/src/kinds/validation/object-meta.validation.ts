/**
 * Validation of `metadata` shared by every kind (Kubernetes' `ValidateObjectMeta`): name or
 * generateName by the kind's name rule, namespace, labels, annotations, finalizers and owner
 * references; and of label selectors.
 */
import type { KubeObject, StatusCause } from '../../api/meta.js';
import { duplicateValue, forbiddenField, invalidValue, requiredValue, tooLong } from './field-errors.js';
import { checkName, isDNS1123Label, isQualifiedName, isValidLabelValue, type NameRule } from './name-rules.js';

/** Largest total size of a object's annotations (keys plus values), in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Options of `validateObjectMeta`. */
export interface ObjectMetaRules {
  /** Whether the kind is namespaced. */
  namespaced: boolean;
  /** The rule names of the kind follow; DNS-1123 subdomain when unset. */
  nameRule?: NameRule;
  /** Objects may come without a name (review kinds). */
  nameOptional?: boolean;
}

/** Validates a label map at `path` (`metadata.labels`, `spec.selector.matchLabels`, ...). */
export function validateLabels(labels: Record<string, string> | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  appendLabelCauses(out, labels, path);
  return out;
}

/** Appends to `out` the causes `validateLabels` finds. */
export function appendLabelCauses(out: StatusCause[], labels: Record<string, string> | undefined, path: string): void {
  if (!labels) return;
  for (const k in labels) {
    for (const e of isQualifiedName(k)) out.push(invalidValue(path, k, e));
    const v = labels[k]!;
    if (typeof v === 'string') for (const e of isValidLabelValue(v)) out.push(invalidValue(path, v, e));
  }
}

/** Validates annotation keys and their total size. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!annotations) return out;
  let size = 0;
  for (const k in annotations) {
    for (const e of isQualifiedName(k.toLowerCase())) out.push(invalidValue(path, k, e));
    size += k.length + (annotations[k]?.length ?? 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT)
    out.push({
      ...tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT),
      message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
    });
  return out;
}

/** Validates the metadata of an object of a kind. */
export function validateObjectMeta(obj: KubeObject, rules: ObjectMetaRules): StatusCause[] {
  const out: StatusCause[] = [];
  const m = obj.metadata ?? {};
  const rule = rules.nameRule ?? 'dns1123Subdomain';
  if (m.name) {
    for (const e of checkName(rule, m.name)) out.push(invalidValue('metadata.name', m.name, e));
  } else if (m.generateName) {
    for (const e of checkName(rule, m.generateName, true)) out.push(invalidValue('metadata.generateName', m.generateName, e));
  } else if (!rules.nameOptional) {
    out.push(requiredValue('metadata.name', 'name or generateName is required'));
  }
  if (rules.namespaced) {
    if (m.namespace) for (const e of isDNS1123Label(m.namespace)) out.push(invalidValue('metadata.namespace', m.namespace, e));
  } else if (m.namespace) {
    out.push(forbiddenField('metadata.namespace', 'not allowed on this type'));
  }
  if (m.generation !== undefined && m.generation < 0)
    out.push(invalidValue('metadata.generation', m.generation, 'must be greater than or equal to 0'));
  appendLabelCauses(out, m.labels, 'metadata.labels');
  if (m.annotations) for (const c of validateAnnotations(m.annotations, 'metadata.annotations')) out.push(c);
  if (m.finalizers) {
    const seen = new Set<string>();
    m.finalizers.forEach((f, i) => {
      for (const e of isQualifiedName(f)) out.push(invalidValue('metadata.finalizers', f, e));
      if (seen.has(f)) out.push(duplicateValue(`metadata.finalizers[${i}]`, f));
      seen.add(f);
    });
  }
  if (m.ownerReferences) {
    let controllers = 0;
    for (const r of m.ownerReferences) {
      if (!r.apiVersion) out.push(invalidValue('metadata.ownerReferences.apiVersion', r.apiVersion ?? '', 'version must not be empty'));
      if (!r.kind) out.push(invalidValue('metadata.ownerReferences.kind', r.kind ?? '', 'kind must not be empty'));
      if (!r.name) out.push(invalidValue('metadata.ownerReferences.name', r.name ?? '', 'name must not be empty'));
      if (!r.uid) out.push(invalidValue('metadata.ownerReferences.uid', r.uid ?? '', 'uid must not be empty'));
      if (r.controller) controllers++;
    }
    if (controllers > 1)
      out.push(invalidValue('metadata.ownerReferences', m.ownerReferences, 'Only one reference can have Controller set to true'));
  }
  return out;
}

/** A label selector as validated: matchLabels and matchExpressions. */
export interface SelectorLike {
  matchLabels?: Record<string, string> | undefined;
  matchExpressions?: { key: string; operator: string; values?: string[] | undefined }[] | undefined;
}

/** Validates a `metav1.LabelSelector` at `path`. */
export function validateLabelSelector(sel: SelectorLike | undefined, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (!sel) return out;
  out.push(...validateLabels(sel.matchLabels, `${path}.matchLabels`));
  (sel.matchExpressions ?? []).forEach((r, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    for (const e of isQualifiedName(r.key)) out.push(invalidValue(`${p}.key`, r.key, e));
    switch (r.operator) {
      case 'In':
      case 'NotIn':
        if (!r.values || r.values.length === 0)
          out.push(requiredValue(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (r.values && r.values.length > 0)
          out.push(forbiddenField(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        out.push(invalidValue(`${p}.operator`, r.operator, 'not a valid selector operator'));
    }
    (r.values ?? []).forEach((v) => {
      for (const e of isValidLabelValue(v)) out.push(invalidValue(`${p}.values`, v, e));
    });
  });
  return out;
}

/** Whether a selector (matchLabels + matchExpressions) selects the given labels. */
export function selectorMatches(sel: SelectorLike, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const k in sel.matchLabels ?? {}) if (l[k] !== sel.matchLabels![k]) return false;
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.operator) {
      case 'In':
        if (!has || !(r.values ?? []).includes(v!)) return false;
        break;
      case 'NotIn':
        if (has && (r.values ?? []).includes(v!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a selector is empty (selects everything). */
export function selectorIsEmpty(sel: SelectorLike | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}
