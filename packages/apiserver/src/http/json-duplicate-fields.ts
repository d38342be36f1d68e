/**
 * Finds the fields a JSON text names twice in one object (`JSON.parse` silently keeps the last).
 *
 * Strict field validation reports them as `duplicate field "spec.replicas"`. The text must
 * already be known to be valid JSON (parse it first); paths are dotted, with `[i]` for list items.
 */
export function findDuplicateFields(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;

  const skipWs = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  // At an opening quote; returns the decoded string and leaves i after the closing quote.
  const readString = (): string => {
    const start = ++i;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (i >= n) throw new Error('unterminated string');
      i++;
    }
    const raw = text.slice(start, i);
    i++;
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

  const value = (path: string, depth: number): void => {
    if (depth > 512) throw new Error('too deep');
    skipWs();
    const c = text.charCodeAt(i);
    if (c === 123) {
      // {
      i++;
      skipWs();
      if (text.charCodeAt(i) === 125) {
        i++;
        return;
      }
      const seen = new Set<string>();
      for (;;) {
        skipWs();
        const key = readString();
        const p = join(path, key);
        if (seen.has(key)) out.push(p);
        else seen.add(key);
        skipWs();
        i++; // :
        value(p, depth + 1);
        skipWs();
        const d = text.charCodeAt(i++);
        if (d !== 44) return; // } (or malformed: stop)
      }
    } else if (c === 91) {
      // [
      i++;
      skipWs();
      if (text.charCodeAt(i) === 93) {
        i++;
        return;
      }
      for (let idx = 0; ; idx++) {
        value(`${path}[${idx}]`, depth + 1);
        skipWs();
        const d = text.charCodeAt(i++);
        if (d !== 44) return;
      }
    } else if (c === 34) {
      readString();
    } else {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
        i++;
      }
    }
  };

  try {
    value('', 0);
  } catch {
    // a malformed or absurdly deep text: report what was found so far
  }
  return out;
}
