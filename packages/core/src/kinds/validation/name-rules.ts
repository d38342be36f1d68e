/**
 * The string rules of Kubernetes' validation (`k8s.io/apimachinery/pkg/util/validation`):
 * each returns the list of problems with a value, worded as Kubernetes words them, empty
 * when the value is valid.
 */

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL}$`);
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN}$`);
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_RE = new RegExp(`^${DNS1035_LABEL}$`);
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME}$`);
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE}$`);
// A qualified name without a prefix: the common case, checked without splitting.
const SIMPLE_QUALIFIED_RE = new RegExp(`^${QUALIFIED_NAME}$`);
const PREFIXED_QUALIFIED_RE = new RegExp(`^${DNS1123_SUBDOMAIN}/${QUALIFIED_NAME}$`);
// The shared empty result of a valid value (never mutated by callers: they iterate it).
const NONE: string[] = Object.freeze([]) as unknown as string[];
const IANA_SVC_NAME_RE = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;

/** Longest DNS-1123 label. */
export const DNS1123_LABEL_MAX = 63;
/** Longest DNS-1123 subdomain. */
export const DNS1123_SUBDOMAIN_MAX = 253;
/** Longest label value. */
export const LABEL_VALUE_MAX = 63;

function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

function regexError(msg: string, re: string, ...examples: string[]): string {
  const ex = examples.map((e) => `'${e}'`).join(',  or ');
  return `${msg} (e.g. ${ex}, regex used for validation is '${re}')`;
}

/** Problems with a DNS-1123 label (`my-name`): namespaces, most names of DNS-label kinds. */
export function isDNS1123Label(value: string): string[] {
  if (value.length <= DNS1123_LABEL_MAX && DNS1123_LABEL_RE.test(value)) return NONE;
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errs.push(maxLenError(DNS1123_LABEL_MAX));
  if (!DNS1123_LABEL_RE.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        DNS1123_LABEL,
        'my-name',
        '123-abc',
      ),
    );
  return errs;
}

/** Problems with a DNS-1123 subdomain (`example.com`): the names of most kinds. */
export function isDNS1123Subdomain(value: string): string[] {
  if (value.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN_RE.test(value)) return NONE;
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN_RE.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        'example.com',
      ),
    );
  return errs;
}

/** Problems with a DNS-1035 label (`my-name`, starts with a letter): Service names. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errs.push(maxLenError(DNS1123_LABEL_MAX));
  if (!DNS1035_LABEL_RE.test(value))
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        'my-name',
        'abc-123',
      ),
    );
  return errs;
}

/** Problems with a path segment name (RBAC objects): anything but `.`, `..`, or names containing `/` or `%`. */
export function isPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const errs: string[] = [];
  if (value.includes('/')) errs.push("may not contain '/'");
  if (value.includes('%')) errs.push("may not contain '%'");
  return errs;
}

/** Problems with a qualified name (`example.com/my-name` or `my-name`): label and annotation keys, finalizers. */
export function isQualifiedName(value: string): string[] {
  if (value.length <= 63 && SIMPLE_QUALIFIED_RE.test(value)) return NONE;
  const slash = value.indexOf('/');
  if (slash > 0 && slash <= DNS1123_SUBDOMAIN_MAX && value.length - slash - 1 <= 63 && PREFIXED_QUALIFIED_RE.test(value)) return NONE;
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const e of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${e}`);
  } else {
    return [
      regexError(
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        'MyName',
        'my.name',
        '123-abc',
      ) + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (name.length > 0 && !QUALIFIED_NAME_RE.test(name))
    errs.push(
      `name part ${regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME, 'MyName', 'my.name', '123-abc')}`,
    );
  return errs;
}

/** Problems with a label value: empty, or at most 63 alphanumerics, `-`, `_`, `.` starting and ending alphanumeric. */
export function isValidLabelValue(value: string): string[] {
  if (value.length <= LABEL_VALUE_MAX && LABEL_VALUE_RE.test(value)) return NONE;
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX) errs.push(maxLenError(LABEL_VALUE_MAX));
  if (!LABEL_VALUE_RE.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

/** Problems with a port number (1-65535). */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** Problems with an IANA service name (a named port): at most 15 characters, lowercase alphanumerics and `-`, at least one letter. */
export function isValidPortName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push(maxLenError(15));
  if (!IANA_SVC_NAME_RE.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  if (!HAS_LETTER.test(name)) errs.push('must contain at least one letter (a-z)');
  return errs;
}

/** Problems with an IP address (v4 or v6). */
export function isValidIP(value: string): string[] {
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (v4.test(value)) return [];
  if (value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value) && value.split('::').length <= 2) return [];
  return ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

/** Problems with a C identifier (environment variable names accept more; see `isEnvVarName`). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(value))
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        '[-._a-zA-Z][-._a-zA-Z0-9]*',
        'my.env-name',
        'MY_ENV.NAME',
        'MyEnvName1',
      ),
    );
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** The name rules a kind's `metadata.name` follows. */
export type NameRule = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'pathSegment';

/** Checks a name (or, with `prefix`, a generateName with a trailing `-` allowed) against a rule. */
export function checkName(rule: NameRule, value: string, prefix = false): string[] {
  const v = prefix && value.endsWith('-') ? `${value.slice(0, -1)}a` : value;
  switch (rule) {
    case 'dns1123Label':
      return isDNS1123Label(v);
    case 'dns1035Label':
      return isDNS1035Label(v);
    case 'pathSegment':
      return isPathSegmentName(v);
    default:
      return isDNS1123Subdomain(v);
  }
}
