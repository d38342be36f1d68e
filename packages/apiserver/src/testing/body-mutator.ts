/**
 * Seeded mutations of request bodies for the wire fuzz test: bytes flipped, deleted and
 * inserted, and structural damage to JSON documents (`null`, `[]`, `1e999`, control characters,
 * invalid UTF-8 in keys, duplicate keys, deep nesting, huge strings). Test support; not exported.
 */

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same cases. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One of the items. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A marker string replaced by raw text after `JSON.stringify` (for what JSON values cannot hold). */
const RAW = '\u0001raw\u0001';

interface Slot {
  parent: Json[] | { [k: string]: Json };
  key: string | number;
}

function slots(value: Json, out: Slot[] = [], depth = 0): Slot[] {
  if (depth > 64 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      slots(v, out, depth + 1);
    });
  } else {
    for (const k of Object.keys(value)) {
      out.push({ parent: value, key: k });
      slots(value[k]!, out, depth + 1);
    }
  }
  return out;
}

function setSlot(s: Slot, v: Json): void {
  (s.parent as Record<string | number, Json>)[s.key] = v;
}

const RAW_VALUES = [
  '1e999',
  '-1e999',
  '1e-999',
  '123456789012345678901234567890',
  '-0',
  '0.1e1',
  'true',
  '"\\ud800"',
  '"\\u0000"',
  '"a\\u0000b"',
];
const ODD_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\r\n',
  '\u007f',
  '\u0085',
  'é日😀',
  '"',
  '\\',
  '',
  ' ',
  '-1',
  'null',
  '\ud800',
  '../..',
  '%00',
  'a'.repeat(300),
];
const BYTES = [0x00, 0x88, 0xff, 0xc0, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x0a, 0x0d, 0x20, 0x30, 0x41];

/** Applies one structural mutation to a JSON document; returns the new text (as bytes). */
export function mutateJson(rnd: SeededRandom, doc: Json): Buffer {
  const value = JSON.parse(JSON.stringify(doc)) as Json;
  const all = slots(value);
  const raw: string[] = [];
  const rawMarker = (text: string) => {
    raw.push(text);
    return `${RAW}${raw.length - 1}${RAW}`;
  };
  let badBytes = false;
  const s = all.length > 0 ? rnd.pick(all) : undefined;
  // Keys holding control characters or bytes that are not UTF-8 (what found a 500 after a
  // stored write) get twice the weight of the other mutations.
  const choice = rnd.int(13);
  switch (choice === 12 ? 4 : choice) {
    case 0:
      if (s) setSlot(s, null);
      break;
    case 1:
      if (s) setSlot(s, rnd.pick([[], {}, [null], [[]], 0, -1, true, '']));
      break;
    case 2:
      if (s) setSlot(s, rawMarker(rnd.pick(RAW_VALUES)));
      break;
    case 3:
      if (s) setSlot(s, rnd.pick(ODD_STRINGS));
      break;
    case 4: {
      // A key with a control character, or (below) a byte that is not UTF-8.
      const objs = all.filter((x) => !Array.isArray(x.parent));
      const o = objs.length > 0 ? rnd.pick(objs) : undefined;
      if (o && typeof o.key === 'string' && o.key.length > 0) {
        const parent = o.parent as Record<string, Json>;
        const v = parent[o.key]!;
        delete parent[o.key];
        const at = rnd.int(o.key.length);
        if (rnd.next() < 0.5)
          parent[`${o.key.slice(0, at)}${rnd.pick(['\u0000', '\u0001', '\n', '\u007f', '"', '\\', '\ud800'])}${o.key.slice(at + 1)}`] = v;
        else {
          parent[`${o.key.slice(0, at)}\u0002bad\u0002${o.key.slice(at + 1)}`] = v;
          badBytes = true;
        }
      }
      break;
    }
    case 5: {
      // Duplicate keys, by text: the first object gets a key it already has, with another value.
      const top = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
      if (top.length > 0) {
        const key = rnd.pick(top);
        return Buffer.from(JSON.stringify(value).replace(/^\{/, `{${JSON.stringify(key)}:${rnd.pick(['null', '1', '"x"', '{}', '[]'])},`));
      }
      break;
    }
    case 6: {
      const depth = rnd.pick([100, 1000, 10_000, 100_000]);
      const [open, close] = rnd.next() < 0.5 ? ['[', ']'] : ['{"a":', '}'];
      if (s) setSlot(s, rawMarker(`${open.repeat(depth)}1${close.repeat(depth)}`));
      break;
    }
    case 7:
      if (s) setSlot(s, 'x'.repeat(rnd.pick([70_000, 1_000_000])));
      break;
    case 8:
      if (s && !Array.isArray(s.parent)) {
        const parent = s.parent as Record<string, Json>;
        parent['k'.repeat(rnd.pick([1000, 100_000]))] = parent[s.key as string]!;
      }
      break;
    case 9:
      if (s) {
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
        else delete (s.parent as Record<string, Json>)[s.key as string];
      }
      break;
    case 10: {
      // Many fields.
      const objs = all
        .map((x) => (x.parent as Record<string | number, Json>)[x.key])
        .filter((v): v is { [k: string]: Json } => v !== null && typeof v === 'object' && !Array.isArray(v));
      const o = objs.length > 0 ? rnd.pick(objs) : undefined;
      if (o) for (let i = 0; i < 500; i++) o[`f${i}`] = i;
      break;
    }
    default:
      if (s) {
        const v = (s.parent as Record<string | number, Json>)[s.key];
        setSlot(
          s,
          typeof v === 'string'
            ? rnd.int(100)
            : typeof v === 'number'
              ? String(v)
              : typeof v === 'object' && v !== null
                ? JSON.stringify(v)
                : [v ?? null],
        );
      }
  }
  let text = JSON.stringify(value).replace(new RegExp(`"${RAW}(\\d+)${RAW}"`, 'g'), (_m, i: string) => raw[Number(i)]!);
  if (!badBytes) return Buffer.from(text);
  // JSON.stringify wrote the marker's control characters as `\u0002` escapes: the raw byte
  // 0x02 appears nowhere else, so it marks where the bad bytes go.
  const parts = text.split('\\u0002bad\\u0002');
  text = parts.join('\u0002');
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x02) bytes[i] = rnd.pick([0x88, 0xff, 0xc0, 0xed]);
  return bytes;
}

/** Applies one byte-level mutation (flip, delete, insert, truncate). */
export function mutateBytes(rnd: SeededRandom, body: Buffer): Buffer {
  if (body.length === 0) return Buffer.from([rnd.pick(BYTES)]);
  const out = Buffer.from(body);
  const at = rnd.int(out.length);
  switch (rnd.int(5)) {
    case 0:
      out[at] = out[at]! ^ (1 << rnd.int(8));
      return out;
    case 1:
      return Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + rnd.int(8)))]);
    case 2:
      return Buffer.concat([
        out.subarray(0, at),
        Buffer.from(Array.from({ length: 1 + rnd.int(4) }, () => rnd.pick(BYTES))),
        out.subarray(at),
      ]);
    case 3:
      return out.subarray(0, at);
    default:
      out[at] = rnd.pick(BYTES);
      return out;
  }
}
