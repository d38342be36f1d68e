/**
 * Content negotiation: which representation a client asked for in `Accept`, and how a request
 * body is encoded (`Content-Type`).
 *
 * Kubernetes' clients name transformed representations with media-type parameters:
 * `application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl get),
 * `application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io` (metadata informers) and
 * `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` (aggregated discovery).
 */
import { StatusError } from '@converge/core';

/** The wire formats the server writes. */
export type WireFormat = 'json' | 'yaml';

/** A representation the server can produce. */
export type ResponseTarget =
  | { kind: 'object'; format: WireFormat }
  | { kind: 'table'; format: WireFormat; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; format: WireFormat; version: 'v1' | 'v1beta1'; list: boolean }
  | { kind: 'discovery'; version: 'v2' | 'v2beta1' };

/** What a handler can produce for this request. */
export interface NegotiationOptions {
  table?: boolean;
  partial?: boolean;
  discovery?: boolean;
}

/** One media range of a header: `type/subtype` and its parameters (lower-case names). */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

/** Parses one media type with parameters: `application/json; charset=utf-8`. */
export function parseMediaType(value: string): MediaRange {
  const [head, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  let q = 1;
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const k = p.slice(0, eq).trim().toLowerCase();
    let v = p.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    if (k === 'q') q = Number(v) || 0;
    else params[k] = v;
  }
  return { type: (head ?? '').trim().toLowerCase(), params, q };
}

/** Parses an `Accept` header into media ranges, highest quality first (stable). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  const ranges = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(parseMediaType);
  return ranges
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || a.i - b.i)
    .map((x) => x.r);
}

const ACCEPTED_LIST = 'application/json, application/yaml, application/vnd.kubernetes.protobuf';

function formatOf(type: string): WireFormat | undefined {
  switch (type) {
    case 'application/json':
    case 'application/*':
    case '*/*':
    case 'application/json-seq':
      return 'json';
    case 'application/yaml':
    case 'text/yaml':
    case 'application/x-yaml':
      return 'yaml';
    default:
      return undefined;
  }
}

/** The 406 a client gets when the server can produce none of what it accepts. */
export function notAcceptable(): StatusError {
  return new StatusError('NotAcceptable', `only the following media types are accepted: ${ACCEPTED_LIST}`);
}

/**
 * Picks the representation for a response, or throws a 406 StatusError when nothing the
 * client accepts can be produced. No `Accept` header means plain JSON.
 */
export function negotiate(acceptHeader: string | undefined, options: NegotiationOptions = {}): ResponseTarget {
  const ranges = parseAccept(acceptHeader);
  if (ranges.length === 0) return { kind: 'object', format: 'json' };
  for (const r of ranges) {
    if (r.q <= 0) continue;
    const format = formatOf(r.type);
    if (!format) continue;
    const as = r.params['as'];
    if (!as) return { kind: 'object', format };
    const g = r.params['g'];
    const v = r.params['v'];
    if (as === 'Table' && options.table && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1'))
      return { kind: 'table', format, version: v };
    if (
      (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') &&
      options.partial &&
      g === 'meta.k8s.io' &&
      (v === 'v1' || v === 'v1beta1')
    ) {
      return { kind: 'partial', format, version: v, list: as === 'PartialObjectMetadataList' };
    }
    if (
      as === 'APIGroupDiscoveryList' &&
      options.discovery &&
      g === 'apidiscovery.k8s.io' &&
      format === 'json' &&
      (v === 'v2' || v === 'v2beta1')
    ) {
      return { kind: 'discovery', version: v };
    }
  }
  throw notAcceptable();
}

/** The `Content-Type` header value for a produced representation. */
export function contentTypeOf(target: ResponseTarget): string {
  switch (target.kind) {
    case 'object':
      return target.format === 'yaml' ? 'application/yaml' : 'application/json';
    case 'table':
      return `${target.format === 'yaml' ? 'application/yaml' : 'application/json'};as=Table;v=${target.version};g=meta.k8s.io`;
    case 'partial':
      return `${target.format === 'yaml' ? 'application/yaml' : 'application/json'};as=${target.list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'};v=${target.version};g=meta.k8s.io`;
    case 'discovery':
      return `application/json;g=apidiscovery.k8s.io;v=${target.version};as=APIGroupDiscoveryList`;
  }
}

/** How a request body is encoded. */
export type BodyEncoding = 'json' | 'yaml' | 'protobuf';

/** The body encodings of create and update requests. */
export function bodyEncodingOf(contentType: string | undefined): BodyEncoding {
  const type = contentType ? parseMediaType(contentType).type : 'application/json';
  switch (type) {
    case '':
    case 'application/json':
      return 'json';
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
      return 'yaml';
    case 'application/vnd.kubernetes.protobuf':
      return 'protobuf';
    default:
      throw new StatusError(
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${ACCEPTED_LIST}`,
      );
  }
}

/** The patch type a PATCH request's `Content-Type` names. */
export function patchTypeOf(contentType: string | undefined, options: { strategic: boolean }): 'json' | 'merge' | 'strategic' | 'apply' {
  const type = contentType ? parseMediaType(contentType).type : '';
  switch (type) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      if (options.strategic) return 'strategic';
      break;
    case 'application/apply-patch+yaml':
      return 'apply';
  }
  const accepted = ['application/json-patch+json', 'application/merge-patch+json'];
  if (options.strategic) accepted.push('application/strategic-merge-patch+json');
  accepted.push('application/apply-patch+yaml');
  throw new StatusError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}
