/**
 * Zod schemas of the apimachinery types every object shares: ObjectMeta, OwnerReference,
 * ManagedFieldsEntry, LabelSelector and the common Condition.
 */
import { z } from 'zod';
import { atomicList, bool, int64, keyedList, obj, oneOf, reqStr, str, strList, strMap, strSet, time } from './fields.js';

/** A reference from an object to its owner (garbage collection, adoption). */
export const OwnerReferenceSchema = obj(
  {
    apiVersion: reqStr('API version of the owner.'),
    kind: reqStr('Kind of the owner.'),
    name: reqStr('Name of the owner.'),
    uid: reqStr('UID of the owner; the reference is to this incarnation only.'),
    controller: bool('True when the owner is the managing controller of this object (at most one owner may be).'),
    blockOwnerDeletion: bool('When true, foreground deletion of the owner waits until this object is removed.'),
  },
  'Names an object that owns this one, for garbage collection and controller adoption.',
);

/** One entry of `metadata.managedFields`. */
export const ManagedFieldsEntrySchema = obj(
  {
    manager: str('Name of the workflow (field manager) that owns these fields.'),
    operation: oneOf(['Apply', 'Update'], 'The kind of write that set these fields.'),
    apiVersion: str('The version of the object the field set refers to.'),
    time: time('When the fields were last changed by this manager.'),
    fieldsType: oneOf(['FieldsV1'], 'Format of fieldsV1; only FieldsV1 exists.'),
    fieldsV1: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'The set of fields owned, as a trie of field keys.', 'x-kubernetes-preserve-unknown-fields': true }),
    subresource: str('The subresource the write was made through, empty for the main resource.'),
  },
  'Records which field manager owns which fields of an object.',
);

/** Standard object metadata. */
export const ObjectMetaSchema = obj(
  {
    name: str(
      'Name of the object, unique within its namespace (or cluster) for its kind. Set by the client or generated from generateName.',
    ),
    generateName: str('Prefix from which the server generates a unique name when name is empty.'),
    namespace: str('Namespace the object lives in; empty for cluster-scoped kinds.'),
    selfLink: str('Deprecated and unset: a link to this object.'),
    uid: str('Unique identifier of this incarnation of the object, set by the server.'),
    resourceVersion: str('Opaque version of the object, used for optimistic concurrency and watches.'),
    generation: int64('Sequence number of the desired state, bumped by the server when the spec changes.'),
    creationTimestamp: time('When the object was created, set by the server.'),
    deletionTimestamp: time('When the object will be (or started being) deleted; set by the server on a graceful delete.'),
    deletionGracePeriodSeconds: int64('Seconds the object is allowed to terminate gracefully before it is removed.'),
    labels: strMap('Key/value pairs used to select and organise objects.'),
    annotations: strMap('Key/value pairs of arbitrary non-identifying data for tools and extensions.'),
    ownerReferences: keyedList(
      OwnerReferenceSchema,
      'uid',
      'Objects this one depends on; when all owners are gone it is garbage collected.',
    ),
    finalizers: strSet('Keys that must each be removed before the object is deleted from storage.', {
      'x-kubernetes-patch-strategy': 'merge',
    }),
    managedFields: atomicList(ManagedFieldsEntrySchema, 'Which field managers own which fields; maintained by the server.'),
  },
  'Metadata every persisted object has: name, namespace, labels, ownership and server-set bookkeeping.',
);

/** One set-based requirement of a label selector. */
export const LabelSelectorRequirementSchema = obj(
  {
    key: reqStr('The label key the requirement applies to.'),
    operator: reqStr('How the key relates to the values: In, NotIn, Exists or DoesNotExist.'),
    values: strList('Values for In and NotIn; must be empty for Exists and DoesNotExist.'),
  },
  'A label requirement: a key, an operator and values.',
);

/** A label selector: matchLabels and matchExpressions, ANDed. */
export const LabelSelectorSchema = obj(
  {
    matchLabels: strMap('Labels an object must carry with exactly these values.'),
    matchExpressions: atomicList(LabelSelectorRequirementSchema, 'Set-based requirements an object must satisfy.'),
  },
  'Selects objects by labels; all requirements are ANDed, and an empty selector matches everything.',
).meta({
  description: 'Selects objects by labels; all requirements are ANDed, and an empty selector matches everything.',
  // A selector is replaced whole by apply and strategic merge, never merged key by key.
  'x-kubernetes-map-type': 'atomic',
});

/** The common condition (`metav1.Condition`). */
export const ConditionSchema = obj(
  {
    type: reqStr('Type of the condition in CamelCase, e.g. Available.'),
    status: reqStr('True, False or Unknown.'),
    observedGeneration: int64('The metadata.generation the condition was computed from.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('A CamelCase machine-readable reason for the last transition.'),
    message: str('A human-readable explanation of the last transition.'),
  },
  "One aspect of an object's current state.",
);

/** The `apiVersion` field of an object. */
export const apiVersionField = () => str('Versioned schema of this representation, e.g. apps/v1.');
/** The `kind` field of an object. */
export const kindField = () => str('The type of object this representation is, e.g. Deployment.');
/** The `metadata` field of an object. */
export const metadataField = () => ObjectMetaSchema.meta({ description: 'Standard object metadata.' });

/** The inferred type of ObjectMeta as validated (matches `ObjectMeta` in api/meta.ts). */
export type ObjectMetaShape = z.infer<typeof ObjectMetaSchema>;
/** A label selector. */
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;
/** One requirement of a label selector. */
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirementSchema>;
/** A `metav1.Condition`. */
export type Condition = z.infer<typeof ConditionSchema>;
