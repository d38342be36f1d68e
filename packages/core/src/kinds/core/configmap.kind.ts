/**
 * core/v1 ConfigMap: string and binary data by key; `immutable: true` freezes it.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { bool, strMap } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { duplicateValue, forbiddenField, invalidValue, tooLong } from '../validation/field-errors.js';
import { jsonEqual } from '../validation/validate-object.js';

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** The largest total size of a ConfigMap's or Secret's data (1 MiB). */
export const MAX_DATA_SIZE = 1024 * 1024;

/** Validates the keys of a ConfigMap or Secret data map (`[-._a-zA-Z0-9]+`, at most 253 characters). */
export function validateConfigKeys(keys: Iterable<string>, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  for (const k of keys) {
    if (k.length > 253) out.push(invalidValue(path, k, 'must be no more than 253 characters'));
    if (!CONFIG_KEY.test(k))
      out.push(
        invalidValue(
          path,
          k,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        ),
      );
    if (k === '.' || k === '..' || k.startsWith('..')) out.push(invalidValue(path, k, "must not be '.' or '..' or start with '..'"));
  }
  return out;
}

/** Rejects any change to data of an object that was `immutable: true` (and unsetting immutable). */
export function validateImmutableData(
  obj: { immutable?: boolean | undefined; data?: unknown; binaryData?: unknown; stringData?: unknown },
  old: { immutable?: boolean | undefined; data?: unknown; binaryData?: unknown } | undefined,
): StatusCause[] {
  if (!old?.immutable) return [];
  const out: StatusCause[] = [];
  if (!obj.immutable) out.push(forbiddenField('immutable', 'field is immutable when `immutable` is set'));
  if (!jsonEqual(obj.data, old.data) || obj.stringData !== undefined)
    out.push(forbiddenField('data', 'field is immutable when `immutable` is set'));
  if (!jsonEqual(obj.binaryData, old.binaryData)) out.push(forbiddenField('binaryData', 'field is immutable when `immutable` is set'));
  return out;
}

/** The schema of a ConfigMap. */
export const ConfigMapSchema = objectSchema('A ConfigMap: non-secret configuration data for pods, by key.', {
  immutable: bool('When true, data cannot change after creation (only deletion and metadata changes are allowed).'),
  data: strMap('UTF-8 configuration values by key; keys are [-._a-zA-Z0-9]+.'),
  binaryData: strMap('Binary values (base64 on the wire) by key; keys must not repeat those of data.'),
});

/** A ConfigMap. */
export type ConfigMap = z.infer<typeof ConfigMapSchema> & KubeObject;

/** core/v1 configmaps. */
export const ConfigMaps: ResourceDefinition<ConfigMap> = defineKind<ConfigMap>({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  namespaced: true,
  shortNames: ['cm'],
  schema: ConfigMapSchema,
  description: 'A ConfigMap: non-secret configuration data for pods, by key.',
  openAPIName: 'io.k8s.api.core.v1.ConfigMap',
  strategy: {
    default(cm) {
      // Empty maps are omitted, as Go's omitempty does.
      if (cm.data && Object.keys(cm.data).length === 0) delete cm.data;
      if (cm.binaryData && Object.keys(cm.binaryData).length === 0) delete cm.binaryData;
    },
    validate(cm, old) {
      const out = validateConfigKeys(Object.keys(cm.data ?? {}), 'data');
      out.push(...validateConfigKeys(Object.keys(cm.binaryData ?? {}), 'binaryData'));
      let size = 0;
      for (const k in cm.data ?? {}) {
        size += cm.data![k]!.length;
        if (cm.binaryData && k in cm.binaryData) out.push(duplicateValue('data', k));
      }
      for (const k in cm.binaryData ?? {}) size += Math.floor((cm.binaryData![k]!.length * 3) / 4);
      if (size > MAX_DATA_SIZE) out.push({ ...tooLong('', MAX_DATA_SIZE), message: `Too long: must have at most ${MAX_DATA_SIZE} bytes` });
      out.push(...validateImmutableData(cm, old));
      return out;
    },
  },
  printerColumns: [
    column(
      'Data',
      'integer',
      'Number of keys in data and binaryData.',
      (o) => Object.keys((o as ConfigMap).data ?? {}).length + Object.keys((o as ConfigMap).binaryData ?? {}).length,
    ),
    AGE_COLUMN,
  ],
});
