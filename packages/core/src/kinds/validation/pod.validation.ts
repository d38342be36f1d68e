/**
 * Validation of pod specs and pod templates, after Kubernetes' `ValidatePodSpec`: container
 * names, images, ports, environment, volume mounts, probes, resources, volumes,
 * tolerations and the scalar bounds. Used by Pods and every workload with a template.
 */
import type { StatusCause } from '../../api/meta.js';
import type { Container, Probe } from '../schema/container.schema.js';
import type { PodSpec, PodTemplateSpec } from '../schema/pod.schema.js';
import { volumeSourceNames } from '../core/pod.defaults.js';
import { duplicateValue, forbiddenField, invalidValue, notFoundValue, notSupported, requiredValue } from './field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isValidPortName, isValidPortNum } from './name-rules.js';
import { appendLabelCauses, validateAnnotations, validateLabels } from './object-meta.validation.js';
import { parseQuantity, QUANTITY_FORMAT_MESSAGE } from './quantity.js';

/** Pushes `must be greater than or equal to 0` when a number is negative. */
export function nonNegative(out: StatusCause[], path: string, v: number | undefined): void {
  if (v !== undefined && v < 0) out.push(invalidValue(path, v, 'must be greater than or equal to 0'));
}

function probeHandlers(p: Probe): number {
  return (p.exec ? 1 : 0) + (p.httpGet ? 1 : 0) + (p.tcpSocket ? 1 : 0) + (p.grpc ? 1 : 0);
}

function validateProbe(out: StatusCause[], p: Probe | undefined, path: string, mustSucceedOnce: boolean): void {
  if (!p) return;
  const n = probeHandlers(p);
  if (n === 0) out.push(requiredValue(path, 'must specify a handler type'));
  else if (n > 1) out.push(forbiddenField(path, 'may not specify more than 1 handler type'));
  nonNegative(out, `${path}.initialDelaySeconds`, p.initialDelaySeconds);
  nonNegative(out, `${path}.timeoutSeconds`, p.timeoutSeconds);
  nonNegative(out, `${path}.periodSeconds`, p.periodSeconds);
  nonNegative(out, `${path}.successThreshold`, p.successThreshold);
  nonNegative(out, `${path}.failureThreshold`, p.failureThreshold);
  if (mustSucceedOnce && p.successThreshold !== undefined && p.successThreshold !== 1)
    out.push(invalidValue(`${path}.successThreshold`, p.successThreshold, 'must be 1'));
  if (p.httpGet && typeof p.httpGet.port === 'number')
    for (const e of isValidPortNum(p.httpGet.port)) out.push(invalidValue(`${path}.httpGet.port`, p.httpGet.port, e));
  if (p.tcpSocket && typeof p.tcpSocket.port === 'number')
    for (const e of isValidPortNum(p.tcpSocket.port)) out.push(invalidValue(`${path}.tcpSocket.port`, p.tcpSocket.port, e));
}

function validateResources(out: StatusCause[], r: Container['resources'], path: string): void {
  if (!r) return;
  const parsed: Record<'limits' | 'requests', Record<string, number>> = { limits: {}, requests: {} };
  for (const which of ['limits', 'requests'] as const) {
    const list = r[which] ?? {};
    for (const [name, q] of Object.entries(list)) {
      const p = `${path}.${which}[${name}]`;
      const v = parseQuantity(q);
      if (v === undefined) out.push(invalidValue(p, q, QUANTITY_FORMAT_MESSAGE));
      else if (v < 0) out.push(invalidValue(p, q, 'must be greater than or equal to 0'));
      else parsed[which][name] = v;
    }
  }
  for (const [name, req] of Object.entries(parsed.requests)) {
    const lim = parsed.limits[name];
    if (lim !== undefined && req > lim)
      out.push(
        invalidValue(
          `${path}.requests[${name}]`,
          r.requests![name],
          `must be less than or equal to ${name} limit of ${String(r.limits![name])}`,
        ),
      );
  }
}

function validateContainer(
  out: StatusCause[],
  c: Container,
  path: string,
  volumes: string[],
  opts: { init: boolean; requireImage: boolean },
): void {
  if (!c.name) out.push(requiredValue(`${path}.name`));
  else for (const e of isDNS1123Label(c.name)) out.push(invalidValue(`${path}.name`, c.name, e));
  if (!c.image) {
    if (opts.requireImage) out.push(requiredValue(`${path}.image`));
  } else if (c.image.trim() !== c.image) out.push(invalidValue(`${path}.image`, c.image, 'must not have leading or trailing whitespace'));
  const portNames: string[] = [];
  c.ports?.forEach((p, i) => {
    const pp = `${path}.ports[${i}]`;
    if (p.name) {
      for (const e of isValidPortName(p.name)) out.push(invalidValue(`${pp}.name`, p.name, e));
      if (portNames.includes(p.name)) out.push(duplicateValue(`${pp}.name`, p.name));
      portNames.push(p.name);
    }
    for (const e of isValidPortNum(p.containerPort)) out.push(invalidValue(`${pp}.containerPort`, p.containerPort, e));
    if (p.hostPort !== undefined && p.hostPort !== 0)
      for (const e of isValidPortNum(p.hostPort)) out.push(invalidValue(`${pp}.hostPort`, p.hostPort, e));
  });
  c.env?.forEach((e, i) => {
    const ep = `${path}.env[${i}]`;
    if (!e.name) out.push(requiredValue(`${ep}.name`));
    else for (const m of isEnvVarName(e.name)) out.push(invalidValue(`${ep}.name`, e.name, m));
    if (e.valueFrom) {
      const vf = e.valueFrom;
      const n = (vf.fieldRef ? 1 : 0) + (vf.resourceFieldRef ? 1 : 0) + (vf.configMapKeyRef ? 1 : 0) + (vf.secretKeyRef ? 1 : 0);
      if (n === 0)
        out.push(
          invalidValue(`${ep}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'),
        );
      else if (n > 1) out.push(invalidValue(`${ep}.valueFrom`, '', 'may not have more than one field specified at a time'));
      if (e.value) out.push(invalidValue(`${ep}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    }
  });
  const mountPaths: string[] = [];
  c.volumeMounts?.forEach((m, i) => {
    const mp = `${path}.volumeMounts[${i}]`;
    if (!m.name) out.push(requiredValue(`${mp}.name`));
    else if (!volumes.includes(m.name)) out.push(notFoundValue(`${mp}.name`, m.name));
    if (!m.mountPath) out.push(requiredValue(`${mp}.mountPath`));
    else if (mountPaths.includes(m.mountPath)) out.push(invalidValue(`${mp}.mountPath`, m.mountPath, 'must be unique'));
    if (m.mountPath) mountPaths.push(m.mountPath);
    if (m.subPath && m.subPathExpr)
      out.push(invalidValue(`${mp}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
  });
  validateResources(out, c.resources, `${path}.resources`);
  const sidecar = opts.init && c.restartPolicy === 'Always';
  if (opts.init && c.restartPolicy !== undefined && c.restartPolicy !== 'Always')
    out.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
  if (!opts.init && c.restartPolicy !== undefined)
    out.push(forbiddenField(`${path}.restartPolicy`, 'may not be set for non-init containers'));
  if (opts.init && !sidecar) {
    if (c.livenessProbe)
      out.push(forbiddenField(`${path}.livenessProbe`, 'may not be set for init containers without restartPolicy=Always'));
    if (c.readinessProbe)
      out.push(forbiddenField(`${path}.readinessProbe`, 'may not be set for init containers without restartPolicy=Always'));
    if (c.startupProbe) out.push(forbiddenField(`${path}.startupProbe`, 'may not be set for init containers without restartPolicy=Always'));
  }
  validateProbe(out, c.livenessProbe, `${path}.livenessProbe`, true);
  validateProbe(out, c.readinessProbe, `${path}.readinessProbe`, false);
  validateProbe(out, c.startupProbe, `${path}.startupProbe`, true);
}

/** Options of `validatePodSpec`. */
export interface PodSpecRules {
  /** Require every container to name an image (pods and workload templates do). */
  requireImage?: boolean;
  /**
   * Volume names declared outside the pod spec that containers may mount: a StatefulSet's
   * `volumeClaimTemplates` names, which become the pods' volumes of the same name.
   */
  extraVolumes?: readonly string[];
}

const NO_RULES: PodSpecRules = Object.freeze({});
// What validateContainer is told, by kind of container and whether images are required (shared: none made per container).
const CONTAINER_RULES = Object.freeze({
  init: Object.freeze({
    true: Object.freeze({ init: true, requireImage: true }),
    false: Object.freeze({ init: true, requireImage: false }),
  }),
  main: Object.freeze({
    true: Object.freeze({ init: false, requireImage: true }),
    false: Object.freeze({ init: false, requireImage: false }),
  }),
});

/** Validates a pod spec at `path` (`spec`, `spec.template.spec`, ...). */
export function validatePodSpec(spec: PodSpec | undefined, path: string, rules: PodSpecRules = NO_RULES): StatusCause[] {
  const out: StatusCause[] = [];
  if (!spec) return [requiredValue(path)];
  const requireImage = rules.requireImage ?? true;
  const volumes: string[] = [];
  spec.volumes?.forEach((v, i) => {
    const vp = `${path}.volumes[${i}]`;
    if (!v.name) out.push(requiredValue(`${vp}.name`));
    else {
      for (const e of isDNS1123Label(v.name)) out.push(invalidValue(`${vp}.name`, v.name, e));
      if (volumes.includes(v.name)) out.push(duplicateValue(`${vp}.name`, v.name));
      volumes.push(v.name);
    }
    const rec = v as Record<string, unknown>;
    const sources = volumeSourceNames.filter((s) => rec[s] !== undefined);
    if (sources.length === 0) out.push(requiredValue(vp, 'must specify a volume type'));
    else if (sources.length > 1) out.push(forbiddenField(`${vp}.${sources[1]}`, 'may not specify more than 1 volume type'));
    if (v.hostPath && !v.hostPath.path) out.push(requiredValue(`${vp}.hostPath.path`));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) out.push(requiredValue(`${vp}.persistentVolumeClaim.claimName`));
    if (v.secret?.secretName === '') out.push(requiredValue(`${vp}.secret.secretName`));
  });
  if (rules.extraVolumes) for (const name of rules.extraVolumes) if (!volumes.includes(name)) volumes.push(name);
  const names: string[] = [];
  const containers = spec.containers ?? [];
  if (containers.length === 0) out.push(requiredValue(`${path}.containers`));
  const initRules = requireImage ? CONTAINER_RULES.init.true : CONTAINER_RULES.init.false;
  const mainRules = requireImage ? CONTAINER_RULES.main.true : CONTAINER_RULES.main.false;
  spec.initContainers?.forEach((c, i) => {
    validateContainer(out, c, `${path}.initContainers[${i}]`, volumes, initRules);
    if (c.name) {
      if (names.includes(c.name)) out.push(duplicateValue(`${path}.initContainers[${i}].name`, c.name));
      names.push(c.name);
    }
  });
  containers.forEach((c, i) => {
    validateContainer(out, c, `${path}.containers[${i}]`, volumes, mainRules);
    if (c.name) {
      if (names.includes(c.name)) out.push(duplicateValue(`${path}.containers[${i}].name`, c.name));
      names.push(c.name);
    }
  });
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0)
    nonNegative(out, `${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds);
  if (spec.activeDeadlineSeconds !== undefined && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > 2147483647))
    out.push(invalidValue(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  if (spec.nodeSelector) appendLabelCauses(out, spec.nodeSelector, `${path}.nodeSelector`);
  if (spec.serviceAccountName)
    for (const e of isDNS1123Subdomain(spec.serviceAccountName))
      out.push(invalidValue(`${path}.serviceAccountName`, spec.serviceAccountName, e));
  if (spec.nodeName) for (const e of isDNS1123Subdomain(spec.nodeName)) out.push(invalidValue(`${path}.nodeName`, spec.nodeName, e));
  if (spec.hostname) for (const e of isDNS1123Label(spec.hostname)) out.push(invalidValue(`${path}.hostname`, spec.hostname, e));
  if (spec.subdomain) for (const e of isDNS1123Label(spec.subdomain)) out.push(invalidValue(`${path}.subdomain`, spec.subdomain, e));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig)
    out.push(requiredValue(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  spec.tolerations?.forEach((t, i) => {
    const tp = `${path}.tolerations[${i}]`;
    if (t.key) for (const e of isQualifiedKey(t.key)) out.push(invalidValue(`${tp}.key`, t.key, e));
    if (!t.key && t.operator !== 'Exists')
      out.push(
        invalidValue(
          `${tp}.operator`,
          t.operator ?? '',
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    if (t.operator === 'Exists' && t.value)
      out.push(invalidValue(`${tp}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute')
      out.push(invalidValue(`${tp}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  });
  return out;
}

function isQualifiedKey(key: string): string[] {
  return key.split('/').length > 2 ? ['a qualified name must have at most one "/"'] : [];
}

/** Validates a workload's pod template: labels, annotations and spec (`rules` as for `validatePodSpec`). */
export function validatePodTemplate(t: PodTemplateSpec | undefined, path: string, rules: PodSpecRules = {}): StatusCause[] {
  if (!t) return [requiredValue(path)];
  const out: StatusCause[] = [];
  out.push(...validateLabels(t.metadata?.labels, `${path}.metadata.labels`));
  out.push(...validateAnnotations(t.metadata?.annotations, `${path}.metadata.annotations`));
  out.push(...validatePodSpec(t.spec, `${path}.spec`, rules));
  return out;
}
