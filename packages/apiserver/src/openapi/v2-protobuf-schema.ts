/**
 * The protobuf schema of the Swagger 2.0 document as kubectl reads it from `/openapi/v2` when it
 * asks for `application/com.github.proto-openapi.spec.v2@v1.0+protobuf`: the `openapi.v2`
 * messages of gnostic (`openapi.v2.Document` and what it holds), written here as a protobufjs
 * reflection root from the field numbers gnostic publishes.
 *
 * Only the wire matters: field names are this project's own (camelCase), numbers and types are
 * gnostic's. The OAuth2 security schemes are left out (this server has none); a decoder that
 * meets their field numbers in a `SecurityDefinitionsItem` keeps them as unknown fields.
 */
import protobuf from 'protobufjs';

/** The protobuf package of the messages. */
export const OPENAPI_V2_PACKAGE = 'openapi.v2';

/**
 * Each message as `field=number:type` words; `type[]` is repeated. A `|` starts a oneof group
 * (`|oneof field=number:type ...`): the fields after it, up to the next `|`, form that oneof.
 */
const MESSAGES: Readonly<Record<string, string>> = {
  // gnostic's Any carries a google.protobuf.Any beside the YAML text; Kubernetes fills only `yaml`.
  ProtobufAny: 'typeUrl=1:string value=2:bytes',
  Any: 'value=1:ProtobufAny yaml=2:string',
  NamedAny: 'name=1:string value=2:Any',
  VendorExtension: 'additionalProperties=1:NamedAny[]',
  StringArray: 'value=1:string[]',
  NamedString: 'name=1:string value=2:string',
  NamedStringArray: 'name=1:string value=2:StringArray',

  Document:
    'swagger=1:string info=2:Info host=3:string basePath=4:string schemes=5:string[] consumes=6:string[] produces=7:string[] ' +
    'paths=8:Paths definitions=9:Definitions parameters=10:ParameterDefinitions responses=11:ResponseDefinitions ' +
    'security=12:SecurityRequirement[] securityDefinitions=13:SecurityDefinitions tags=14:Tag[] externalDocs=15:ExternalDocs vendorExtension=16:NamedAny[]',
  Info: 'title=1:string version=2:string description=3:string termsOfService=4:string contact=5:Contact license=6:License vendorExtension=7:NamedAny[]',
  Contact: 'name=1:string url=2:string email=3:string vendorExtension=4:NamedAny[]',
  License: 'name=1:string url=2:string vendorExtension=3:NamedAny[]',
  ExternalDocs: 'description=1:string url=2:string vendorExtension=3:NamedAny[]',
  Tag: 'name=1:string description=2:string externalDocs=3:ExternalDocs vendorExtension=4:NamedAny[]',

  Paths: 'vendorExtension=1:NamedAny[] path=2:NamedPathItem[]',
  NamedPathItem: 'name=1:string value=2:PathItem',
  PathItem:
    'xRef=1:string get=2:Operation put=3:Operation post=4:Operation delete=5:Operation options=6:Operation head=7:Operation patch=8:Operation ' +
    'parameters=9:ParametersItem[] vendorExtension=10:NamedAny[]',
  Operation:
    'tags=1:string[] summary=2:string description=3:string externalDocs=4:ExternalDocs operationId=5:string produces=6:string[] consumes=7:string[] ' +
    'parameters=8:ParametersItem[] responses=9:Responses schemes=10:string[] deprecated=11:bool security=12:SecurityRequirement[] vendorExtension=13:NamedAny[]',

  ParametersItem: '|oneof parameter=1:Parameter jsonReference=2:JsonReference',
  JsonReference: 'xRef=1:string description=2:string',
  Parameter: '|oneof bodyParameter=1:BodyParameter nonBodyParameter=2:NonBodyParameter',
  ParameterDefinitions: 'additionalProperties=1:NamedParameter[]',
  NamedParameter: 'name=1:string value=2:Parameter',
  BodyParameter: 'description=1:string name=2:string in=3:string required=4:bool schema=5:Schema vendorExtension=6:NamedAny[]',
  NonBodyParameter:
    '|oneof headerParameterSubSchema=1:HeaderParameterSubSchema formDataParameterSubSchema=2:FormDataParameterSubSchema ' +
    'queryParameterSubSchema=3:QueryParameterSubSchema pathParameterSubSchema=4:PathParameterSubSchema',
  // Header, path: required in description name, then the primitive keywords from 5 on.
  HeaderParameterSubSchema: `required=1:bool in=2:string description=3:string name=4:string ${primitiveKeywords(5)}`,
  PathParameterSubSchema: `required=1:bool in=2:string description=3:string name=4:string ${primitiveKeywords(5)}`,
  // Query, formData: the same with allowEmptyValue at 5, the keywords from 6 on.
  QueryParameterSubSchema: `required=1:bool in=2:string description=3:string name=4:string allowEmptyValue=5:bool ${primitiveKeywords(6)}`,
  FormDataParameterSubSchema: `required=1:bool in=2:string description=3:string name=4:string allowEmptyValue=5:bool ${primitiveKeywords(6)}`,
  PrimitivesItems: primitiveKeywords(1),

  Responses: 'responseCode=1:NamedResponseValue[] vendorExtension=2:NamedAny[]',
  NamedResponseValue: 'name=1:string value=2:ResponseValue',
  ResponseValue: '|oneof response=1:Response jsonReference=2:JsonReference',
  ResponseDefinitions: 'additionalProperties=1:NamedResponse[]',
  NamedResponse: 'name=1:string value=2:Response',
  Response: 'description=1:string schema=2:SchemaItem headers=3:Headers examples=4:Examples vendorExtension=5:NamedAny[]',
  Headers: 'additionalProperties=1:NamedHeader[]',
  NamedHeader: 'name=1:string value=2:Header',
  Header: primitiveKeywords(1, ['description:string']),
  Examples: 'additionalProperties=1:NamedAny[]',
  SchemaItem: '|oneof schema=1:Schema fileSchema=2:FileSchema',
  FileSchema:
    'format=1:string title=2:string description=3:string default=4:Any required=5:string[] type=6:string readOnly=7:bool ' +
    'externalDocs=8:ExternalDocs example=9:Any vendorExtension=10:NamedAny[]',

  Definitions: 'additionalProperties=1:NamedSchema[]',
  NamedSchema: 'name=1:string value=2:Schema',
  Properties: 'additionalProperties=1:NamedSchema[]',
  Schema:
    'xRef=1:string format=2:string title=3:string description=4:string default=5:Any multipleOf=6:double maximum=7:double exclusiveMaximum=8:bool ' +
    'minimum=9:double exclusiveMinimum=10:bool maxLength=11:int64 minLength=12:int64 pattern=13:string maxItems=14:int64 minItems=15:int64 ' +
    'uniqueItems=16:bool maxProperties=17:int64 minProperties=18:int64 required=19:string[] enum=20:Any[] additionalProperties=21:AdditionalPropertiesItem ' +
    'type=22:TypeItem items=23:ItemsItem allOf=24:Schema[] properties=25:Properties discriminator=26:string readOnly=27:bool xml=28:Xml ' +
    'externalDocs=29:ExternalDocs example=30:Any vendorExtension=31:NamedAny[]',
  AdditionalPropertiesItem: '|oneof schema=1:Schema boolean=2:bool',
  TypeItem: 'value=1:string[]',
  ItemsItem: 'schema=1:Schema[]',
  Xml: 'name=1:string namespace=2:string prefix=3:string attribute=4:bool wrapped=5:bool vendorExtension=6:NamedAny[]',

  SecurityRequirement: 'additionalProperties=1:NamedStringArray[]',
  SecurityDefinitions: 'additionalProperties=1:NamedSecurityDefinitionsItem[]',
  NamedSecurityDefinitionsItem: 'name=1:string value=2:SecurityDefinitionsItem',
  SecurityDefinitionsItem: '|oneof basicAuthenticationSecurity=1:BasicAuthenticationSecurity apiKeySecurity=2:ApiKeySecurity',
  BasicAuthenticationSecurity: 'type=1:string description=2:string vendorExtension=3:NamedAny[]',
  ApiKeySecurity: 'type=1:string name=2:string in=3:string description=4:string vendorExtension=5:NamedAny[]',
};

/**
 * The keywords a non-body parameter, a header and an array's items share (Swagger's primitive
 * keywords), numbered from `first` in gnostic's order, then the `more` fields (`name:type`),
 * then `vendorExtension`.
 */
function primitiveKeywords(first: number, more: readonly string[] = []): string {
  const names = [
    'type:string',
    'format:string',
    'items:PrimitivesItems',
    'collectionFormat:string',
    'default:Any',
    'maximum:double',
    'exclusiveMaximum:bool',
    'minimum:double',
    'exclusiveMinimum:bool',
    'maxLength:int64',
    'minLength:int64',
    'pattern:string',
    'maxItems:int64',
    'minItems:int64',
    'uniqueItems:bool',
    'enum:Any[]',
    'multipleOf:double',
    ...more,
    'vendorExtension:NamedAny[]',
  ];
  return names.map((n, i) => n.replace(':', `=${first + i}:`)).join(' ');
}

interface FieldJSON {
  type: string;
  id: number;
  rule?: 'repeated';
}

function parseMessage(spec: string): protobuf.IType {
  const fields: Record<string, FieldJSON> = {};
  const oneofs: Record<string, { oneof: string[] }> = {};
  let group: string[] | undefined;
  for (const word of spec.split(/\s+/).filter(Boolean)) {
    if (word.startsWith('|')) {
      group = [];
      oneofs[word.slice(1)] = { oneof: group };
      continue;
    }
    const m = /^(\w+)=(\d+):(\w+)(\[\])?$/.exec(word);
    if (!m) throw new Error(`bad field ${JSON.stringify(word)} in the openapi.v2 schema`);
    const [, name, id, type, repeated] = m;
    fields[name!] = { type: type!, id: Number(id), ...(repeated ? { rule: 'repeated' as const } : {}) };
    group?.push(name!);
  }
  return Object.keys(oneofs).length ? { fields, oneofs } : { fields };
}

function buildRoot(): protobuf.Root {
  const nested: Record<string, protobuf.IType> = {};
  for (const [name, spec] of Object.entries(MESSAGES)) nested[name] = parseMessage(spec);
  const root = protobuf.Root.fromJSON({ nested: { openapi: { nested: { v2: { nested } } } } });
  root.resolveAll();
  return root;
}

/** The protobufjs root holding the `openapi.v2` messages. */
export const openapiV2Root: protobuf.Root = buildRoot();

/** The `openapi.v2.Document` message type: the whole Swagger 2.0 document. */
export const OpenAPIV2DocumentType: protobuf.Type = openapiV2Root.lookupType(`${OPENAPI_V2_PACKAGE}.Document`);
