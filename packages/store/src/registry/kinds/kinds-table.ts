import type { ResourceDefinition, ResourceType } from '@converge/core';
import { bindingsEntry } from './bindings.storage.js';
import { DEFAULT_ROUTING, type KindRouting } from './kind-routing.js';
import { GENERIC_STORAGE, type KindStorage, type ServedSubresource } from './kind-storage.js';
import type { KindTableEntry, StorageContext } from './kind-table-entry.js';
import { namespacesEntry } from './namespaces.storage.js';
import { nodesEntry } from './nodes.storage.js';
import { podsEntry } from './pods.storage.js';
import { serviceAccountsEntry } from './serviceaccounts.storage.js';
import { servicesEntry } from './services.storage.js';

/**
 * The kinds table: every kind whose storage does more than the generic store, one file each
 * beside this one (`pods.storage.ts`, ...). Kinds not listed are stored generically, driven
 * by their definition's strategy alone. This is the one place the store names kinds.
 */
export const KIND_TABLE: readonly KindTableEntry[] = [
  podsEntry,
  bindingsEntry,
  servicesEntry,
  namespacesEntry,
  nodesEntry,
  serviceAccountsEntry,
];

const byKey = new Map<string, KindTableEntry>(KIND_TABLE.map((e) => [tableKey(e), e]));

/** The identity of a kind in the kinds table: `<group>/<resource>`. */
function tableKey(type: Pick<ResourceType, 'group' | 'resource'>): string {
  return `${type.group}/${type.resource}`;
}

/** The entry of a kind in the kinds table, if it has one. */
export function kindTableEntry(type: Pick<ResourceType, 'group' | 'resource'>): KindTableEntry | undefined {
  return byKey.get(tableKey(type));
}

/**
 * Which subresource of a kind the API server serves itself, and how (`services/proxy` is a
 * `service-proxy`, `pods/exec` goes to the `kubelet`); undefined when the store serves it or
 * nobody does.
 */
export function servedSubresourceOf(
  def: Pick<ResourceDefinition, 'group' | 'resource'>,
  subresource: string,
): ServedSubresource | undefined {
  const served = kindTableEntry(def)?.served;
  return served && Object.hasOwn(served, subresource) ? served[subresource] : undefined;
}

/**
 * How the API server routes a kind's requests where its definition does not say (Namespaces
 * are addressed as the namespace path of their name, `bindings` are created as
 * `pods/<name>/binding`); `DEFAULT_ROUTING` for a kind the table says nothing about.
 */
export function kindRoutingOf(def: Pick<ResourceDefinition, 'group' | 'resource'>): KindRouting {
  return kindTableEntry(def)?.routing ?? DEFAULT_ROUTING;
}

/** The kinds' storages of one store, made on first use of each kind. */
export class KindStorages {
  private readonly made = new Map<KindTableEntry, KindStorage>();

  constructor(private readonly context: StorageContext) {}

  /** The storage of a kind: its table entry's, or `GENERIC_STORAGE`. */
  of(type: Pick<ResourceType, 'group' | 'resource'>): KindStorage {
    const entry = kindTableEntry(type);
    if (!entry?.storage) return GENERIC_STORAGE;
    let storage = this.made.get(entry);
    if (!storage) {
      storage = entry.storage(this.context);
      this.made.set(entry, storage);
    }
    return storage;
  }

  /** Stops the background work of every storage made. */
  close(): void {
    for (const s of this.made.values()) s.close?.();
  }
}
