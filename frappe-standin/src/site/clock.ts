/** Frappe timestamps: naive local time, `YYYY-MM-DD HH:MM:SS.ffffff`, never repeating here. */
export class Clock {
  private last = 0;

  /** Microseconds since the epoch, strictly increasing across calls. */
  private tick(): number {
    const micros = Math.max(Date.now() * 1000, this.last + 1);
    this.last = micros;
    return micros;
  }

  now(): string {
    return format(this.tick());
  }

  today(): string {
    return this.now().slice(0, 10);
  }

  nowTime(): string {
    return this.now().slice(11);
  }
}

export function format(micros: number): string {
  const d = new Date(Math.floor(micros / 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(micros % 1_000_000, 6)}`
  );
}
