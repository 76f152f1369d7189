import { AcsError } from "../errors.js";

/** A device document as GenieACS stores it: nested objects, parameters under `_value`. */
export type DeviceDoc = Record<string, unknown> & { _id: string };

export interface NbiTask {
  name: "getParameterValues" | "refreshObject" | "reboot" | "setParameterValues";
  parameterNames?: string[];
  objectName?: string;
  /** Seconds GenieACS keeps the task before dropping it unanswered. */
  expiry?: number;
}

/**
 * What became of a task (GenieACS's lib/nbi.ts): 200 done in a session; 202 with a reason
 * phrase: "Task queued but not processed" (the device did not start or end a session in
 * time), "Task faulted" (the device answered with a CWMP fault), or the connection request's
 * own failure ("Device is offline", "Connection request error: ..."). The phrase is the status
 * TEXT: it is the only place GenieACS says which.
 */
export type TaskOutcome =
  | { state: "done"; task: { _id?: string } }
  | { state: "faulted"; task: { _id?: string } }
  | { state: "queued"; reason: string; task: { _id?: string } };

export interface Fault {
  _id: string;
  code: string;
  message: string;
  detail?: { faultCode?: string; faultString?: string };
}

export interface GenieAcsOptions {
  /** The NBI's base URL (GenieACS listens on 7557). */
  baseUrl: string;
  username?: string | undefined;
  password?: string | undefined;
  fetch?: typeof fetch;
}

/** The GenieACS northbound interface: device queries with projections, tasks, faults. */
export class GenieAcsClient {
  private readonly base: string;
  private readonly auth: string | undefined;
  private readonly fetch: typeof fetch;

  constructor(opts: GenieAcsOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, "");
    this.auth = opts.username
      ? `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ""}`).toString("base64")}`
      : undefined;
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  /**
   * Devices matching a Mongo-style query, only the projected parameters (a whole device
   * document runs to hundreds of KB); `total` is GenieACS's count header.
   */
  async findDevices(
    query: Record<string, unknown>,
    projection: readonly string[],
    opts: { limit?: number; signal?: AbortSignal | undefined } = {},
  ): Promise<{ total: number; devices: DeviceDoc[] }> {
    const params = new URLSearchParams({
      query: JSON.stringify(query),
      projection: projection.join(","),
    });
    if (opts.limit) params.set("limit", String(opts.limit));
    const res = await this.send("GET", `/devices/?${params}`, undefined, opts.signal);
    const devices = await this.jsonArray<DeviceDoc>(res, "device query");
    const total = Number(res.headers.get("total"));
    return {
      total: Number.isFinite(total) && res.headers.has("total") ? total : devices.length,
      devices,
    };
  }

  /**
   * POST a task. With `connectionRequest`, GenieACS asks the device to start a session now and
   * answers when it ends; `timeoutMs` is how long it waits for the session to start.
   */
  async task(
    deviceId: string,
    task: NbiTask,
    opts: { connectionRequest: boolean; timeoutMs?: number; signal?: AbortSignal | undefined },
  ): Promise<TaskOutcome> {
    const query = opts.connectionRequest
      ? `?connection_request${opts.timeoutMs ? `&timeout=${Math.round(opts.timeoutMs)}` : ""}`
      : "";
    const res = await this.send(
      "POST",
      `/devices/${encodeURIComponent(deviceId)}/tasks${query}`,
      JSON.stringify(task),
      opts.signal,
    );
    if (res.status === 404)
      throw new AcsError("error", `the ACS no longer knows device ${deviceId}`);
    if (res.status !== 200 && res.status !== 202)
      throw await this.unexpected(res, `${task.name} task`);
    const body = await this.jsonObject<{ _id?: string }>(res, `${task.name} task`);
    if (res.status === 200) return { state: "done", task: body };
    if (res.statusText === "Task faulted") return { state: "faulted", task: body };
    return { state: "queued", reason: res.statusText || "queued", task: body };
  }

  /** The fault a task left (`<deviceId>:task_<taskId>`), if any. */
  async taskFault(
    deviceId: string,
    taskId: string,
    signal?: AbortSignal,
  ): Promise<Fault | undefined> {
    const params = new URLSearchParams({
      query: JSON.stringify({ _id: `${deviceId}:task_${taskId}` }),
    });
    const res = await this.send("GET", `/faults/?${params}`, undefined, signal);
    return (await this.jsonArray<Fault>(res, "fault query"))[0];
  }

  /** Clearing a task's fault deletes the task too: nothing retries a batch we split ourselves. */
  async deleteFault(faultId: string, signal?: AbortSignal): Promise<void> {
    const res = await this.send(
      "DELETE",
      `/faults/${encodeURIComponent(faultId)}`,
      undefined,
      signal,
    );
    if (res.status !== 200 && res.status !== 404)
      throw await this.unexpected(res, "fault deletion");
    await res.body?.cancel();
  }

  private async send(
    method: string,
    path: string,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.auth) headers.Authorization = this.auth;
    try {
      return await this.fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted)
        throw signal.reason instanceof AcsError
          ? signal.reason
          : new AcsError("timeout", "the ACS did not answer in time", { cause: error });
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? String(error);
      throw new AcsError("error", `cannot reach the ACS at ${new URL(this.base).host}: ${why}`, {
        cause: error,
      });
    }
  }

  private async text(res: Response, what: string): Promise<string> {
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    if (/html/i.test(type) || /^\s*<(!doctype|html)/i.test(text))
      throw new AcsError(
        "error",
        `the ACS answered the ${what} with an HTML page (HTTP ${res.status}), not JSON: is GENIEACS_NBI_URL the NBI (port 7557) and not the web UI or a login page?`,
      );
    return text;
  }

  private async parse(res: Response, what: string): Promise<unknown> {
    if (res.status >= 400) throw await this.unexpected(res, what);
    const text = await this.text(res, what);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AcsError(
        "error",
        `the ACS answered the ${what} with something that is not JSON: ${snippet(text)}`,
      );
    }
  }

  private async jsonArray<T>(res: Response, what: string): Promise<T[]> {
    const data = await this.parse(res, what);
    if (!Array.isArray(data) || data.some((d) => !d || typeof d !== "object"))
      throw new AcsError(
        "error",
        `the ACS answered the ${what} with JSON that is not a list of documents`,
      );
    return data as T[];
  }

  private async jsonObject<T>(res: Response, what: string): Promise<T> {
    const data = await this.parse(res, what);
    if (!data || typeof data !== "object" || Array.isArray(data))
      throw new AcsError("error", `the ACS answered the ${what} with JSON that is not a task`);
    return data as T;
  }

  private async unexpected(res: Response, what: string): Promise<AcsError> {
    const text = await res.text().catch(() => "");
    return new AcsError(
      "error",
      `the ACS refused the ${what}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}${text ? `: ${snippet(text)}` : ""}`,
    );
  }
}

const snippet = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
};
