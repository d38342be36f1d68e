/**
 * Reading the body of a write and applying field validation to what the decoder alone sees:
 * duplicate fields (the store reports unknown fields itself), and the wording kubectl prints
 * for strict decoding errors: `Deployment in version "v1" cannot be handled as a Deployment:
 * strict decoding error: unknown field "spec.foo", duplicate field "spec.replicas"`.
 */
import { badRequest, StatusError, type ResourceDefinition, type WriteOptions } from '@converge/core';
import { readBody } from '../http/body-reader.js';
import { decodeBody, decodeObjectBody, type ProtobufDecoder } from '../http/body-decoder.js';
import { bodyEncodingOf, type BodyEncoding } from '../http/media-types.js';
import type { RequestContext } from './request-context.js';

const STRICT_PREFIX = 'strict decoding error: ';

/** A decoded write body with what field validation needs. */
export interface WriteBody {
  obj: Record<string, unknown>;
  duplicateFields: string[];
  encoding: BodyEncoding;
}

/** Reads and decodes the object body of a create or update. */
export async function readObjectBody(
  ctx: RequestContext,
  options: { limit: number; protobuf?: ProtobufDecoder; findDuplicates: boolean },
): Promise<WriteBody> {
  const encoding = bodyEncodingOf(ctx.req.headers['content-type']);
  const raw = await readBody(ctx.req, options.limit);
  const decodeOptions: { findDuplicates: boolean; protobuf?: ProtobufDecoder } = {
    findDuplicates: options.findDuplicates && encoding !== 'protobuf',
  };
  if (options.protobuf) decodeOptions.protobuf = options.protobuf;
  const { obj, duplicateFields } = decodeObjectBody(raw, encoding, decodeOptions);
  return { obj, duplicateFields, encoding };
}

/** Reads an optional JSON/YAML body (DeleteOptions); undefined when empty. */
export async function readOptionalBody(
  ctx: RequestContext,
  options: { limit: number; protobuf?: ProtobufDecoder },
): Promise<Record<string, unknown> | undefined> {
  const raw = await readBody(ctx.req, options.limit);
  if (raw.length === 0 || raw.toString('utf8').trim() === '') return undefined;
  const encoding = bodyEncodingOf(ctx.req.headers['content-type']);
  const decoded = decodeBody(raw, encoding, options.protobuf ? { protobuf: options.protobuf } : {});
  const v = decoded.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest('the request body must be an object');
  return v as Record<string, unknown>;
}

function strictFields(message: string): string[] {
  const i = message.indexOf(STRICT_PREFIX);
  return i < 0 ? [] : [message.slice(i + STRICT_PREFIX.length)];
}

/** Rewords a store's strict decoding error the way Kubernetes' decoder words it. */
export function decorateStrictError(err: unknown, def: ResourceDefinition, body: Record<string, unknown> | undefined): unknown {
  if (!(err instanceof StatusError) || err.reason !== 'BadRequest' || !err.message.startsWith(STRICT_PREFIX)) return err;
  const kind = typeof body?.['kind'] === 'string' ? (body['kind'] as string) : def.kind;
  const version = typeof body?.['apiVersion'] === 'string' ? (body['apiVersion'] as string).split('/').pop()! : def.version;
  return new StatusError('BadRequest', `${kind} in version "${version}" cannot be handled as a ${def.kind}: ${err.message}`, { code: 400 });
}

/**
 * Runs a write with field validation: duplicate fields become warnings (Warn), are dropped
 * silently (Ignore), or fail the request together with the unknown fields the store finds
 * (Strict, found with a dry run so nothing is stored).
 */
export async function writeWithFieldValidation<T>(
  ctx: RequestContext,
  def: ResourceDefinition,
  body: Record<string, unknown> | undefined,
  duplicateFields: readonly string[],
  options: WriteOptions,
  write: (options: WriteOptions) => Promise<T>,
): Promise<T> {
  const mode = options.fieldValidation ?? 'Warn';
  const opts: WriteOptions = { ...options, onWarning: (m) => ctx.warnings.push(m) };
  if (duplicateFields.length > 0) {
    if (mode === 'Warn') for (const f of duplicateFields) ctx.warnings.push(`duplicate field "${f}"`);
    if (mode === 'Strict') {
      const parts: string[] = [];
      try {
        await write({ ...opts, dryRun: true, onWarning: () => undefined });
      } catch (err) {
        if (err instanceof StatusError && err.reason === 'BadRequest') parts.push(...strictFields(err.message));
      }
      parts.push(duplicateFields.map((f) => `duplicate field "${f}"`).join(', '));
      throw decorateStrictError(badRequest(`${STRICT_PREFIX}${parts.join(', ')}`), def, body);
    }
  }
  try {
    return await write(opts);
  } catch (err) {
    throw decorateStrictError(err, def, body);
  }
}
