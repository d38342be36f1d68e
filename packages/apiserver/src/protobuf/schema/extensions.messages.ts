/**
 * Protobuf field tables of the API extension groups: apiextensions.k8s.io/v1
 * (CustomResourceDefinition) and apiregistration.k8s.io/v1 (APIService).
 *
 * Written from the field numbers Kubernetes publishes for these messages (wire facts), in the
 * notation of `message-table.ts`; JSON names, pointer-ness and omitempty follow the Go API types.
 */
import type { MessagePackage } from '../message-table.js';

/** The messages of apiextensions.k8s.io/v1. */
export const APIEXTENSIONS_V1: MessagePackage = {
  protoPackage: 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1',
  alias: 'apiextensions',
  apiVersion: 'apiextensions.k8s.io/v1',
  kinds: ['CustomResourceDefinition'],
  messages: {
    CustomResourceColumnDefinition: `
      name=1:string! type=2:string! format=3:string description=4:string priority=5:int32
      jsonPath=6:string!`,
    CustomResourceConversion: 'strategy=1:string! webhook=2:WebhookConversion?',
    CustomResourceDefinition: `
      metadata=1:meta.ObjectMeta spec=2:CustomResourceDefinitionSpec!
      status=3:CustomResourceDefinitionStatus`,
    CustomResourceDefinitionCondition: `
      type=1:string! status=2:string! lastTransitionTime=3:Time reason=4:string message=5:string`,
    CustomResourceDefinitionNames: `
      plural=1:string! singular=2:string shortNames=3:string[] kind=4:string! listKind=5:string
      categories=6:string[]`,
    CustomResourceDefinitionSpec: `
      group=1:string! names=3:CustomResourceDefinitionNames! scope=4:string!
      versions=7:CustomResourceDefinitionVersion[]! conversion=9:CustomResourceConversion?
      preserveUnknownFields=10:bool`,
    CustomResourceDefinitionStatus: `
      conditions=1:CustomResourceDefinitionCondition[]! acceptedNames=2:CustomResourceDefinitionNames!
      storedVersions=3:string[]!`,
    CustomResourceDefinitionVersion: `
      name=1:string! served=2:bool! storage=3:bool! deprecated=7:bool deprecationWarning=8:string?
      schema=4:CustomResourceValidation? subresources=5:CustomResourceSubresources?
      additionalPrinterColumns=6:CustomResourceColumnDefinition[] selectableFields=9:SelectableField[]`,
    CustomResourceSubresourceScale: `
      specReplicasPath=1:string! statusReplicasPath=2:string! labelSelectorPath=3:string?`,
    CustomResourceSubresourceStatus: `
`,
    CustomResourceSubresources: `
      status=1:CustomResourceSubresourceStatus? scale=2:CustomResourceSubresourceScale?`,
    CustomResourceValidation: 'openAPIV3Schema=1:JSONSchemaProps?',
    ExternalDocumentation: 'description=1:string url=2:string',
    JSONSchemaProps: `
      id=1:string $schema@schema=2:string $ref@ref=3:string? description=4:string type=5:string
      format=6:string title=7:string default=8:JSON? maximum=9:double? exclusiveMaximum=10:bool
      minimum=11:double? exclusiveMinimum=12:bool maxLength=13:int64? minLength=14:int64?
      pattern=15:string maxItems=16:int64? minItems=17:int64? uniqueItems=18:bool multipleOf=19:double?
      enum=20:JSON[] maxProperties=21:int64? minProperties=22:int64? required=23:string[]
      items=24:JSONSchemaPropsOrArray? allOf=25:JSONSchemaProps[] oneOf=26:JSONSchemaProps[]
      anyOf=27:JSONSchemaProps[] not=28:JSONSchemaProps? properties=29:{string,JSONSchemaProps}
      additionalProperties=30:JSONSchemaPropsOrBool? patternProperties=31:{string,JSONSchemaProps}
      dependencies=32:{string,JSONSchemaPropsOrStringArray} additionalItems=33:JSONSchemaPropsOrBool?
      definitions=34:{string,JSONSchemaProps} externalDocs=35:ExternalDocumentation? example=36:JSON?
      nullable=37:bool x-kubernetes-preserve-unknown-fields@xKubernetesPreserveUnknownFields=38:bool?
      x-kubernetes-embedded-resource@xKubernetesEmbeddedResource=39:bool
      x-kubernetes-int-or-string@xKubernetesIntOrString=40:bool
      x-kubernetes-list-map-keys@xKubernetesListMapKeys=41:string[]
      x-kubernetes-list-type@xKubernetesListType=42:string?
      x-kubernetes-map-type@xKubernetesMapType=43:string?
      x-kubernetes-validations@xKubernetesValidations=44:ValidationRule[]`,
    SelectableField: 'jsonPath=1:string!',
    ServiceReference: 'namespace=1:string! name=2:string! path=3:string? port=4:int32?',
    ValidationRule: `
      rule=1:string! message=2:string messageExpression=3:string reason=4:string? fieldPath=5:string
      optionalOldSelf=6:bool?`,
    WebhookClientConfig: 'url=3:string? service=1:ServiceReference? caBundle=2:bytes',
    WebhookConversion: 'clientConfig=2:WebhookClientConfig? conversionReviewVersions=3:string[]!',
  },
};

/** The messages of apiregistration.k8s.io/v1. */
export const APIREGISTRATION_V1: MessagePackage = {
  protoPackage: 'k8s.io.kube_aggregator.pkg.apis.apiregistration.v1',
  alias: 'apiregistration',
  apiVersion: 'apiregistration.k8s.io/v1',
  kinds: ['APIService'],
  messages: {
    APIService: 'metadata=1:meta.ObjectMeta spec=2:APIServiceSpec status=3:APIServiceStatus',
    APIServiceCondition: `
      type=1:string! status=2:string! lastTransitionTime=3:Time reason=4:string message=5:string`,
    APIServiceSpec: `
      service=1:ServiceReference? group=2:string version=3:string insecureSkipTLSVerify=4:bool
      caBundle=5:bytes groupPriorityMinimum=7:int32! versionPriority=8:int32!`,
    APIServiceStatus: 'conditions=1:APIServiceCondition[]',
    ServiceReference: 'namespace=1:string name=2:string port=3:int32?',
  },
};
