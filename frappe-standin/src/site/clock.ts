import { toSiteDatetime } from "@gigafibre/frappe-client";

/**
 * Frappe timestamps: naive time in the site's time zone (System Settings), `YYYY-MM-DD
 * HH:MM:SS.ffffff`, never repeating here. The zone defaults to this process's.
 */
export class Clock {
  private last = 0;

  constructor(readonly timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone) {}

  /** Microseconds since the epoch, strictly increasing across calls. */
  private tick(): number {
    const micros = Math.max(Date.now() * 1000, this.last + 1);
    this.last = micros;
    return micros;
  }

  now(): string {
    const micros = this.tick();
    const text = toSiteDatetime(new Date(Math.floor(micros / 1000)), this.timeZone);
    return text.slice(0, 20) + String(micros % 1_000_000).padStart(6, "0");
  }

  /** A moment as the site writes it (milliseconds since the epoch). */
  fromEpoch(ms: number): string {
    return `${toSiteDatetime(new Date(ms), this.timeZone).slice(0, 19)}.000000`;
  }

  today(): string {
    return this.now().slice(0, 10);
  }

  nowTime(): string {
    return this.now().slice(11);
  }
}
