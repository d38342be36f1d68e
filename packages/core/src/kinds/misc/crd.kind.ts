/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: declares a custom kind served by the API.
 * The per-version `openAPIV3Schema` is kept as sent (a JSON Schema, checked by
 * `definitionFromCRD` when the kind is served).
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, bool, conditionList, field, int32, loose, obj, reqStr, str, strList } from '../schema/fields.js';
import { column } from '../printers.js';
import { duplicateValue, forbiddenField, invalidValue, notSupported, requiredValue } from '../validation/field-errors.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from '../validation/name-rules.js';

const NamesSchema = obj(
  {
    plural: reqStr('Plural lower-case name, used in URLs: /apis/<group>/<version>/<plural>.'),
    singular: str('Singular lower-case name; the lower-cased kind when unset.'),
    shortNames: strList('Short names for kubectl, e.g. ct.'),
    kind: reqStr('CamelCase kind of the objects.'),
    listKind: str('Kind of lists; <kind>List when unset.'),
    categories: strList('Categories the resource belongs to, e.g. all.'),
  },
  'The names of a custom resource.',
);

const PrinterColumnSchema = obj(
  {
    name: reqStr('Column header.'),
    type: reqStr('integer, number, string, boolean or date.'),
    format: str('Optional format of the type.'),
    description: str('Description of the column.'),
    priority: int32('0 = always shown, higher = only with -o wide.'),
    jsonPath: reqStr('JSONPath of the value in each object, e.g. .spec.replicas.'),
  },
  'A column of kubectl get.',
);

const VersionSchema = obj(
  {
    name: reqStr('Version name, e.g. v1, v1beta1.'),
    served: z.boolean().meta({ description: 'Whether the version is served by the API.' }),
    storage: z.boolean().meta({ description: 'Whether objects are stored in this version; exactly one version is.' }),
    deprecated: bool('Whether the version is deprecated (requests get a warning).'),
    deprecationWarning: str('Warning returned for requests to a deprecated version.'),
    schema: field(
      obj({ openAPIV3Schema: loose('The structural OpenAPI v3 schema of the objects.') }, 'The validation schema.'),
      'Schema objects of this version are validated and pruned with.',
    ),
    subresources: field(
      obj(
        {
          status: loose('Enables the status subresource (an empty object).'),
          scale: field(
            obj(
              {
                specReplicasPath: reqStr('JSONPath of the desired replicas, e.g. .spec.replicas.'),
                statusReplicasPath: reqStr('JSONPath of the observed replicas.'),
                labelSelectorPath: str('JSONPath of the string label selector in status.'),
              },
              'Scale subresource paths.',
            ),
            'Enables the scale subresource.',
          ),
        },
        'Subresources of the version.',
      ),
      'Subresources served.',
    ),
    additionalPrinterColumns: atomicList(PrinterColumnSchema, 'Columns of kubectl get beyond NAME.'),
    selectableFields: atomicList(
      obj({ jsonPath: reqStr('JSONPath of a string, integer or boolean field.') }, 'A selectable field.'),
      'Fields usable in field selectors.',
    ),
  },
  'One version of a custom resource.',
);

/** The schema of a CustomResourceDefinition. */
export const CustomResourceDefinitionSchema = objectSchema('A CustomResourceDefinition: adds a custom kind, with its schema, to the API.', {
  spec: obj(
    {
      group: reqStr('API group of the kind, e.g. example.com.'),
      names: NamesSchema.meta({ description: 'Names of the resource and kind.' }),
      scope: reqStr('Namespaced or Cluster.'),
      versions: z
        .array(VersionSchema)
        .meta({ description: 'Versions served; exactly one is the storage version.', 'x-kubernetes-list-type': 'atomic' }),
      conversion: loose('How objects are converted between versions (None or Webhook).'),
      preserveUnknownFields: bool('Deprecated; must be false.'),
    },
    'The desired state of a CustomResourceDefinition.',
  ),
  status: field(
    obj(
      {
        conditions: conditionList(
          obj(
            {
              type: reqStr('Established, NamesAccepted, Terminating, ...'),
              status: reqStr('True, False or Unknown.'),
              lastTransitionTime: str('When the status last changed.', { format: 'date-time' }),
              reason: str('Reason.'),
              message: str('Details.'),
            },
            'A condition.',
          ),
          'Current conditions.',
        ),
        acceptedNames: field(NamesSchema, 'Names actually served.'),
        storedVersions: strList('Versions objects have ever been stored in.'),
      },
      'The observed state of a CustomResourceDefinition.',
    ),
    'The observed state of the CRD.',
  ),
});

/** A CustomResourceDefinition. */
export type CustomResourceDefinition = z.infer<typeof CustomResourceDefinitionSchema> & KubeObject;
/** One version of a CustomResourceDefinition. */
export type CustomResourceDefinitionVersion = z.infer<typeof VersionSchema>;

const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'];

/** apiextensions.k8s.io/v1 customresourcedefinitions. */
export const CustomResourceDefinitions: ResourceDefinition<CustomResourceDefinition> = defineKind<CustomResourceDefinition>({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: { status: true },
  schema: CustomResourceDefinitionSchema,
  description: 'A CustomResourceDefinition: adds a custom kind, with its schema, to the API.',
  openAPIName: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
  strategy: {
    tracksGeneration: true,
    default(crd) {
      const n = crd.spec.names;
      n.singular ??= n.kind?.toLowerCase();
      n.listKind ??= `${n.kind}List`;
      crd.spec.conversion ??= { strategy: 'None' };
    },
    validate(crd, old) {
      const out: StatusCause[] = [];
      const s = crd.spec;
      if (crd.metadata.name !== `${s.names.plural}.${s.group}`)
        out.push(invalidValue('metadata.name', crd.metadata.name ?? '', 'must be spec.names.plural+"."+spec.group'));
      if (!s.group) out.push(requiredValue('spec.group'));
      else {
        for (const e of isDNS1123Subdomain(s.group)) out.push(invalidValue('spec.group', s.group, e));
        if (s.group.split('.').length < 2) out.push(invalidValue('spec.group', s.group, 'should be a domain with at least one dot'));
      }
      if (s.scope !== 'Namespaced' && s.scope !== 'Cluster') out.push(notSupported('spec.scope', s.scope, ['Cluster', 'Namespaced']));
      for (const e of isDNS1035Label(s.names.plural)) out.push(invalidValue('spec.names.plural', s.names.plural, e));
      if (s.names.singular)
        for (const e of isDNS1035Label(s.names.singular)) out.push(invalidValue('spec.names.singular', s.names.singular, e));
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(s.names.kind))
        out.push(
          invalidValue('spec.names.kind', s.names.kind, 'may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?'),
        );
      (s.names.shortNames ?? []).forEach((n, i) => {
        for (const e of isDNS1035Label(n)) out.push(invalidValue(`spec.names.shortNames[${i}]`, n, e));
      });
      if (s.versions.length === 0) out.push(requiredValue('spec.versions', 'must have exactly one version marked as storage version'));
      const storage = s.versions.filter((v) => v.storage).length;
      if (s.versions.length > 0 && storage !== 1)
        out.push(
          invalidValue(
            'spec.versions',
            s.versions.map((v) => v.name),
            'must have exactly one version marked as storage version',
          ),
        );
      const seen = new Set<string>();
      s.versions.forEach((v, i) => {
        const p = `spec.versions[${i}]`;
        for (const e of isDNS1123Label(v.name)) out.push(invalidValue(`${p}.name`, v.name, e));
        if (seen.has(v.name)) out.push(duplicateValue(`${p}.name`, v.name));
        seen.add(v.name);
        const schema = v.schema?.openAPIV3Schema as { type?: string } | undefined;
        if (!schema) out.push(requiredValue(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
        else if (schema.type !== 'object')
          out.push(invalidValue(`${p}.schema.openAPIV3Schema.type`, schema.type ?? '', 'must be object at the root'));
        (v.additionalPrinterColumns ?? []).forEach((c, j) => {
          if (!COLUMN_TYPES.includes(c.type)) out.push(notSupported(`${p}.additionalPrinterColumns[${j}].type`, c.type, COLUMN_TYPES));
        });
      });
      if (s.preserveUnknownFields)
        out.push(invalidValue('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'));
      if (old) {
        if (old.spec.scope !== s.scope) out.push(invalidValue('spec.scope', s.scope, 'field is immutable'));
        if (old.spec.group !== s.group) out.push(invalidValue('spec.group', s.group, 'field is immutable'));
        if (old.spec.names.plural !== s.names.plural) out.push(forbiddenField('spec.names.plural', 'field is immutable'));
      }
      return out;
    },
    statusFields: ['status'],
  },
  printerColumns: [column('Created At', 'date', 'When the CRD was created.', (o) => o.metadata.creationTimestamp ?? '')],
});
