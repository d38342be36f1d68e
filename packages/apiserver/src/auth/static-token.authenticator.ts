/**
 * Static bearer tokens: a token file in Kubernetes' CSV format plus tokens given in code.
 *
 * Each line of the file is `token,user,uid[,"group1,group2"]`; blank lines are ignored.
 */
import { readFileSync } from 'node:fs';
import type { TokenAuthenticator, UserInfo } from './user-info.js';

/** A static token and the user it stands for. */
export interface StaticToken {
  token: string;
  user: string;
  uid?: string;
  groups?: string[];
}

/** Splits one CSV line, honouring double quotes (`""` is a literal quote). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Parses a token file's text; throws on a line with fewer than three fields. */
export function parseTokenFile(text: string, fileName = 'token file'): StaticToken[] {
  const out: StaticToken[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = splitCsvLine(line);
    if (fields.length < 3) throw new Error(`${fileName}, line ${i + 1}: expected at least 3 fields (token,user,uid), got ${fields.length}`);
    const [token, user, uid, groups] = fields as [string, string, string, string | undefined];
    const t: StaticToken = { token, user, uid };
    if (groups)
      t.groups = groups
        .split(',')
        .map((g) => g.trim())
        .filter((g) => g !== '');
    out.push(t);
  });
  return out;
}

/** Reads a token file. */
export function readTokenFile(path: string): StaticToken[] {
  return parseTokenFile(readFileSync(path, 'utf8'), path);
}

/** Authenticates bearer tokens against a fixed set. */
export class StaticTokenAuthenticator implements TokenAuthenticator {
  private readonly tokens = new Map<string, UserInfo>();

  constructor(tokens: Iterable<StaticToken>) {
    for (const t of tokens) {
      const user: UserInfo = { username: t.user, groups: [...(t.groups ?? [])] };
      if (t.uid) user.uid = t.uid;
      this.tokens.set(t.token, user);
    }
  }

  /** The number of tokens known. */
  get size(): number {
    return this.tokens.size;
  }

  async authenticateToken(token: string): Promise<{ user: UserInfo } | undefined> {
    const user = this.tokens.get(token);
    return user ? { user } : undefined;
  }
}
