/**
 * The messages whose JSON form is not "an object with the message's fields": timestamps,
 * quantities, int-or-strings, embedded raw JSON, and the apiextensions "schema or something
 * else" unions. Each says how its protobuf message is laid out (field numbers are wire facts)
 * and how it maps to and from the JSON Kubernetes writes.
 */
import { formatWireTime, parseWireTime } from './wire-time.js';

/** A message being built for protobufjs to encode (field values by protobuf name). */
export type ProtoMessage = Record<string, unknown>;

/**
 * A special type's message as the wire decoder hands it over: only the fields present on the
 * wire, scalars as JS values (64-bit integers as numbers), bytes as `Uint8Array`s, repeated
 * fields as arrays, and table messages (JSONSchemaProps) already in their JSON form.
 */
export type DecodedMessage = Record<string, unknown>;

/** What a special type's `toJSON` may ask of the decoder. */
export interface ToJSONContext {
  /** Decodes an embedded `k8s\0` protobuf object (a RawExtension may carry one) to its JSON. */
  decodeEmbedded(bytes: Uint8Array): unknown;
}

/** What a special type's `fromJSON` may ask of the encoder. */
export interface FromJSONContext {
  /** The protobuf form of a JSON value of a table type; `path` names the field in errors. */
  messageFromJSON(typeName: string, value: unknown, path: string): ProtoMessage;
}

/** One field of a special type's protobuf message. */
export interface SpecialField {
  name: string;
  id: number;
  /** A scalar type or a fully qualified message name. */
  type: string;
  repeated?: boolean;
}

/** A message with its own JSON form. */
export interface SpecialType {
  /** The name the tables use (`Time`). */
  token: string;
  /** The fully qualified protobuf name. */
  fullName: string;
  fields: readonly SpecialField[];
  /** The JSON of a decoded message; `undefined` means absent on the wire (Go's zero value). */
  toJSON(msg: DecodedMessage | undefined, ctx: ToJSONContext): unknown;
  /** The message for a JSON value; `undefined` leaves the field off the wire. Throws a `TypeError` naming `path` for a value of the wrong shape. */
  fromJSON(value: unknown, ctx: FromJSONContext, path: string): ProtoMessage | undefined;
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';
/** The fully qualified name of apiextensions' JSONSchemaProps (a table message the unions wrap). */
export const JSON_SCHEMA_PROPS = `${APIEXT}.JSONSchemaProps`;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A protobuf integer as a JS number: protobufjs hands out 64-bit integers as `Long`s. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v == null) return 0;
  return (v as { toNumber(): number }).toNumber();
}

/** The UTF-8 text of a bytes field (a Buffer or any Uint8Array). */
export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

const K8S_MAGIC = [0x6b, 0x38, 0x73, 0x00];

function isEnvelope(b: Uint8Array): boolean {
  return b.length >= 4 && K8S_MAGIC.every((x, i) => b[i] === x);
}

function wrongShape(path: string, want: string, value: unknown): TypeError {
  return new TypeError(`${path}: expected ${want}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`);
}

function timeType(token: 'Time' | 'MicroTime'): SpecialType {
  const precision = token === 'Time' ? 'second' : 'micro';
  return {
    token,
    fullName: `${META}.${token}`,
    fields: [
      { name: 'seconds', id: 1, type: 'int64' },
      { name: 'nanos', id: 2, type: 'int32' },
    ],
    toJSON(msg) {
      // An empty message is Go's zero time, which its JSON writes as null.
      if (!msg || (!hasOwn(msg, 'seconds') && !hasOwn(msg, 'nanos'))) return null;
      // metav1.Time keeps whole seconds when it reads protobuf; MicroTime keeps the nanos.
      return formatWireTime({ seconds: toNumber(msg.seconds), nanos: precision === 'micro' ? toNumber(msg.nanos) : 0 }, precision);
    },
    fromJSON(value, _ctx, path) {
      if (value === null || value === undefined) return undefined;
      const t = typeof value === 'string' ? parseWireTime(value) : undefined;
      if (!t) throw wrongShape(path, 'an RFC 3339 time', value);
      return { seconds: t.seconds, nanos: precision === 'micro' ? t.nanos : 0 };
    },
  };
}

/** A message holding one `bytes raw = 1` of embedded JSON (RawExtension, FieldsV1, apiextensions JSON). */
function rawJSONType(token: string, fullName: string): SpecialType {
  return {
    token,
    fullName,
    fields: [{ name: 'raw', id: 1, type: 'bytes' }],
    toJSON(msg, ctx) {
      const raw = msg?.raw as Uint8Array | undefined;
      if (!raw || raw.length === 0) return null;
      if (token === 'RawExtension' && isEnvelope(raw)) return ctx.decodeEmbedded(raw);
      try {
        return JSON.parse(utf8(raw));
      } catch {
        throw new TypeError(`${token} does not hold JSON`);
      }
    },
    fromJSON(value) {
      if (value === null || value === undefined) return undefined;
      return { raw: Buffer.from(JSON.stringify(value), 'utf8') };
    },
  };
}

const SPECIALS: SpecialType[] = [
  timeType('Time'),
  timeType('MicroTime'),
  {
    token: 'Quantity',
    fullName: 'k8s.io.apimachinery.pkg.api.resource.Quantity',
    fields: [{ name: 'string', id: 1, type: 'string' }],
    // Passed through as written (the JSON path does the same); Go's zero Quantity reads "0".
    toJSON: (msg) => (msg && typeof msg.string === 'string' && msg.string !== '' ? msg.string : '0'),
    fromJSON(value, _ctx, path) {
      if (value === null || value === undefined) return undefined;
      if (typeof value === 'string') return { string: value };
      if (typeof value === 'number' && Number.isFinite(value)) return { string: String(value) };
      throw wrongShape(path, 'a quantity', value);
    },
  },
  {
    token: 'IntOrString',
    fullName: 'k8s.io.apimachinery.pkg.util.intstr.IntOrString',
    fields: [
      { name: 'type', id: 1, type: 'int64' },
      { name: 'intVal', id: 2, type: 'int32' },
      { name: 'strVal', id: 3, type: 'string' },
    ],
    toJSON(msg) {
      if (!msg) return 0;
      return toNumber(msg.type) === 1
        ? hasOwn(msg, 'strVal')
          ? String(msg.strVal)
          : ''
        : hasOwn(msg, 'intVal')
          ? toNumber(msg.intVal)
          : 0;
    },
    fromJSON(value, _ctx, path) {
      if (value === null || value === undefined) return undefined;
      if (typeof value === 'number' && Number.isInteger(value)) return { type: 0, intVal: value };
      if (typeof value === 'string') return { type: 1, strVal: value };
      throw wrongShape(path, 'an integer or a string', value);
    },
  },
  rawJSONType('RawExtension', 'k8s.io.apimachinery.pkg.runtime.RawExtension'),
  rawJSONType('FieldsV1', `${META}.FieldsV1`),
  rawJSONType('JSON', `${APIEXT}.JSON`),
  {
    token: 'ExtraValue',
    fullName: 'k8s.io.api.authentication.v1.ExtraValue',
    fields: [{ name: 'items', id: 1, type: 'string', repeated: true }],
    toJSON: (msg) => {
      const items = msg?.items as string[] | undefined;
      return items && items.length > 0 ? [...items] : null;
    },
    fromJSON(value, _ctx, path) {
      if (value === null || value === undefined) return undefined;
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw wrongShape(path, 'a list of strings', value);
      return { items: value };
    },
  },
  {
    token: 'JSONSchemaPropsOrArray',
    fullName: `${APIEXT}.JSONSchemaPropsOrArray`,
    fields: [
      { name: 'schema', id: 1, type: JSON_SCHEMA_PROPS },
      { name: 'jSONSchemas', id: 2, type: JSON_SCHEMA_PROPS, repeated: true },
    ],
    toJSON(msg) {
      const list = msg?.jSONSchemas as unknown[] | undefined;
      if (list && list.length > 0) return list;
      return msg?.schema ?? null;
    },
    fromJSON(value, ctx, path) {
      if (value === null || value === undefined) return undefined;
      if (Array.isArray(value)) return { jSONSchemas: value.map((v, i) => ctx.messageFromJSON(JSON_SCHEMA_PROPS, v, `${path}[${i}]`)) };
      return { schema: ctx.messageFromJSON(JSON_SCHEMA_PROPS, value, path) };
    },
  },
  {
    token: 'JSONSchemaPropsOrBool',
    fullName: `${APIEXT}.JSONSchemaPropsOrBool`,
    fields: [
      { name: 'allows', id: 1, type: 'bool' },
      { name: 'schema', id: 2, type: JSON_SCHEMA_PROPS },
    ],
    toJSON(msg) {
      if (msg?.schema) return msg.schema;
      return msg?.allows === true;
    },
    fromJSON(value, ctx, path) {
      if (value === null || value === undefined) return undefined;
      if (typeof value === 'boolean') return { allows: value };
      return { allows: true, schema: ctx.messageFromJSON(JSON_SCHEMA_PROPS, value, path) };
    },
  },
  {
    token: 'JSONSchemaPropsOrStringArray',
    fullName: `${APIEXT}.JSONSchemaPropsOrStringArray`,
    fields: [
      { name: 'schema', id: 1, type: JSON_SCHEMA_PROPS },
      { name: 'property', id: 2, type: 'string', repeated: true },
    ],
    toJSON(msg) {
      const property = msg?.property as string[] | undefined;
      if (property && property.length > 0) return property;
      return msg?.schema ?? null;
    },
    fromJSON(value, ctx, path) {
      if (value === null || value === undefined) return undefined;
      if (Array.isArray(value)) {
        if (!value.every((v) => typeof v === 'string')) throw wrongShape(path, 'a list of strings', value);
        return { property: value };
      }
      return { schema: ctx.messageFromJSON(JSON_SCHEMA_PROPS, value, path) };
    },
  },
];

/** Every special type, keyed by the token the tables use. */
export const SPECIAL_TYPES: ReadonlyMap<string, SpecialType> = new Map(SPECIALS.map((t) => [t.token, t]));
