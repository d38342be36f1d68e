/**
 * Service-account tokens: signs the JWTs a TokenRequest (`serviceaccounts/<name>/token`,
 * `kubectl create token`) returns, and recognises them as bearer tokens afterwards.
 *
 * A token is bound to the ServiceAccount's uid (and optionally to a Pod or Secret): when the
 * ServiceAccount is deleted or recreated, its old tokens stop working. The signing key pair is
 * an ES256 key kept in `<dataDir>/sa.key` (and `sa.pub`), made on first start, or given (the
 * key of a cluster of several API servers).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badRequest, realClock, rfc3339, type Clock, type KubeObject } from '@converge/core';
import { jwtVerify, SignJWT } from 'jose';
import type { TokenAuthenticator, UserInfo } from './user-info.js';

/** The issuer and default audience of Converge's service-account tokens. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** Finds a ServiceAccount (to check a token's binding); undefined when it does not exist. */
export type ServiceAccountLookup = (namespace: string, name: string) => Promise<KubeObject | undefined>;

/** Options of a ServiceAccountTokens. */
export interface ServiceAccountTokensOptions {
  /** Where the signing key pair lives; unset = a fresh key pair in memory (tokens die with the server). */
  dataDir?: string;
  /**
   * The signing key (PEM private key, EC P-256), given (e.g. `--service-account-signing-key-file`,
   * shared by several API servers): used instead of the data dir's `sa.key`.
   */
  signingKeyPem?: string;
  issuer?: string;
  /** Audiences the API server itself accepts; default `[issuer]`. */
  apiAudiences?: string[];
  lookup: ServiceAccountLookup;
  clock?: Clock;
}

/** What a token is bound to besides its ServiceAccount. */
export interface BoundObject {
  kind: string;
  name: string;
  uid?: string;
}

/** A request for a token. */
export interface IssueRequest {
  namespace: string;
  name: string;
  uid: string;
  audiences?: string[];
  /** Lifetime in seconds; default 3600, minimum 600. */
  expirationSeconds?: number;
  boundObject?: BoundObject;
}

/** Kubernetes' private claims in a service-account token. */
interface KubernetesClaims {
  namespace: string;
  serviceaccount: { name: string; uid: string };
  pod?: { name: string; uid?: string };
  secret?: { name: string; uid?: string };
  node?: { name: string; uid?: string };
}

/** The prefix of service-account user names. */
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** The user a service account authenticates as. */
export function serviceAccountUser(namespace: string, name: string, uid?: string): UserInfo {
  const user: UserInfo = {
    username: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
  if (uid) user.uid = uid;
  return user;
}

function loadOrCreateKeys(dataDir: string | undefined, signingKeyPem: string | undefined): { privateKey: KeyObject; publicKey: KeyObject } {
  if (signingKeyPem) {
    const privateKey = createPrivateKey(signingKeyPem);
    if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error('the service-account signing key must be an EC P-256 private key (ES256)');
    }
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
  const keyFile = dataDir ? join(dataDir, 'sa.key') : undefined;
  if (keyFile && existsSync(keyFile)) {
    const privateKey = createPrivateKey(readFileSync(keyFile));
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  if (dataDir && keyFile) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(join(dataDir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  }
  return { privateKey, publicKey };
}

/** Issues and verifies service-account tokens. */
export class ServiceAccountTokens implements TokenAuthenticator {
  /** The `iss` of every token. */
  readonly issuer: string;
  /** The audiences the API server accepts. */
  readonly apiAudiences: string[];
  private readonly privateKey: KeyObject;
  /** The public key that verifies the tokens. */
  readonly publicKey: KeyObject;
  private readonly clock: Clock;
  private readonly lookup: ServiceAccountLookup;
  /**
   * Tokens whose signature and claims were verified, with their payload and expiry (ms): a
   * client sends the same token on every request. Bounded; the ServiceAccount is still looked
   * up on every use, so deleting it revokes its tokens at once.
   */
  private readonly verified = new Map<string, { payload: Record<string, unknown>; expiresAt: number; audiences: string }>();

  constructor(options: ServiceAccountTokensOptions) {
    this.issuer = options.issuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER;
    this.apiAudiences = options.apiAudiences ?? [this.issuer];
    this.clock = options.clock ?? realClock;
    this.lookup = options.lookup;
    const keys = loadOrCreateKeys(options.dataDir, options.signingKeyPem);
    this.privateKey = keys.privateKey;
    this.publicKey = keys.publicKey;
  }

  /** Signs a token; returns it with its expiry as an RFC 3339 timestamp. */
  async issue(req: IssueRequest): Promise<{ token: string; expirationTimestamp: string; audiences: string[] }> {
    const seconds = req.expirationSeconds ?? 3600;
    if (seconds < 600) throw badRequest('may not specify a duration less than 10 minutes');
    if (seconds > 2 ** 32) throw badRequest('may not specify a duration larger than 2^32 seconds');
    const audiences = req.audiences && req.audiences.length > 0 ? req.audiences : this.apiAudiences;
    const nowSec = Math.floor(this.clock.now() / 1000);
    const claims: KubernetesClaims = { namespace: req.namespace, serviceaccount: { name: req.name, uid: req.uid } };
    if (req.boundObject) {
      const ref: { name: string; uid?: string } = { name: req.boundObject.name };
      if (req.boundObject.uid) ref.uid = req.boundObject.uid;
      if (req.boundObject.kind === 'Pod') claims.pod = ref;
      else if (req.boundObject.kind === 'Secret') claims.secret = ref;
      else if (req.boundObject.kind === 'Node') claims.node = ref;
      else throw badRequest(`cannot bind a token to a ${req.boundObject.kind}: supported kinds are Pod, Secret and Node`);
    }
    const token = await new SignJWT({ 'kubernetes.io': claims })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(`${SERVICE_ACCOUNT_PREFIX}${req.namespace}:${req.name}`)
      .setAudience(audiences)
      .setIssuedAt(nowSec)
      .setNotBefore(nowSec)
      .setExpirationTime(nowSec + seconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expirationTimestamp: rfc3339((nowSec + seconds) * 1000), audiences };
  }

  /**
   * Verifies a token: signature, issuer, expiry, that one of `audiences` (default: the API
   * server's) is among its audiences, and that its ServiceAccount still exists with the same uid.
   */
  async verify(token: string, audiences: string[] = this.apiAudiences): Promise<{ user: UserInfo; audiences: string[] } | undefined> {
    if (!token.startsWith('eyJ')) return undefined;
    const audienceKey = audiences.join(',');
    let payload: Record<string, unknown>;
    const cached = this.verified.get(token);
    if (cached && cached.audiences === audienceKey && cached.expiresAt > this.clock.now()) {
      payload = cached.payload;
    } else {
      try {
        const result = await jwtVerify(token, this.publicKey, {
          issuer: this.issuer,
          audience: audiences,
          currentDate: new Date(this.clock.now()),
          algorithms: ['ES256'],
        });
        payload = result.payload as Record<string, unknown>;
      } catch {
        return undefined;
      }
      if (this.verified.size >= 4096) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { payload, expiresAt: Number(payload['exp']) * 1000, audiences: audienceKey });
    }
    const k8s = payload['kubernetes.io'] as KubernetesClaims | undefined;
    if (!k8s?.namespace || !k8s.serviceaccount?.name) return undefined;
    const sa = await this.lookup(k8s.namespace, k8s.serviceaccount.name);
    if (!sa || (k8s.serviceaccount.uid && sa.metadata.uid !== k8s.serviceaccount.uid)) return undefined;
    const user = serviceAccountUser(k8s.namespace, k8s.serviceaccount.name, k8s.serviceaccount.uid);
    const extra: Record<string, string[]> = {};
    if (k8s.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      if (k8s.pod.uid) extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    if (typeof payload['jti'] === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${payload['jti']}`];
    if (Object.keys(extra).length > 0) user.extra = extra;
    const aud = payload['aud'];
    return { user, audiences: Array.isArray(aud) ? (aud as string[]) : typeof aud === 'string' ? [aud] : [] };
  }

  async authenticateToken(token: string): Promise<{ user: UserInfo; audiences?: string[] } | undefined> {
    return this.verify(token);
  }
}
