/**
 * Writing answers: whole objects, Status errors, and lists streamed item by item.
 *
 * A list is never serialized into one string: items are encoded one at a time into chunks of
 * about 64 KiB, and the writer waits for `drain` whenever the socket's buffer is full, so a
 * LIST of 10,000 pods holds at most one chunk of text in memory beside the (shared) objects.
 */
import type { ServerResponse } from 'node:http';
import { StatusError, type Status } from '@converge/core';
import { stringify as yamlStringify } from 'yaml';
import type { WireFormat } from './media-types.js';
import { isStatusObject, statusInGoOrder } from './status-order.js';

const CHUNK_BYTES = 64 * 1024;

/**
 * The object with its type and object metadata first, in Kubernetes' order: `kind`,
 * `apiVersion`, `metadata`, then the other fields as they were (objects written by clients
 * often start with `metadata`, or with `apiVersion`). Cheap when the object already starts with
 * `kind` (returned as is); otherwise a shallow copy. A `metav1.Status` gets all of its fields in
 * Kubernetes' order (`statusInGoOrder`). Anything but an object with a `kind` or `apiVersion` is
 * returned as is.
 */
export function typeMetaFirst<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (isStatusObject(value)) return statusInGoOrder(value) as T;
  const obj = value as Record<string, unknown>;
  let first: string | undefined;
  for (const k in obj) {
    first = k;
    break;
  }
  if (first === 'kind' || first === undefined || (!('kind' in obj) && !('apiVersion' in obj))) return value;
  const out: Record<string, unknown> = {};
  if ('kind' in obj) out['kind'] = obj['kind'];
  if ('apiVersion' in obj) out['apiVersion'] = obj['apiVersion'];
  if ('metadata' in obj) out['metadata'] = obj['metadata'];
  for (const k in obj) if (!(k in out)) out[k] = obj[k];
  return out as T;
}

/**
 * Serializes one value for a whole-object answer (an object's `kind`, `apiVersion` and
 * `metadata` first). JSON ends with a newline, as Go's `json.Encoder` (and so Kubernetes)
 * writes every body.
 */
export function serialize(value: unknown, format: WireFormat, options: { pretty?: boolean } = {}): string {
  const ordered = typeMetaFirst(value);
  if (format === 'yaml') return yamlStringify(ordered, { aliasDuplicateObjects: false });
  return `${options.pretty ? JSON.stringify(ordered, null, 2) : JSON.stringify(ordered)}\n`;
}

/** One watch event as a JSON line (`{"type":...,"object":...}` and a newline), the object ordered as `serialize` orders it. */
export function watchEventLine(type: string, object: unknown): string {
  return `{"type":${JSON.stringify(type)},"object":${JSON.stringify(typeMetaFirst(object))}}\n`;
}

/** Writes a whole answer (JSON indented by two spaces with `pretty`, as Kubernetes' `?pretty=true`). */
export function writeObject(
  res: ServerResponse,
  code: number,
  value: unknown,
  options: { format?: WireFormat; contentType?: string; pretty?: boolean } = {},
): void {
  const format = options.format ?? 'json';
  const body = serialize(value, format, { pretty: options.pretty ?? false });
  res.statusCode = code;
  res.setHeader('Content-Type', options.contentType ?? (format === 'yaml' ? 'application/yaml' : 'application/json'));
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Turns anything thrown into a StatusError (unknown errors become 500 InternalError). */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StatusError('InternalError', `Internal error occurred: ${message}`, { code: 500, details: { causes: [{ message }] } });
}

/** Writes a failure as a `metav1.Status` (JSON unless YAML was negotiated). */
export function writeStatus(res: ServerResponse, err: unknown, format: WireFormat = 'json', options: { pretty?: boolean } = {}): void {
  const e = toStatusError(err);
  const status: Status = e.toStatus();
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e.code === 429 && e.details?.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(e.details.retryAfterSeconds));
  writeObject(res, e.code, status, { format, pretty: options.pretty ?? false });
}

/** Waits until the response can take more data, or rejects when the client went away. */
export function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('client closed the connection'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Writes text to the response, waiting for drain when the socket is full. */
export async function writeChunk(res: ServerResponse, text: string): Promise<void> {
  if (res.destroyed) throw new Error('client closed the connection');
  if (!res.write(text)) await drained(res);
}

/**
 * Streams a JSON document made of a head (everything before the array), the items of one array
 * field, and a tail, encoding items one by one with backpressure.
 */
export async function streamJsonArray<T>(
  res: ServerResponse,
  parts: { head: string; items: Iterable<T>; encode: (item: T) => string; tail: string },
): Promise<void> {
  let buf = parts.head;
  let first = true;
  for (const item of parts.items) {
    buf += first ? parts.encode(item) : `,${parts.encode(item)}`;
    first = false;
    if (buf.length >= CHUNK_BYTES) {
      await writeChunk(res, buf);
      buf = '';
    }
  }
  res.end(buf + parts.tail);
}

/**
 * Streams a list object `{kind, apiVersion, metadata, <arrayField>: [...], ...rest}` as JSON, or
 * writes it whole as YAML (YAML is for people, not for 10,000 items).
 */
export async function writeList(
  res: ServerResponse,
  list: { kind: string; apiVersion: string; metadata: unknown; items: readonly unknown[] },
  options: {
    format: WireFormat;
    contentType: string;
    arrayField?: string;
    extra?: Record<string, unknown>;
    encodeItem?: (item: unknown) => unknown;
    pretty?: boolean;
  },
): Promise<void> {
  const field = options.arrayField ?? 'items';
  const encodeItem = options.encodeItem;
  res.statusCode = 200;
  res.setHeader('Content-Type', options.contentType);
  if (options.format === 'yaml' || options.pretty) {
    // YAML and pretty JSON are for people, written whole.
    const whole: Record<string, unknown> = { kind: list.kind, apiVersion: list.apiVersion, metadata: list.metadata, ...options.extra };
    whole[field] = encodeItem ? list.items.map(encodeItem) : list.items;
    const body = options.format === 'yaml' ? yamlStringify(whole, { aliasDuplicateObjects: false }) : `${JSON.stringify(whole, null, 2)}\n`;
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
    return;
  }
  let head = `{"kind":${JSON.stringify(list.kind)},"apiVersion":${JSON.stringify(list.apiVersion)},"metadata":${JSON.stringify(list.metadata)}`;
  for (const [k, v] of Object.entries(options.extra ?? {})) head += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  head += `,${JSON.stringify(field)}:[`;
  await streamJsonArray(res, {
    head,
    items: list.items,
    encode: encodeItem ? (item) => JSON.stringify(encodeItem(item)) : (item) => JSON.stringify(item),
    tail: ']}\n',
  });
}
