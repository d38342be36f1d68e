import { defineCustomResource, type CustomObject } from '@converge/core';
import { ConditionSchema } from '@converge/core/kinds';
import { z } from 'zod';

/** The spec of a Mirror: which ConfigMap to copy, and how many times. */
export const MirrorSpecSchema = z.object({
  source: z.string().min(1).describe("Name of the ConfigMap, in the Mirror's namespace, to copy."),
  copies: z.int().min(0).max(10).describe('How many copies to keep.'),
});

/** The status of a Mirror, written by its controller. */
export const MirrorStatusSchema = z.object({
  observedGeneration: z.int().optional().describe('The metadata.generation this status describes.'),
  copies: z.int().optional().describe('Copies holding the current data of the source.'),
  conditions: z.array(ConditionSchema).optional().describe('Ready: every copy holds the data of the source.'),
});

/**
 * Mirror (mirrors.example.dev/v1alpha1): keeps `spec.copies` ConfigMaps named
 * `<mirror>-0`, `<mirror>-1`, ... holding the data of the ConfigMap `spec.source` of the
 * same namespace. `crdManifestOf(Mirrors)` gives the CRD that installs it.
 */
export const Mirrors = defineCustomResource({
  group: 'mirrors.example.dev',
  version: 'v1alpha1',
  kind: 'Mirror',
  plural: 'mirrors',
  spec: MirrorSpecSchema,
  status: MirrorStatusSchema,
  printerColumns: [
    { name: 'Source', type: 'string', jsonPath: '.spec.source' },
    { name: 'Copies', type: 'integer', jsonPath: '.status.copies' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** A Mirror object. */
export type Mirror = CustomObject<typeof MirrorSpecSchema, typeof MirrorStatusSchema>;
