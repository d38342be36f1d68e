/**
 * Component schemas that do not come from a kind's zod schema: the apimachinery types with a
 * JSON form of their own (Time, Quantity, IntOrString, RawExtension, ...), and the types the
 * API's operations and discovery use (Status, ListMeta, DeleteOptions, WatchEvent, Patch,
 * APIResourceList, ...). Written in the v3 flavour; the v2 writer converts them.
 */
import { refTo, type OpenAPISchema } from './openapi-names.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

/** Names of the apimachinery components the builders refer to. */
export const MetaNames = {
  ObjectMeta: `${META}.ObjectMeta`,
  ListMeta: `${META}.ListMeta`,
  Status: `${META}.Status`,
  StatusDetails: `${META}.StatusDetails`,
  StatusCause: `${META}.StatusCause`,
  DeleteOptions: `${META}.DeleteOptions`,
  Preconditions: `${META}.Preconditions`,
  WatchEvent: `${META}.WatchEvent`,
  Patch: `${META}.Patch`,
  Time: `${META}.Time`,
  MicroTime: `${META}.MicroTime`,
  FieldsV1: `${META}.FieldsV1`,
  APIVersions: `${META}.APIVersions`,
  APIGroupList: `${META}.APIGroupList`,
  APIGroup: `${META}.APIGroup`,
  GroupVersionForDiscovery: `${META}.GroupVersionForDiscovery`,
  ServerAddressByClientCIDR: `${META}.ServerAddressByClientCIDR`,
  APIResourceList: `${META}.APIResourceList`,
  APIResource: `${META}.APIResource`,
  Quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  IntOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  RawExtension: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
} as const;

const str = (description: string): OpenAPISchema => ({ description, type: 'string' });
const int = (format: 'int32' | 'int64', description: string): OpenAPISchema => ({ description, type: 'integer', format });
const bool = (description: string): OpenAPISchema => ({ description, type: 'boolean' });
const strings = (description: string): OpenAPISchema => ({
  description,
  type: 'array',
  items: { type: 'string', default: '' },
  'x-kubernetes-list-type': 'atomic',
});
const ref = (name: string, description: string): OpenAPISchema => ({ allOf: [refTo(name)], description });
const apiVersion = str('The versioned schema of this representation of an object, e.g. `v1` or `apps/v1`.');
const kind = str('The REST resource this object represents, in CamelCase, e.g. `Pod`.');

/**
 * The component schemas of the special types: what the tables call `Time`, `Quantity`, ... keyed
 * by OpenAPI name. These replace whatever a zod schema says at such a field.
 */
export const SPECIAL_COMPONENTS: Readonly<Record<string, OpenAPISchema>> = {
  [MetaNames.Time]: {
    description: 'A timestamp in RFC 3339 form with second precision, e.g. `2024-05-01T12:00:00Z`.',
    type: 'string',
    format: 'date-time',
  },
  [MetaNames.MicroTime]: {
    description: 'A timestamp in RFC 3339 form with microsecond precision, e.g. `2024-05-01T12:00:00.123456Z`.',
    type: 'string',
    format: 'date-time',
  },
  [MetaNames.FieldsV1]: {
    description: 'A set of fields as a trie of field keys (`f:spec`, `k:{"name":"app"}`, ...), used by managedFields.',
    type: 'object',
  },
  [MetaNames.Quantity]: {
    description:
      'A fixed-point number with a unit suffix: `100m` (0.1), `2`, `128Mi`, `1G`, `1e3`. Written as a string; a plain number is accepted on input.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [MetaNames.IntOrString]: {
    description: 'Either an integer or a string (a number of pods, or a percentage such as `25%`; a port number, or a port name).',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [MetaNames.RawExtension]: { description: 'An embedded object in its JSON form, kept as written.', type: 'object' },
  [`${APIEXT}.JSON`]: { description: 'Any JSON value: a number, string, boolean, list, object or null.' },
  [`${APIEXT}.JSONSchemaPropsOrArray`]: { description: 'A JSON schema, or a list of JSON schemas (one per array position).' },
  [`${APIEXT}.JSONSchemaPropsOrBool`]: { description: 'A JSON schema, or a boolean: true allows any value, false allows none.' },
  [`${APIEXT}.JSONSchemaPropsOrStringArray`]: { description: 'A JSON schema, or a list of property names that must be present.' },
};

/** The component schemas of Status, lists, options, watch events, patches and discovery documents. */
export const API_COMPONENTS: Readonly<Record<string, OpenAPISchema>> = {
  [MetaNames.ListMeta]: {
    description: 'The metadata of a list: its resourceVersion and the token to continue a paged list.',
    type: 'object',
    properties: {
      continue: str('Set when the list was cut short by `limit`: pass it back as `continue` to read the next page.'),
      remainingItemCount: int('int64', 'An estimate of the items after this page, when the server knows it.'),
      resourceVersion: str('The version of the collection this list shows; watch from it to see every later change.'),
      selfLink: str('Deprecated and never set.'),
    },
  },
  [MetaNames.StatusCause]: {
    description: 'One reason a request failed, usually a field that did not validate.',
    type: 'object',
    properties: {
      field: str('The path of the field that caused the failure, e.g. `spec.containers[0].image`.'),
      message: str('What is wrong, for humans.'),
      reason: str('A machine-readable reason, e.g. `FieldValueInvalid`.'),
    },
  },
  [MetaNames.StatusDetails]: {
    description: 'Details of a failed request: the object it concerned and the causes.',
    type: 'object',
    properties: {
      causes: {
        description: 'The causes of the failure.',
        type: 'array',
        items: refTo(MetaNames.StatusCause),
        'x-kubernetes-list-type': 'atomic',
      },
      group: str('The API group of the object.'),
      kind: str('The kind (or resource) of the object.'),
      name: str('The name of the object.'),
      retryAfterSeconds: int('int32', 'How long the client should wait before retrying, when the failure is temporary.'),
      uid: str('The UID of the object.'),
    },
  },
  [MetaNames.Status]: {
    description: 'The result of a request that does not return an object: every error, and some deletes.',
    type: 'object',
    properties: {
      apiVersion,
      code: int('int32', 'The HTTP status code of the response.'),
      details: ref(MetaNames.StatusDetails, 'Details of the failure; what it holds depends on the reason.'),
      kind,
      message: str('What happened, for humans.'),
      metadata: { ...ref(MetaNames.ListMeta, 'Standard list metadata.'), default: {} },
      reason: str('A machine-readable reason, e.g. `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`.'),
      status: str('`Success` or `Failure`.'),
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  },
  [MetaNames.Preconditions]: {
    description: 'Conditions the object must meet for a delete to go ahead.',
    type: 'object',
    properties: { resourceVersion: str('The resourceVersion the object must have.'), uid: str('The UID the object must have.') },
  },
  [MetaNames.DeleteOptions]: {
    description: 'Options of a delete: grace period, preconditions and how dependents are handled.',
    type: 'object',
    properties: {
      apiVersion,
      dryRun: strings('When `All`, the request is checked but nothing is stored.'),
      gracePeriodSeconds: int('int64', 'Seconds the object has to terminate gracefully; 0 deletes at once.'),
      ignoreStoreReadErrorWithClusterBreakingPotential: bool('Deletes an object that cannot be read back from storage (dangerous).'),
      kind,
      orphanDependents: bool('Deprecated: use propagationPolicy. Whether dependents are orphaned.'),
      preconditions: ref(MetaNames.Preconditions, 'Must hold for the delete to go ahead.'),
      propagationPolicy: str('How dependents are garbage collected: `Orphan`, `Background` or `Foreground`.'),
    },
  },
  [MetaNames.WatchEvent]: {
    description: 'One event of a watch: what happened and the object it happened to.',
    type: 'object',
    required: ['type', 'object'],
    properties: {
      object: ref(
        MetaNames.RawExtension,
        'The object: its new state for ADDED and MODIFIED, its last state for DELETED, a Status for ERROR.',
      ),
      type: str('ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.'),
    },
  },
  [MetaNames.Patch]: {
    description: 'A patch document: a JSON patch, a merge patch, a strategic merge patch or an apply configuration.',
    type: 'object',
  },
  [MetaNames.ServerAddressByClientCIDR]: {
    description: 'The address clients in a network should use to reach the server.',
    type: 'object',
    required: ['clientCIDR', 'serverAddress'],
    properties: { clientCIDR: str('The network, as a CIDR.'), serverAddress: str('`host:port` of the server.') },
  },
  [MetaNames.APIVersions]: {
    description: 'The versions of the core API (`/api`).',
    type: 'object',
    required: ['versions', 'serverAddressByClientCIDRs'],
    properties: {
      apiVersion,
      kind,
      serverAddressByClientCIDRs: {
        description: 'Where clients reach the server.',
        type: 'array',
        items: refTo(MetaNames.ServerAddressByClientCIDR),
        'x-kubernetes-list-type': 'atomic',
      },
      versions: strings('The versions served, e.g. `v1`.'),
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'APIVersions', version: 'v1' }],
  },
  [MetaNames.GroupVersionForDiscovery]: {
    description: 'One version of an API group.',
    type: 'object',
    required: ['groupVersion', 'version'],
    properties: { groupVersion: str('`group/version`.'), version: str('The version, e.g. `v1`.') },
  },
  [MetaNames.APIGroup]: {
    description: 'An API group: its name, versions and preferred version.',
    type: 'object',
    required: ['name', 'versions'],
    properties: {
      apiVersion,
      kind,
      name: str('The name of the group.'),
      preferredVersion: ref(MetaNames.GroupVersionForDiscovery, 'The version clients should use.'),
      serverAddressByClientCIDRs: {
        description: 'Where clients reach the server.',
        type: 'array',
        items: refTo(MetaNames.ServerAddressByClientCIDR),
        'x-kubernetes-list-type': 'atomic',
      },
      versions: {
        description: 'The versions served.',
        type: 'array',
        items: refTo(MetaNames.GroupVersionForDiscovery),
        'x-kubernetes-list-type': 'atomic',
      },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'APIGroup', version: 'v1' }],
  },
  [MetaNames.APIGroupList]: {
    description: 'The API groups the server serves (`/apis`).',
    type: 'object',
    required: ['groups'],
    properties: {
      apiVersion,
      groups: { description: 'The groups.', type: 'array', items: refTo(MetaNames.APIGroup), 'x-kubernetes-list-type': 'atomic' },
      kind,
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'APIGroupList', version: 'v1' }],
  },
  [MetaNames.APIResource]: {
    description: 'A resource of a group-version: its names, scope and verbs.',
    type: 'object',
    required: ['name', 'singularName', 'namespaced', 'kind', 'verbs'],
    properties: {
      categories: strings('Groups of resources it belongs to, e.g. `all`.'),
      group: str('The group of the resource, when it differs from the list (subresources).'),
      kind: str('The kind of its objects.'),
      name: str('The plural resource name, or `resource/subresource`.'),
      namespaced: bool('Whether it lives in namespaces.'),
      shortNames: strings('Short names users may type, e.g. `po`.'),
      singularName: str('The singular name.'),
      storageVersionHash: str('A hash of the version objects are stored in.'),
      verbs: strings('The verbs it supports: get, list, watch, create, update, patch, delete, deletecollection.'),
      version: str('The version of the resource, when it differs from the list.'),
    },
  },
  [MetaNames.APIResourceList]: {
    description: 'The resources of one group-version (`/api/v1`, `/apis/apps/v1`).',
    type: 'object',
    required: ['groupVersion', 'resources'],
    properties: {
      apiVersion,
      groupVersion: str('The group-version listed.'),
      kind,
      resources: { description: 'The resources.', type: 'array', items: refTo(MetaNames.APIResource), 'x-kubernetes-list-type': 'atomic' },
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'APIResourceList', version: 'v1' }],
  },
};
