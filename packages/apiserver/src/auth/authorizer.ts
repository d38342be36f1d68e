/**
 * The authorizer plug point: every request, and every SubjectAccessReview, asks it. Until RBAC
 * arrives, `AllowAuthenticatedAuthorizer` admits every authenticated user; an RBAC authorizer
 * will implement this same interface, and the auth reviews will then answer from it unchanged.
 */
import { AUTHENTICATED_GROUP, type UserInfo } from './user-info.js';

/** What a request wants to do (Kubernetes' `authorizer.Attributes`). */
export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  /** Whether this is a resource request (else `path` is set). */
  resourceRequest: boolean;
  namespace?: string;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  /** The path of a non-resource request. */
  path?: string;
}

/** An authorizer's answer. */
export interface AuthorizationDecision {
  decision: 'allow' | 'deny' | 'noOpinion';
  reason?: string;
}

/** One resource rule of a SelfSubjectRulesReview. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** One non-resource rule of a SelfSubjectRulesReview. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** The rules a user has in a namespace. */
export interface RulesResult {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

/** Decides whether a user may do something, and lists what a user may do. */
export interface Authorizer {
  authorize(attributes: AuthorizationAttributes): Promise<AuthorizationDecision>;
  /** The rules of a user in a namespace (SelfSubjectRulesReview, `kubectl auth can-i --list`). */
  rulesFor(user: UserInfo, namespace: string): Promise<RulesResult>;
}

/** Admits every authenticated user to everything (the plug point's default until RBAC). */
export class AllowAuthenticatedAuthorizer implements Authorizer {
  async authorize(attributes: AuthorizationAttributes): Promise<AuthorizationDecision> {
    return attributes.user.groups.includes(AUTHENTICATED_GROUP) ? { decision: 'allow', reason: '' } : { decision: 'noOpinion', reason: '' };
  }

  async rulesFor(user: UserInfo): Promise<RulesResult> {
    if (!user.groups.includes(AUTHENTICATED_GROUP)) return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
}
