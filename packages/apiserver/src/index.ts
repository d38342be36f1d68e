// server
export type { ApiServerOptions, AuthenticationOptions, RunningApiServer } from './server/api-server.js';
export { startApiServer, defaultAdmissionPlugins } from './server/api-server.js';
export type { OpenAPIHandler, ApiHandlerOptions } from './server/api-handler.js';
export { ApiHandler, PUBLIC_PATHS } from './server/api-handler.js';
export type { VersionInfo, BuildInfo } from './server/version-info.js';
export { versionInfo, buildInfo, KUBERNETES_MINOR } from './server/version-info.js';
export type { CertificateAndKey, TlsAssets, TlsAssetsOptions, LeafOptions } from './server/tls-assets.js';
export { loadOrCreateTlsAssets, createCertificateAuthority, issueCertificate, defaultServingHosts } from './server/tls-assets.js';
export type { ClusterCredentials, ClusterCredentialFiles } from './server/cluster-identity.js';
export {
  readClusterCredentials,
  clusterIdentityOf,
  claimClusterIdentity,
  loadOrCreateAdminToken,
  IDENTITY_FLAGS,
} from './server/cluster-identity.js';

// http
export type { RequestInfo, RequestVerb } from './http/request-info.js';
export { parseRequestInfo } from './http/request-info.js';
export type { ResponseTarget, WireFormat, NegotiationOptions, MediaRange, BodyEncoding } from './http/media-types.js';
export { negotiate, parseAccept, parseMediaType, contentTypeOf, bodyEncodingOf, patchTypeOf, notAcceptable } from './http/media-types.js';
export type { ProtobufDecoder, DecodedBody, DecodeOptions } from './http/body-decoder.js';
export { decodeBody, decodeObjectBody, parseJson, parseYaml } from './http/body-decoder.js';
export { MAX_REQUEST_BODY_BYTES, readBody, entityTooLarge } from './http/body-reader.js';
export { findDuplicateFields } from './http/json-duplicate-fields.js';

// discovery
export { DiscoveryService, DEFAULT_VERBS, verbsOf } from './discovery/discovery-service.js';
export type { DiscoveryDocument } from './discovery/discovery-service.js';
export type { SubresourceInfo } from './discovery/subresources.js';
export { subresourcesOf, hasSubresource } from './discovery/subresources.js';
export { compareVersions, compareGroups } from './discovery/version-priority.js';

// tables
export type { IncludeObject, TableColumnDefinition, TableRow, TableConvertorOptions } from './tables/table-convertor.js';
export { TableConvertor, partialObjectMetadata, hasNameColumn } from './tables/table-convertor.js';
/** @deprecated JSONPath lives in `@converge/core/kinds`; these re-exports keep old imports working. */
export type { JsonPath } from '@converge/core/kinds';
export { compileJsonPath } from '@converge/core/kinds';

// auth
export type { UserInfo, Authenticator, TokenAuthenticator } from './auth/user-info.js';
export { ANONYMOUS_USER, AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP, MASTERS_GROUP } from './auth/user-info.js';
export { CONTROLLER_MANAGER_USER, SCHEDULER_USER, NODES_GROUP, nodeUser } from './auth/system-users.js';
export type { StaticToken } from './auth/static-token.authenticator.js';
export { StaticTokenAuthenticator, parseTokenFile, readTokenFile } from './auth/static-token.authenticator.js';
export type { ServiceAccountTokensOptions, ServiceAccountLookup, IssueRequest, BoundObject } from './auth/service-account-tokens.js';
export { ServiceAccountTokens, serviceAccountUser, DEFAULT_SERVICE_ACCOUNT_ISSUER } from './auth/service-account-tokens.js';
export { RequestAuthenticator, unauthorized } from './auth/request-authenticator.js';
export type { ImpersonationRequest } from './auth/impersonation.js';
export {
  actingUser,
  impersonationOf,
  impersonatedUser,
  IMPERSONATE_USER_HEADER,
  IMPERSONATE_GROUP_HEADER,
  IMPERSONATE_UID_HEADER,
  IMPERSONATE_EXTRA_PREFIX,
} from './auth/impersonation.js';
export type {
  Authorizer,
  AuthorizationAttributes,
  AuthorizationDecision,
  ResourceRule,
  NonResourceRule,
  RulesResult,
} from './auth/authorizer.js';
export { AllowAuthenticatedAuthorizer } from './auth/authorizer.js';
export type { ReviewHandlerOptions } from './auth/review.handler.js';
export { ReviewHandler } from './auth/review.handler.js';

// admission
export type { AdmissionPlugin, AdmissionRequest, AdmissionOperation, AdmissionContext } from './admission/admission.js';
export { AdmissionChain } from './admission/admission.js';
export type { AdmittedStoreOptions } from './admission/admitted-store.js';
export { AdmittedStore } from './admission/admitted-store.js';
export { NamespaceLifecyclePlugin, IMMORTAL_NAMESPACES } from './admission/namespace-lifecycle.plugin.js';
export type { ServiceAccountPluginOptions } from './admission/service-account.plugin.js';
export {
  ServiceAccountPlugin,
  apiAccessVolume,
  randomSuffix,
  DEFAULT_SERVICE_ACCOUNT,
  SERVICE_ACCOUNT_MOUNT_PATH,
  API_ACCESS_VOLUME_PREFIX,
  PROJECTED_TOKEN_EXPIRATION_SECONDS,
  ROOT_CA_CONFIG_MAP,
} from './admission/service-account.plugin.js';
export { PriorityPlugin, DEFAULT_POD_PRIORITY, DEFAULT_PREEMPTION_POLICY } from './admission/priority.plugin.js';
export type { DefaultTolerationSecondsOptions } from './admission/default-toleration-seconds.plugin.js';
export {
  DefaultTolerationSecondsPlugin,
  NOT_READY_TAINT,
  UNREACHABLE_TAINT,
  DEFAULT_TOLERATION_SECONDS,
} from './admission/default-toleration-seconds.plugin.js';

// bootstrap and CRDs
export { ensureSystemNamespaces, SYSTEM_NAMESPACES } from './bootstrap/system-namespaces.js';
export { ensureSystemPriorityClasses, SYSTEM_PRIORITY_CLASSES } from './bootstrap/system-priority-classes.js';
export type { KubernetesServiceOptions } from './bootstrap/kubernetes-service.reconciler.js';
export {
  KubernetesServiceReconciler,
  advertiseAddressOf,
  wantedEndpoints,
  KUBERNETES_SERVICE_IP,
  KUBERNETES_SERVICE_NAME,
  DEFAULT_APISERVER_LEASE_SECONDS,
} from './bootstrap/kubernetes-service.reconciler.js';
export type { KeptObjectSpec, KeepOutcome } from './bootstrap/kept-object.js';
export { keepObject } from './bootstrap/kept-object.js';
export type { WatchLoopOptions } from './bootstrap/watch-loop.js';
export { WatchLoop } from './bootstrap/watch-loop.js';
export type { DefinitionsFromCRD, CrdRegistrarOptions } from './crd/crd-registrar.js';
export { CrdRegistrar } from './crd/crd-registrar.js';

// kubelet plug point
export type { KubeletConnector, KubeletConnectRequest, NodeConnectRequest, ProxyTarget } from './kubelet/kubelet-connector.js';
export { NoKubeletConnector, KUBELET_SUBRESOURCES, noKubeletForNode } from './kubelet/kubelet-connector.js';
export type { ProxyId, ServiceProxyOptions } from './handlers/proxy.handler.js';
export { ServiceProxyHandler, parseProxyId } from './handlers/proxy.handler.js';

// observability
export type { AccessLogEntry } from './observability/access-log.js';
export type { RequestLabels } from './observability/request-metrics.js';
export { RequestMetrics } from './observability/request-metrics.js';

// protobuf
export type { DecodedProtobufBody } from './protobuf/protobuf-codec.js';
export {
  ProtobufCodec,
  protobufCodec,
  decodeProtobufObject,
  decodeProtobuf,
  encodeProtobufObject,
  PROTOBUF_MEDIA_TYPE,
  PROTOBUF_MAGIC,
} from './protobuf/protobuf-codec.js';
export type { ProtobufKind } from './protobuf/proto-schema.js';
export { KubeProtoSchema, kubeProtoSchema } from './protobuf/proto-schema.js';

// openapi
export type { ServedDocument, OpenAPIServiceOptions } from './openapi/openapi-service.js';
export { OpenAPIService, OPENAPI_V2_PROTOBUF, OPENAPI_V3_PROTOBUF } from './openapi/openapi-service.js';
export type { OpenAPIV3Document } from './openapi/v3-documents.js';
export type { SwaggerDocument } from './openapi/v2-document.js';
// openapi: the protobuf form of /openapi/v2 (gnostic's openapi.v2.Document)
export { OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './openapi/openapi-service.js';
export { encodeOpenAPIV2Protobuf, decodeOpenAPIV2Protobuf } from './openapi/v2-protobuf.js';
export type { OpenAPISchema } from './openapi/openapi-names.js';
