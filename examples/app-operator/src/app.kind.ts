import { defineCustomResource, type CustomObject } from '@converge/core';
import { ConditionSchema } from '@converge/core/kinds';
import { z } from 'zod';

/** The spec of an App: what to run and with which configuration. */
export const AppSpecSchema = z.object({
  image: z.string().min(1).describe('The container image to run, e.g. nginx:1.27.'),
  replicas: z.int().min(0).max(100).optional().describe('How many pods to run; 1 when unset.'),
  port: z.int().min(1).max(65535).optional().describe('The port the container listens on.'),
  config: z
    .record(z.string(), z.string())
    .optional()
    .describe('Configuration, given to the container as environment variables (through a ConfigMap).'),
});

/** The status of an App, written by its controller. */
export const AppStatusSchema = z.object({
  observedGeneration: z.int().optional().describe('The metadata.generation this status describes.'),
  readyReplicas: z.int().optional().describe('Pods of the App that are ready.'),
  conditions: z.array(ConditionSchema).optional().describe('Ready: whether the App runs as specified.'),
});

/**
 * App (example.converge.dev/v1alpha1): a custom resource defined in TypeScript with zod.
 * `crdManifestOf(Apps)` gives the CRD to install it in a cluster.
 */
export const Apps = defineCustomResource({
  group: 'example.converge.dev',
  version: 'v1alpha1',
  kind: 'App',
  plural: 'apps',
  shortNames: ['ap'],
  description: 'An application: a Deployment of one container and the ConfigMap of its configuration.',
  spec: AppSpecSchema,
  status: AppStatusSchema,
  printerColumns: [
    { name: 'Image', type: 'string', jsonPath: '.spec.image' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.readyReplicas' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** An App object. */
export type App = CustomObject<typeof AppSpecSchema, typeof AppStatusSchema>;
