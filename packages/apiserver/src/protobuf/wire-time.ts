/**
 * Timestamps between their protobuf form (seconds and nanoseconds since the Unix epoch) and the
 * RFC 3339 strings Kubernetes writes in JSON: `metav1.Time` to the second
 * (`2024-05-01T12:00:00Z`), `metav1.MicroTime` to the microsecond (`2024-05-01T12:00:00.123456Z`).
 */

/** A timestamp as protobuf carries it. */
export interface WireTimestamp {
  seconds: number;
  nanos: number;
}

/**
 * Formats a timestamp as Kubernetes' JSON does: UTC, `Z`, and either no fraction (`precision:
 * 'second'`, metav1.Time) or exactly six digits (`precision: 'micro'`, metav1.MicroTime). Digits
 * below the precision are truncated, as Go's time formatting truncates.
 */
export function formatWireTime(t: WireTimestamp, precision: 'second' | 'micro'): string {
  const ms = t.seconds * 1000;
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ (or ±YYYYYY- for far years)
  const base = iso.slice(0, iso.lastIndexOf('.'));
  if (precision === 'second') return `${base}Z`;
  const micros = Math.floor(Math.max(0, Math.min(999_999_999, t.nanos)) / 1000);
  return `${base}.${String(micros).padStart(6, '0')}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp (any offset, up to nanosecond fractions) into seconds and nanos;
 * returns undefined when the string is not one.
 */
export function parseWireTime(s: string): WireTimestamp | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, zone] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d)); // not Date.UTC: it maps years 0-99 to 19xx
  date.setUTCHours(Number(h), Number(mi), Number(se), 0);
  let seconds = date.getTime() / 1000;
  if (Number.isNaN(seconds)) return undefined;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    seconds -= sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  const nanos = frac ? Number(frac.padEnd(9, '0')) : 0;
  return { seconds, nanos };
}
