/**
 * Kubernetes' protobuf wire format for request (and response) bodies: the four magic bytes
 * `k8s\0`, then a `runtime.Unknown` whose `typeMeta` names apiVersion and kind and whose `raw`
 * holds the object's own protobuf encoding. This is what kubectl's typed clients POST
 * (`Content-Type: application/vnd.kubernetes.protobuf`) for every `kubectl create <generator>`,
 * `kubectl create token` and `kubectl auth can-i` / `whoami`.
 */
import { badRequest, StatusError, type KubeObject, type TypeMeta } from '@converge/core';
import type protobuf from 'protobufjs';
import { ProtoMessageBuilder } from './proto-message-builder.js';
import { WireDecoder } from './wire-decoder.js';
import { kubeProtoSchema, UNKNOWN_MESSAGE, type KubeProtoSchema, type ProtobufKind } from './proto-schema.js';
import { utf8, type ProtoMessage } from './special-types.js';

/** The media type of Kubernetes' protobuf encoding. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** The four bytes every protobuf-encoded Kubernetes object starts with: `k8s\0`. */
export const PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** How many `k8s\0` objects may nest inside each other's RawExtensions. */
const MAX_EMBEDDED_DEPTH = 8;

/** A decoded body: apiVersion and kind (from the envelope) plus the object's fields. */
export type DecodedProtobufBody = TypeMeta & Record<string, unknown>;

/** The wire codec over one schema; `protobufCodec()` is the process-wide one. */
export class ProtobufCodec {
  private readonly converter: ProtoMessageBuilder;
  private readonly decoder: WireDecoder;
  private readonly unknownType: protobuf.Type;
  /** How many envelopes are being decoded right now: a RawExtension may embed another. */
  private depth = 0;

  constructor(private readonly schema: KubeProtoSchema = kubeProtoSchema()) {
    this.converter = new ProtoMessageBuilder(schema);
    this.decoder = new WireDecoder(schema, { decodeEmbedded: (bytes) => this.decode(bytes) });
    this.unknownType = schema.type(UNKNOWN_MESSAGE);
  }

  /**
   * Decodes a `k8s\0` body into the JSON form Kubernetes would give the same object, with
   * `apiVersion` and `kind` taken from the envelope. Throws a `StatusError` BadRequest (400)
   * when the magic or envelope is broken, the envelope's content encoding or type is not
   * supported, the kind has no protobuf form here, or the body does not decode.
   */
  decode(body: Uint8Array): DecodedProtobufBody {
    if (body.length < 4 || body[0] !== 0x6b || body[1] !== 0x38 || body[2] !== 0x73 || body[3] !== 0x00) {
      throw badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
    }
    if (this.depth >= MAX_EMBEDDED_DEPTH) throw badRequest('protobuf objects are nested too deeply');
    let envelope: ProtoMessage;
    try {
      envelope = this.unknownType.decode(body.subarray(4)) as unknown as ProtoMessage;
    } catch (err) {
      throw badRequest(`unable to decode the protobuf envelope: ${(err as Error).message}`);
    }
    const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
    const apiVersion = typeMeta.apiVersion ?? '';
    const kind = typeMeta.kind ?? '';
    if (!kind) throw badRequest("Object 'Kind' is missing in the protobuf envelope");
    if (!apiVersion) throw badRequest("Object 'apiVersion' is missing in the protobuf envelope");
    const contentEncoding = (envelope.contentEncoding as string | undefined) ?? '';
    if (contentEncoding) throw badRequest(`unsupported content encoding ${JSON.stringify(contentEncoding)} in the protobuf envelope`);
    const raw = (envelope.raw as Uint8Array | undefined) ?? new Uint8Array(0);
    const contentType = (envelope.contentType as string | undefined) ?? '';
    if (contentType === 'application/json') return this.decodeJSONRaw(raw, apiVersion, kind);
    if (contentType !== '' && contentType !== PROTOBUF_MEDIA_TYPE) {
      throw badRequest(`unsupported content type ${JSON.stringify(contentType)} in the protobuf envelope`);
    }
    const target = this.schema.kind(apiVersion, kind);
    if (!target) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in the protobuf codec`);
    const out: DecodedProtobufBody = { apiVersion, kind };
    this.depth++;
    try {
      this.decoder.decodeInto(target.message, raw, out);
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw badRequest(`unable to decode ${kind} from its protobuf body: ${(err as Error).message}`);
    } finally {
      this.depth--;
    }
    return out;
  }

  /**
   * Decodes a body that must be an object with metadata (every kind but `DeleteOptions`);
   * throws a BadRequest otherwise.
   */
  decodeObject(body: Uint8Array): KubeObject {
    const obj = this.decode(body);
    if (typeof obj.metadata !== 'object' || obj.metadata === null) throw badRequest(`${obj.kind} is not an object with metadata`);
    return obj as KubeObject;
  }

  /**
   * Encodes an object (with `apiVersion` and `kind`) as a `k8s\0` body. Fields the schema does
   * not know are dropped, as Go drops them on decode. Throws a BadRequest for an unknown kind or
   * a field of the wrong shape.
   */
  encode(obj: DecodedProtobufBody): Buffer {
    const { apiVersion = '', kind = '' } = obj;
    const target: ProtobufKind | undefined = this.schema.kind(apiVersion, kind);
    if (!target) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in the protobuf codec`);
    let raw: Uint8Array;
    try {
      const msg = this.converter.messageFromJSON(target.message, obj, '');
      raw = this.schema.type(target.message).encode(msg).finish();
    } catch (err) {
      throw badRequest(`unable to encode ${kind} as protobuf: ${(err as Error).message}`);
    }
    const envelope = this.unknownType.encode({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' }).finish();
    const out = Buffer.allocUnsafe(4 + envelope.length);
    out.set(PROTOBUF_MAGIC, 0);
    out.set(envelope, 4);
    return out;
  }

  /** Every kind this codec decodes (`DeleteOptions`, accepted under any apiVersion, aside). */
  kinds(): ProtobufKind[] {
    return this.schema.allKinds();
  }

  private decodeJSONRaw(raw: Uint8Array, apiVersion: string, kind: string): DecodedProtobufBody {
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8(raw));
    } catch (err) {
      throw badRequest(`unable to decode the JSON body of the protobuf envelope: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw badRequest('the JSON body of the protobuf envelope is not an object');
    return { ...(parsed as Record<string, unknown>), apiVersion, kind };
  }
}

let shared: ProtobufCodec | undefined;

/** The process-wide codec (schema built on first use). */
export function protobufCodec(): ProtobufCodec {
  return (shared ??= new ProtobufCodec());
}

/**
 * Decodes a `Content-Type: application/vnd.kubernetes.protobuf` request body into the object's
 * JSON form (exactly what the same object sent as JSON by a Go client holds: RFC 3339 times,
 * quantities as strings, int-or-strings by their type, bytes as base64, `apiVersion`/`kind` from
 * the envelope). Throws a `StatusError` BadRequest (400) for a broken envelope, an unknown kind,
 * a kind without metadata or an undecodable body; never anything else.
 *
 * @example
 * ```ts
 * const obj = decodeProtobufObject(body); // { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {...}, spec: {...}, status: {} }
 * ```
 */
export function decodeProtobufObject(body: Uint8Array): KubeObject {
  return protobufCodec().decodeObject(body);
}

/**
 * Decodes any protobuf body this server accepts, objects and `DeleteOptions` (a DELETE or
 * eviction body) alike. Same errors as `decodeProtobufObject`.
 */
export function decodeProtobuf(body: Uint8Array): DecodedProtobufBody {
  return protobufCodec().decode(body);
}

/**
 * Encodes an object in Kubernetes' protobuf wire format (`k8s\0` + `runtime.Unknown`), for
 * tests and for clients that accept `application/vnd.kubernetes.protobuf` responses.
 * Throws a `StatusError` BadRequest for a kind without a protobuf form or a mistyped field.
 */
export function encodeProtobufObject(obj: DecodedProtobufBody): Buffer {
  return protobufCodec().encode(obj);
}
