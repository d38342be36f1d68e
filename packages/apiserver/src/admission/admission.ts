/**
 * The admission chain: every write the API server makes through the store first passes the
 * mutating plugins (which may change the object), then the validating plugins (which may only
 * refuse it), in the order given. A plugin refuses by throwing a StatusError (usually Forbidden).
 *
 * The server admits what it holds before calling the store: the decoded object of a create or
 * update, and the request alone for patches and deletes (the store computes a patch's result).
 */
import type { KubeObject, ObjectStore, ResourceDefinition } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { UserInfo } from '../auth/user-info.js';

/** The operation being admitted. */
export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** What a plugin sees of one request. */
export interface AdmissionRequest {
  operation: AdmissionOperation;
  definition: ResourceDefinition;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The incoming object (create/update; a mutating plugin may change it in place). */
  object?: KubeObject;
  /** Whether the patch is a server-side apply (which may create the object). */
  apply?: boolean;
  user: UserInfo;
  dryRun: boolean;
}

/** What plugins may use. */
export interface AdmissionContext {
  store: ObjectStore;
  catalog: ResourceCatalog;
}

/** An admission plugin: mutating (`admit`), validating (`validate`), or both. */
export interface AdmissionPlugin {
  readonly name: string;
  /** Mutates `request.object`; throws to refuse. */
  admit?(request: AdmissionRequest, context: AdmissionContext): Promise<void> | void;
  /** Checks the request; throws to refuse. */
  validate?(request: AdmissionRequest, context: AdmissionContext): Promise<void> | void;
}

/** Runs every mutating plugin, then every validating plugin. */
export class AdmissionChain {
  constructor(
    private readonly plugins: readonly AdmissionPlugin[],
    private readonly context: AdmissionContext,
  ) {}

  /** The plugin names, in order. */
  get names(): string[] {
    return this.plugins.map((p) => p.name);
  }

  /** Admits a request; throws the first plugin's refusal. */
  async run(request: AdmissionRequest): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(request, this.context);
    for (const p of this.plugins) if (p.validate) await p.validate(request, this.context);
  }
}
