/**
 * Zod schemas of a container (`core/v1.Container`) and the structures it uses: ports,
 * environment, resources, volume mounts, probes, lifecycle hooks and security context.
 */
import { z } from 'zod';
import {
  atomicList,
  bool,
  field,
  int32,
  int64,
  intOrString,
  keyedList,
  obj,
  oneOf,
  quantity,
  reqInt32,
  reqStr,
  resourceList,
  str,
  strList,
} from './fields.js';

/** A port a container exposes. */
export const ContainerPortSchema = obj(
  {
    name: str('An IANA_SVC_NAME-style name for the port (at most 15 characters), unique in the pod; services can refer to it.'),
    hostPort: int32('Port to expose on the host (1-65535); most pods should not set it.'),
    containerPort: reqInt32('Port number the container listens on (1-65535).'),
    protocol: oneOf(['TCP', 'UDP', 'SCTP'], 'Protocol of the port; TCP when unset.').meta({
      description: 'Protocol of the port; TCP when unset.',
      default: 'TCP',
    }),
    hostIP: str('Host IP to bind an exposed host port to.'),
  },
  'A network port a container listens on.',
);

const keyRef = (what: string) =>
  obj(
    {
      name: str(`Name of the ${what} in the pod's namespace.`),
      key: reqStr(`The key to select in the ${what}.`),
      optional: bool(`Whether the ${what} or its key may be missing.`),
    },
    `Selects one key of a ${what}.`,
  );

/** Selects a field of the pod (downward API). */
export const ObjectFieldSelectorSchema = obj(
  {
    apiVersion: str('Version of the schema the field path is written against; v1 when unset.'),
    fieldPath: reqStr('Path of the field to select, e.g. metadata.name or status.podIP.'),
  },
  'Selects a field of the pod.',
);

/** Selects a container resource (downward API). */
export const ResourceFieldSelectorSchema = obj(
  {
    containerName: str('Container whose resource to select; required for volumes.'),
    resource: reqStr('Resource to select, e.g. limits.cpu or requests.memory.'),
    divisor: quantity('Unit to express the value in; 1 when unset.'),
  },
  'Selects a container resource (limit or request).',
);

/** Where an environment variable's value comes from. */
export const EnvVarSourceSchema = obj(
  {
    fieldRef: field(
      ObjectFieldSelectorSchema,
      'A field of the pod: metadata.name, metadata.namespace, metadata.labels[<key>], spec.nodeName, status.podIP, ...',
    ),
    resourceFieldRef: field(ResourceFieldSelectorSchema, 'A resource limit or request of a container.'),
    configMapKeyRef: field(keyRef('ConfigMap'), 'A key of a ConfigMap.'),
    secretKeyRef: field(keyRef('Secret'), 'A key of a Secret.'),
  },
  'The source of an environment variable value; exactly one member is set.',
);

/** An environment variable. */
export const EnvVarSchema = obj(
  {
    name: reqStr('Name of the variable.'),
    value: str('Literal value; $(VAR) references to earlier variables are expanded.'),
    valueFrom: field(EnvVarSourceSchema, 'Source of the value when value is not set.'),
  },
  'An environment variable of a container.',
);

/** A source of many environment variables. */
export const EnvFromSourceSchema = obj(
  {
    prefix: str('A prefix prepended to every key.'),
    configMapRef: field(
      obj(
        { name: str('Name of the ConfigMap.'), optional: bool('Whether the ConfigMap may be missing.') },
        'A ConfigMap to take variables from.',
      ),
      'Every key of a ConfigMap becomes a variable.',
    ),
    secretRef: field(
      obj({ name: str('Name of the Secret.'), optional: bool('Whether the Secret may be missing.') }, 'A Secret to take variables from.'),
      'Every key of a Secret becomes a variable.',
    ),
  },
  'A set of environment variables taken from a ConfigMap or Secret.',
);

/** Compute resources of a container. */
export const ResourceRequirementsSchema = obj(
  {
    limits: resourceList('The most of each resource the container may use, e.g. cpu: 500m, memory: 128Mi.'),
    requests: resourceList('The amount of each resource the scheduler reserves; defaults to the limits.'),
    claims: keyedList(
      obj(
        { name: reqStr('Name of a pod resource claim.'), request: str('A request within the claim.') },
        'A resource claim used by the container.',
      ),
      'name',
      'Dynamically allocated resources (pod resourceClaims) the container uses.',
      { noPatchStrategy: true },
    ),
  },
  'Compute resources required by a container.',
);

/** A volume mounted into a container. */
export const VolumeMountSchema = obj(
  {
    name: reqStr('Name of the pod volume to mount.'),
    readOnly: bool('Mount read-only; false when unset.'),
    recursiveReadOnly: str('How readOnly applies to submounts: Disabled, IfPossible or Enabled.'),
    mountPath: reqStr('Path in the container where the volume is mounted; must not contain a colon.'),
    subPath: str('Path within the volume to mount instead of its root.'),
    mountPropagation: oneOf(['None', 'HostToContainer', 'Bidirectional'], 'How mounts propagate between host and container.'),
    subPathExpr: str('Like subPath, with $(VAR) references to the container environment expanded.'),
  },
  'Mounts a pod volume at a path of the container.',
);

/** A raw block device mapped into a container. */
export const VolumeDeviceSchema = obj(
  {
    name: reqStr('Name of a persistentVolumeClaim volume of the pod.'),
    devicePath: reqStr('Path of the device inside the container.'),
  },
  'Maps a raw block volume into the container.',
);

const ExecActionSchema = obj(
  { command: strList('Command run in the container (not in a shell); exit status 0 is success.') },
  'Runs a command in the container.',
);
const HTTPHeaderSchema = obj({ name: reqStr('Header name.'), value: reqStr('Header value.') }, 'An HTTP header.');
const HTTPGetActionSchema = obj(
  {
    path: str('Path to request.'),
    port: intOrString('Port number or named container port to connect to.'),
    host: str('Host to connect to; the pod IP when unset.'),
    scheme: oneOf(['HTTP', 'HTTPS'], 'Scheme to use; HTTP when unset.'),
    httpHeaders: atomicList(HTTPHeaderSchema, 'Extra headers to send.'),
  },
  'Performs an HTTP GET; a 2xx or 3xx answer is success.',
);
const TCPSocketActionSchema = obj(
  { port: intOrString('Port number or named container port.'), host: str('Host to connect to; the pod IP when unset.') },
  'Opens a TCP connection; success if it connects.',
);
const GRPCActionSchema = obj(
  { port: reqInt32('Port of the gRPC health service.'), service: str('Service name sent in the gRPC health check request.') },
  'Calls the gRPC health checking protocol.',
);

/** A probe: how and how often the kubelet checks a container. */
export const ProbeSchema = obj(
  {
    exec: field(ExecActionSchema, 'Run a command.'),
    httpGet: field(HTTPGetActionSchema, 'Send an HTTP GET.'),
    tcpSocket: field(TCPSocketActionSchema, 'Open a TCP connection.'),
    grpc: field(GRPCActionSchema, 'Call a gRPC health service.'),
    initialDelaySeconds: int32('Seconds after the container started before the first probe.'),
    timeoutSeconds: int32('Seconds after which a probe times out; 1 when unset.'),
    periodSeconds: int32('Seconds between probes; 10 when unset.'),
    successThreshold: int32('Consecutive successes needed after a failure; 1 when unset (and must be 1 for liveness and startup).'),
    failureThreshold: int32('Consecutive failures before the probe is considered failed; 3 when unset.'),
    terminationGracePeriodSeconds: int64("Grace period used when a failed probe kills the container, overriding the pod's."),
  },
  'A health check of a container, run periodically by the kubelet.',
);

const LifecycleHandlerSchema = obj(
  {
    exec: field(ExecActionSchema, 'Run a command.'),
    httpGet: field(HTTPGetActionSchema, 'Send an HTTP GET.'),
    tcpSocket: field(TCPSocketActionSchema, 'Deprecated: open a TCP connection.'),
    sleep: field(
      obj({ seconds: z.int().meta({ description: 'Seconds to sleep.', format: 'int64' }) }, 'Sleeps for a while.'),
      'Sleep for a number of seconds.',
    ),
  },
  "An action run at a point of a container's lifecycle.",
);

/** Hooks run after a container starts and before it stops. */
export const LifecycleSchema = obj(
  {
    postStart: field(LifecycleHandlerSchema, 'Run right after the container is created; failure restarts it.'),
    preStop: field(LifecycleHandlerSchema, 'Run before the container is terminated; counts against the grace period.'),
    stopSignal: str('Signal sent to stop the container.'),
  },
  'Actions run at container start and stop.',
);

const SELinuxOptionsSchema = obj(
  {
    user: str('SELinux user label.'),
    role: str('SELinux role label.'),
    type: str('SELinux type label.'),
    level: str('SELinux level label.'),
  },
  'SELinux labels applied to a container.',
);
const SeccompProfileSchema = obj(
  {
    type: reqStr('Localhost, RuntimeDefault or Unconfined.'),
    localhostProfile: str("Profile file under the kubelet's seccomp directory, for Localhost."),
  },
  'A seccomp profile.',
);
const AppArmorProfileSchema = obj(
  {
    type: reqStr('Localhost, RuntimeDefault or Unconfined.'),
    localhostProfile: str('Name of a profile loaded on the node, for Localhost.'),
  },
  'An AppArmor profile.',
);
const WindowsOptionsSchema = obj(
  {
    gmsaCredentialSpecName: str('Name of the GMSA credential spec to use.'),
    gmsaCredentialSpec: str('Inlined GMSA credential spec.'),
    runAsUserName: str('User name to run the entrypoint as on Windows.'),
    hostProcess: bool('Run as a Windows host process container.'),
  },
  'Windows-specific options.',
);

/** Security settings of one container. */
export const SecurityContextSchema = obj(
  {
    capabilities: field(
      obj({ add: strList('Capabilities to add.'), drop: strList('Capabilities to drop.') }, 'Linux capabilities to add and drop.'),
      'Linux capabilities to add and drop.',
    ),
    privileged: bool('Run as privileged (root on the host).'),
    seLinuxOptions: field(SELinuxOptionsSchema, 'SELinux labels of the container.'),
    windowsOptions: field(WindowsOptionsSchema, 'Windows-specific settings.'),
    runAsUser: int64('UID to run the entrypoint as.'),
    runAsGroup: int64('GID to run the entrypoint as.'),
    runAsNonRoot: bool('Refuse to start the container if it would run as UID 0.'),
    readOnlyRootFilesystem: bool('Mount the root filesystem read-only.'),
    allowPrivilegeEscalation: bool('Whether a process may gain more privileges than its parent (no_new_privs).'),
    procMount: str('Default or Unmasked /proc mount.'),
    seccompProfile: field(SeccompProfileSchema, 'Seccomp profile of the container.'),
    appArmorProfile: field(AppArmorProfileSchema, 'AppArmor profile of the container.'),
  },
  "Security settings applied to a container; they override the pod's.",
);

const containerFields = {
  name: reqStr('Name of the container, a DNS label unique within the pod.'),
  image: str('Container image reference, e.g. nginx:1.27.'),
  command: strList("Entrypoint (not run in a shell); the image's ENTRYPOINT when unset. $(VAR) references are expanded."),
  args: strList("Arguments to the entrypoint; the image's CMD when unset."),
  workingDir: str("Working directory; the image's when unset."),
  ports: keyedList(
    ContainerPortSchema,
    'containerPort',
    'Ports the container exposes (informational; any port the process listens on is reachable).',
    { mapKeys: ['containerPort', 'protocol'] },
  ),
  envFrom: atomicList(EnvFromSourceSchema, 'Sources of many environment variables; explicit env entries take precedence.'),
  env: keyedList(EnvVarSchema, 'name', 'Environment variables of the container.'),
  resources: field(ResourceRequirementsSchema, 'Compute resources (CPU, memory) requested and limited.'),
  resizePolicy: atomicList(
    obj(
      { resourceName: reqStr('Resource the policy applies to: cpu or memory.'), restartPolicy: reqStr('NotRequired or RestartContainer.') },
      'How a resource is resized.',
    ),
    'How each resource may be resized in place.',
  ),
  restartPolicy: str('Always makes an init container a sidecar that keeps running; only Always is allowed.'),
  volumeMounts: keyedList(VolumeMountSchema, 'mountPath', 'Pod volumes mounted into the container.'),
  volumeDevices: keyedList(VolumeDeviceSchema, 'devicePath', 'Block devices mapped into the container.'),
  livenessProbe: field(ProbeSchema, 'Restarts the container when it fails.'),
  readinessProbe: field(ProbeSchema, 'Removes the pod from service endpoints while it fails.'),
  startupProbe: field(ProbeSchema, 'Holds back the other probes until it succeeds once.'),
  lifecycle: field(LifecycleSchema, 'Hooks run after start and before stop.'),
  terminationMessagePath: str('File whose contents become the termination message; /dev/termination-log when unset.'),
  terminationMessagePolicy: oneOf(['File', 'FallbackToLogsOnError'], 'Where the termination message comes from; File when unset.'),
  imagePullPolicy: oneOf(
    ['Always', 'Never', 'IfNotPresent'],
    'When to pull the image; Always for :latest or no tag, IfNotPresent otherwise.',
  ),
  securityContext: field(SecurityContextSchema, 'Security settings of the container.'),
  stdin: bool('Allocate a buffer for stdin; reads get EOF otherwise.'),
  stdinOnce: bool('Close stdin after the first attach session ends.'),
  tty: bool('Allocate a TTY (needs stdin).'),
};

/** A container of a pod. */
export const ContainerSchema = obj(containerFields, 'A single application container run in a pod.');

/** An ephemeral (debug) container of a pod. */
export const EphemeralContainerSchema = obj(
  { ...containerFields, targetContainerName: str('Container whose namespaces the ephemeral container joins.') },
  'A temporary container added to a running pod for debugging.',
);

/** A container. */
export type Container = z.infer<typeof ContainerSchema>;
/** A container port. */
export type ContainerPort = z.infer<typeof ContainerPortSchema>;
/** An environment variable. */
export type EnvVar = z.infer<typeof EnvVarSchema>;
/** Compute resources of a container. */
export type ResourceRequirements = z.infer<typeof ResourceRequirementsSchema>;
/** A volume mount. */
export type VolumeMount = z.infer<typeof VolumeMountSchema>;
/** A probe. */
export type Probe = z.infer<typeof ProbeSchema>;
/** A container security context. */
export type SecurityContext = z.infer<typeof SecurityContextSchema>;
/** An ephemeral container. */
export type EphemeralContainer = z.infer<typeof EphemeralContainerSchema>;
