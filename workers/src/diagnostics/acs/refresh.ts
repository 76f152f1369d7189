import { AcsError } from "../errors.js";
import type { GenieAcsClient } from "./nbi-client.js";

/** Tasks left unanswered are dropped by GenieACS after this long, rather than pile up. */
const TASK_EXPIRY_S = 600;
/** A batch split on fault 9005 takes at most this many tasks in all. */
const MAX_TASKS = 12;

export interface RefreshResult {
  /** The device answered: what the ACS holds now is live. */
  fresh: boolean;
  /** Why not, in GenieACS's words ("Device is offline", "Task queued but not processed"). */
  reason?: string;
  /** Paths this firmware does not have (fault 9005), left out of the batch. */
  dropped: string[];
}

/**
 * Ask the device to report: the subtrees are queued (refreshObject), then one
 * getParameterValues with a connection request runs them all in one session. A batch the
 * device faults on one invalid path (CWMP 9005) is split in halves and retried, the bad path
 * dropped, each fault cleared so GenieACS does not retry it at every inform.
 */
export async function refreshDevice(
  acs: GenieAcsClient,
  deviceId: string,
  scalars: string[],
  subtrees: string[],
  opts: { connectionTimeoutMs: number; signal?: AbortSignal | undefined },
): Promise<RefreshResult> {
  const queued: string[] = [];
  for (const objectName of subtrees) {
    const outcome = await acs.task(
      deviceId,
      { name: "refreshObject", objectName, expiry: TASK_EXPIRY_S },
      { connectionRequest: false, signal: opts.signal },
    );
    if (outcome.task._id) queued.push(outcome.task._id);
  }
  const state = { tasks: 0, dropped: [] as string[] };
  const result = await getValues(acs, deviceId, scalars, state, opts);
  // A subtree this firmware lacks faults too: clear it rather than leave it to every inform.
  if (result.fresh) await clearFaults(acs, deviceId, queued, opts.signal);
  return { ...result, dropped: state.dropped };
}

async function getValues(
  acs: GenieAcsClient,
  deviceId: string,
  paths: string[],
  state: { tasks: number; dropped: string[] },
  opts: { connectionTimeoutMs: number; signal?: AbortSignal | undefined },
): Promise<Omit<RefreshResult, "dropped">> {
  if (++state.tasks > MAX_TASKS)
    throw new AcsError(
      "error",
      `the modem faulted on ${state.tasks - 1} batches of parameters in a row`,
    );
  const outcome = await acs.task(
    deviceId,
    { name: "getParameterValues", parameterNames: paths, expiry: TASK_EXPIRY_S },
    { connectionRequest: true, timeoutMs: opts.connectionTimeoutMs, signal: opts.signal },
  );
  if (outcome.state === "done") return { fresh: true };
  if (outcome.state === "queued") return { fresh: false, reason: outcome.reason };
  const fault = outcome.task._id
    ? await acs.taskFault(deviceId, outcome.task._id, opts.signal)
    : undefined;
  if (fault) await acs.deleteFault(fault._id, opts.signal);
  if (fault?.code !== "cwmp.9005")
    throw new AcsError(
      "error",
      `the modem refused to report its values: ${fault ? `${fault.code} ${fault.message}` : "a fault GenieACS did not keep"}`,
    );
  if (paths.length === 1) {
    state.dropped.push(paths[0]!);
    return { fresh: true };
  }
  const half = Math.ceil(paths.length / 2);
  const left = await getValues(acs, deviceId, paths.slice(0, half), state, opts);
  if (!left.fresh) return left;
  return getValues(acs, deviceId, paths.slice(half), state, opts);
}

async function clearFaults(
  acs: GenieAcsClient,
  deviceId: string,
  taskIds: string[],
  signal?: AbortSignal,
) {
  for (const id of taskIds) {
    const fault = await acs.taskFault(deviceId, id, signal);
    if (fault) await acs.deleteFault(fault._id, signal);
  }
}
