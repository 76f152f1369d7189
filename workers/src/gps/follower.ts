import type { FrappeClient } from "@gigafibre/frappe-client";
import type { Logger } from "../log.js";
import {
  KNOTS_TO_KMH,
  parseSocketMessage,
  type TraccarDevice,
  type TraccarPosition,
} from "./positions.js";
import type { TraccarClient } from "./traccar.js";

export interface GpsFollowerOptions {
  /** At most one write per technician this often; the newest position always wins. */
  minIntervalMs?: number;
  /** While the socket is down: one `GET /api/positions` this often. */
  pollMs?: number;
  /** Technicians and devices read again this often (a device added in Desk is picked up). */
  mappingMs?: number;
  /** First wait before reopening the socket; doubles up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** A device silent this long is logged once as such (its technician's ETA says so too). */
  silentMs?: number;
  /** A device no technician has makes the workers read technicians again, at most this often. */
  remapMs?: number;
  /** How often positions held back by minIntervalMs are looked at again. */
  flushMs?: number;
}

export interface GpsStats {
  mode: "stopped" | "disabled" | "websocket" | "polling";
  received: number;
  written: number;
  dropped: number;
  lastMessageAt: Date | null;
  silent: string[];
}

interface Pending {
  technician: string;
  position: TraccarPosition;
}

/**
 * Follows technicians' devices in Traccar and writes their last position to the Technician
 * (gigafibre_fsm.api.gps.record_positions). The websocket first; while it is down, polling of
 * the latest positions, and a reconnect with backoff. Positions are throttled per technician
 * (minIntervalMs) and written in one call per flush, newest fix first-class: an older fix never
 * overwrites a newer one (the app checks it too). FSM Settings > Enable GPS switches it off.
 */
export class GpsFollower {
  readonly stats: GpsStats = {
    mode: "stopped",
    received: 0,
    written: 0,
    dropped: 0,
    lastMessageAt: null,
    silent: [],
  };
  private readonly o: Required<GpsFollowerOptions>;
  private byDevice = new Map<number, string>();
  private readonly pending = new Map<string, Pending>();
  private readonly lastWrite = new Map<string, number>();
  private readonly lastFix = new Map<string, number>();
  private readonly silentLogged = new Set<string>();
  /** The newest position of each device no technician has (yet): a device just typed in Desk. */
  private readonly unmapped = new Map<number, TraccarPosition>();
  private lastMapping = 0;
  private remapTimer: NodeJS.Timeout | undefined;
  private socket: { close(): void } | undefined;
  private timers: NodeJS.Timeout[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private backoff: number;
  private running = false;
  private flushing: Promise<void> = Promise.resolve();
  /** Resolves each time positions were written: tests and operators wait on it. */
  onWrite: ((written: { technician: string; fixTime: string }[]) => void) | undefined;

  constructor(
    private readonly frappe: FrappeClient,
    private readonly traccar: TraccarClient,
    private readonly log: Logger,
    opts: GpsFollowerOptions = {},
  ) {
    this.o = {
      minIntervalMs: opts.minIntervalMs ?? 30_000,
      pollMs: opts.pollMs ?? 30_000,
      mappingMs: opts.mappingMs ?? 5 * 60_000,
      reconnectMs: opts.reconnectMs ?? 5_000,
      maxReconnectMs: opts.maxReconnectMs ?? 5 * 60_000,
      silentMs: opts.silentMs ?? 10 * 60_000,
      flushMs: opts.flushMs ?? 1_000,
      remapMs: opts.remapMs ?? 2_000,
    };
    this.backoff = this.o.reconnectMs;
  }

  async start(): Promise<void> {
    this.running = true;
    this.timers.push(setInterval(() => void this.refresh(), this.o.mappingMs));
    this.timers.push(setInterval(() => this.scheduleFlush(), this.o.flushMs));
    this.timers.push(setInterval(() => this.checkSilence(), Math.min(this.o.silentMs, 60_000)));
    await this.refresh();
  }

  /** Technicians and devices read again; following starts or stops with FSM Settings. */
  private async refresh(): Promise<void> {
    const enabled = await this.refreshMapping();
    if (!this.running) return;
    if (!enabled) {
      this.socket?.close();
      this.socket = undefined;
      clearInterval(this.pollTimer);
      clearTimeout(this.reconnectTimer);
      this.pollTimer = undefined;
      return;
    }
    if (this.stats.mode === "stopped" || this.stats.mode === "disabled") await this.connect();
  }

  stop(): void {
    this.running = false;
    this.stats.mode = "stopped";
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.remapTimer);
    clearInterval(this.pollTimer);
    this.socket?.close();
    this.socket = undefined;
  }

  /** Waits for the writes under way (tests: after a position, `await follower.flushNow()`). */
  async flushNow(): Promise<void> {
    this.scheduleFlush(true);
    await this.flushing;
  }

  /**
   * Technicians with a device, keyed by Traccar's numeric id (matched by id or unique id).
   * False when GPS is disabled in FSM Settings.
   */
  private async refreshMapping(): Promise<boolean> {
    try {
      const settings = (await this.frappe.getSingle("FSM Settings")) as unknown as Record<
        string,
        unknown
      >;
      if (!settings.enable_gps) {
        if (this.stats.mode !== "disabled") this.log.info("GPS is disabled in FSM Settings");
        this.stats.mode = "disabled";
        return false;
      }
      const techs = await this.frappe.list("Technician", {
        fields: ["name", "traccar_device_id"],
        filters: [
          ["traccar_device_id", "is", "set"],
          ["status", "!=", "Inactive"],
        ],
        limit: 0,
      });
      let devices: TraccarDevice[] = [];
      try {
        devices = await this.traccar.devices();
      } catch (error) {
        this.log.warn("Traccar's devices could not be read: numeric ids only", {
          error: (error as Error).message,
        });
      }
      const map = new Map<number, string>();
      for (const t of techs) {
        const id = String(t.traccar_device_id).trim();
        const device = devices.find((d) => d.uniqueId === id || String(d.id) === id);
        if (device) map.set(device.id, t.name);
        else if (/^\d+$/.test(id)) map.set(Number(id), t.name);
      }
      this.byDevice = map;
      this.lastMapping = Date.now();
      for (const [id, p] of this.unmapped)
        if (map.has(id)) {
          this.unmapped.delete(id);
          this.accept(p);
        }
      return true;
    } catch (error) {
      this.log.warn("technicians' devices could not be read", { error: (error as Error).message });
      return this.stats.mode !== "disabled" && this.byDevice.size > 0;
    }
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    try {
      this.socket = await this.traccar.openSocket({
        onMessage: (text) => this.onMessage(text),
        onClose: (reason) => this.onSocketLost(reason),
      });
      this.stats.mode = "websocket";
      this.backoff = this.o.reconnectMs;
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.log.info("following Traccar's socket", { devices: this.byDevice.size });
    } catch (error) {
      this.onSocketLost((error as Error).message);
    }
  }

  private onSocketLost(reason: string): void {
    this.socket = undefined;
    if (!this.running || this.stats.mode === "disabled") return;
    if (this.stats.mode !== "polling")
      this.log.warn("Traccar's socket is down: polling until it is back", { reason });
    this.stats.mode = "polling";
    if (!this.pollTimer) {
      void this.poll();
      this.pollTimer = setInterval(() => void this.poll(), this.o.pollMs);
    }
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.backoff);
    this.backoff = Math.min(this.backoff * 2, this.o.maxReconnectMs);
  }

  private async poll(): Promise<void> {
    try {
      for (const p of await this.traccar.latestPositions()) this.accept(p);
    } catch (error) {
      this.log.warn("Traccar's positions could not be polled", { error: (error as Error).message });
    }
  }

  private onMessage(text: string): void {
    this.stats.lastMessageAt = new Date();
    const { positions, devices } = parseSocketMessage(text);
    for (const p of positions) this.accept(p);
    for (const d of devices)
      if (d.status === "offline" && this.byDevice.has(d.id))
        this.log.info("a technician's device went offline", {
          technician: this.byDevice.get(d.id),
          device: d.uniqueId,
        });
  }

  /** Keep the newest fix of each technician until it may be written. */
  private accept(p: TraccarPosition): void {
    this.stats.received++;
    const technician = this.byDevice.get(p.deviceId);
    const fix = Date.parse(p.fixTime);
    if (Number.isNaN(fix) || p.valid === false) {
      this.stats.dropped++;
      return;
    }
    if (!technician) {
      // Kept (one per device) in case a technician was just given this device in Desk.
      if (this.unmapped.size < 10_000 || this.unmapped.has(p.deviceId))
        this.unmapped.set(p.deviceId, p);
      this.remapTimer ??= setTimeout(
        () => {
          this.remapTimer = undefined;
          void this.refresh();
        },
        Math.max(0, this.o.remapMs - (Date.now() - this.lastMapping)),
      );
      return;
    }
    const known = Math.max(
      this.lastFix.get(technician) ?? 0,
      Date.parse(this.pending.get(technician)?.position.fixTime ?? "") || 0,
    );
    if (fix <= known) {
      this.stats.dropped++;
      return;
    }
    this.pending.set(technician, { technician, position: p });
    // Not held back by the interval: written now (one call takes every position then due).
    if (Date.now() - (this.lastWrite.get(technician) ?? 0) >= this.o.minIntervalMs)
      this.scheduleFlush();
    if (this.silentLogged.delete(technician))
      this.log.info("a technician's device is sending again", { technician });
  }

  private scheduleFlush(force = false): void {
    this.flushing = this.flushing.then(() => this.flush(force));
  }

  private async flush(force: boolean): Promise<void> {
    const now = Date.now();
    const due = [...this.pending.values()].filter(
      (p) => force || now - (this.lastWrite.get(p.technician) ?? 0) >= this.o.minIntervalMs,
    );
    if (!due.length) return;
    for (const p of due) this.pending.delete(p.technician);
    try {
      await this.frappe.call(
        "gigafibre_fsm.api.gps.record_positions",
        {
          positions: due.map(({ technician, position: p }) => ({
            technician,
            latitude: p.latitude,
            longitude: p.longitude,
            speed_kmh: Math.round(p.speed * KNOTS_TO_KMH * 10) / 10,
            fix_time: new Date(p.fixTime).toISOString(),
          })),
        },
        { idempotent: true },
      );
      for (const p of due) {
        this.lastWrite.set(p.technician, now);
        this.lastFix.set(p.technician, Date.parse(p.position.fixTime));
      }
      this.stats.written += due.length;
      this.onWrite?.(due.map((p) => ({ technician: p.technician, fixTime: p.position.fixTime })));
    } catch (error) {
      // Not lost: put back unless a newer fix arrived meanwhile; the next flush tries again.
      for (const p of due) if (!this.pending.has(p.technician)) this.pending.set(p.technician, p);
      this.log.warn("positions could not be written", { error: (error as Error).message });
    }
  }

  /** Devices silent longer than silentMs, logged once each until they send again. */
  private checkSilence(): void {
    const now = Date.now();
    const silent: string[] = [];
    for (const technician of new Set(this.byDevice.values())) {
      const last = Math.max(
        this.lastFix.get(technician) ?? 0,
        Date.parse(this.pending.get(technician)?.position.fixTime ?? "") || 0,
      );
      if (last && now - last > this.o.silentMs) {
        silent.push(technician);
        if (!this.silentLogged.has(technician)) {
          this.silentLogged.add(technician);
          this.log.warn("a technician's device went silent", {
            technician,
            minutes: Math.round((now - last) / 60_000),
          });
        }
      }
    }
    this.stats.silent = silent;
  }
}
