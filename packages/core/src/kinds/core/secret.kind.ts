/**
 * core/v1 Secret: sensitive data by key, base64 on the wire; `stringData` is merged into
 * `data` on write.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { bool, str, strMap } from '../schema/fields.js';
import { AGE_COLUMN, column } from '../printers.js';
import { forbiddenField, invalidValue, requiredValue } from '../validation/field-errors.js';
import { MAX_DATA_SIZE, validateConfigKeys, validateImmutableData } from './configmap.kind.js';

/** The schema of a Secret. */
export const SecretSchema = objectSchema('A Secret: sensitive data (passwords, tokens, keys) for pods, by key.', {
  immutable: bool('When true, data cannot change after creation.'),
  data: strMap('Base64-encoded values by key; keys are [-._a-zA-Z0-9]+.'),
  stringData: strMap('Write-only plain-text values, merged into data on write (they win over data).'),
  type: str('Type of the secret, for programmatic handling: Opaque when unset, kubernetes.io/tls, kubernetes.io/dockerconfigjson, ...'),
});

/** A Secret. */
export type Secret = z.infer<typeof SecretSchema> & KubeObject;

const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** core/v1 secrets. */
export const Secrets: ResourceDefinition<Secret> = defineKind<Secret>({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  namespaced: true,
  schema: SecretSchema,
  description: 'A Secret: sensitive data (passwords, tokens, keys) for pods, by key.',
  openAPIName: 'io.k8s.api.core.v1.Secret',
  strategy: {
    default(s) {
      s.type ??= 'Opaque';
      if (s.stringData) {
        s.data ??= {};
        for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(v, 'utf8').toString('base64');
        delete s.stringData;
      }
      // Empty maps are omitted, as Go's omitempty does.
      if (s.data && Object.keys(s.data).length === 0) delete s.data;
    },
    validate(s, old) {
      const out: StatusCause[] = validateConfigKeys(Object.keys(s.data ?? {}), 'data');
      let size = 0;
      for (const [k, v] of Object.entries(s.data ?? {})) {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) out.push(invalidValue(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
        size += Math.floor((v.length * 3) / 4);
      }
      if (size > MAX_DATA_SIZE)
        out.push({ reason: 'FieldValueTooLong', message: `Too long: must have at most ${MAX_DATA_SIZE} bytes`, field: 'data' });
      for (const key of REQUIRED_KEYS[s.type ?? 'Opaque'] ?? []) if (!s.data?.[key]) out.push(requiredValue(`data[${key}]`));
      if (s.type === 'kubernetes.io/service-account-token' && !s.metadata.annotations?.['kubernetes.io/service-account.name'])
        out.push(requiredValue('metadata.annotations[kubernetes.io/service-account.name]'));
      if (old && (old.type ?? 'Opaque') !== (s.type ?? 'Opaque')) out.push(invalidValue('type', s.type, 'field is immutable'));
      out.push(...validateImmutableData(s, old));
      if (old?.immutable && s.stringData) out.push(forbiddenField('stringData', 'field is immutable when `immutable` is set'));
      return out;
    },
    selectableFields: { type: (s) => s.type ?? 'Opaque' },
  },
  printerColumns: [
    column('Type', 'string', 'The type of the secret.', (o) => (o as Secret).type ?? 'Opaque'),
    column('Data', 'integer', 'Number of keys.', (o) => Object.keys((o as Secret).data ?? {}).length),
    AGE_COLUMN,
  ],
});
