/**
 * Turns the JSON form of an object into the message protobufjs encodes (field values by protobuf
 * name, bytes from base64, special types in their wire layout), checking each value's shape.
 * The way back, wire bytes to JSON, is the `WireDecoder`. Each message gets a compiled plan (one
 * closure per field) on first use.
 */
import type { FieldSpec } from './message-table.js';
import type { KubeProtoSchema } from './proto-schema.js';
import { SCALAR_TYPES } from './message-table.js';
import { SPECIAL_TYPES, type FromJSONContext, type ProtoMessage } from './special-types.js';

type Build = (value: Record<string, unknown>, msg: ProtoMessage, path: string) => void;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
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

/** Builds protobufjs messages from JSON over one schema. */
export class ProtoMessageBuilder implements FromJSONContext {
  private readonly builds = new Map<string, Build>();

  constructor(private readonly schema: KubeProtoSchema) {}

  /** @inheritdoc */
  messageFromJSON(typeName: string, value: unknown, path: string): ProtoMessage {
    if (!isObject(value)) throw new TypeError(`${path || 'object'}: expected object, got ${describe(value)}`);
    const msg: ProtoMessage = {};
    this.buildOf(typeName)(value, msg, path);
    return msg;
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
    if (SCALAR_TYPES.has(type)) return (v, path) => scalarFrom(type, v, path);
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
