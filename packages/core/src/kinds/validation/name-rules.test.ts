import { describe, expect, it } from 'vitest';
import {
  checkName,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
} from './name-rules.js';

describe('the name rules', () => {
  it('accept valid names', () => {
    expect(isDNS1123Subdomain('web.example-1')).toEqual([]);
    expect(isDNS1123Label('my-name')).toEqual([]);
    expect(isDNS1035Label('svc-1')).toEqual([]);
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('App_Name.1')).toEqual([]);
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('v1.2_3-x')).toEqual([]);
    expect(isPathSegmentName('system:controller:x')).toEqual([]);
    expect(isValidPortName('http')).toEqual([]);
    expect(isEnvVarName('MY_VAR.1')).toEqual([]);
  });

  it('explain an invalid DNS subdomain as Kubernetes does', () => {
    expect(isDNS1123Subdomain('Web')).toEqual([
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(isDNS1123Subdomain('a'.repeat(254))[0]).toBe('must be no more than 253 characters');
  });

  it('reject labels, DNS-1035 labels and path segments that break their rules', () => {
    expect(isDNS1123Label('a.b')[0]).toMatch(/^a lowercase RFC 1123 label must consist of/);
    expect(isDNS1123Label('a'.repeat(64))[0]).toBe('must be no more than 63 characters');
    expect(isDNS1035Label('1abc')[0]).toMatch(/^a DNS-1035 label must consist of/);
    expect(isPathSegmentName('..')).toEqual(["may not be '..'"]);
    expect(isPathSegmentName('a/b%')).toEqual(["may not contain '/'", "may not contain '%'"]);
  });

  it('explain bad qualified names by part', () => {
    expect(isQualifiedName('Bad_Prefix/x')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(isQualifiedName('example.com/')).toEqual(['name part must be non-empty']);
    expect(isQualifiedName('a/b/c')[0]).toMatch(/^a qualified name must consist of/);
    expect(isQualifiedName('-x')[0]).toMatch(/^name part must consist of alphanumeric characters/);
    expect(isQualifiedName('x'.repeat(64))[0]).toBe('name part must be no more than 63 characters');
  });

  it('reject label values that are too long or badly formed', () => {
    expect(isValidLabelValue('x'.repeat(64))[0]).toBe('must be no more than 63 characters');
    expect(isValidLabelValue('-bad')[0]).toMatch(/^a valid label must be an empty string or consist of/);
  });

  it('check a generateName prefix with its trailing dash', () => {
    expect(checkName('dns1123Subdomain', 'web-', true)).toEqual([]);
    expect(checkName('dns1123Subdomain', 'web-', false)).not.toEqual([]);
  });

  it('reject port names without a letter or too long', () => {
    expect(isValidPortName('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(isValidPortName('a-very-long-port-name')[0]).toBe('must be no more than 15 characters');
  });
});
