import { parseKey, type Condition, type KubeObject, type ObjectKey, type ResourceType } from '@converge/core';
import type { MatcherState } from 'vitest';
import { describeAction, describeMatch, matchesAction, type Action, type ActionMatch } from '../actions.js';
import { firstMismatch, type DeepPartial, type Mismatch } from '../partial-match.js';

/** Something objects can be read from synchronously: a FakeStore (or a test environment). */
export interface PeekableStore {
  peek<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): T | undefined;
}

/** What `toContainAction` looks for: an ActionMatch plus partial bodies and the outcome. */
export interface ActionExpectation extends ActionMatch {
  /** A partial of the body sent (create, update). */
  object?: DeepPartial<KubeObject> | Record<string, unknown>;
  /** A partial of the patch sent (`{ type: 'merge', body: {...} }`). */
  patch?: Record<string, unknown>;
  /** `true`: the call failed; `false`: it succeeded; a string: it failed with that Status reason. */
  failed?: boolean | string;
}

/** The custom matchers `@converge/testing/vitest` adds to `expect`. */
export interface ConvergeMatchers<R = unknown> {
  /**
   * Asserts that a FakeStore holds an object of `type` at `key` (`'ns/name'` or an ObjectKey),
   * matching `partial` like `toMatchObject` when given. With `.not`, that it holds none
   * (a partial is not allowed with `.not`).
   */
  toHaveObject<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey | string, partial?: DeepPartial<T>): R;
  /**
   * Asserts that a list of actions (a FakeStore's, a ReconcileRun's, or an `Action[]`)
   * contains one matching `expectation`.
   */
  toContainAction(expectation: ActionExpectation): R;
  /**
   * Asserts that an object has the status condition `type`, with `status` (`'True'`, ...) or
   * matching a partial condition when given.
   */
  toHaveCondition(type: string, expected?: string | DeepPartial<Condition>): R;
  /** Asserts that an object lists `finalizer` in `metadata.finalizers`. */
  toHaveFinalizer(finalizer: string): R;
  /** Asserts that an object has an owner reference to `owner` (by uid), a controller reference when `controller: true`. */
  toBeOwnedBy(owner: KubeObject, options?: { controller?: boolean }): R;
}

declare module 'vitest' {
  // The augmentation must repeat vitest's own declaration, `any` default included.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends ConvergeMatchers<T> {}
}

/** What each matcher returns to vitest: whether it passed, and the message for a failure. */
export interface MatcherOutcome {
  pass: boolean;
  message: () => string;
}

function keyOf(key: ObjectKey | string): ObjectKey {
  return typeof key === 'string' ? parseKey(key) : key;
}

function showKey(key: ObjectKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}

function describeMismatch(state: MatcherState, what: string, m: Mismatch): string {
  const where = m.path ? ` at ${m.path}` : '';
  return `${what} does not match${where}:\n  expected: ${state.utils.stringify(m.expected)}\n  received: ${state.utils.stringify(m.actual)}`;
}

function actionsOf(received: unknown): Action[] | undefined {
  if (Array.isArray(received)) return received as Action[];
  if (received && typeof received === 'object') {
    const r = received as { actions?: unknown };
    if (typeof r.actions === 'function') return (r.actions as () => Action[]).call(received);
    if (Array.isArray(r.actions)) return r.actions as Action[];
  }
  return undefined;
}

function reasonOf(err: unknown): string | undefined {
  return err && typeof err === 'object' && typeof (err as { reason?: unknown }).reason === 'string'
    ? (err as { reason: string }).reason
    : undefined;
}

function conditionsOf(obj: unknown): Condition[] {
  const status = (obj as { status?: { conditions?: unknown } } | undefined)?.status;
  return Array.isArray(status?.conditions) ? (status.conditions as Condition[]) : [];
}

function nameOf(obj: KubeObject | undefined): string {
  if (!obj?.metadata) return String(obj);
  return `${obj.kind ?? 'object'} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name ?? ''}`;
}

/** The implementations of `ConvergeMatchers`, for `expect.extend(convergeMatchers)`. */
export const convergeMatchers = {
  toHaveObject(this: MatcherState, received: unknown, type: ResourceType, key: ObjectKey | string, partial?: unknown): MatcherOutcome {
    if (!received || typeof (received as PeekableStore).peek !== 'function') {
      throw new TypeError('toHaveObject: expected a FakeStore (or anything with peek(type, key))');
    }
    const k = keyOf(key);
    const what = `${type.kind} ${showKey(k)}`;
    const obj = (received as PeekableStore).peek(type, k);
    if (this.isNot && partial !== undefined)
      throw new TypeError('toHaveObject: .not with a partial is ambiguous; assert the object exists and use not.toMatchObject instead');
    if (!obj)
      return {
        pass: false,
        message: () => (this.isNot ? `expected no ${what}, and there is none` : `expected the store to hold ${what}, but it does not`),
      };
    if (partial === undefined)
      return {
        pass: true,
        message: () => `expected no ${what}, but the store holds one (resourceVersion ${obj.metadata.resourceVersion ?? '?'})`,
      };
    const m = firstMismatch(obj, partial, '', (a, b) => this.equals(a, b));
    if (m) return { pass: false, message: () => describeMismatch(this, what, m) };
    return { pass: true, message: () => `expected ${what} not to match` };
  },

  toContainAction(this: MatcherState, received: unknown, expectation: ActionExpectation): MatcherOutcome {
    const actions = actionsOf(received);
    if (!actions) throw new TypeError('toContainAction: expected a FakeStore, a ReconcileRun or an array of actions');
    const { object, patch, failed, ...match } = expectation;
    const candidates = actions.filter((a) => matchesAction(a, match));
    const hit = candidates.find((a) => {
      if (object !== undefined && firstMismatch(a.object, object, '', (x, y) => this.equals(x, y))) return false;
      if (patch !== undefined && firstMismatch(a.patch, patch, '', (x, y) => this.equals(x, y))) return false;
      if (failed === true && a.error === undefined) return false;
      if (failed === false && a.error !== undefined) return false;
      if (typeof failed === 'string' && reasonOf(a.error) !== failed) return false;
      return true;
    });
    const wanted = `${describeMatch(match)}${object !== undefined ? ` with object ${this.utils.stringify(object)}` : ''}${patch !== undefined ? ` with patch ${this.utils.stringify(patch)}` : ''}${failed !== undefined ? ` (failed: ${String(failed)})` : ''}`;
    const list =
      actions.length === 0
        ? '  (no actions recorded)'
        : actions.map((a) => `  ${describeAction(a)}${a.error !== undefined ? ` ✗ ${reasonOf(a.error) ?? 'error'}` : ''}`).join('\n');
    if (hit)
      return { pass: true, message: () => `expected no action ${wanted}, but found: ${describeAction(hit)}\nrecorded actions:\n${list}` };
    const near =
      candidates.length > 0
        ? `\n${candidates.length} action(s) match the verb/kind/key but not the body or outcome; the first body was ${this.utils.stringify(candidates[0]!.object ?? candidates[0]!.patch)}`
        : '';
    return { pass: false, message: () => `expected an action ${wanted}${near}\nrecorded actions:\n${list}` };
  },

  toHaveCondition(this: MatcherState, received: unknown, type: string, expected?: unknown): MatcherOutcome {
    const conditions = conditionsOf(received);
    const cond = conditions.find((c) => c.type === type);
    const who = nameOf(received as KubeObject);
    const have =
      conditions.length === 0
        ? 'no conditions'
        : `conditions ${conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ')}`;
    if (!cond) return { pass: false, message: () => `expected ${who} to have condition ${type}, but it has ${have}` };
    const partial = typeof expected === 'string' ? { status: expected } : expected;
    if (partial !== undefined) {
      const m = firstMismatch(cond, partial, '', (a, b) => this.equals(a, b));
      if (m) return { pass: false, message: () => describeMismatch(this, `condition ${type} of ${who}`, m) };
    }
    return {
      pass: true,
      message: () =>
        `expected ${who} not to have condition ${type}${partial !== undefined ? ` matching ${this.utils.stringify(partial)}` : ''}, but it has ${have}`,
    };
  },

  toHaveFinalizer(this: MatcherState, received: unknown, finalizer: string): MatcherOutcome {
    const finalizers = (received as KubeObject | undefined)?.metadata?.finalizers ?? [];
    const who = nameOf(received as KubeObject);
    const pass = finalizers.includes(finalizer);
    return {
      pass,
      message: () =>
        `expected ${who} ${pass ? 'not ' : ''}to have finalizer ${finalizer}; it has ${finalizers.length ? finalizers.join(', ') : 'none'}`,
    };
  },

  toBeOwnedBy(this: MatcherState, received: unknown, owner: KubeObject, options: { controller?: boolean } = {}): MatcherOutcome {
    const refs = (received as KubeObject | undefined)?.metadata?.ownerReferences ?? [];
    const who = nameOf(received as KubeObject);
    const uid = owner?.metadata?.uid;
    const ref = refs.find((r) => r.uid === uid);
    const pass = ref !== undefined && (options.controller !== true || ref.controller === true);
    const kind = options.controller ? 'a controller reference' : 'an owner reference';
    const have =
      refs.length === 0
        ? 'no owner references'
        : `owner references ${refs.map((r) => `${r.kind}/${r.name} (uid ${r.uid}${r.controller ? ', controller' : ''})`).join(', ')}`;
    return { pass, message: () => `expected ${who} ${pass ? 'not ' : ''}to have ${kind} to ${nameOf(owner)} (uid ${uid}); it has ${have}` };
  },
};
