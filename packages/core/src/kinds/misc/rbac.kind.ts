/**
 * rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding and ClusterRoleBinding.
 */
import { z } from 'zod';
import type { KubeObject, StatusCause } from '../../api/meta.js';
import type { ResourceDefinition } from '../../api/resource-type.js';
import { defineKind, objectSchema } from '../definition.js';
import { atomicList, field, obj, reqStr, str, strList } from '../schema/fields.js';
import { LabelSelectorSchema } from '../schema/meta.schema.js';
import { AGE_COLUMN, column } from '../printers.js';
import { immutableField, invalidValue, notSupported, requiredValue } from '../validation/field-errors.js';
import { jsonEqual } from '../validation/validate-object.js';

/** The API group of RBAC. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A rule of a Role or ClusterRole. */
export const PolicyRuleSchema = obj(
  {
    verbs: z.array(z.string()).meta({
      description: 'Verbs allowed: get, list, watch, create, update, patch, delete, deletecollection, or * for all.',
      'x-kubernetes-list-type': 'atomic',
    }),
    apiGroups: strList('API groups of the resources; "" is the core group, * all groups.'),
    resources: strList('Resources the rule applies to, e.g. pods, pods/log, or * for all.'),
    resourceNames: strList('Names of the objects the rule is restricted to; all when empty.'),
    nonResourceURLs: strList('Non-resource URLs (e.g. /healthz, /api/*) the rule applies to; ClusterRoles only.'),
  },
  'Verbs allowed on a set of resources or non-resource URLs.',
);

/** The subject of a binding. */
export const SubjectSchema = obj(
  {
    kind: reqStr('User, Group or ServiceAccount.'),
    apiGroup: str('"" for ServiceAccount, rbac.authorization.k8s.io for User and Group.'),
    name: reqStr('Name of the user, group or service account.'),
    namespace: str('Namespace of a service account.'),
  },
  'A user, group or service account a binding grants a role to.',
);

/** The role a binding refers to. */
export const RoleRefSchema = obj(
  {
    apiGroup: reqStr('rbac.authorization.k8s.io.'),
    kind: reqStr('Role or ClusterRole.'),
    name: reqStr('Name of the role.'),
  },
  'The role a binding grants. Cannot change.',
);

const rulesField = () => atomicList(PolicyRuleSchema, 'The permissions the role grants.');

/** The schema of a Role. */
export const RoleSchema = objectSchema('A Role: a set of permissions within one namespace.', { rules: rulesField() });
/** The schema of a ClusterRole. */
export const ClusterRoleSchema = objectSchema(
  'A ClusterRole: a set of permissions across the cluster, or a reusable set for RoleBindings.',
  {
    rules: rulesField(),
    aggregationRule: field(
      obj(
        { clusterRoleSelectors: atomicList(LabelSelectorSchema, 'ClusterRoles whose rules are aggregated into this one.') },
        'How rules are aggregated from other ClusterRoles.',
      ),
      'Aggregates the rules of labelled ClusterRoles; the controller then manages rules.',
    ),
  },
);
/** The schema of a RoleBinding. */
export const RoleBindingSchema = objectSchema(
  'A RoleBinding: grants the permissions of a Role or ClusterRole within one namespace to subjects.',
  {
    subjects: atomicList(SubjectSchema, 'Who the role is granted to.'),
    roleRef: RoleRefSchema,
  },
);
/** The schema of a ClusterRoleBinding. */
export const ClusterRoleBindingSchema = objectSchema(
  'A ClusterRoleBinding: grants the permissions of a ClusterRole across the cluster to subjects.',
  {
    subjects: atomicList(SubjectSchema, 'Who the role is granted to.'),
    roleRef: RoleRefSchema,
  },
);

/** A Role. */
export type Role = z.infer<typeof RoleSchema> & KubeObject;
/** A ClusterRole. */
export type ClusterRole = z.infer<typeof ClusterRoleSchema> & KubeObject;
/** A RoleBinding. */
export type RoleBinding = z.infer<typeof RoleBindingSchema> & KubeObject;
/** A ClusterRoleBinding. */
export type ClusterRoleBinding = z.infer<typeof ClusterRoleBindingSchema> & KubeObject;
/** A policy rule. */
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;
/** A binding subject. */
export type Subject = z.infer<typeof SubjectSchema>;

function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): StatusCause[] {
  const out: StatusCause[] = [];
  (rules ?? []).forEach((r, i) => {
    const p = `rules[${i}]`;
    if (r.verbs.length === 0) out.push(requiredValue(`${p}.verbs`, 'verbs must contain at least one value'));
    if ((r.nonResourceURLs ?? []).length > 0) {
      if (namespaced)
        out.push(invalidValue(`${p}.nonResourceURLs`, r.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
      if ((r.apiGroups ?? []).length > 0 || (r.resources ?? []).length > 0)
        out.push(
          invalidValue(`${p}.nonResourceURLs`, r.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'),
        );
      return;
    }
    if ((r.apiGroups ?? []).length === 0) out.push(requiredValue(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if ((r.resources ?? []).length === 0) out.push(requiredValue(`${p}.resources`, 'resource rules must supply at least one resource'));
  });
  return out;
}

function defaultBinding(b: RoleBinding | ClusterRoleBinding): void {
  if (b.roleRef && !b.roleRef.apiGroup) b.roleRef.apiGroup = RBAC_GROUP;
  for (const s of b.subjects ?? []) {
    // ServiceAccount subjects have no API group; Go's omitempty drops the empty string, so it is not stored.
    if (!s.apiGroup) {
      if (s.kind === 'ServiceAccount') delete s.apiGroup;
      else s.apiGroup = RBAC_GROUP;
    }
  }
}

function validateBinding(
  b: RoleBinding | ClusterRoleBinding,
  old: RoleBinding | ClusterRoleBinding | undefined,
  cluster: boolean,
): StatusCause[] {
  const out: StatusCause[] = [];
  const ref = b.roleRef;
  if (ref.apiGroup !== RBAC_GROUP) out.push(notSupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]));
  const kinds = cluster ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(ref.kind)) out.push(notSupported('roleRef.kind', ref.kind, kinds));
  if (!ref.name) out.push(requiredValue('roleRef.name'));
  (b.subjects ?? []).forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (!s.name) out.push(requiredValue(`${p}.name`));
    switch (s.kind) {
      case 'ServiceAccount':
        if (s.apiGroup) out.push(notSupported(`${p}.apiGroup`, s.apiGroup, ['']));
        if (cluster && !s.namespace) out.push(requiredValue(`${p}.namespace`));
        break;
      case 'User':
      case 'Group':
        if (s.apiGroup !== RBAC_GROUP) out.push(notSupported(`${p}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
        break;
      default:
        out.push(notSupported(`${p}.kind`, s.kind, ['ServiceAccount', 'User', 'Group']));
    }
  });
  if (old && !jsonEqual(old.roleRef, b.roleRef))
    out.push({ ...immutableField('roleRef', b.roleRef), message: `Invalid value: ${JSON.stringify(b.roleRef)}: cannot change roleRef` });
  return out;
}

function subjectsOf(kind: string) {
  return (o: KubeObject) => {
    const names = ((o as RoleBinding).subjects ?? [])
      .filter((s) => s.kind === kind)
      .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name));
    return names.join(', ');
  };
}

const bindingColumns = [
  column('Role', 'string', 'The role granted, Kind/name.', (o) => `${(o as RoleBinding).roleRef.kind}/${(o as RoleBinding).roleRef.name}`),
  AGE_COLUMN,
  column('Users', 'string', 'Users the role is granted to.', subjectsOf('User'), 1),
  column('Groups', 'string', 'Groups the role is granted to.', subjectsOf('Group'), 1),
  column('ServiceAccounts', 'string', 'Service accounts the role is granted to.', subjectsOf('ServiceAccount'), 1),
];

const createdAt = column('Created At', 'date', 'When the object was created.', (o) => o.metadata.creationTimestamp ?? '');

/** rbac.authorization.k8s.io/v1 roles. */
export const Roles: ResourceDefinition<Role> = defineKind<Role>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  namespaced: true,
  schema: RoleSchema,
  description: 'A Role: a set of permissions within one namespace.',
  openAPIName: 'io.k8s.api.rbac.v1.Role',
  nameRule: 'pathSegment',
  strategy: { validate: (r) => validateRules(r.rules, true) },
  printerColumns: [createdAt],
});

/** rbac.authorization.k8s.io/v1 clusterroles. */
export const ClusterRoles: ResourceDefinition<ClusterRole> = defineKind<ClusterRole>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  namespaced: false,
  schema: ClusterRoleSchema,
  description: 'A ClusterRole: a set of permissions across the cluster, or a reusable set for RoleBindings.',
  openAPIName: 'io.k8s.api.rbac.v1.ClusterRole',
  nameRule: 'pathSegment',
  strategy: { validate: (r) => validateRules(r.rules, false) },
  printerColumns: [createdAt],
});

/** rbac.authorization.k8s.io/v1 rolebindings. */
export const RoleBindings: ResourceDefinition<RoleBinding> = defineKind<RoleBinding>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
  schema: RoleBindingSchema,
  description: 'A RoleBinding: grants the permissions of a Role or ClusterRole within one namespace to subjects.',
  openAPIName: 'io.k8s.api.rbac.v1.RoleBinding',
  nameRule: 'pathSegment',
  strategy: { default: defaultBinding, validate: (b, old) => validateBinding(b, old, false) },
  printerColumns: bindingColumns,
});

/** rbac.authorization.k8s.io/v1 clusterrolebindings. */
export const ClusterRoleBindings: ResourceDefinition<ClusterRoleBinding> = defineKind<ClusterRoleBinding>({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  namespaced: false,
  schema: ClusterRoleBindingSchema,
  description: 'A ClusterRoleBinding: grants the permissions of a ClusterRole across the cluster to subjects.',
  openAPIName: 'io.k8s.api.rbac.v1.ClusterRoleBinding',
  nameRule: 'pathSegment',
  strategy: { default: defaultBinding, validate: (b, old) => validateBinding(b, old, true) },
  printerColumns: bindingColumns,
});
