import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A GenieACS NBI over real HTTP, answering as GenieACS's lib/nbi.ts does: `GET /devices/` with a
 * Mongo-style `query` (equality on parameter paths matches their `_value`, `$or`, `$and`, `$in`)
 * and a comma-separated `projection`, the match count in a `total` header, the body written as
 * "[\n" + documents joined by ",\n" + "\n]"; `POST /devices/<id>/tasks` queues a task (202 and
 * the task) or, with `?connection_request`, runs a session and answers 200 (done), or 202 with
 * the reason phrase "Task faulted", "Task queued but not processed" or the connection request's
 * failure ("Device is offline"); faults at `/faults/` (`<deviceId>:task_<taskId>`, code
 * `cwmp.<faultCode>`), DELETE clears a fault and its task. 404 "No such device".
 */
export interface FakeDevice {
  id: string;
  deviceId: { _Manufacturer: string; _OUI: string; _ProductClass: string; _SerialNumber: string };
  /** What the ACS holds (from the last inform). */
  params: Record<string, unknown>;
  /** What the device reports when it answers (defaults to `params`). */
  live?: Record<string, unknown>;
  lastInform: Date;
  /** online: answers at once; slow: never starts a session in time; offline: refuses the connection request. */
  reach?: "online" | "slow" | "offline";
  /** Paths this firmware lacks: a getParameterValues naming one faults with 9005. */
  missing?: string[];
  /** A session takes this long. */
  sessionMs?: number;
}

interface Task {
  _id: string;
  device: string;
  name: string;
  parameterNames?: string[];
  objectName?: string;
  timestamp: string;
}

interface Fault {
  _id: string;
  device: string;
  channel: string;
  timestamp: string;
  code: string;
  message: string;
  detail: { faultCode: string; faultString: string };
  retries: number;
}

export interface FakeGenieAcs {
  url: string;
  devices: Map<string, FakeDevice>;
  tasks: Task[];
  faults: Fault[];
  requests: { method: string; path: string; query: URLSearchParams; status: number }[];
  /** Answer everything with a web page (a proxy's login page in front of the NBI). */
  mode: "nbi" | "html" | "hang";
  add(device: FakeDevice): void;
  close(): Promise<void>;
}

export async function startFakeGenieAcs(): Promise<FakeGenieAcs> {
  const fake: FakeGenieAcs = {
    url: "",
    devices: new Map(),
    tasks: [],
    faults: [],
    requests: [],
    mode: "nbi",
    add: (d) => void fake.devices.set(d.id, d),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://nbi");
      const log = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        status: 0,
      };
      fake.requests.push(log);
      const answer = (
        status: number,
        body: string,
        headers: Record<string, string | number> = {},
        phrase?: string,
      ) => {
        log.status = status;
        if (phrase) res.writeHead(status, phrase, headers);
        else res.writeHead(status, headers);
        res.end(body);
      };
      if (fake.mode === "hang") return;
      if (fake.mode === "html")
        return answer(200, "<!DOCTYPE html><html><body>Sign in</body></html>", {
          "Content-Type": "text/html",
        });
      void route(fake, req, url, Buffer.concat(chunks).toString(), answer).catch((e: unknown) =>
        answer(500, `${(e as Error).name}: ${(e as Error).message}`, { Connection: "close" }),
      );
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

type Answer = (
  status: number,
  body: string,
  headers?: Record<string, string | number>,
  phrase?: string,
) => void;

async function route(
  fake: FakeGenieAcs,
  req: IncomingMessage,
  url: URL,
  body: string,
  answer: Answer,
) {
  const path = url.pathname;
  const taskRoute = /^\/devices\/([a-zA-Z0-9\-_%]+)\/tasks\/?$/.exec(path);
  const faultRoute = /^\/faults\/([a-zA-Z0-9\-_%:]+)\/?$/.exec(path);
  if (taskRoute && req.method === "POST")
    return postTask(fake, decodeURIComponent(taskRoute[1]!), url, body, answer);
  if (faultRoute && req.method === "DELETE") {
    const id = decodeURIComponent(faultRoute[1]!);
    const fault = fake.faults.find((f) => f._id === id);
    fake.faults = fake.faults.filter((f) => f._id !== id);
    if (fault?.channel.startsWith("task_"))
      fake.tasks = fake.tasks.filter((t) => t._id !== fault.channel.slice(5));
    return answer(200, "");
  }
  const collection = /^\/([a-zA-Z0-9_]+)\/?$/.exec(path)?.[1];
  if (!collection || !["devices", "faults", "tasks"].includes(collection))
    return answer(404, "404 Not Found");
  if (req.method !== "GET" && req.method !== "HEAD")
    return answer(405, "405 Method Not Allowed", { Allow: "GET, HEAD" });
  let query: Record<string, unknown> = {};
  if (url.searchParams.has("query")) {
    try {
      query = JSON.parse(url.searchParams.get("query")!) as Record<string, unknown>;
    } catch (e) {
      return answer(400, `${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  let docs: Record<string, unknown>[] =
    collection === "devices"
      ? [...fake.devices.values()].map(toDocument)
      : ((collection === "faults" ? [...fake.faults] : [...fake.tasks]) as unknown as Record<
          string,
          unknown
        >[]);
  docs = docs.filter((d) => matches(d, query, collection === "devices"));
  const total = docs.length;
  const skip = Number(url.searchParams.get("skip") ?? 0);
  const limit = Number(url.searchParams.get("limit") ?? 0);
  docs = docs.slice(skip, limit ? skip + limit : undefined);
  const projection = url.searchParams.get("projection");
  if (projection)
    docs = docs.map((d) =>
      project(
        d,
        projection.split(",").map((p) => p.trim()),
      ),
    );
  answer(
    200,
    req.method === "HEAD" ? "" : `[\n${docs.map((d) => JSON.stringify(d)).join(",\n")}\n]`,
    {
      "Content-Type": "application/json",
      total,
    },
  );
}

async function postTask(
  fake: FakeGenieAcs,
  deviceId: string,
  url: URL,
  body: string,
  answer: Answer,
) {
  if (!body) return answer(400, "");
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body) as Record<string, unknown>;
  } catch (e) {
    return answer(400, `${(e as Error).name}: ${(e as Error).message}`);
  }
  const device = fake.devices.get(deviceId);
  if (!device) return answer(404, "No such device");
  if (
    input.name === "getParameterValues" &&
    (!Array.isArray(input.parameterNames) || !input.parameterNames.length)
  )
    throw new Error("Missing 'parameterNames' property");
  if (input.name === "refreshObject" && typeof input.objectName !== "string")
    throw new Error("Missing 'objectName' property");
  const task = {
    ...input,
    device: deviceId,
    timestamp: new Date().toISOString(),
    _id: randomBytes(12).toString("hex"),
  } as Task;
  fake.tasks.push(task);
  const json = { "Content-Type": "application/json" };
  if (!url.searchParams.has("connection_request")) return answer(202, JSON.stringify(task), json);
  const reach = device.reach ?? "online";
  if (reach === "offline") return answer(202, JSON.stringify(task), json, "Device is offline");
  if (reach === "slow") {
    await sleep(Math.min(Number(url.searchParams.get("timeout")) || 3000, 3000));
    return answer(202, JSON.stringify(task), json, "Task queued but not processed");
  }
  if (device.sessionMs) await sleep(device.sessionMs);
  session(fake, device);
  if (fake.faults.some((f) => f._id === `${deviceId}:task_${task._id}`))
    return answer(202, JSON.stringify(task), json, "Task faulted");
  const pending = fake.tasks.find((t) => t._id === task._id);
  if (pending) return answer(202, JSON.stringify(pending), json, "Task queued but not processed");
  answer(200, JSON.stringify(task), json);
}

/** A CWMP session: every pending task of the device, in order; a faulted task stays, faulted. */
function session(fake: FakeGenieAcs, device: FakeDevice) {
  const live = device.live ?? device.params;
  device.lastInform = new Date();
  for (const task of fake.tasks.filter((t) => t.device === device.id)) {
    if (fake.faults.some((f) => f.channel === `task_${task._id}`)) continue;
    const names =
      task.name === "getParameterValues" ? task.parameterNames! : [task.objectName ?? ""];
    const invalid = names.find((n) =>
      task.name === "refreshObject"
        ? !Object.keys(live).some((p) => p.startsWith(n))
        : device.missing?.includes(n) || !(n in live),
    );
    if (invalid !== undefined && task.name !== "reboot") {
      fake.faults.push({
        _id: `${device.id}:task_${task._id}`,
        device: device.id,
        channel: `task_${task._id}`,
        timestamp: new Date().toISOString(),
        code: "cwmp.9005",
        message: "Invalid parameter name",
        detail: { faultCode: "9005", faultString: "Invalid parameter name" },
        retries: 0,
      });
      continue;
    }
    if (task.name === "reboot") {
      for (const key of Object.keys(live)) if (key.endsWith("DeviceInfo.UpTime")) live[key] = 0;
    }
    for (const [path, value] of Object.entries(live))
      if (task.name === "reboot" || names.some((n) => path === n || path.startsWith(n)))
        device.params[path] = value;
    fake.tasks = fake.tasks.filter((t) => t._id !== task._id);
  }
}

/** The device as GenieACS stores it: nested objects, each parameter an object with `_value`. */
function toDocument(device: FakeDevice): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    _id: device.id,
    _deviceId: device.deviceId,
    _lastInform: device.lastInform.toISOString(),
  };
  for (const [path, value] of Object.entries(device.params)) {
    let node = doc;
    const parts = path.split(".");
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {
        _object: true,
        _writable: false,
        _timestamp: device.lastInform.toISOString(),
      };
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = {
      _value: value,
      _type:
        typeof value === "number"
          ? "xsd:int"
          : typeof value === "boolean"
            ? "xsd:boolean"
            : "xsd:string",
      _timestamp: device.lastInform.toISOString(),
      _writable: false,
    };
  }
  return doc;
}

function valueAt(doc: Record<string, unknown>, path: string, params: boolean): unknown {
  let node: unknown = doc;
  for (const part of path.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  // GenieACS's query.expand: a parameter path compares its _value.
  return params && !path.startsWith("_") && node && typeof node === "object"
    ? (node as { _value?: unknown })._value
    : node;
}

function matches(
  doc: Record<string, unknown>,
  query: Record<string, unknown>,
  params: boolean,
): boolean {
  return Object.entries(query).every(([key, cond]) => {
    if (key === "$or")
      return (cond as Record<string, unknown>[]).some((q) => matches(doc, q, params));
    if (key === "$and")
      return (cond as Record<string, unknown>[]).every((q) => matches(doc, q, params));
    const value = valueAt(doc, key, params);
    if (cond && typeof cond === "object" && "$in" in cond)
      return (cond.$in as unknown[]).includes(value);
    if (cond && typeof cond === "object" && "$ne" in cond) return value !== cond.$ne;
    return value === cond;
  });
}

function project(doc: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { _id: doc._id };
  for (const path of paths) {
    const parts = path.split(".");
    let from: unknown = doc;
    for (const part of parts) from = (from as Record<string, unknown> | undefined)?.[part];
    if (from === undefined) continue;
    let to = out;
    for (const part of parts.slice(0, -1)) {
      to[part] ??= {};
      to = to[part] as Record<string, unknown>;
    }
    to[parts.at(-1)!] = from;
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TR-181 modem and a TR-098 ONT as they report themselves, for tests and benchmarks. */
export function tr181Params(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "Device.DeviceInfo.UpTime": 86_400,
    "Device.DeviceInfo.SoftwareVersion": "1.2.0 Build 20260301",
    "Device.DeviceInfo.ModelName": "XX230v",
    "Device.DeviceInfo.SerialNumber": "22345ABCDE",
    "Device.IP.Interface.1.Status": "Up",
    "Device.IP.Interface.1.IPv4Address.1.IPAddress": "100.64.12.34",
    "Device.PPP.Interface.1.ConnectionStatus": "Connected",
    "Device.PPP.Interface.1.IPCP.LocalIPAddress": "100.64.12.34",
    "Device.Optical.Interface.1.OpticalSignalLevel": -19_520,
    "Device.Optical.Interface.1.TransmitOpticalLevel": 2_100,
    "Device.WiFi.Radio.1.OperatingFrequencyBand": "2.4GHz",
    "Device.WiFi.Radio.1.Channel": 6,
    "Device.WiFi.Radio.2.OperatingFrequencyBand": "5GHz",
    "Device.WiFi.Radio.2.Channel": 44,
    "Device.WiFi.SSID.1.SSID": "Tremblay",
    "Device.WiFi.SSID.1.Enable": true,
    "Device.WiFi.SSID.1.LowerLayers": "Device.WiFi.Radio.1.",
    "Device.WiFi.SSID.2.SSID": "Tremblay-5G",
    "Device.WiFi.SSID.2.Enable": true,
    "Device.WiFi.SSID.2.LowerLayers": "Device.WiFi.Radio.2.",
    "Device.WiFi.AccessPoint.1.SSIDReference": "Device.WiFi.SSID.1.",
    "Device.WiFi.AccessPoint.1.AssociatedDeviceNumberOfEntries": 3,
    "Device.WiFi.AccessPoint.2.SSIDReference": "Device.WiFi.SSID.2.",
    "Device.WiFi.AccessPoint.2.AssociatedDeviceNumberOfEntries": 5,
    "Device.WiFi.MultiAP.APDevice.1.MACAddress": "AA:BB:CC:00:00:01",
    "Device.WiFi.MultiAP.APDevice.1.Manufacturer": "TP-Link",
    "Device.WiFi.MultiAP.APDevice.1.ProductClass": "Deco XE75",
    "Device.WiFi.MultiAP.APDevice.1.BackhaulLinkType": "Wi-Fi",
    "Device.WiFi.MultiAP.APDevice.1.BackhaulSignalStrength": -58,
    "Device.Hosts.Host.1.HostName": "iPhone",
    "Device.Hosts.Host.1.IPAddress": "192.168.0.10",
    "Device.Hosts.Host.1.PhysAddress": "aa:bb:cc:11:22:33",
    "Device.Hosts.Host.1.Active": true,
    "Device.Hosts.Host.1.Layer1Interface": "Device.WiFi.SSID.2.",
    "Device.Hosts.Host.2.HostName": "desktop",
    "Device.Hosts.Host.2.IPAddress": "192.168.0.11",
    "Device.Hosts.Host.2.PhysAddress": "aa:bb:cc:11:22:44",
    "Device.Hosts.Host.2.Active": false,
    "Device.Hosts.Host.2.Layer1Interface": "Device.Ethernet.Interface.2.",
    ...over,
  };
}

export function tr098HuaweiParams(over: Record<string, unknown> = {}): Record<string, unknown> {
  const wan = "InternetGatewayDevice.WANDevice.1";
  return {
    "InternetGatewayDevice.DeviceInfo.UpTime": 3_600,
    "InternetGatewayDevice.DeviceInfo.SoftwareVersion": "V5R020C10S115",
    "InternetGatewayDevice.DeviceInfo.ModelName": "EG8145V5",
    "InternetGatewayDevice.DeviceInfo.SerialNumber": "485754431A2B3C4D",
    [`${wan}.WANConnectionDevice.1.WANPPPConnection.1.ConnectionStatus`]: "Connected",
    [`${wan}.WANConnectionDevice.1.WANPPPConnection.1.ExternalIPAddress`]: "100.64.1.2",
    [`${wan}.X_GponInterafceConfig.RXPower`]: "-21.35",
    [`${wan}.X_GponInterafceConfig.TXPower`]: "2.31",
    "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID": "Gagnon",
    "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.Enable": true,
    "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.Channel": 11,
    "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.TotalAssociations": 2,
    "InternetGatewayDevice.LANDevice.1.Hosts.Host.1.HostName": "tv",
    "InternetGatewayDevice.LANDevice.1.Hosts.Host.1.IPAddress": "192.168.100.5",
    "InternetGatewayDevice.LANDevice.1.Hosts.Host.1.MACAddress": "00:11:22:33:44:55",
    "InternetGatewayDevice.LANDevice.1.Hosts.Host.1.Active": true,
    "InternetGatewayDevice.LANDevice.1.Hosts.Host.1.InterfaceType": "Ethernet",
    ...over,
  };
}
