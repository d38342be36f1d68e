/**
 * Protobuf field tables of the cluster plumbing groups: networking, discovery, coordination,
 * events, scheduling and storage (all v1).
 *
 * Written from the field numbers Kubernetes publishes for these messages (wire facts), in the
 * notation of `message-table.ts`; JSON names, pointer-ness and omitempty follow the Go API types.
 */
import type { MessagePackage } from '../message-table.js';

/** The messages of networking.k8s.io/v1. */
export const NETWORKING_V1: MessagePackage = {
  protoPackage: 'k8s.io.api.networking.v1',
  alias: 'networking',
  apiVersion: 'networking.k8s.io/v1',
  kinds: ['Ingress', 'IngressClass', 'NetworkPolicy'],
  messages: {
    HTTPIngressPath: 'path=1:string pathType=3:string? backend=2:IngressBackend!',
    HTTPIngressRuleValue: 'paths=1:HTTPIngressPath[]!',
    IPBlock: 'cidr=1:string! except=2:string[]',
    Ingress: 'metadata=1:meta.ObjectMeta spec=2:IngressSpec status=3:IngressStatus',
    IngressBackend: 'service=4:IngressServiceBackend? resource=3:core.TypedLocalObjectReference?',
    IngressClass: 'metadata=1:meta.ObjectMeta spec=2:IngressClassSpec',
    IngressClassParametersReference: `
      apiGroup@aPIGroup=1:string? kind=2:string! name=3:string! scope=4:string? namespace=5:string?`,
    IngressClassSpec: 'controller=1:string parameters=2:IngressClassParametersReference?',
    IngressLoadBalancerIngress: 'ip=1:string hostname=2:string ports=4:IngressPortStatus[]',
    IngressLoadBalancerStatus: 'ingress=1:IngressLoadBalancerIngress[]',
    IngressPortStatus: 'port=1:int32! protocol=2:string! error=3:string?',
    IngressRule: 'host=1:string ^ingressRuleValue=2:IngressRuleValue',
    IngressRuleValue: 'http=1:HTTPIngressRuleValue?',
    IngressServiceBackend: 'name=1:string! port=2:ServiceBackendPort',
    IngressSpec: `
      ingressClassName=4:string? defaultBackend=1:IngressBackend? tls=2:IngressTLS[] rules=3:IngressRule[]`,
    IngressStatus: 'loadBalancer=1:IngressLoadBalancerStatus',
    IngressTLS: 'hosts=1:string[] secretName=2:string',
    NetworkPolicy: 'metadata=1:meta.ObjectMeta spec=2:NetworkPolicySpec',
    NetworkPolicyEgressRule: 'ports=1:NetworkPolicyPort[] to=2:NetworkPolicyPeer[]',
    NetworkPolicyIngressRule: 'ports=1:NetworkPolicyPort[] from=2:NetworkPolicyPeer[]',
    NetworkPolicyPeer: `
      podSelector=1:meta.LabelSelector? namespaceSelector=2:meta.LabelSelector? ipBlock=3:IPBlock?`,
    NetworkPolicyPort: 'protocol=1:string? port=2:IntOrString? endPort=3:int32?',
    NetworkPolicySpec: `
      podSelector=1:meta.LabelSelector! ingress=2:NetworkPolicyIngressRule[]
      egress=3:NetworkPolicyEgressRule[] policyTypes=4:string[]`,
    ServiceBackendPort: 'name=1:string number=2:int32',
  },
};

/** The messages of discovery.k8s.io/v1. */
export const DISCOVERY_V1: MessagePackage = {
  protoPackage: 'k8s.io.api.discovery.v1',
  alias: 'discovery',
  apiVersion: 'discovery.k8s.io/v1',
  kinds: ['EndpointSlice'],
  messages: {
    Endpoint: `
      addresses=1:string[]! conditions=2:EndpointConditions hostname=3:string?
      targetRef=4:core.ObjectReference? deprecatedTopology=5:{string,string} nodeName=6:string?
      zone=7:string? hints=8:EndpointHints?`,
    EndpointConditions: 'ready=1:bool? serving=2:bool? terminating=3:bool?',
    EndpointHints: 'forZones=1:ForZone[]',
    EndpointPort: 'name=1:string? protocol=2:string? port=3:int32? appProtocol=4:string?',
    EndpointSlice: `
      metadata=1:meta.ObjectMeta addressType=4:string! endpoints=2:Endpoint[]! ports=3:EndpointPort[]!`,
    ForZone: 'name=1:string!',
  },
};

/** The messages of coordination.k8s.io/v1. */
export const COORDINATION_V1: MessagePackage = {
  protoPackage: 'k8s.io.api.coordination.v1',
  alias: 'coordination',
  apiVersion: 'coordination.k8s.io/v1',
  kinds: ['Lease'],
  messages: {
    Lease: 'metadata=1:meta.ObjectMeta spec=2:LeaseSpec',
    LeaseSpec: `
      holderIdentity=1:string? leaseDurationSeconds=2:int32? acquireTime=3:MicroTime?
      renewTime=4:MicroTime? leaseTransitions=5:int32? strategy=6:string? preferredHolder=7:string?`,
  },
};

/** The messages of events.k8s.io/v1. */
export const EVENTS_V1: MessagePackage = {
  protoPackage: 'k8s.io.api.events.v1',
  alias: 'events',
  apiVersion: 'events.k8s.io/v1',
  kinds: ['Event'],
  messages: {
    Event: `
      metadata=1:meta.ObjectMeta! eventTime=2:MicroTime! series=3:EventSeries?
      reportingController=4:string reportingInstance=5:string action=6:string reason=7:string
      regarding=8:core.ObjectReference related=9:core.ObjectReference? note=10:string type=11:string
      deprecatedSource=12:core.EventSource deprecatedFirstTimestamp=13:Time
      deprecatedLastTimestamp=14:Time deprecatedCount=15:int32`,
    EventSeries: 'count=1:int32! lastObservedTime=2:MicroTime!',
  },
};

/** The messages of scheduling.k8s.io/v1. */
export const SCHEDULING_V1: MessagePackage = {
  protoPackage: 'k8s.io.api.scheduling.v1',
  alias: 'scheduling',
  apiVersion: 'scheduling.k8s.io/v1',
  kinds: ['PriorityClass'],
  messages: {
    PriorityClass: `
      metadata=1:meta.ObjectMeta value=2:int32! globalDefault=3:bool description=4:string
      preemptionPolicy=5:string?`,
  },
};

/** The messages of storage.k8s.io/v1. */
export const STORAGE_V1: MessagePackage = {
  protoPackage: 'k8s.io.api.storage.v1',
  alias: 'storage',
  apiVersion: 'storage.k8s.io/v1',
  kinds: ['StorageClass'],
  messages: {
    StorageClass: `
      metadata=1:meta.ObjectMeta provisioner=2:string! parameters=3:{string,string}
      reclaimPolicy=4:string? mountOptions=5:string[] allowVolumeExpansion=6:bool?
      volumeBindingMode=7:string? allowedTopologies=8:core.TopologySelectorTerm[]`,
  },
};
