/**
 * The record of the calls made on a FakeStore: what each call addressed and carried, in
 * order, and how it ended.
 */
import { deepFreeze, type Clock, type KubeObject, type ResourceType } from '@converge/core';
import { matchesAction, WRITE_VERBS, type Action, type ActionMatch, type Verb } from './actions.js';

/** What is known of a call when it starts: its action without the parts the recorder adds. */
export type ActionInput = Omit<Action, 'seq' | 'time' | 'done'>;

/** Records the calls made on a store, and answers the queries a test makes about them. */
export class ActionRecorder {
  private readonly recorded: Action[] = [];
  private seq = 0;
  private running = 0;

  /** Makes a recorder that stamps each call with `clock`'s time. */
  constructor(private readonly clock: Clock) {}

  /** Records the start of a call; the action is finished with `finish`. */
  record(input: ActionInput): Action {
    const action: Action = { ...input, seq: ++this.seq, time: this.clock.now(), done: false };
    this.recorded.push(action);
    this.running++;
    return action;
  }

  /** Records how a call ended: its error, or else its result (a watch keeps none); only the first end counts. */
  finish(action: Action, result: unknown, error: unknown): void {
    if (action.done) return;
    action.done = true;
    this.running--;
    if (error !== undefined) action.error = error;
    else if (result !== undefined && action.verb !== 'watch') action.result = result as KubeObject;
  }

  /** The calls made so far (oldest first), or those `match` selects. */
  actions(match?: ActionMatch): Action[] {
    return match ? this.recorded.filter((a) => matchesAction(a, match)) : this.recorded.slice();
  }

  /** The writes made so far, or those `match` also selects. */
  writes(match: ActionMatch): Action[] {
    return this.recorded.filter((a) => WRITE_VERBS.includes(a.verb) && matchesAction(a, match));
  }

  /** The most recent call `match` selects. */
  last(match: ActionMatch): Action | undefined {
    for (let i = this.recorded.length - 1; i >= 0; i--) if (matchesAction(this.recorded[i]!, match)) return this.recorded[i];
    return undefined;
  }

  /** Forgets the recorded calls. */
  clear(): void {
    this.recorded.length = 0;
  }

  /** How many calls have started and not finished. */
  inFlight(): number {
    return this.running;
  }
}

/** What a call addresses, for its record; tolerant of malformed arguments (the registry refuses those). */
export function actionTarget(
  verb: Verb,
  type: ResourceType | null | undefined,
  namespace: unknown,
  name?: unknown,
  subresource?: unknown,
): ActionInput {
  const t = (type && typeof type === 'object' ? type : {}) as Partial<ResourceType>;
  const a: { -readonly [K in keyof ActionInput]: ActionInput[K] } = {
    verb,
    resource: String(t.resource ?? ''),
    group: String(t.group ?? ''),
    version: String(t.version ?? ''),
    kind: String(t.kind ?? ''),
  };
  if (typeof namespace === 'string' && namespace && t.namespaced !== false) a.namespace = namespace;
  if (typeof name === 'string' && name) {
    a.name = name;
    a.key = a.namespace ? `${a.namespace}/${name}` : name;
  }
  if (typeof subresource === 'string' && subresource) a.subresource = subresource;
  return a;
}

/** A frozen copy of a request body as it was at call time (frozen values are shared as they are). */
export function snapshot<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  try {
    return deepFreeze(structuredClone(value));
  } catch {
    return value;
  }
}

/** The options of a call as recorded: frozen, without undefined entries; undefined when none is left. */
export function freezeOptions(options: object | null | undefined): Readonly<Record<string, unknown>> | undefined {
  if (!options || typeof options !== 'object') return undefined;
  const entries = Object.entries(options).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : Object.freeze(Object.fromEntries(entries));
}
