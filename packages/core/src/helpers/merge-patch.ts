function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!jsonEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/**
 * Computes the JSON merge patch (RFC 7386) that turns `original` into `modified`: changed
 * and added fields with their new values, removed fields as `null`, objects diffed
 * recursively, arrays replaced whole. Returns undefined when there is no difference.
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (jsonEqual(original, modified)) return undefined;
  if (!isObject(original) || !isObject(modified)) return modified === undefined ? null : modified;
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(modified)) {
    if (v === undefined) continue;
    const d = createMergePatch(original[k], v);
    if (d !== undefined) patch[k] = d;
  }
  for (const [k, v] of Object.entries(original)) if (v !== undefined && modified[k] === undefined) patch[k] = null;
  return Object.keys(patch).length ? patch : undefined;
}
