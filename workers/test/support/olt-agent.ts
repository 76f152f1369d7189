import { createSocket } from "node:dgram";
import * as snmp from "net-snmp";
import { freePort } from "@gigafibre/testing";
import { SIM_VENDORS, ponPorts, population, type SimOnu, type SimVendor } from "./olt-mibs.js";

export const COMMUNITY = "olt-community-test";
export const V3_USER = {
  name: "fsm",
  authKey: "auth-key-0123456789",
  privKey: "priv-key-0123456789",
};

export interface OltAgentOptions {
  /** A key of SIM_VENDORS (the workers' profile id). */
  vendor: string;
  onus?: number;
  /** Misbehaviours of real agents. */
  hostile?: {
    /** Answer tooBig to a GETBULK asking more repetitions than this. */
    tooBigAbove?: number;
    /** Never answer GETBULK (GetNext still works). */
    noBulk?: boolean;
    /** Stop answering anything after this many requests (a walk cut mid-way). */
    stopAfter?: number;
  };
}

export interface OltAgent {
  port: number;
  vendor: SimVendor;
  onus: SimOnu[];
  /** Requests the agent received (answered or not). */
  requests(): number;
  close(): Promise<void>;
}

/**
 * A real SNMP agent over UDP on loopback (net-snmp's own), playing an OLT of one vendor: its
 * tables indexed `<ponIfIndex>.<onuId>`, IF-MIB ifDescr for the PON ports, v2c community and
 * an SNMPv3 user (SHA / AES). Listening on a free high port: net-snmp binds 161 when given 0.
 */
export async function startOltAgent(opts: OltAgentOptions): Promise<OltAgent> {
  const vendor = SIM_VENDORS[opts.vendor];
  if (!vendor) throw new Error(`no simulated vendor ${opts.vendor}`);
  const port = await freePort();
  const agent = snmp.createAgent(
    { port, address: "127.0.0.1", disableAuthorization: false },
    () => {},
  ) as AgentInternals;
  const authorizer = agent.getAuthorizer();
  authorizer.addCommunity(COMMUNITY);
  authorizer.addUser({
    name: V3_USER.name,
    level: snmp.SecurityLevel.authPriv,
    authProtocol: snmp.AuthProtocols.sha,
    authKey: V3_USER.authKey,
    privProtocol: snmp.PrivProtocols.aes,
    privKey: V3_USER.privKey,
  });
  const onus = population(vendor, opts.onus ?? 2048);
  fill(agent.getMib(), vendor, onus);
  let received = 0;
  misbehave(agent, opts.hostile ?? {}, () => ++received);
  return {
    port,
    vendor,
    onus,
    requests: () => received,
    close: () => new Promise<void>((resolve) => agent.close(() => resolve())),
  };
}

interface AgentInternals {
  getAuthorizer(): {
    addCommunity(c: string): void;
    addUser(u: Record<string, unknown>): void;
  };
  getMib(): Mib;
  close(cb?: () => void): void;
  getRequest(socket: unknown, message: Message, rinfo: unknown): void;
  getNextRequest(socket: unknown, message: Message, rinfo: unknown): void;
  getBulkRequest(socket: unknown, message: Message, rinfo: unknown): void;
  sendResponse(socket: unknown, rinfo: unknown, message: Message, pdu: unknown): void;
}

interface Message {
  pdu: {
    maxRepetitions: number;
    getResponsePduForRequest(): { errorStatus: number; errorIndex: number; varbinds: unknown[] };
  };
}

interface Mib {
  registerProvider(p: Record<string, unknown>): void;
  addTableRow(name: string, row: unknown[]): void;
}

function fill(mib: Mib, vendor: SimVendor, onus: SimOnu[]): void {
  const readOnly = snmp.MaxAccess["read-only"];
  mib.registerProvider({
    name: "ifEntry",
    type: snmp.MibProviderType.Table,
    oid: "1.3.6.1.2.1.2.2.1",
    maxAccess: snmp.MaxAccess["not-accessible"],
    tableColumns: [
      // Gauge32: Huawei numbers its PON ports past 2^31 (0xFA000000 + ...).
      { number: 1, name: "ifIndex", type: snmp.ObjectType.Gauge, maxAccess: readOnly },
      { number: 2, name: "ifDescr", type: snmp.ObjectType.OctetString, maxAccess: readOnly },
    ],
    tableIndex: [{ columnName: "ifIndex" }],
  });
  for (const [ifIndex, name] of ponPorts(vendor)) mib.addTableRow("ifEntry", [ifIndex, name]);
  vendor.tables.forEach((table, t) => {
    const name = `onuTable${t}`;
    // The composite index <ponIfIndex>.<onuId>: two not-accessible index columns.
    const notAccessible = snmp.MaxAccess["not-accessible"];
    mib.registerProvider({
      name,
      type: snmp.MibProviderType.Table,
      oid: table.entry,
      maxAccess: notAccessible,
      tableColumns: [
        { number: 90, name: `${name}Pon`, type: snmp.ObjectType.Gauge, maxAccess: notAccessible },
        { number: 91, name: `${name}Onu`, type: snmp.ObjectType.Gauge, maxAccess: notAccessible },
        ...table.columns.map((c) => ({
          number: c.number,
          name: `${name}C${c.number}`,
          type: snmp.ObjectType.Integer,
          maxAccess: readOnly,
        })),
      ],
      tableIndex: [{ columnName: `${name}Pon` }, { columnName: `${name}Onu` }],
    });
    for (const onu of onus)
      mib.addTableRow(name, [onu.ifIndex, onu.onuId, ...table.columns.map((c) => c.raw(onu))]);
  });
}

function misbehave(
  agent: AgentInternals,
  hostile: NonNullable<OltAgentOptions["hostile"]>,
  count: () => number,
): void {
  // The listener holds onMsg bound at start: requests are counted where each kind is answered.
  const silent = () => hostile.stopAfter !== undefined && count() > hostile.stopAfter;
  for (const kind of ["getRequest", "getNextRequest"] as const) {
    const answer = agent[kind].bind(agent);
    agent[kind] = (socket, message, rinfo) => {
      if (!silent()) answer(socket, message, rinfo);
    };
  }
  const getBulk = agent.getBulkRequest.bind(agent);
  agent.getBulkRequest = (socket, message, rinfo) => {
    if (silent() || hostile.noBulk) return;
    if (hostile.tooBigAbove !== undefined && message.pdu.maxRepetitions > hostile.tooBigAbove) {
      const pdu = message.pdu.getResponsePduForRequest();
      pdu.errorStatus = snmp.ErrorStatus.TooBig;
      pdu.errorIndex = 0;
      pdu.varbinds = [];
      agent.sendResponse(socket, rinfo, message, pdu);
      return;
    }
    getBulk(socket, message, rinfo);
  };
}

/** A UDP "agent" that answers every request with bytes that are not SNMP. */
export async function startGarbageAgent(): Promise<{ port: number; close(): Promise<void> }> {
  const port = await freePort();
  const socket = createSocket("udp4");
  socket.on("message", (_msg, rinfo) =>
    socket.send(
      Buffer.from("<html>502 Bad Gateway</html>\x00\xff\x30\x82"),
      rinfo.port,
      rinfo.address,
    ),
  );
  await new Promise<void>((resolve) => socket.bind(port, "127.0.0.1", resolve));
  return { port, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
