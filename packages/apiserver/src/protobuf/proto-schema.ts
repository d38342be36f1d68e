/**
 * The protobuf schema of every kind the cluster serves, built once with protobufjs' reflection
 * API from the field tables in `schema/` plus the special types and the `runtime.Unknown`
 * envelope. No generated code: the tables are the schema.
 */
import protobuf from 'protobufjs';
import { parseMessageFields, SCALAR_TYPES, type FieldSpec, type MessagePackage } from './message-table.js';
import { SPECIAL_TYPES } from './special-types.js';
import { META_V1 } from './schema/meta.messages.js';
import { CORE_V1 } from './schema/core.messages.js';
import { APPS_V1, AUTOSCALING_V1, AUTOSCALING_V2, BATCH_V1, POLICY_V1 } from './schema/workloads.messages.js';
import { COORDINATION_V1, DISCOVERY_V1, EVENTS_V1, NETWORKING_V1, SCHEDULING_V1, STORAGE_V1 } from './schema/cluster.messages.js';
import { AUTHENTICATION_V1, AUTHORIZATION_V1, RBAC_V1 } from './schema/auth.messages.js';
import { APIEXTENSIONS_V1, APIREGISTRATION_V1 } from './schema/extensions.messages.js';

/** Every package of the tables. */
export const MESSAGE_PACKAGES: readonly MessagePackage[] = [
  META_V1,
  CORE_V1,
  APPS_V1,
  BATCH_V1,
  AUTOSCALING_V1,
  AUTOSCALING_V2,
  POLICY_V1,
  NETWORKING_V1,
  DISCOVERY_V1,
  COORDINATION_V1,
  EVENTS_V1,
  SCHEDULING_V1,
  STORAGE_V1,
  AUTHENTICATION_V1,
  AUTHORIZATION_V1,
  RBAC_V1,
  APIEXTENSIONS_V1,
  APIREGISTRATION_V1,
];

/** The fully qualified name of `runtime.Unknown`, the envelope after the `k8s\0` magic. */
export const UNKNOWN_MESSAGE = 'k8s.io.apimachinery.pkg.runtime.Unknown';
/** The fully qualified name of `meta/v1.DeleteOptions`, accepted under any apiVersion. */
export const DELETE_OPTIONS_MESSAGE = `${META_V1.protoPackage}.DeleteOptions`;

/** A kind that travels in the envelope, with the message that carries it. */
export interface ProtobufKind {
  apiVersion: string;
  kind: string;
  /** The fully qualified message name. */
  message: string;
}

/**
 * The protobuf schema: a resolved protobufjs `Root` plus, for every table message, its parsed
 * fields (JSON names and presence rules the converter needs).
 */
export class KubeProtoSchema {
  /** The protobufjs root holding every message. */
  readonly root = new protobuf.Root();
  /** Fully qualified message name → its table fields (special types are not in here). */
  readonly fields = new Map<string, readonly FieldSpec[]>();
  private readonly kinds = new Map<string, ProtobufKind>();
  private readonly types = new Map<string, protobuf.Type>();

  constructor(packages: readonly MessagePackage[] = MESSAGE_PACKAGES) {
    const byAlias = new Map(packages.map((p) => [p.alias, p]));
    const specialByName = new Map([...SPECIAL_TYPES.values()].map((s) => [s.fullName, s]));
    for (const pkg of packages) {
      const ns = this.root.define(pkg.protoPackage);
      const resolve = (token: string): string => {
        if (SCALAR_TYPES.has(token) || SPECIAL_TYPES.has(token)) return token;
        const dot = token.indexOf('.');
        const owner = dot < 0 ? pkg : byAlias.get(token.slice(0, dot));
        const name = dot < 0 ? token : token.slice(dot + 1);
        if (!owner || !(name in owner.messages)) throw new Error(`${pkg.alias}: unknown message ${token}`);
        return `${owner.protoPackage}.${name}`;
      };
      for (const [name, text] of Object.entries(pkg.messages)) {
        const full = `${pkg.protoPackage}.${name}`;
        let specs: FieldSpec[];
        try {
          specs = parseMessageFields(text, resolve);
        } catch (err) {
          throw new Error(`${full}: ${(err as Error).message}`, { cause: err });
        }
        this.fields.set(full, specs);
        const type = new protobuf.Type(name);
        for (const f of specs) {
          const t = this.protoTypeName(f.type);
          type.add(
            f.map
              ? new protobuf.MapField(f.protoName, f.id, f.keyType!, t)
              : new protobuf.Field(f.protoName, f.id, t, f.repeated ? 'repeated' : 'optional'),
          );
        }
        ns.add(type);
      }
      for (const kind of pkg.kinds)
        this.kinds.set(`${pkg.apiVersion}/${kind}`, { apiVersion: pkg.apiVersion, kind, message: `${pkg.protoPackage}.${kind}` });
    }
    for (const s of specialByName.values()) {
      const dot = s.fullName.lastIndexOf('.');
      const type = new protobuf.Type(s.fullName.slice(dot + 1));
      for (const f of s.fields)
        type.add(new protobuf.Field(f.name, f.id, this.protoTypeName(f.type), f.repeated ? 'repeated' : 'optional'));
      this.root.define(s.fullName.slice(0, dot)).add(type);
    }
    const runtime = this.root.define('k8s.io.apimachinery.pkg.runtime');
    runtime.add(
      new protobuf.Type('TypeMeta').add(new protobuf.Field('apiVersion', 1, 'string')).add(new protobuf.Field('kind', 2, 'string')),
    );
    runtime.add(
      new protobuf.Type('Unknown')
        .add(new protobuf.Field('typeMeta', 1, '.k8s.io.apimachinery.pkg.runtime.TypeMeta'))
        .add(new protobuf.Field('raw', 2, 'bytes'))
        .add(new protobuf.Field('contentEncoding', 3, 'string'))
        .add(new protobuf.Field('contentType', 4, 'string')),
    );
    this.root.resolveAll();
  }

  /** The protobufjs type of a fully qualified message name (cached). */
  type(fullName: string): protobuf.Type {
    let t = this.types.get(fullName);
    if (!t) {
      t = this.root.lookupType(fullName);
      this.types.set(fullName, t);
    }
    return t;
  }

  /** The kind `apiVersion`/`kind` names, if it can travel as protobuf. `DeleteOptions` is accepted under every apiVersion, as Kubernetes registers it in every group. */
  kind(apiVersion: string, kind: string): ProtobufKind | undefined {
    if (kind === 'DeleteOptions' && apiVersion) return { apiVersion, kind, message: DELETE_OPTIONS_MESSAGE };
    return this.kinds.get(`${apiVersion}/${kind}`);
  }

  /** Every kind with a protobuf form (`DeleteOptions` aside). */
  allKinds(): ProtobufKind[] {
    return [...this.kinds.values()];
  }

  private protoTypeName(type: string): string {
    if (SCALAR_TYPES.has(type)) return type;
    const special = SPECIAL_TYPES.get(type);
    return `.${special ? special.fullName : type}`;
  }
}

let shared: KubeProtoSchema | undefined;

/** The process-wide schema over all tables, built on first use (a few milliseconds). */
export function kubeProtoSchema(): KubeProtoSchema {
  return (shared ??= new KubeProtoSchema());
}
