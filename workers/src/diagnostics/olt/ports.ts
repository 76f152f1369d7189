import { IF_DESCR, ponKey } from "./profiles.js";
import type { OltSession } from "./session.js";
import { walkColumns } from "./walk.js";

/** An OLT's PON ports: ifIndex <-> the port as people write it ("0/1/3"), from IF-MIB ifDescr. */
export class PonPorts {
  constructor(
    private readonly byIfIndex: Map<number, string>,
    private readonly byKey: Map<string, number>,
  ) {}

  static async read(session: OltSession, signal?: AbortSignal): Promise<PonPorts> {
    const [descr] = await walkColumns(session, [IF_DESCR], { signal });
    const byIfIndex = new Map<number, string>();
    const byKey = new Map<string, number>();
    for (const [tail, vb] of descr ?? []) {
      const name = Buffer.isBuffer(vb.value) ? vb.value.toString("latin1") : String(vb.value);
      const key = /\d+\/\d+\/\D*\d+/.test(name) ? ponKey(name) : null;
      if (!key || !/^\d+$/.test(tail)) continue;
      byIfIndex.set(Number(tail), key);
      byKey.set(key, Number(tail));
    }
    return new PonPorts(byIfIndex, byKey);
  }

  /** A location's PON port: its name ("0/1/3", "GPON 0/1/3") or its ifIndex written out. */
  ifIndexOf(port: string): number | undefined {
    if (/^\d{5,}$/.test(port.trim())) return Number(port);
    const key = ponKey(port);
    return key ? this.byKey.get(key) : undefined;
  }

  nameOf(ifIndex: number): string | null {
    return this.byIfIndex.get(ifIndex) ?? null;
  }

  names(): string[] {
    return [...this.byKey.keys()];
  }
}

/** PON ports per OLT, read once and kept a while (they change when a card is added). */
export class PonPortCache {
  private readonly entries = new Map<string, { at: number; ports: Promise<PonPorts> }>();

  constructor(private readonly ttlMs = 30 * 60_000) {}

  get(session: OltSession, signal?: AbortSignal): Promise<PonPorts> {
    const key = `${session.target.olt}|${session.target.host}:${session.target.port}`;
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.ports;
    const ports = PonPorts.read(session, signal);
    this.entries.set(key, { at: Date.now(), ports });
    ports.catch(() => this.entries.delete(key));
    return ports;
  }
}
