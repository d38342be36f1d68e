/**
 * Zod schemas of a pod's spec and status, and of the pod template workloads embed.
 */
import { z } from 'zod';
import { AffinitySchema, TolerationSchema, topologySpreadList } from './affinity.schema.js';
import { ContainerSchema, EphemeralContainerSchema, SecurityContextSchema } from './container.schema.js';
import { VolumeSchema } from './volume.schema.js';
import { ObjectMetaSchema } from './meta.schema.js';
import {
  atomicList,
  bool,
  conditionList,
  field,
  int32,
  int64,
  keyedList,
  loose,
  obj,
  oneOf,
  reqStr,
  resourceList,
  str,
  strList,
  strMap,
  time,
} from './fields.js';

/** Security settings of a whole pod. */
export const PodSecurityContextSchema = obj(
  {
    seLinuxOptions: SecurityContextSchema.shape.seLinuxOptions,
    windowsOptions: SecurityContextSchema.shape.windowsOptions,
    runAsUser: int64('UID to run container entrypoints as, unless a container overrides it.'),
    runAsGroup: int64('GID to run container entrypoints as.'),
    runAsNonRoot: bool('Refuse to start containers that would run as UID 0.'),
    supplementalGroups: atomicList(z.int(), "Extra GIDs added to each container's first process."),
    supplementalGroupsPolicy: str("Merge or Strict: how supplementalGroups combine with the image's groups."),
    fsGroup: int64('GID that owns volumes and is added to every container.'),
    fsGroupChangePolicy: oneOf(['OnRootMismatch', 'Always'], 'When volume ownership is changed to fsGroup.'),
    sysctls: atomicList(
      obj({ name: reqStr('Sysctl name.'), value: reqStr('Sysctl value.') }, 'A kernel parameter.'),
      'Namespaced kernel parameters set for the pod.',
    ),
    seccompProfile: SecurityContextSchema.shape.seccompProfile,
    appArmorProfile: SecurityContextSchema.shape.appArmorProfile,
    seLinuxChangePolicy: str('How SELinux labels are applied to volumes: MountOption or Recursive.'),
  },
  'Security settings applied to every container of a pod.',
);

const PodDNSConfigSchema = obj(
  {
    nameservers: strList('DNS server IPs added to the base list.'),
    searches: strList('Search domains added to the base list.'),
    options: atomicList(
      obj({ name: str('Option name.'), value: str('Option value.') }, 'A resolver option.'),
      'Resolver options merged with the base options.',
    ),
  },
  'DNS settings of a pod beyond its DNS policy.',
);

/** The desired state of a pod. */
export const PodSpecSchema = obj(
  {
    volumes: keyedList(VolumeSchema, 'name', 'Volumes the containers of the pod can mount.', { strategy: 'merge,retainKeys' }),
    initContainers: keyedList(
      ContainerSchema,
      'name',
      'Containers run to completion, in order, before the app containers start; restartPolicy Always makes one a sidecar.',
    ),
    containers: keyedList(ContainerSchema, 'name', 'The app containers of the pod; at least one.')
      .unwrap()
      .meta({
        description: 'The app containers of the pod; at least one.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        'x-kubernetes-patch-merge-key': 'name',
        'x-kubernetes-patch-strategy': 'merge',
      }),
    ephemeralContainers: keyedList(
      EphemeralContainerSchema,
      'name',
      'Debug containers added to the running pod (only through the ephemeralcontainers subresource).',
    ),
    restartPolicy: oneOf(['Always', 'OnFailure', 'Never'], 'Restart policy of the containers; Always when unset.'),
    terminationGracePeriodSeconds: int64('Seconds the pod gets to stop gracefully after SIGTERM before it is killed; 30 when unset.'),
    activeDeadlineSeconds: int64('Seconds the pod may be active before the kubelet fails it.'),
    dnsPolicy: oneOf(
      ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
      "How the pod's DNS is configured; ClusterFirst when unset.",
    ),
    nodeSelector: strMap('Labels a node must carry for the pod to be scheduled on it.'),
    serviceAccountName: str('Service account the pod runs as; default when unset.'),
    serviceAccount: str('Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: bool('Whether a service account token is mounted automatically.'),
    nodeName: str('Node the pod is bound to; set by the scheduler (or directly to bypass it).'),
    hostNetwork: bool("Use the node's network namespace."),
    hostPID: bool("Use the node's PID namespace."),
    hostIPC: bool("Use the node's IPC namespace."),
    shareProcessNamespace: bool('Share one PID namespace between the containers of the pod.'),
    securityContext: field(PodSecurityContextSchema, 'Security settings of the pod.'),
    imagePullSecrets: keyedList(
      obj({ name: str('Name of the Secret.') }, 'A reference to a Secret.'),
      'name',
      'Secrets with registry credentials for pulling the images.',
    ),
    hostname: str('Hostname of the pod; the pod name when unset.'),
    subdomain: str('Subdomain giving the pod the FQDN <hostname>.<subdomain>.<namespace>.svc.<cluster-domain>.'),
    affinity: field(AffinitySchema, 'Node and pod affinity constraints.'),
    schedulerName: str('Scheduler that places the pod; default-scheduler when unset.'),
    tolerations: atomicList(TolerationSchema, 'Taints the pod tolerates.'),
    hostAliases: keyedList(
      obj({ ip: reqStr('IP address.'), hostnames: strList('Hostnames for the IP.') }, 'An /etc/hosts entry.'),
      'ip',
      "Entries added to the pod's /etc/hosts.",
    ),
    priorityClassName: str('PriorityClass of the pod, which sets its priority.'),
    priority: int32('Priority of the pod, resolved from priorityClassName by admission.'),
    dnsConfig: field(PodDNSConfigSchema, 'DNS settings beyond the DNS policy.'),
    readinessGates: atomicList(
      obj({ conditionType: reqStr('A pod condition type that must be True.') }, 'An extra readiness condition.'),
      'Extra conditions that must be True for the pod to be ready.',
    ),
    runtimeClassName: str('RuntimeClass to run the pod with.'),
    enableServiceLinks: bool('Inject service environment variables (Docker links style); true when unset.'),
    preemptionPolicy: oneOf(['Never', 'PreemptLowerPriority'], 'Whether the pod may preempt lower-priority pods.'),
    overhead: resourceList("Resources of the pod sandbox, added to the containers' requests."),
    topologySpreadConstraints: topologySpreadList(),
    setHostnameAsFQDN: bool("Set the pod's hostname to its FQDN."),
    os: field(
      obj({ name: reqStr('linux or windows.') }, 'The operating system of the pod.'),
      "Operating system the pod's containers need.",
    ),
    hostUsers: bool("Use the host's user namespace; true when unset."),
    schedulingGates: keyedList(
      obj({ name: reqStr('Name of the gate.') }, 'A scheduling gate.'),
      'name',
      'Gates that keep the pod from being scheduled while any remains.',
    ),
    resourceClaims: keyedList(
      loose('A resource claim of the pod (accepted loosely beyond its name).').unwrap(),
      'name',
      'Dynamically allocated resources the pod uses.',
      { strategy: 'merge,retainKeys' },
    ),
    resources: field(
      obj({ limits: resourceList('Pod-level limits.'), requests: resourceList('Pod-level requests.') }, 'Pod-level resources.'),
      'Resources shared by all containers of the pod.',
    ),
  },
  'The desired state of a pod: its containers, volumes and scheduling constraints.',
);

/** A pod template: the metadata and spec of pods a workload creates. */
export const PodTemplateSpecSchema = obj(
  {
    metadata: field(ObjectMetaSchema, 'Metadata (labels, annotations) of the pods created from the template.'),
    spec: field(PodSpecSchema, 'Spec of the pods created from the template.'),
  },
  'A template of pods: the metadata and spec each created pod starts with.',
);

const ContainerStateSchema = obj(
  {
    waiting: field(
      obj(
        { reason: str('Why it is not running yet, e.g. ContainerCreating, CrashLoopBackOff.'), message: str('Details.') },
        'A waiting container.',
      ),
      'The container is waiting to start.',
    ),
    running: field(obj({ startedAt: time('When it (last) started.') }, 'A running container.'), 'The container is running.'),
    terminated: field(
      obj(
        {
          exitCode: z.int32().meta({ description: 'Exit status of the last termination.', format: 'int32' }),
          signal: int32('Signal of the last termination.'),
          reason: str('Why it terminated, e.g. Completed, Error, OOMKilled.'),
          message: str('Details.'),
          startedAt: time('When it started.'),
          finishedAt: time('When it terminated.'),
          containerID: str('Runtime ID of the container.'),
        },
        'A terminated container.',
      ),
      'The container has terminated.',
    ),
  },
  'The state of a container; exactly one member is set.',
);

/** The status of one container of a pod. */
export const ContainerStatusSchema = obj(
  {
    name: reqStr('Name of the container.'),
    state: field(ContainerStateSchema, 'Current state.'),
    lastState: field(ContainerStateSchema, 'Last termination state.'),
    ready: z.boolean().meta({ description: 'Whether the container passes its readiness probe.' }),
    restartCount: z.int32().meta({ description: 'Times the container has been restarted.', format: 'int32' }),
    image: reqStr('Image the container runs.'),
    imageID: reqStr('Image ID the container runs.'),
    containerID: str('Runtime ID, <type>://<id>.'),
    started: bool('Whether the container passed its startup probe (or has none) and is running.'),
    allocatedResources: resourceList('Resources allocated to the container.'),
    resources: loose('Resources applied to the running container (accepted loosely).'),
    volumeMounts: atomicList(loose('A mounted volume (accepted loosely).').unwrap(), 'Volumes mounted in the running container.'),
    user: loose('Identity of the container process (accepted loosely).'),
    allocatedResourcesStatus: atomicList(
      loose('Health of an allocated resource (accepted loosely).').unwrap(),
      'Health of allocated resources.',
    ),
    stopSignal: str('Signal that stops the container.'),
  },
  'The observed state of one container.',
);

/** A pod condition. */
export const PodConditionSchema = obj(
  {
    type: reqStr('PodScheduled, Initialized, ContainersReady, Ready, PodReadyToStartContainers, DisruptionTarget, ...'),
    observedGeneration: int64('Pod generation the condition reflects.'),
    status: reqStr('True, False or Unknown.'),
    lastProbeTime: time('When the condition was last probed.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason of the last transition.'),
    message: str('Human-readable details.'),
  },
  "One aspect of a pod's state.",
);

const ipList = (description: string) => keyedList(obj({ ip: reqStr('An IP address.') }, 'An IP address.'), 'ip', description);

/** The observed state of a pod. */
export const PodStatusSchema = obj(
  {
    observedGeneration: int64('Pod generation the status reflects.'),
    phase: oneOf(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'], 'Where the pod is in its lifecycle.'),
    conditions: conditionList(PodConditionSchema, 'Current conditions of the pod.'),
    message: str('Why the pod is in this state.'),
    reason: str('A CamelCase reason for the state, e.g. Evicted.'),
    nominatedNodeName: str('Node the pod is expected to run on once preemption completes.'),
    hostIP: str('IP of the node the pod runs on.'),
    hostIPs: atomicList(obj({ ip: reqStr('An IP address.') }, 'An IP address.'), 'IPs of the node the pod runs on.', {
      'x-kubernetes-patch-merge-key': 'ip',
      'x-kubernetes-patch-strategy': 'merge',
    }),
    podIP: str('Primary IP of the pod.'),
    podIPs: ipList('IPs of the pod (one per family); the first is podIP.'),
    startTime: time('When the kubelet acknowledged the pod.'),
    initContainerStatuses: atomicList(ContainerStatusSchema, 'Status of each init container.'),
    containerStatuses: atomicList(ContainerStatusSchema, 'Status of each app container.'),
    qosClass: oneOf(['Guaranteed', 'Burstable', 'BestEffort'], "Quality of service class from the containers' resources."),
    ephemeralContainerStatuses: atomicList(ContainerStatusSchema, 'Status of each ephemeral container.'),
    resize: str('Status of a requested in-place resize.'),
    resourceClaimStatuses: atomicList(
      loose('Status of a resource claim (accepted loosely).').unwrap(),
      "Status of the pod's resource claims.",
    ),
  },
  'The observed state of a pod, reported by the kubelet.',
);

/** The spec of a pod. */
export type PodSpec = z.infer<typeof PodSpecSchema>;
/** The status of a pod. */
export type PodStatus = z.infer<typeof PodStatusSchema>;
/** A pod template. */
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;
/** The status of a container. */
export type ContainerStatus = z.infer<typeof ContainerStatusSchema>;
/** A pod condition. */
export type PodCondition = z.infer<typeof PodConditionSchema>;
