/**
 * Decodes a message of the tables straight from its wire bytes to the JSON Kubernetes writes for
 * it, in one pass over protobufjs' `Reader`: no intermediate message objects, and, as Go's
 * generated code does, a field sent with the wrong wire type or a length running past its
 * message is an error rather than a misread.
 *
 * JSON rules (Go's `encoding/json` over the API types): see `message-table.ts`. Per message a
 * compiled plan holds one step per field number and the defaults written once the message ends
 * (zero values of fields without `omitempty`, structs Go always writes, inline members).
 */
import protobuf from 'protobufjs';
import type { FieldSpec } from './message-table.js';
import type { KubeProtoSchema } from './proto-schema.js';
import { SPECIAL_TYPES, toNumber, type DecodedMessage, type SpecialType, type ToJSONContext } from './special-types.js';

type Out = Record<string, unknown>;
type Reader = protobuf.Reader;

/** Reads one field's value (the tag is already consumed) and stores it in `out`. */
type Step = (r: Reader, end: number, out: Out, depth: number, wire: number) => void;

interface Plan {
  /** Steps by field number. */
  steps: (Step | undefined)[];
  /** Expected wire type by field number (-1: repeated scalar, packed or not). */
  wires: number[];
  /** Runs after the last field: writes what Go writes for fields the wire left out. */
  finish: ((out: Out, depth: number) => void)[];
}

/** Nesting deeper than this (JSON schemas inside JSON schemas ...) is refused. */
const MAX_DEPTH = 100;

const WIRE_OF: Record<string, number> = { int32: 0, int64: 0, bool: 0, double: 1, float: 5, string: 2, bytes: 2 };

function wireError(id: number, wire: number): Error {
  return new Error(`wrong wire type ${wire} for field ${id}`);
}

function readLength(r: Reader, end: number): number {
  const len = r.uint32();
  if (len > end - r.pos) throw new RangeError(`length ${len} runs past the end of its message`);
  return len;
}

/** Node's unchecked slice decoders (what `Buffer#toString` calls after checking its arguments). */
interface FastBuffer {
  utf8Slice(start: number, end: number): string;
  base64Slice(start: number, end: number): string;
}

function readString(r: Reader, end: number): string {
  const len = readLength(r, end);
  const start = r.pos;
  r.pos += len;
  return (r.buf as unknown as FastBuffer).utf8Slice(start, start + len);
}

function readBase64(r: Reader, end: number): string {
  const len = readLength(r, end);
  const start = r.pos;
  r.pos += len;
  return (r.buf as unknown as FastBuffer).base64Slice(start, start + len);
}

function readBytes(r: Reader, end: number): Uint8Array {
  const len = readLength(r, end);
  const b = (r.buf as Buffer).subarray(r.pos, r.pos + len);
  r.pos += len;
  return b;
}

/** A scalar reader returning the JSON value. */
function scalarReader(type: string): (r: Reader, end: number) => unknown {
  switch (type) {
    case 'string':
      return readString;
    case 'bytes':
      return readBase64;
    case 'int32':
      return (r) => r.int32();
    case 'int64':
      return (r) => toNumber(r.int64());
    case 'bool':
      return (r) => r.bool();
    case 'double':
      return (r) => r.double();
    case 'float':
      return (r) => r.float();
  }
  throw new Error(`unknown scalar ${type}`);
}

function zeroOf(type: string): unknown {
  return type === 'string' ? '' : type === 'bool' ? false : type === 'bytes' ? null : 0;
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}

/** Decodes table messages from wire bytes to JSON (one instance per schema; plans are cached). */
export class WireDecoder {
  private readonly plans = new Map<string, Plan>();
  private readonly specialPlans = new Map<string, Plan>();

  constructor(
    private readonly schema: KubeProtoSchema,
    private readonly ctx: ToJSONContext,
  ) {}

  /** Decodes `bytes` as a message of `typeName` into `out` (its JSON fields are added to it). */
  decodeInto(typeName: string, bytes: Uint8Array, out: Out): void {
    // A Buffer, so the reader is protobufjs' BufferReader and strings decode with Node's decoders.
    const r = protobuf.Reader.create(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.message(this.plan(typeName), r, r.len, out, 0);
  }

  private message(plan: Plan, r: Reader, end: number, out: Out, depth: number): void {
    if (depth > MAX_DEPTH) throw new RangeError('messages are nested too deeply');
    const { steps, wires } = plan;
    while (r.pos < end) {
      const tag = r.uint32();
      const id = tag >>> 3;
      const wire = tag & 7;
      const step = steps[id];
      if (step === undefined) {
        if (id === 0) throw new Error('invalid field number 0');
        r.skipType(wire);
        continue;
      }
      const want = wires[id]!;
      if (want >= 0 ? wire !== want : wire !== 2 && wire !== -want - 2) throw wireError(id, wire);
      step(r, end, out, depth, wire);
    }
    if (r.pos > end) throw new RangeError('a field runs past the end of its message');
    for (const f of plan.finish) f(out, depth);
  }

  /** Decodes one length-delimited sub-message of `plan` into `out`. */
  private sub(plan: Plan, r: Reader, end: number, out: Out, depth: number): Out {
    const len = readLength(r, end);
    this.message(plan, r, r.pos + len, out, depth + 1);
    return out;
  }

  private plan(typeName: string): Plan {
    let plan = this.plans.get(typeName);
    if (!plan) {
      const specs = this.schema.fields.get(typeName);
      if (!specs) throw new Error(`no table message ${typeName}`);
      plan = { steps: [], wires: [], finish: [] };
      this.plans.set(typeName, plan); // before compiling: messages may contain themselves
      for (const f of specs) this.compile(f, plan);
    }
    return plan;
  }

  /** The plan of a special type's message: plain field values, table messages already in JSON. */
  private specialPlan(special: SpecialType): Plan {
    let plan = this.specialPlans.get(special.token);
    if (!plan) {
      plan = { steps: [], wires: [], finish: [] };
      this.specialPlans.set(special.token, plan);
      for (const f of special.fields) {
        const key = f.name;
        if (this.schema.fields.has(f.type)) {
          const inner = this.plan(f.type);
          plan.wires[f.id] = 2;
          plan.steps[f.id] = f.repeated
            ? (r, end, out, depth) => void ((out[key] ??= []) as unknown[]).push(this.sub(inner, r, end, {}, depth))
            : (r, end, out, depth) => void (out[key] = this.sub(inner, r, end, {}, depth));
        } else if (f.type === 'bytes') {
          plan.wires[f.id] = 2;
          plan.steps[f.id] = (r, end, out) => void (out[key] = readBytes(r, end));
        } else {
          const read = scalarReader(f.type);
          const wire = WIRE_OF[f.type]!;
          plan.wires[f.id] = f.repeated && wire !== 2 ? -wire - 2 : wire;
          plan.steps[f.id] = f.repeated ? this.repeatedScalar(read, wire, key) : (r, end, out) => void (out[key] = read(r, end));
        }
      }
    }
    return plan;
  }

  private repeatedScalar(read: (r: Reader, end: number) => unknown, wire: number, key: string): Step {
    return (r, end, out, _depth, sent) => {
      const list = (out[key] ??= []) as unknown[];
      if (wire !== 2 && sent === 2) {
        // Packed: a length-delimited run of values.
        const len = readLength(r, end);
        const stop = r.pos + len;
        while (r.pos < stop) list.push(read(r, stop));
        if (r.pos !== stop) throw new RangeError('a packed field runs past its length');
      } else {
        list.push(read(r, end));
      }
    };
  }

  /** Reads a value of `type` (scalar, special or table message) as its JSON. */
  private valueReader(type: string): (r: Reader, end: number, depth: number) => unknown {
    const special = SPECIAL_TYPES.get(type);
    if (special) {
      const plan = this.specialPlan(special);
      return (r, end, depth) => special.toJSON(this.sub(plan, r, end, {}, depth) as DecodedMessage, this.ctx);
    }
    if (this.schema.fields.has(type)) {
      const plan = this.plan(type);
      return (r, end, depth) => this.sub(plan, r, end, {}, depth);
    }
    const read = scalarReader(type);
    return (r, end) => read(r, end);
  }

  private compile(f: FieldSpec, plan: Plan): void {
    const { id, json } = f;
    if (f.inline) {
      const inner = this.plan(f.type);
      plan.wires[id] = 2;
      // The member's fields land in the parent's JSON object.
      plan.steps[id] = (r, end, out, depth) => void this.sub(inner, r, end, out, depth);
      plan.finish.push((out, depth) => {
        for (const g of inner.finish) g(out, depth);
      });
      return;
    }
    if (f.map) {
      const readKey = scalarReader(f.keyType!);
      const readValue = this.valueReader(f.type);
      const valueWire = SPECIAL_TYPES.has(f.type) || this.schema.fields.has(f.type) ? 2 : WIRE_OF[f.type]!;
      const keyWire = WIRE_OF[f.keyType!]!;
      plan.wires[id] = 2;
      plan.steps[id] = (r, end, out, depth) => {
        const len = readLength(r, end);
        const stop = r.pos + len;
        let key: unknown = zeroOf(f.keyType!);
        let value: unknown;
        while (r.pos < stop) {
          const tag = r.uint32();
          const fid = tag >>> 3;
          const wire = tag & 7;
          if (fid === 1 && wire === keyWire) key = readKey(r, stop);
          else if (fid === 2 && wire === valueWire) value = readValue(r, stop, depth + 1);
          else if (fid === 1 || fid === 2) throw wireError(fid, wire);
          else r.skipType(wire);
        }
        if (r.pos !== stop) throw new RangeError('a map entry runs past its length');
        if (value === undefined)
          value =
            SPECIAL_TYPES.get(f.type)?.toJSON(undefined, this.ctx) ??
            (this.schema.fields.has(f.type) ? this.materialize(f.type, depth) : zeroOf(f.type));
        ((out[json] ??= {}) as Out)[String(key)] = value;
      };
      if (f.presence === 'always') plan.finish.push((out) => void (json in out || (out[json] = null)));
      return;
    }
    const special = SPECIAL_TYPES.get(f.type);
    const isMessage = special !== undefined || this.schema.fields.has(f.type);
    if (f.repeated) {
      if (isMessage) {
        const read = this.valueReader(f.type);
        plan.wires[id] = 2;
        plan.steps[id] = (r, end, out, depth) => void ((out[json] ??= []) as unknown[]).push(read(r, end, depth));
      } else {
        const wire = WIRE_OF[f.type]!;
        plan.wires[id] = wire === 2 ? 2 : -wire - 2;
        plan.steps[id] = this.repeatedScalar(scalarReader(f.type), wire, json);
      }
      if (f.presence === 'always') plan.finish.push((out) => void (json in out || (out[json] = null)));
      return;
    }
    if (isMessage) {
      plan.wires[id] = 2;
      if (special) {
        const read = this.valueReader(f.type);
        plan.steps[id] = (r, end, out, depth) => void (out[json] = read(r, end, depth));
        if (f.presence !== 'pointer') plan.finish.push((out) => void (json in out || (out[json] = special.toJSON(undefined, this.ctx))));
      } else {
        const inner = this.plan(f.type);
        // A message sent twice merges into the first, as protobuf (and Go) merge it.
        plan.steps[id] = (r, end, out, depth) => {
          const prev = out[json];
          out[json] = this.sub(inner, r, end, typeof prev === 'object' && prev !== null ? (prev as Out) : {}, depth);
        };
        if (f.presence !== 'pointer') plan.finish.push((out, depth) => void (json in out || (out[json] = this.materialize(f.type, depth))));
      }
      return;
    }
    const read = scalarReader(f.type);
    plan.wires[id] = WIRE_OF[f.type]!;
    if (f.presence === 'pointer') {
      plan.steps[id] = (r, end, out) => void (out[json] = read(r, end));
    } else if (f.presence === 'always') {
      plan.steps[id] = (r, end, out) => void (out[json] = read(r, end));
      const zero = zeroOf(f.type);
      plan.finish.push((out) => void (json in out || (out[json] = zero)));
    } else if (f.type === 'bytes') {
      plan.steps[id] = (r, end, out) => {
        const v = read(r, end) as string;
        if (v) out[json] = v;
        else if (json in out) delete out[json];
      };
    } else {
      plan.steps[id] = (r, end, out) => {
        const v = read(r, end);
        if (!isZero(v)) out[json] = v;
        else if (json in out) delete out[json];
      };
    }
  }

  /** The JSON of an empty message of `typeName` (what Go writes for a struct left unset). */
  private materialize(typeName: string, depth: number): Out {
    if (depth > MAX_DEPTH) throw new RangeError('messages are nested too deeply');
    const out: Out = {};
    for (const f of this.plan(typeName).finish) f(out, depth + 1);
    return out;
  }
}
