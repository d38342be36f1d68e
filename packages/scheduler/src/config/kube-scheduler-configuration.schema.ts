/**
 * The schema of a KubeSchedulerConfiguration file (`kubescheduler.config.k8s.io/v1`), the
 * fields Converge's scheduler reads. Other fields of the Kubernetes type (clientConnection,
 * leaderElection, extenders, ...) are accepted and ignored; unknown fields inside profiles
 * and plugin sets are errors, as Kubernetes' strict decoding makes them.
 */
import { z } from 'zod';

/** A plugin in a plugin set: its name and, for Score, its weight. */
export const PluginSchema = z.strictObject({
  name: z.string().min(1),
  weight: z.number().int().min(0).optional(),
});

/** The enabled and disabled plugins of one extension point. */
export const PluginSetSchema = z.strictObject({
  enabled: z.array(PluginSchema).optional(),
  disabled: z.array(z.strictObject({ name: z.string().min(1) })).optional(),
});

/** The plugin sets of a profile, per extension point and multi-point. */
export const PluginsSchema = z.strictObject({
  preEnqueue: PluginSetSchema.optional(),
  queueSort: PluginSetSchema.optional(),
  preFilter: PluginSetSchema.optional(),
  filter: PluginSetSchema.optional(),
  postFilter: PluginSetSchema.optional(),
  preScore: PluginSetSchema.optional(),
  score: PluginSetSchema.optional(),
  reserve: PluginSetSchema.optional(),
  permit: PluginSetSchema.optional(),
  preBind: PluginSetSchema.optional(),
  bind: PluginSetSchema.optional(),
  postBind: PluginSetSchema.optional(),
  multiPoint: PluginSetSchema.optional(),
});

/** A plugin's arguments. */
export const PluginConfigSchema = z.strictObject({
  name: z.string().min(1),
  args: z.record(z.string(), z.unknown()).optional(),
});

/** One scheduling profile. */
export const ProfileSchema = z.strictObject({
  schedulerName: z.string().min(1).optional(),
  percentageOfNodesToScore: z.number().int().min(0).max(100).optional(),
  plugins: PluginsSchema.optional(),
  pluginConfig: z.array(PluginConfigSchema).optional(),
});

/** A KubeSchedulerConfiguration document. */
export const KubeSchedulerConfigurationSchema = z.looseObject({
  apiVersion: z.literal('kubescheduler.config.k8s.io/v1'),
  kind: z.literal('KubeSchedulerConfiguration'),
  parallelism: z.number().int().min(1).optional(),
  percentageOfNodesToScore: z.number().int().min(0).max(100).optional(),
  podInitialBackoffSeconds: z.number().int().min(1).optional(),
  podMaxBackoffSeconds: z.number().int().min(1).optional(),
  profiles: z.array(ProfileSchema).optional(),
});

/** A KubeSchedulerConfiguration as written in a file. */
export type KubeSchedulerConfiguration = z.infer<typeof KubeSchedulerConfigurationSchema>;
/** A profile as written in a file. */
export type KubeSchedulerProfile = z.infer<typeof ProfileSchema>;
/** A plugin set as written in a file. */
export type KubeSchedulerPluginSet = z.infer<typeof PluginSetSchema>;
