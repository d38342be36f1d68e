/**
 * The create-only kinds the API server answers itself instead of storing: the auth reviews
 * (TokenReview, SelfSubjectReview, SubjectAccessReview, SelfSubjectAccessReview,
 * LocalSubjectAccessReview, SelfSubjectRulesReview) and the TokenRequest of
 * `serviceaccounts/<name>/token`. Reviews are answered by the authenticator and the
 * authorizer plug point, so RBAC will answer them unchanged when it arrives.
 */
import { badRequest, isNotFound, notFound, rfc3339, type Clock, type KubeObject, type ObjectStore } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Authorizer, AuthorizationAttributes } from './authorizer.js';
import type { RequestAuthenticator } from './request-authenticator.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';
import type { UserInfo } from './user-info.js';

/** The kinds answered by `ReviewHandler.review`. */
export const REVIEW_KINDS = new Set([
  'authentication.k8s.io/TokenReview',
  'authentication.k8s.io/SelfSubjectReview',
  'authorization.k8s.io/SubjectAccessReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/LocalSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
]);

/** Options of a ReviewHandler. */
export interface ReviewHandlerOptions {
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
  tokens: ServiceAccountTokens;
  store: ObjectStore;
  catalog: ResourceCatalog;
  clock: Clock;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function userInfoJson(u: UserInfo): Obj {
  const out: Obj = { username: u.username };
  if (u.uid) out['uid'] = u.uid;
  out['groups'] = u.groups;
  if (u.extra && Object.keys(u.extra).length > 0) out['extra'] = u.extra;
  return out;
}

function reply(body: Obj, apiVersion: string, kind: string, status: Obj): Obj {
  const metadata = { ...obj(body['metadata']), creationTimestamp: null };
  return { kind, apiVersion, metadata, spec: obj(body['spec']), status };
}

/** Answers reviews and token requests. */
export class ReviewHandler {
  constructor(private readonly o: ReviewHandlerOptions) {}

  /** Answers one review; `group/Kind` says which, `namespace` is the path's (LocalSubjectAccessReview). */
  async review(group: string, version: string, kind: string, body: Obj, caller: UserInfo, namespace: string | undefined): Promise<Obj> {
    const apiVersion = `${group}/${version}`;
    const spec = obj(body['spec']);
    switch (`${group}/${kind}`) {
      case 'authentication.k8s.io/SelfSubjectReview':
        return {
          kind,
          apiVersion,
          metadata: { ...obj(body['metadata']), creationTimestamp: null },
          status: { userInfo: userInfoJson(caller) },
        };
      case 'authentication.k8s.io/TokenReview': {
        const token = str(spec['token']);
        if (!token) throw badRequest('TokenReview.authentication.k8s.io "" is invalid: spec.token: Required value');
        const wanted = Array.isArray(spec['audiences']) ? (spec['audiences'] as string[]) : [];
        const r = await this.o.authenticator.authenticateToken(token);
        const audiences = r?.audiences ?? this.o.tokens.apiAudiences;
        const want = wanted.length > 0 ? wanted : this.o.tokens.apiAudiences;
        const matched = want.filter((a) => audiences.includes(a));
        if (!r || (r.audiences !== undefined && matched.length === 0)) {
          return reply(body, apiVersion, kind, { user: {}, error: r ? 'token audiences do not match' : 'invalid bearer token' });
        }
        return reply(body, apiVersion, kind, {
          authenticated: true,
          user: userInfoJson(r.user),
          audiences: wanted.length > 0 ? matched : audiences,
        });
      }
      case 'authorization.k8s.io/SelfSubjectRulesReview': {
        const ns = str(spec['namespace']) ?? '';
        const rules = await this.o.authorizer.rulesFor(caller, ns);
        const status: Obj = { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: rules.incomplete };
        if (rules.evaluationError) status['evaluationError'] = rules.evaluationError;
        return reply(body, apiVersion, kind, status);
      }
      case 'authorization.k8s.io/SubjectAccessReview':
      case 'authorization.k8s.io/SelfSubjectAccessReview':
      case 'authorization.k8s.io/LocalSubjectAccessReview': {
        let user = caller;
        if (kind !== 'SelfSubjectAccessReview') {
          const username = str(spec['user']);
          const groups = Array.isArray(spec['groups']) ? (spec['groups'] as string[]) : [];
          if (!username && groups.length === 0)
            throw badRequest(
              `${kind}.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified`,
            );
          user = { username: username ?? '', groups };
          const uid = str(spec['uid']);
          if (uid) user.uid = uid;
          if (spec['extra'] && typeof spec['extra'] === 'object') user.extra = spec['extra'] as Record<string, string[]>;
        }
        const ra = spec['resourceAttributes'] ? obj(spec['resourceAttributes']) : undefined;
        const nra = spec['nonResourceAttributes'] ? obj(spec['nonResourceAttributes']) : undefined;
        if (!ra && !nra)
          throw badRequest(
            `${kind}.authorization.k8s.io "" is invalid: spec.resourceAttributes: Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified`,
          );
        if (kind === 'LocalSubjectAccessReview' && ra && (str(ra['namespace']) ?? '') !== (namespace ?? '')) {
          throw badRequest(
            `${kind}.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: ${JSON.stringify(ra['namespace'] ?? '')}: must match metadata.namespace`,
          );
        }
        const attrs: AuthorizationAttributes = ra
          ? {
              user,
              verb: str(ra['verb']) ?? '',
              resourceRequest: true,
              ...(str(ra['namespace']) ? { namespace: str(ra['namespace'])! } : {}),
              apiGroup: str(ra['group']) ?? '',
              ...(str(ra['version']) ? { apiVersion: str(ra['version'])! } : {}),
              resource: str(ra['resource']) ?? '',
              ...(str(ra['subresource']) ? { subresource: str(ra['subresource'])! } : {}),
              ...(str(ra['name']) ? { name: str(ra['name'])! } : {}),
            }
          : { user, verb: str(nra!['verb']) ?? '', resourceRequest: false, path: str(nra!['path']) ?? '' };
        const d = await this.o.authorizer.authorize(attrs);
        const status: Obj = { allowed: d.decision === 'allow' };
        if (d.decision === 'deny') status['denied'] = true;
        if (d.reason) status['reason'] = d.reason;
        return reply(body, apiVersion, kind, status);
      }
      default:
        throw notFound({ resource: kind.toLowerCase() }, '');
    }
  }

  /** `POST serviceaccounts/<name>/token`: signs a token bound to the ServiceAccount (and to a Pod or Secret when asked). */
  async tokenRequest(namespace: string, name: string, body: Obj, dryRun: boolean): Promise<Obj> {
    const saDef = this.o.catalog.get({ group: '', version: 'v1', resource: 'serviceaccounts' });
    if (!saDef) throw notFound({ resource: 'serviceaccounts' }, name);
    const kind = str(body['kind']);
    if (kind && kind !== 'TokenRequest') throw badRequest(`the kind in the data (${kind}) does not match the expected kind (TokenRequest)`);
    const sa = await this.o.store.get(saDef, { namespace, name });
    const spec = obj(body['spec']);
    const audiences = Array.isArray(spec['audiences'])
      ? (spec['audiences'] as unknown[]).filter((a): a is string => typeof a === 'string' && a !== '')
      : [];
    const expirationSeconds = typeof spec['expirationSeconds'] === 'number' ? spec['expirationSeconds'] : 3600;
    const ref = spec['boundObjectRef'] ? obj(spec['boundObjectRef']) : undefined;
    const issue: Parameters<ServiceAccountTokens['issue']>[0] = { namespace, name, uid: sa.metadata.uid ?? '', expirationSeconds };
    if (audiences.length > 0) issue.audiences = audiences;
    if (ref) issue.boundObject = await this.boundObject(namespace, ref);
    const outSpec: Obj = {
      audiences: audiences.length > 0 ? audiences : this.o.tokens.apiAudiences,
      expirationSeconds,
      boundObjectRef: ref ?? null,
    };
    if (dryRun) {
      return {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name, namespace, creationTimestamp: rfc3339(this.o.clock.now()) },
        spec: outSpec,
        status: { token: '', expirationTimestamp: rfc3339(this.o.clock.now() + expirationSeconds * 1000) },
      };
    }
    const t = await this.o.tokens.issue(issue);
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: rfc3339(this.o.clock.now()) },
      spec: outSpec,
      status: { token: t.token, expirationTimestamp: t.expirationTimestamp },
    };
  }

  private async boundObject(namespace: string, ref: Obj): Promise<{ kind: string; name: string; uid?: string }> {
    const kind = str(ref['kind']) ?? '';
    const name = str(ref['name']);
    if (!name) throw badRequest('TokenRequest.authentication.k8s.io "" is invalid: spec.boundObjectRef.name: Required value');
    const resource = kind === 'Pod' ? 'pods' : kind === 'Secret' ? 'secrets' : kind === 'Node' ? 'nodes' : undefined;
    if (!resource)
      throw badRequest(
        `TokenRequest.authentication.k8s.io "" is invalid: spec.boundObjectRef.kind: Unsupported value: ${JSON.stringify(kind)}: supported values: "Pod", "Secret", "Node"`,
      );
    const def = this.o.catalog.get({ group: '', version: 'v1', resource });
    if (!def) throw notFound({ resource }, name);
    let target: KubeObject;
    try {
      target = await this.o.store.get(def, def.namespaced ? { namespace, name } : { name });
    } catch (err) {
      if (isNotFound(err)) throw notFound({ resource }, name);
      throw err;
    }
    const uid = str(ref['uid']);
    if (uid && uid !== target.metadata.uid)
      throw badRequest(
        `the UID in the bound object reference (${uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    const out: { kind: string; name: string; uid?: string } = { kind, name };
    if (target.metadata.uid) out.uid = target.metadata.uid;
    return out;
  }
}
