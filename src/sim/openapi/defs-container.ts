// Schemas of a pod's containers: image, command, env (merged by name), ports (by containerPort), resources,
// volume mounts (by mountPath), probes and the security context.
// May import: ./model.js, ./defs-pod.js.
import {
  bool,
  int,
  intOrString,
  list,
  obj,
  open,
  quantity,
  ref,
  str,
  strings,
  type Definitions,
  type Schema,
} from './model.js';
import { CORE } from './defs-pod.js';

const resources = (what: string): Schema => ({
  type: 'object',
  description: what,
  additionalProperties: quantity('A quantity such as 100m or 64Mi.'),
});

const CONTAINER = obj(
  'A single application container that you want to run within a pod.',
  {
    name: str('Name of the container, unique within the pod (a DNS_LABEL). Cannot be updated.'),
    image: str('Container image name.'),
    imagePullPolicy: str('Image pull policy: Always, Never or IfNotPresent.'),
    command: strings(
      "Entrypoint array, not executed within a shell. The image's ENTRYPOINT is used if not provided.",
    ),
    args: strings("Arguments to the entrypoint. The image's CMD is used if not provided."),
    workingDir: str("Container's working directory."),
    env: list('Environment variables to set in the container.', ref(`${CORE}.EnvVar`, ''), 'name'),
    envFrom: list(
      'Sources to populate environment variables in the container.',
      open('A ConfigMap or Secret source.'),
    ),
    ports: list('Ports to expose from the container.', ref(`${CORE}.ContainerPort`, ''), 'containerPort'),
    resources: ref(`${CORE}.ResourceRequirements`, 'Compute resources required by this container.'),
    volumeMounts: list(
      'Pod volumes to mount into the filesystem of the container.',
      ref(`${CORE}.VolumeMount`, ''),
      'mountPath',
    ),
    livenessProbe: ref(
      `${CORE}.Probe`,
      'Periodic probe of container liveness; the container is restarted if it fails.',
    ),
    readinessProbe: ref(`${CORE}.Probe`, 'Periodic probe of container service readiness.'),
    startupProbe: ref(`${CORE}.Probe`, 'StartupProbe indicates that the pod has successfully initialized.'),
    lifecycle: open('Actions the management system should take in response to container lifecycle events.'),
    securityContext: ref(`${CORE}.SecurityContext`, 'Security options the container should be run with.'),
    terminationMessagePath: str(
      "Where the container's termination message is written. Defaults to /dev/termination-log.",
    ),
    terminationMessagePolicy: str('How the termination message is populated: File or FallbackToLogsOnError.'),
    stdin: bool('Whether this container should allocate a buffer for stdin.'),
    tty: bool('Whether this container should allocate a TTY for itself.'),
    restartPolicy: str('Restart policy of an init container; Always makes it a sidecar.'),
  },
  ['name'],
);

export const CONTAINER_DEFINITIONS: Definitions = {
  [`${CORE}.Container`]: CONTAINER,
  [`${CORE}.EnvVar`]: obj(
    'An environment variable present in a container.',
    {
      name: str('Name of the environment variable.'),
      value: str('The value; $(VAR_NAME) references are expanded.'),
      valueFrom: open(
        "Source for the environment variable's value (fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef).",
      ),
    },
    ['name'],
  ),
  [`${CORE}.ContainerPort`]: obj(
    'A network port in a single container.',
    {
      name: str('An IANA_SVC_NAME, unique within the pod, that services can refer to.'),
      containerPort: int("Port number to expose on the pod's IP address."),
      hostPort: int('Port number to expose on the host.'),
      hostIP: str('What host IP to bind the external port to.'),
      protocol: str('Protocol for port: UDP, TCP or SCTP. Defaults to TCP.'),
    },
    ['containerPort'],
  ),
  [`${CORE}.ResourceRequirements`]: obj('Compute resource requirements.', {
    limits: resources('The maximum amount of compute resources allowed.'),
    requests: resources('The minimum amount of compute resources required.'),
  }),
  [`${CORE}.VolumeMount`]: obj(
    'A mounting of a volume within a container.',
    {
      name: str('Must match the name of a volume.'),
      mountPath: str('Path within the container at which the volume should be mounted.'),
      readOnly: bool('Mounted read-only if true. Defaults to false.'),
      subPath: str("Path within the volume from which the container's volume should be mounted."),
      mountPropagation: str('How mounts are propagated from the host to container and the other way around.'),
    },
    ['name', 'mountPath'],
  ),
  [`${CORE}.Probe`]: obj('A health check performed against a container.', {
    exec: open('The action to take: a command run in the container.'),
    httpGet: obj(
      'An HTTP GET request.',
      {
        path: str('Path to access on the HTTP server.'),
        port: intOrString('Name or number of the port to access on the container.'),
        host: str('Host name to connect to; defaults to the pod IP.'),
        scheme: str('Scheme to use for connecting to the host. Defaults to HTTP.'),
        httpHeaders: list('Custom headers to set in the request.', open('A header name and value.')),
      },
      ['port'],
    ),
    tcpSocket: open('A TCP port to connect to.'),
    grpc: open('A gRPC port to probe.'),
    initialDelaySeconds: int('Seconds after the container has started before probes are initiated.'),
    periodSeconds: int('How often (in seconds) to perform the probe. Default 10.'),
    timeoutSeconds: int('Seconds after which the probe times out. Default 1.'),
    successThreshold: int('Minimum consecutive successes for the probe to be considered successful.'),
    failureThreshold: int('Minimum consecutive failures for the probe to be considered failed. Default 3.'),
    terminationGracePeriodSeconds: int('Grace period when the probe fails.', 'int64'),
  }),
  [`${CORE}.SecurityContext`]: obj('Security configuration applied to a container.', {
    privileged: bool('Run the container in privileged mode. Default false.'),
    runAsUser: int('The UID to run the entrypoint of the container process.', 'int64'),
    runAsGroup: int('The GID to run the entrypoint of the container process.', 'int64'),
    runAsNonRoot: bool('The container must run as a non-root user.'),
    readOnlyRootFilesystem: bool('Whether this container has a read-only root filesystem. Default false.'),
    allowPrivilegeEscalation: bool('Whether a process can gain more privileges than its parent process.'),
    capabilities: obj('The capabilities to add or drop.', {
      add: strings('Added capabilities.'),
      drop: strings('Removed capabilities.'),
    }),
    procMount: str('The type of proc mount to use for the containers.'),
    seccompProfile: open('The seccomp options to use by this container.'),
    seLinuxOptions: open('The SELinux context to be applied to the container.'),
    appArmorProfile: open('The AppArmor options to use by this container.'),
  }),
};
