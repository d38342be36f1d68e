/**
 * The parser of Kubernetes' label selector string syntax (`labels.Parse`):
 *
 * ```
 * selector    = [ requirement { "," requirement } ]
 * requirement = [ "!" ] key
 *             | key ( "=" | "==" | "!=" | ">" | "<" ) [ value ]
 *             | key ( "in" | "notin" ) "(" [ value { "," value } ] ")"
 * ```
 *
 * Whitespace separates tokens and is otherwise ignored. Errors are BadRequest StatusErrors
 * that say what was found, what was expected and at which position.
 */
import { badRequest, type StatusError } from '../api/errors.js';
import { labelRequirement, type LabelOperator, type LabelRequirement } from './label-requirement.js';
import { LabelSelectorMatcher } from './label-selector.js';

type TokenKind = 'id' | '!' | '!=' | '=' | '==' | '>' | '<' | 'in' | 'notin' | '(' | ')' | ',' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  /** Zero-based offset of the token in the selector. */
  pos: number;
}

const SPECIAL = new Set(['!', '=', '(', ')', ',', '>', '<']);

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const ch = s[i]!;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (SPECIAL.has(ch)) {
      const two = s.slice(i, i + 2);
      if (two === '!=' || two === '==') {
        out.push({ kind: two, text: two, pos: i });
        i += 2;
      } else {
        out.push({ kind: ch as TokenKind, text: ch, pos: i });
        i++;
      }
      continue;
    }
    const start = i;
    while (i < n && !isSpace(s[i]!) && !SPECIAL.has(s[i]!)) i++;
    const text = s.slice(start, i);
    out.push({ kind: text === 'in' ? 'in' : text === 'notin' ? 'notin' : 'id', text, pos: start });
  }
  out.push({ kind: 'end', text: '', pos: n });
  return out;
}

/** Parses the tokens of one selector; `at` is the cursor. */
class Parser {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    if (this.peek().kind === 'end') return reqs;
    for (;;) {
      reqs.push(this.requirement());
      const t = this.next();
      if (t.kind === 'end') return reqs;
      if (t.kind !== ',') throw this.fail(t, "',' or 'end of string'");
      if (this.peek().kind === 'end') throw this.fail(this.peek(), "identifier after ','");
    }
  }

  private requirement(): LabelRequirement {
    let t = this.next();
    let negated = false;
    if (t.kind === '!') {
      negated = true;
      t = this.next();
    }
    if (t.kind !== 'id') throw this.fail(t, 'identifier');
    const key = t.text;
    const after = this.peek().kind;
    if (negated || after === 'end' || after === ',') {
      if (negated && after !== 'end' && after !== ',') throw this.fail(this.peek(), "',' or 'end of string' after '!" + key + "'");
      return this.build(key, negated ? '!' : 'exists', [], t);
    }
    const op = this.next();
    switch (op.kind) {
      case 'in':
      case 'notin':
        return this.build(key, op.kind, this.valueSet(), t);
      case '=':
      case '==':
      case '!=':
      case '>':
      case '<': {
        const operator: LabelOperator = op.kind === '!=' ? '!=' : op.kind === '>' ? 'gt' : op.kind === '<' ? 'lt' : '=';
        return this.build(key, operator, [this.exactValue()], t);
      }
      default:
        throw this.fail(op, 'in, notin, =, ==, !=, gt, lt');
    }
  }

  /** `( v1, v2 )`; `()` is one empty value, as in Kubernetes. */
  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw this.fail(open, "'('");
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const t = this.next();
      if (t.kind === ')') {
        if (expectValue) values.push('');
        return values;
      }
      if (t.kind === ',') {
        if (expectValue) values.push('');
        expectValue = true;
        continue;
      }
      if ((t.kind === 'id' || t.kind === 'in' || t.kind === 'notin') && expectValue) {
        values.push(t.text);
        expectValue = false;
        continue;
      }
      throw this.fail(t, expectValue ? "',', ')' or identifier" : "',' or ')'");
    }
  }

  /** The value after `=`, `!=`, `>`, `<`: an identifier, or empty before `,` / the end. */
  private exactValue(): string {
    const t = this.peek();
    if (t.kind === 'end' || t.kind === ',') return '';
    if (t.kind === 'id' || t.kind === 'in' || t.kind === 'notin') {
      this.at++;
      return t.text;
    }
    throw this.fail(t, 'identifier');
  }

  private build(key: string, op: LabelOperator, values: string[], keyToken: Token): LabelRequirement {
    try {
      return labelRequirement(key, op, values);
    } catch (err) {
      const e = err as StatusError;
      throw badRequest(`unable to parse requirement: ${e.message} (at position ${keyToken.pos} of ${JSON.stringify(this.source)})`);
    }
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const t = this.tokens[this.at]!;
    if (t.kind !== 'end') this.at++;
    return t;
  }

  private fail(found: Token, expected: string): StatusError {
    return badRequest(
      `unable to parse requirement: found '${found.text}', expected: ${expected} (at position ${found.pos} of ${JSON.stringify(this.source)})`,
    );
  }
}

const cache = new Map<string, LabelSelectorMatcher>();
const CACHE_MAX = 512;

/**
 * Parses a label selector in the string syntax (`app=web,tier in (fe,be),!canary`) into a
 * compiled matcher. The empty string selects everything. Bad syntax, invalid label keys and
 * invalid values fail with a BadRequest StatusError saying what is wrong and where.
 *
 * Results are cached by string (matchers are immutable), so parsing the same selector for
 * every LIST or WATCH costs a map lookup.
 */
export function parseLabelSelector(selector: string): LabelSelectorMatcher {
  const hit = cache.get(selector);
  if (hit) return hit;
  const m =
    selector.trim() === '' ? LabelSelectorMatcher.everything : new LabelSelectorMatcher(new Parser(selector, tokenize(selector)).parse());
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(selector, m);
  return m;
}
