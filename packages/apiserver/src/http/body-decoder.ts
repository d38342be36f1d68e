/**
 * Decodes request bodies (JSON, YAML, protobuf) into plain objects, noting duplicate fields for
 * strict field validation. Every failure is a 400 Status; nothing here ever throws anything else.
 */
import { badRequest, StatusError, type KubeObject } from '@converge/core';
import { isMap, isScalar, isSeq, parseAllDocuments, type Node } from 'yaml';
import { findDuplicateFields } from './json-duplicate-fields.js';
import type { BodyEncoding } from './media-types.js';

/** Decodes a `k8s\0`-enveloped protobuf body into an object (provided by the protobuf codec). */
export type ProtobufDecoder = (body: Buffer) => KubeObject;

/** A decoded body. */
export interface DecodedBody {
  value: unknown;
  /** Dotted paths of fields named twice in one object (JSON and YAML only). */
  duplicateFields: string[];
}

/** Options of `decodeBody`. */
export interface DecodeOptions {
  /** Whether to look for duplicate fields (costs one more pass; only needed for Strict/Warn). */
  findDuplicates?: boolean;
  protobuf?: ProtobufDecoder;
}

function yamlDuplicates(node: Node | null | undefined, path: string, out: string[], depth = 0): void {
  if (!node || depth > 256) return;
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const p = path ? `${path}.${key}` : key;
      if (seen.has(key)) out.push(p);
      else seen.add(key);
      yamlDuplicates(pair.value as Node | null, p, out, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => yamlDuplicates(item as Node | null, `${path}[${i}]`, out, depth + 1));
  }
}

/** Parses a YAML text holding exactly one document. */
export function parseYaml(text: string, findDuplicates = false): DecodedBody {
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
  if (!Array.isArray(docs)) return { value: null, duplicateFields: [] };
  if (docs.length > 1) throw badRequest('the request body holds more than one YAML document');
  const doc = docs[0];
  if (!doc) return { value: null, duplicateFields: [] };
  if (doc.errors.length > 0) throw badRequest(`error converting YAML to JSON: ${doc.errors[0]!.message.split('\n')[0]}`);
  const duplicateFields: string[] = [];
  if (findDuplicates) yamlDuplicates(doc.contents as Node | null, '', duplicateFields);
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), duplicateFields };
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
  }
}

/** Parses a JSON text. */
export function parseJson(text: string, findDuplicates = false): DecodedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
  return { value, duplicateFields: findDuplicates ? findDuplicateFields(text) : [] };
}

/** Decodes a body of the given encoding. */
export function decodeBody(body: Buffer, encoding: BodyEncoding, options: DecodeOptions = {}): DecodedBody {
  if (encoding === 'protobuf') {
    if (!options.protobuf)
      throw new StatusError(
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
      );
    try {
      return { value: options.protobuf(body), duplicateFields: [] };
    } catch (err) {
      if (err instanceof StatusError) throw err;
      throw badRequest(`failed to decode the protobuf body: ${(err as Error).message}`);
    }
  }
  const text = body.toString('utf8');
  return encoding === 'yaml' ? parseYaml(text, options.findDuplicates) : parseJson(text, options.findDuplicates);
}

/** Decodes a body that must be one object (a Kubernetes resource or options object). */
export function decodeObjectBody(
  body: Buffer,
  encoding: BodyEncoding,
  options: DecodeOptions = {},
): { obj: Record<string, unknown>; duplicateFields: string[] } {
  if (body.length === 0) throw badRequest('the request body is empty');
  const decoded = decodeBody(body, encoding, options);
  const v = decoded.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`the request body must be an object, not ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}`);
  }
  return { obj: v as Record<string, unknown>, duplicateFields: decoded.duplicateFields };
}
