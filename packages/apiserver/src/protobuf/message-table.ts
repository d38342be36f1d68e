/**
 * The notation the protobuf field tables (`schema/*.messages.ts`) are written in, and its parser.
 *
 * Each message is one string of whitespace-separated fields, `json=number:type[mods]`:
 *
 * - `json` is the field's JSON name; `json@proto` when the protobuf name differs (`$ref@ref`);
 *   `^proto` marks an inline field (Go's `json:",inline"`): a message whose fields appear in the
 *   parent's JSON object, as `Volume` carries its `VolumeSource`.
 * - `type` is a scalar (`string`, `int32`, `int64`, `bool`, `double`, `float`, `bytes`), a special
 *   type with its own JSON form (`Time`, `MicroTime`, `Quantity`, `IntOrString`, `RawExtension`,
 *   `FieldsV1`, `JSON`, `JSONSchemaPropsOrArray`, `JSONSchemaPropsOrBool`,
 *   `JSONSchemaPropsOrStringArray`, `ExtraValue`), a message of the same package (`PodSpec`) or of
 *   another package by its alias (`meta.ObjectMeta`), or a map `{keyType,valueType}`.
 * - `mods`: `[]` repeated; `?` a Go pointer (present on the wire means present in JSON, even when
 *   zero); `!` no `omitempty` (always in JSON: the zero value, `null` for an empty list or map).
 *   Without a mod a scalar is left out of the JSON when it is zero, as Go's `omitempty` does, and
 *   a message is always written (Go never omits a struct).
 */

/** One protobuf package of the tables, e.g. the messages of `apps/v1`. */
export interface MessagePackage {
  /** The protobuf package name, e.g. `k8s.io.api.apps.v1`. */
  protoPackage: string;
  /** The short name other tables use to reference its messages (`apps.Deployment`). */
  alias: string;
  /** The `apiVersion` its kinds are served under (`''` for a package without kinds). */
  apiVersion: string;
  /** The top-level kinds (messages that travel in the `k8s\0` envelope). */
  kinds: readonly string[];
  /** Message name → its fields in the table notation. */
  messages: Readonly<Record<string, string>>;
}

/** How a field's presence maps to JSON (see the module comment). */
export type FieldPresence = 'omitempty' | 'pointer' | 'always';

/** The scalar protobuf types the tables use. */
export const SCALAR_TYPES = new Set(['string', 'int32', 'int64', 'bool', 'double', 'float', 'bytes']);

/** One parsed field of a message table. */
export interface FieldSpec {
  /** The JSON name; `''` for an inline field. */
  json: string;
  /** The protobuf field name (a valid identifier). */
  protoName: string;
  /** The field number. */
  id: number;
  /**
   * The value type: a scalar, a special type name, or a fully qualified message name
   * (`k8s.io.api.core.v1.PodSpec`). For maps, the value type.
   */
  type: string;
  /** The key type of a map field. */
  keyType?: string;
  repeated: boolean;
  map: boolean;
  inline: boolean;
  presence: FieldPresence;
}

const FIELD = /^(\^?)([^=@^]+)(?:@([A-Za-z_]\w*))?=(\d+):(\{[\w.]+,[\w.]+\}|[\w.]+)(\[\])?([?!])?$/;

/**
 * Parses the fields of one message. `resolve` turns a type token (`PodSpec`, `meta.ObjectMeta`)
 * into what `FieldSpec.type` holds; it throws for an unknown name, so a typo fails at start-up.
 */
export function parseMessageFields(text: string, resolve: (token: string) => string): FieldSpec[] {
  const fields: FieldSpec[] = [];
  const trimmed = text.trim();
  if (!trimmed) return fields;
  for (const token of trimmed.split(/\s+/)) {
    const m = FIELD.exec(token);
    if (!m) throw new Error(`bad field token ${JSON.stringify(token)}`);
    const [, inlineMark, name, protoAlias, num, typeToken, rep, mod] = m as unknown as [
      string,
      string,
      string,
      string | undefined,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const inline = inlineMark === '^';
    const spec: FieldSpec = {
      json: inline ? '' : name,
      protoName: protoAlias ?? name,
      id: Number(num),
      type: '',
      repeated: rep === '[]',
      map: typeToken.startsWith('{'),
      inline,
      presence: mod === '?' ? 'pointer' : mod === '!' ? 'always' : 'omitempty',
    };
    if (spec.map) {
      const [k, v] = typeToken.slice(1, -1).split(',') as [string, string];
      spec.keyType = resolve(k);
      spec.type = resolve(v);
    } else {
      spec.type = resolve(typeToken);
    }
    if (!/^[A-Za-z_]\w*$/.test(spec.protoName)) throw new Error(`field ${JSON.stringify(token)} needs a protobuf name (json@proto)`);
    fields.push(spec);
  }
  return fields;
}
