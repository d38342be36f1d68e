/**
 * Converts decoded protobuf messages to the JSON Kubernetes writes for the same Go value, and
 * JSON back to messages protobufjs can encode. Each message gets a compiled plan (one closure
 * per field) on first use.
 *
 * The JSON side follows Go's `encoding/json` over the API types: `omitempty` scalars are left
 * out when zero, pointers are written when set (even to zero), structs are always written (so
 * a Deployment carries `status: {}` and `metadata.creationTimestamp: null`, as kubectl's own
 * JSON does), maps and lists without `omitempty` are `null` when empty. One deliberate
 * difference: quantities are passed through as written instead of being re-canonicalized,
 * exactly as a JSON body is.
 */
import type { FieldSpec } from './message-table.js';
import type { KubeProtoSchema } from './proto-schema.js';
import { SPECIAL_TYPES, toNumber, type ConvertContext, type ProtoMessage, type SpecialType } from './special-types.js';

type Fill = (msg: ProtoMessage | undefined, out: Record<string, unknown>) => void;
type Build = (value: Record<string, unknown>, msg: ProtoMessage, path: string) => void;
type ScalarTo = (v: unknown) => unknown;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function base64(v: unknown): string {
  const b = v as Uint8Array;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

const scalarTo: Record<string, ScalarTo> = {
  string: (v) => v,
  bool: (v) => v,
  int32: (v) => v,
  double: (v) => v,
  float: (v) => v,
  int64: toNumber,
  bytes: base64,
};

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

function zeroOf(type: string): unknown {
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'bytes':
      return null;
    default:
      return 0;
  }
}

/** Checks and converts one JSON scalar to what protobufjs encodes for `type`. */
function scalarFrom(type: string, v: unknown, path: string): unknown {
  switch (type) {
    case 'string':
      if (typeof v === 'string') return v;
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      break;
    case 'int32':
    case 'int64':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      break;
    case 'double':
    case 'float':
      if (typeof v === 'number') return v;
      break;
    case 'bytes':
      if (typeof v === 'string') return Buffer.from(v, 'base64');
      break;
  }
  throw new TypeError(`${path}: expected ${type === 'bytes' ? 'base64 string' : type}, got ${describe(v)}`);
}

/** The JSON ⇄ protobuf-message converter over one schema. */
export class JSONConverter implements ConvertContext {
  private readonly fills = new Map<string, Fill>();
  private readonly builds = new Map<string, Build>();

  /** `embedded` decodes a `k8s\0` envelope found inside a RawExtension. */
  constructor(
    private readonly schema: KubeProtoSchema,
    private readonly embedded: (bytes: Uint8Array) => unknown,
  ) {}

  /** @inheritdoc */
  decodeEmbedded(bytes: Uint8Array): unknown {
    return this.embedded(bytes);
  }

  /** @inheritdoc */
  messageToJSON(typeName: string, msg: ProtoMessage | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.fillOf(typeName)(msg, out);
    return out;
  }

  /** Writes the JSON fields of `msg` (a message of `typeName`) into `out`. */
  fillJSON(typeName: string, msg: ProtoMessage | undefined, out: Record<string, unknown>): void {
    this.fillOf(typeName)(msg, out);
  }

  /** @inheritdoc */
  messageFromJSON(typeName: string, value: unknown, path: string): ProtoMessage {
    if (!isObject(value)) throw new TypeError(`${path || 'object'}: expected object, got ${describe(value)}`);
    const msg: ProtoMessage = {};
    this.buildOf(typeName)(value, msg, path);
    return msg;
  }

  private fillOf(typeName: string): Fill {
    let fill = this.fills.get(typeName);
    if (!fill) {
      const specs = this.schema.fields.get(typeName);
      if (!specs) throw new Error(`no table message ${typeName}`);
      // Registered before compiling the fields, so recursive messages (JSONSchemaProps) find it.
      let steps: Fill[] = [];
      fill = (msg, out) => {
        for (let i = 0; i < steps.length; i++) steps[i]!(msg, out);
      };
      this.fills.set(typeName, fill);
      steps = specs.map((f) => this.compileFill(f));
    }
    return fill;
  }

  private valueTo(type: string): (v: unknown) => unknown {
    const scalar = scalarTo[type];
    if (scalar) return scalar;
    const special = SPECIAL_TYPES.get(type);
    if (special) return (v) => special.toJSON(v as ProtoMessage, this);
    return (v) => this.messageToJSON(type, v as ProtoMessage);
  }

  private compileFill(f: FieldSpec): Fill {
    const { protoName: key, json } = f;
    if (f.inline) {
      return (msg, out) => this.fillOf(f.type)((msg?.[key] as ProtoMessage | null) ?? undefined, out);
    }
    const always = f.presence === 'always';
    if (f.map) {
      const conv = this.valueTo(f.type);
      return (msg, out) => {
        const m = msg?.[key] as Record<string, unknown> | undefined;
        let any = false;
        if (m) {
          const o: Record<string, unknown> = {};
          for (const k in m) {
            o[k] = conv(m[k]);
            any = true;
          }
          if (any) out[json] = o;
        }
        if (!any && always) out[json] = null;
      };
    }
    if (f.repeated) {
      const conv = this.valueTo(f.type);
      const identity = f.type === 'string' || f.type === 'bool' || f.type === 'int32';
      return (msg, out) => {
        const a = msg?.[key] as unknown[] | undefined;
        if (a && a.length > 0) out[json] = identity ? a.slice() : a.map(conv);
        else if (always) out[json] = null;
      };
    }
    const scalar = scalarTo[f.type];
    if (scalar) {
      if (f.presence === 'pointer') return (msg, out) => void (msg && hasOwn(msg, key) && (out[json] = scalar(msg[key])));
      if (always) {
        const zero = zeroOf(f.type);
        return (msg, out) => void (out[json] = msg && hasOwn(msg, key) ? scalar(msg[key]) : zero);
      }
      if (f.type === 'bytes') return (msg, out) => void (msg && hasOwn(msg, key) && (msg[key] as Uint8Array).length > 0 && (out[json] = scalar(msg[key])));
      return (msg, out) => {
        if (msg && hasOwn(msg, key)) {
          const v = scalar(msg[key]);
          if (!isZero(v)) out[json] = v;
        }
      };
    }
    const special: SpecialType | undefined = SPECIAL_TYPES.get(f.type);
    const pointer = f.presence === 'pointer';
    if (special) {
      return (msg, out) => {
        const v = msg?.[key] as ProtoMessage | null | undefined;
        if (v != null) out[json] = special.toJSON(v, this);
        else if (!pointer) out[json] = special.toJSON(undefined, this);
      };
    }
    return (msg, out) => {
      const v = msg?.[key] as ProtoMessage | null | undefined;
      if (v != null || !pointer) out[json] = this.messageToJSON(f.type, v ?? undefined);
    };
  }

  private buildOf(typeName: string): Build {
    let build = this.builds.get(typeName);
    if (!build) {
      const specs = this.schema.fields.get(typeName);
      if (!specs) throw new Error(`no table message ${typeName}`);
      let steps: Build[] = [];
      build = (value, msg, path) => {
        for (let i = 0; i < steps.length; i++) steps[i]!(value, msg, path);
      };
      this.builds.set(typeName, build);
      steps = specs.map((f) => this.compileBuild(f));
    }
    return build;
  }

  private valueFrom(type: string): (v: unknown, path: string) => unknown {
    if (scalarTo[type]) return (v, path) => scalarFrom(type, v, path);
    const special = SPECIAL_TYPES.get(type);
    if (special) return (v, path) => special.fromJSON(v, this, path) ?? {};
    return (v, path) => this.messageFromJSON(type, v, path);
  }

  private compileBuild(f: FieldSpec): Build {
    const { protoName: key, json } = f;
    if (f.inline) {
      return (value, msg, path) => {
        const sub: ProtoMessage = {};
        this.buildOf(f.type)(value, sub, path);
        msg[key] = sub;
      };
    }
    const at = (path: string): string => (path ? `${path}.${json}` : json);
    if (f.map) {
      const conv = this.valueFrom(f.type);
      return (value, msg, path) => {
        const v = value[json];
        if (v == null) return;
        if (!isObject(v)) throw new TypeError(`${at(path)}: expected object, got ${describe(v)}`);
        const o: Record<string, unknown> = {};
        for (const k in v) if (v[k] != null) o[k] = conv(v[k], `${at(path)}[${k}]`);
        msg[key] = o;
      };
    }
    if (f.repeated) {
      const conv = this.valueFrom(f.type);
      return (value, msg, path) => {
        const v = value[json];
        if (v == null) return;
        if (!Array.isArray(v)) throw new TypeError(`${at(path)}: expected array, got ${describe(v)}`);
        msg[key] = v.map((x, i) => conv(x, `${at(path)}[${i}]`));
      };
    }
    const special = SPECIAL_TYPES.get(f.type);
    if (special) {
      return (value, msg, path) => {
        const v = value[json];
        if (v === undefined) return;
        const m = special.fromJSON(v, this, at(path));
        if (m !== undefined) msg[key] = m;
      };
    }
    const conv = this.valueFrom(f.type);
    return (value, msg, path) => {
      const v = value[json];
      if (v == null) return;
      msg[key] = conv(v, at(path));
    };
  }
}
