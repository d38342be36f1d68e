/**
 * A custom kind for tests and benchmarks, as a CustomResourceDefinition would define it.
 * A test fixture: not part of the package build (`*.fixture.ts` is excluded in tsconfig.json).
 */
import type { CustomResourceDefinition } from '@converge/core';
import { definitionFromCRD } from '@converge/core/kinds';

/** The names of an example kind. */
export interface ExampleKindNames {
  /** The kind, such as `Widget`; its singular is the lower-case kind and its list kind `<kind>List`. */
  kind: string;
  /** The plural resource name, such as `widgets`. */
  plural: string;
}

/**
 * Defines the namespaced kind `<kind>` of group `example.com`, version `v1` (served and stored,
 * any fields accepted), as the CustomResourceDefinition `<plural>.example.com` would.
 */
export function exampleKind(names: ExampleKindNames) {
  const { kind, plural } = names;
  return definitionFromCRD({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  } as unknown as CustomResourceDefinition);
}
