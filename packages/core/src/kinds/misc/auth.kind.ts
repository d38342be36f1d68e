/**
 * The review and request kinds of authentication.k8s.io/v1 and authorization.k8s.io/v1:
 * TokenRequest, TokenReview, SelfSubjectReview, SelfSubjectAccessReview,
 * SelfSubjectRulesReview and SubjectAccessReview. All are create-only and never stored
 * (`virtual`): the API server answers them by filling in `status`.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, bool, field, int64, obj, reqStr, str, strList, time } from '../schema/fields.js';
import { invalidValue, requiredValue } from '../validation/field-errors.js';

/** Information about an authenticated user. */
export const UserInfoSchema = obj(
  {
    username: str('Name of the user.'),
    uid: str('Unique ID of the user.'),
    groups: strList('Groups the user belongs to.'),
    extra: z.record(z.string(), z.array(z.string())).optional().meta({ description: 'Extra information from the authenticator.' }),
  },
  'Who an authenticated caller is.',
);

/** The schema of a TokenRequest (the body of `serviceaccounts/<name>/token`). */
export const TokenRequestSchema = objectSchema('A TokenRequest: asks for a signed token for a service account.', {
  spec: obj(
    {
      audiences: z
        .array(z.string())
        .meta({ description: "Intended audiences of the token; the API server's when empty.", 'x-kubernetes-list-type': 'atomic' }),
      expirationSeconds: int64('Requested lifetime of the token; 3600 when unset.'),
      boundObjectRef: field(
        obj(
          {
            kind: str('Pod, Secret or Node.'),
            apiVersion: str('API version of the object.'),
            name: str('Name of the object.'),
            uid: str('UID of the object.'),
          },
          'An object the token is bound to.',
        ),
        'An object whose deletion invalidates the token.',
      ),
    },
    'What token is requested.',
  ),
  status: field(
    obj(
      {
        token: reqStr('The signed token.'),
        expirationTimestamp: time('When the token expires.').unwrap().meta({ description: 'When the token expires.', format: 'date-time' }),
      },
      'The issued token.',
    ),
    'The issued token.',
  ),
});
/** A TokenRequest. */
export type TokenRequest = z.infer<typeof TokenRequestSchema> & KubeObject;

/** The schema of a TokenReview. */
export const TokenReviewSchema = objectSchema('A TokenReview: asks the API server who a bearer token authenticates as.', {
  spec: obj({ token: str('The token to check.'), audiences: strList('Audiences the token must be valid for.') }, 'The token to review.'),
  status: field(
    obj(
      {
        authenticated: bool('Whether the token is valid.'),
        user: field(UserInfoSchema, 'Who the token authenticates as.'),
        audiences: strList('Audiences the token is valid for.'),
        error: str('Why the token could not be checked.'),
      },
      'The result of the review.',
    ),
    'The result, filled in by the server.',
  ),
});
/** A TokenReview. */
export type TokenReview = z.infer<typeof TokenReviewSchema> & KubeObject;

/** The schema of a SelfSubjectReview. */
export const SelfSubjectReviewSchema = objectSchema('A SelfSubjectReview: asks the API server who the caller is (kubectl auth whoami).', {
  status: field(
    obj({ userInfo: field(UserInfoSchema, 'The caller.') }, "The caller's identity."),
    "The caller's identity, filled in by the server.",
  ),
});
/** A SelfSubjectReview. */
export type SelfSubjectReview = z.infer<typeof SelfSubjectReviewSchema> & KubeObject;

const ResourceAttributesSchema = obj(
  {
    namespace: str('Namespace of the request; all namespaces when empty.'),
    verb: str('Verb: get, list, create, ..., or * for all.'),
    group: str('API group; * for all.'),
    version: str('API version; * for all.'),
    resource: str('Resource; * for all.'),
    subresource: str('Subresource.'),
    name: str('Name of the object; all when empty.'),
    fieldSelector: field(
      obj(
        {
          rawSelector: str('The selector as written.'),
          requirements: atomicList(
            obj(
              { key: reqStr('Field.'), operator: reqStr('In, NotIn, Exists, DoesNotExist.'), values: strList('Values.') },
              'A requirement.',
            ),
            'Parsed requirements.',
          ),
        },
        'A field selector.',
      ),
      'Field selector of a list or watch.',
    ),
    labelSelector: field(
      obj(
        {
          rawSelector: str('The selector as written.'),
          requirements: atomicList(
            obj(
              { key: reqStr('Label.'), operator: reqStr('In, NotIn, Exists, DoesNotExist.'), values: strList('Values.') },
              'A requirement.',
            ),
            'Parsed requirements.',
          ),
        },
        'A label selector.',
      ),
      'Label selector of a list or watch.',
    ),
  },
  'A request on a resource.',
);
const NonResourceAttributesSchema = obj(
  { path: str('URL path.'), verb: str('HTTP verb, lower case.') },
  'A request on a non-resource URL.',
);
const AccessReviewStatusSchema = obj(
  {
    allowed: z.boolean().meta({ description: 'Whether the request is allowed.' }),
    denied: bool('Whether the request is explicitly denied.'),
    reason: str('Why the request is allowed or denied.'),
    evaluationError: str('Why the authorizer could not decide.'),
  },
  'The decision of an access review.',
);

function validateAttributes(spec: { resourceAttributes?: unknown; nonResourceAttributes?: unknown } | undefined): StatusCause[] {
  if (!spec) return [requiredValue('spec')];
  const r = spec.resourceAttributes !== undefined;
  const n = spec.nonResourceAttributes !== undefined;
  if (r && n)
    return [
      invalidValue('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'),
    ];
  if (!r && !n)
    return [invalidValue('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  return [];
}

/** The schema of a SelfSubjectAccessReview. */
export const SelfSubjectAccessReviewSchema = objectSchema(
  'A SelfSubjectAccessReview: asks whether the caller may perform an action (kubectl auth can-i).',
  {
    spec: obj(
      {
        resourceAttributes: field(ResourceAttributesSchema, 'The resource request to check.'),
        nonResourceAttributes: field(NonResourceAttributesSchema, 'The non-resource request to check.'),
      },
      'The action to check.',
    ),
    status: field(AccessReviewStatusSchema, 'The decision, filled in by the server.'),
  },
);
/** A SelfSubjectAccessReview. */
export type SelfSubjectAccessReview = z.infer<typeof SelfSubjectAccessReviewSchema> & KubeObject;

/** The schema of a SubjectAccessReview. */
export const SubjectAccessReviewSchema = objectSchema('A SubjectAccessReview: asks whether a given user may perform an action.', {
  spec: obj(
    {
      resourceAttributes: field(ResourceAttributesSchema, 'The resource request to check.'),
      nonResourceAttributes: field(NonResourceAttributesSchema, 'The non-resource request to check.'),
      user: str('User to check.'),
      groups: strList('Groups of the user.'),
      extra: z.record(z.string(), z.array(z.string())).optional().meta({ description: 'Extra information about the user.' }),
      uid: str('UID of the user.'),
    },
    'The subject and action to check.',
  ),
  status: field(AccessReviewStatusSchema, 'The decision, filled in by the server.'),
});
/** A SubjectAccessReview. */
export type SubjectAccessReview = z.infer<typeof SubjectAccessReviewSchema> & KubeObject;

const RuleSchema = obj(
  {
    verbs: strList('Verbs.'),
    apiGroups: strList('API groups.'),
    resources: strList('Resources.'),
    resourceNames: strList('Object names.'),
  },
  'Verbs allowed on resources.',
);
const NonResourceRuleSchema = obj(
  { verbs: strList('Verbs.'), nonResourceURLs: strList('URL paths.') },
  'Verbs allowed on non-resource URLs.',
);

/** The schema of a SelfSubjectRulesReview. */
export const SelfSubjectRulesReviewSchema = objectSchema(
  'A SelfSubjectRulesReview: asks what the caller may do in a namespace (kubectl auth can-i --list).',
  {
    spec: obj({ namespace: str('Namespace to evaluate the rules in.') }, 'The namespace to list rules for.'),
    status: field(
      obj(
        {
          resourceRules: atomicList(RuleSchema, 'What the caller may do on resources.')
            .unwrap()
            .meta({ description: 'What the caller may do on resources.', 'x-kubernetes-list-type': 'atomic' }),
          nonResourceRules: atomicList(NonResourceRuleSchema, 'What the caller may do on non-resource URLs.')
            .unwrap()
            .meta({ description: 'What the caller may do on non-resource URLs.', 'x-kubernetes-list-type': 'atomic' }),
          incomplete: z.boolean().meta({ description: 'Whether the list is incomplete (some authorizer cannot enumerate rules).' }),
          evaluationError: str('Why the rules could not be fully evaluated.'),
        },
        'The rules.',
      ),
      'The rules, filled in by the server.',
    ),
  },
);
/** A SelfSubjectRulesReview. */
export type SelfSubjectRulesReview = z.infer<typeof SelfSubjectRulesReviewSchema> & KubeObject;

/** authentication.k8s.io/v1 TokenRequest: the body of `serviceaccounts/<name>/token`; never stored. */
export const TokenRequests: ResourceDefinition<TokenRequest> = defineKind<TokenRequest>({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenRequest',
  plural: 'tokenrequests',
  namespaced: true,
  virtual: true,
  schema: TokenRequestSchema,
  description: 'A TokenRequest: asks for a signed token for a service account.',
  openAPIName: 'io.k8s.api.authentication.v1.TokenRequest',
  strategy: {
    default(t) {
      t.spec.expirationSeconds ??= 3600;
    },
    validate(t) {
      const e = t.spec.expirationSeconds;
      if (e !== undefined && e < 600) return [invalidValue('spec.expirationSeconds', e, 'may not specify a duration less than 10 minutes')];
      if (e !== undefined && e > 2 ** 32)
        return [invalidValue('spec.expirationSeconds', e, 'may not specify a duration larger than 2^32 seconds')];
      return [];
    },
  },
});

/** authentication.k8s.io/v1 tokenreviews. */
export const TokenReviews: ResourceDefinition<TokenReview> = defineKind<TokenReview>({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  namespaced: false,
  virtual: true,
  schema: TokenReviewSchema,
  description: 'A TokenReview: asks the API server who a bearer token authenticates as.',
  openAPIName: 'io.k8s.api.authentication.v1.TokenReview',
  strategy: { validate: (t) => (t.spec.token ? [] : [requiredValue('spec.token')]) },
});

/** authentication.k8s.io/v1 selfsubjectreviews. */
export const SelfSubjectReviews: ResourceDefinition<SelfSubjectReview> = defineKind<SelfSubjectReview>({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  namespaced: false,
  virtual: true,
  schema: SelfSubjectReviewSchema,
  description: 'A SelfSubjectReview: asks the API server who the caller is (kubectl auth whoami).',
  openAPIName: 'io.k8s.api.authentication.v1.SelfSubjectReview',
});

/** authorization.k8s.io/v1 selfsubjectaccessreviews. */
export const SelfSubjectAccessReviews: ResourceDefinition<SelfSubjectAccessReview> = defineKind<SelfSubjectAccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  namespaced: false,
  virtual: true,
  schema: SelfSubjectAccessReviewSchema,
  description: 'A SelfSubjectAccessReview: asks whether the caller may perform an action (kubectl auth can-i).',
  openAPIName: 'io.k8s.api.authorization.v1.SelfSubjectAccessReview',
  strategy: { validate: (r) => validateAttributes(r.spec) },
});

/** authorization.k8s.io/v1 selfsubjectrulesreviews. */
export const SelfSubjectRulesReviews: ResourceDefinition<SelfSubjectRulesReview> = defineKind<SelfSubjectRulesReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  namespaced: false,
  virtual: true,
  schema: SelfSubjectRulesReviewSchema,
  description: 'A SelfSubjectRulesReview: asks what the caller may do in a namespace (kubectl auth can-i --list).',
  openAPIName: 'io.k8s.api.authorization.v1.SelfSubjectRulesReview',
  strategy: { validate: (r) => (r.spec.namespace ? [] : [requiredValue('spec.namespace')]) },
});

/** authorization.k8s.io/v1 subjectaccessreviews. */
export const SubjectAccessReviews: ResourceDefinition<SubjectAccessReview> = defineKind<SubjectAccessReview>({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  namespaced: false,
  virtual: true,
  schema: SubjectAccessReviewSchema,
  description: 'A SubjectAccessReview: asks whether a given user may perform an action.',
  openAPIName: 'io.k8s.api.authorization.v1.SubjectAccessReview',
  strategy: {
    validate(r) {
      const out = validateAttributes(r.spec);
      if (!r.spec.user && (r.spec.groups ?? []).length === 0)
        out.push(invalidValue('spec.user', '', 'at least one of user or group must be specified'));
      return out;
    },
  },
});
