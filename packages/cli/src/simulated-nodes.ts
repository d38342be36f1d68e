import { Manager, realClock, type Logger, type ObjectStore } from '@converge/core';
import { simulatedNodeAgent } from '@converge/builtin-controllers';

/** Options of `startSimulatedNodes`. */
export interface StartSimulatedNodesOptions {
  /** The cluster's store (the registry, in process). */
  store: ObjectStore;
  /** How many nodes (`--simulated-nodes <n>`). */
  nodes: number;
  logger?: Logger;
  /** Where a failure of the agent is reported (stderr). */
  log?: (line: string) => void;
  /** Bind pending pods round-robin itself (a stand-in for the scheduler); default false: the scheduler binds them. */
  bindUnscheduled?: boolean;
}

/** Simulated nodes running, as `startSimulatedNodes` started them. */
export interface RunningSimulatedNodes {
  /** The names of the Nodes registered. */
  nodeNames: string[];
  /** Stops the agent (the Node objects stay, as a stopped kubelet's do). */
  stop(): Promise<void>;
}

/**
 * Starts the simulated node agent of `converge up --simulated-nodes <n>` in its own manager
 * (no leader election: every kubelet runs): it registers the Nodes and runs their pods as
 * kwok does, until the real kubelet lands. Pods are placed by the scheduler unless
 * `bindUnscheduled` asks the agent to bind them round-robin itself.
 */
export async function startSimulatedNodes(options: StartSimulatedNodesOptions): Promise<RunningSimulatedNodes> {
  const manager = new Manager({ store: options.store, clock: realClock, ...(options.logger ? { logger: options.logger } : {}) });
  const { agent, controller, registrar } = simulatedNodeAgent({
    store: options.store,
    clock: realClock,
    nodes: options.nodes,
    bindUnscheduled: options.bindUnscheduled ?? false,
  });
  manager.add(registrar);
  manager.add(controller);
  void manager.start().catch((err: unknown) => options.log?.(`simulated nodes stopped: ${(err as Error).message}`));
  return { nodeNames: agent.nodeNames(), stop: () => manager.stop() };
}
