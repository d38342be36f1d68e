/**
 * Zod schemas of scheduling constraints: node selectors, node/pod affinity, tolerations
 * and topology spread constraints.
 */
import { z } from 'zod';
import { LabelSelectorSchema } from './meta.schema.js';
import { atomicList, field, int32, int64, keyedList, obj, oneOf, reqInt32, reqStr, str, strList } from './fields.js';

const NodeSelectorRequirementSchema = obj(
  {
    key: reqStr('Label (or field) key.'),
    operator: reqStr('In, NotIn, Exists, DoesNotExist, Gt or Lt.'),
    values: strList('Values to compare with; one integer for Gt and Lt, none for Exists and DoesNotExist.'),
  },
  'A requirement on a node label or field.',
);

/** A term of a node selector: all its requirements are ANDed. */
export const NodeSelectorTermSchema = obj(
  {
    matchExpressions: atomicList(NodeSelectorRequirementSchema, 'Requirements on node labels.'),
    matchFields: atomicList(NodeSelectorRequirementSchema, 'Requirements on node fields (metadata.name).'),
  },
  'Requirements a node must meet, ANDed.',
);

/** A node selector: its terms are ORed. */
export const NodeSelectorSchema = obj(
  {
    nodeSelectorTerms: z
      .array(NodeSelectorTermSchema)
      .meta({ description: 'Terms of which at least one must match (ORed).', 'x-kubernetes-list-type': 'atomic' }),
  },
  'Selects nodes: a node matches when any term matches.',
);

const PreferredSchedulingTermSchema = obj(
  {
    weight: reqInt32("Weight (1-100) added to a node's score when it matches."),
    preference: NodeSelectorTermSchema.meta({ description: 'The term a node should match.' }),
  },
  'A weighted node preference.',
);

/** A term of pod (anti-)affinity. */
export const PodAffinityTermSchema = obj(
  {
    labelSelector: field(LabelSelectorSchema, 'Pods this term is about.'),
    namespaces: strList("Namespaces whose pods count; the pod's own when unset and no namespaceSelector."),
    topologyKey: reqStr('Node label defining the topology domain, e.g. kubernetes.io/hostname.'),
    namespaceSelector: field(LabelSelectorSchema, 'Namespaces (by label) whose pods count; empty selects all.'),
    matchLabelKeys: strList('Label keys whose values, taken from the incoming pod, are added to labelSelector.'),
    mismatchLabelKeys: strList("Label keys whose values must differ from the incoming pod's."),
  },
  'A set of pods and a topology domain they should (or should not) share with this pod.',
);

const WeightedPodAffinityTermSchema = obj(
  {
    weight: reqInt32("Weight (1-100) added to a node's score when the term matches."),
    podAffinityTerm: PodAffinityTermSchema.meta({ description: 'The term.' }),
  },
  'A weighted pod affinity term.',
);

const podAffinityFields = (what: string) => ({
  requiredDuringSchedulingIgnoredDuringExecution: atomicList(
    PodAffinityTermSchema,
    `Terms that must hold for the pod to be scheduled (${what}).`,
  ),
  preferredDuringSchedulingIgnoredDuringExecution: atomicList(
    WeightedPodAffinityTermSchema,
    `Terms that should hold; nodes are scored by them (${what}).`,
  ),
});

/** Scheduling affinity of a pod. */
export const AffinitySchema = obj(
  {
    nodeAffinity: field(
      obj(
        {
          requiredDuringSchedulingIgnoredDuringExecution: field(NodeSelectorSchema, 'Nodes the pod may be scheduled on.'),
          preferredDuringSchedulingIgnoredDuringExecution: atomicList(PreferredSchedulingTermSchema, 'Node preferences scored by weight.'),
        },
        'Constraints on the nodes a pod runs on.',
      ),
      'Which nodes the pod may or should run on.',
    ),
    podAffinity: field(
      obj(podAffinityFields('co-location'), 'Pods this pod should run near.'),
      'Pods this pod should share a topology domain with.',
    ),
    podAntiAffinity: field(
      obj(podAffinityFields('spreading'), 'Pods this pod should avoid.'),
      'Pods this pod should not share a topology domain with.',
    ),
  },
  'Scheduling constraints by node labels and by other pods.',
);

/** A toleration of a taint. */
export const TolerationSchema = obj(
  {
    key: str('Taint key the toleration applies to; empty with operator Exists matches all taints.'),
    operator: oneOf(['Exists', 'Equal'], 'How key and value are compared; Equal when unset.'),
    value: str('Taint value to match (with Equal).'),
    effect: oneOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], 'Taint effect to match; all effects when unset.'),
    tolerationSeconds: int64('For NoExecute: how long the pod stays bound after the taint appears; forever when unset.'),
  },
  'Lets a pod schedule onto (or stay on) nodes with a matching taint.',
);

/** How pods are spread across topology domains. */
export const TopologySpreadConstraintSchema = obj(
  {
    maxSkew: reqInt32('Most the number of matching pods may differ between domains.'),
    topologyKey: reqStr('Node label defining the domains.'),
    whenUnsatisfiable: reqStr('DoNotSchedule or ScheduleAnyway.'),
    labelSelector: field(LabelSelectorSchema, 'Pods counted in each domain.'),
    minDomains: int32('Minimum number of eligible domains.'),
    nodeAffinityPolicy: str("Honor or Ignore the pod's node affinity when counting."),
    nodeTaintsPolicy: str('Honor or Ignore node taints when counting.'),
    matchLabelKeys: strList('Label keys whose incoming pod values are added to the selector.'),
  },
  'Spreads matching pods across topology domains.',
);

/** Keys of `TopologySpreadConstraint` identifying it in a list. */
export const topologySpreadKeys = ['topologyKey', 'whenUnsatisfiable'] as const;

/** The list field of topology spread constraints. */
export const topologySpreadList = () =>
  keyedList(TopologySpreadConstraintSchema, 'topologyKey', 'How matching pods are spread across topology domains.', {
    mapKeys: topologySpreadKeys,
  });

/** Scheduling affinity. */
export type Affinity = z.infer<typeof AffinitySchema>;
/** A toleration. */
export type Toleration = z.infer<typeof TolerationSchema>;
/** A node selector term. */
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTermSchema>;
/** A node selector requirement. */
export type NodeSelectorRequirement = z.infer<typeof NodeSelectorRequirementSchema>;
/** A topology spread constraint. */
export type TopologySpreadConstraint = z.infer<typeof TopologySpreadConstraintSchema>;
