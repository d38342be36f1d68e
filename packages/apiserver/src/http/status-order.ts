/**
 * A `metav1.Status` with its fields in the order and with the omissions of Kubernetes' Go
 * struct, as `encoding/json` writes it: `kind`, `apiVersion`, `metadata`, `status`, `message`,
 * `reason`, `details` (`name`, `group`, `kind`, `uid`, `causes` of `reason`, `message`, `field`,
 * `retryAfterSeconds`), `code`; empty strings, a zero code and absent details left out. Clients
 * that show or compare error bodies verbatim see the bytes Kubernetes sends.
 */

type Fields = Record<string, unknown>;

function isFields(v: unknown): v is Fields {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function copyPresent(from: Fields, to: Fields, names: readonly string[]): void {
  for (const n of names) {
    const v = from[n];
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    to[n] = v;
  }
}

function causeInGoOrder(cause: unknown): unknown {
  if (!isFields(cause)) return cause;
  const out: Fields = {};
  copyPresent(cause, out, ['reason', 'message', 'field']);
  return out;
}

function detailsInGoOrder(details: Fields): Fields {
  const out: Fields = {};
  copyPresent(details, out, ['name', 'group', 'kind', 'uid']);
  if (Array.isArray(details['causes']) && details['causes'].length > 0) out['causes'] = details['causes'].map(causeInGoOrder);
  copyPresent(details, out, ['retryAfterSeconds']);
  return out;
}

/** Whether a value is a `metav1.Status` (kind `Status`, apiVersion `v1`). */
export function isStatusObject(value: unknown): value is Fields {
  return isFields(value) && value['kind'] === 'Status' && value['apiVersion'] === 'v1';
}

/** The Status with Kubernetes' field order and omissions (see the file's comment). */
export function statusInGoOrder(status: Fields): Fields {
  const out: Fields = { kind: 'Status', apiVersion: 'v1', metadata: isFields(status['metadata']) ? status['metadata'] : {} };
  copyPresent(status, out, ['status', 'message', 'reason']);
  if (isFields(status['details'])) out['details'] = detailsInGoOrder(status['details']);
  copyPresent(status, out, ['code']);
  return out;
}
