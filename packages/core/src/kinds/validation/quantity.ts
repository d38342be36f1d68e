/**
 * Resource quantities (`resource.Quantity`): `100m`, `1Gi`, `2`, `1e3`, or a JSON number.
 * Parsed to a float for comparisons (requests <= limits); the canonical string form is
 * left as the user wrote it.
 */

const QUANTITY_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Parses a quantity to a number (`"500m"` = 0.5, `"1Ki"` = 1024); undefined when malformed. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  const m = QUANTITY_RE.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix.startsWith('e') || suffix.startsWith('E')) return n * 10 ** Number(suffix.slice(1));
  return n * SUFFIX[suffix]!;
}

/** Whether a quantity string or number is well formed. */
export function isQuantity(q: unknown): boolean {
  return (typeof q === 'number' && Number.isFinite(q)) || (typeof q === 'string' && parseQuantity(q) !== undefined);
}

/** The message Kubernetes gives for a malformed quantity. */
export const QUANTITY_FORMAT_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
