import { describe, expect, it } from 'vitest';
import { StatusError } from '../api/errors.js';
import type { KubeObject } from '../api/meta.js';
import { escapeFieldValue, parseFieldSelector } from './field-selector.js';
import { compileObjectSelection } from './object-selection.js';

const pod = (name: string, ns: string, node?: string, phase?: string, labels?: Record<string, string>): KubeObject => ({
  metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
  spec: node ? { nodeName: node } : {},
  status: phase ? { phase } : {},
});
const podFields = {
  'spec.nodeName': (o: KubeObject) => (o.spec as { nodeName?: string }).nodeName,
  'status.phase': (o: KubeObject) => (o.status as { phase?: string }).phase,
};

function errorOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return err as StatusError;
  }
  throw new Error('expected an error');
}

describe('field selectors', () => {
  it('match metadata.name and metadata.namespace on every kind', () => {
    const m = parseFieldSelector('metadata.name=a,metadata.namespace==ns1').matcher();
    expect(m(pod('a', 'ns1'))).toBe(true);
    expect(m(pod('a', 'ns2'))).toBe(false);
    expect(m(pod('b', 'ns1'))).toBe(false);
  });

  it('match per-kind fields given as getters, absent fields comparing as empty', () => {
    const running = parseFieldSelector('status.phase!=Running').matcher(podFields);
    expect(running(pod('a', 'n', 'n1', 'Pending'))).toBe(true);
    expect(running(pod('a', 'n', 'n1', 'Running'))).toBe(false);
    const unscheduled = parseFieldSelector('spec.nodeName=').matcher(podFields);
    expect(unscheduled(pod('a', 'n'))).toBe(true);
    expect(unscheduled(pod('a', 'n', 'n1'))).toBe(false);
    expect(parseFieldSelector('spec.nodeName=n1,status.phase=Running').requiredValue('spec.nodeName')).toBe('n1');
  });

  it('rejects an unsupported field with the Kubernetes message', () => {
    const err = errorOf(() => parseFieldSelector('spec.foo=bar').matcher(podFields));
    expect(err.code).toBe(400);
    expect(err.message).toBe('field label not supported: spec.foo');
  });

  it('rejects a term without an operator', () => {
    const err = errorOf(() => parseFieldSelector('metadata.name=a,foo'));
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe("invalid selector: 'metadata.name=a,foo'; can't understand 'foo'");
    expect(errorOf(() => parseFieldSelector('=x')).message).toContain("can't understand '=x'");
  });

  it('unescapes \\, \\= and \\\\ in values and rejects bad escapes', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d');
    expect(s.requirements[0]!.value).toBe('a,b=c\\d');
    expect(s.toString()).toBe('metadata.name=a\\,b\\=c\\\\d');
    expect(escapeFieldValue('x,y')).toBe('x\\,y');
    expect(errorOf(() => parseFieldSelector('metadata.name=a\\x')).message).toContain('invalid escape sequence');
    expect(errorOf(() => parseFieldSelector('metadata.name=a=b')).message).toContain('unescaped character');
  });

  it('compose with a label selector into one predicate, or none when selecting everything', () => {
    expect(compileObjectSelection({})).toBeUndefined();
    expect(compileObjectSelection({ labelSelector: '', fieldSelector: ' ' })).toBeUndefined();
    const p = compileObjectSelection({ labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1', fields: podFields })!;
    expect(p(pod('a', 'n', 'n1', undefined, { app: 'web' }))).toBe(true);
    expect(p(pod('a', 'n', 'n2', undefined, { app: 'web' }))).toBe(false);
    expect(p(pod('a', 'n', 'n1', undefined, { app: 'db' }))).toBe(false);
  });
});
