/**
 * A progress bar with counts, refused rows, rate and ETA, redrawn on a terminal (stderr) within
 * its width, and silent in pipes: scripts get only the final summary.
 */
export class Progress {
  private done = 0;
  private refused = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly tty: boolean;
  private readonly stream: NodeJS.WriteStream;
  private readonly labelWidth: number;

  constructor(
    private readonly label: string,
    private total: number,
    opts: { stream?: NodeJS.WriteStream; labelWidth?: number } = {},
  ) {
    this.stream = opts.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.labelWidth = opts.labelWidth ?? label.length;
  }

  /** Rows already done before this run (a resumed migration), of which refused. */
  resume(done: number, refused = 0): void {
    this.done = done;
    this.refused = refused;
  }

  add(n: number, refused = 0): void {
    this.done += n;
    this.refused += refused;
    if (this.tty && Date.now() - this.lastDraw > 100) this.draw();
  }

  setTotal(total: number): void {
    this.total = total;
  }

  finish(): { done: number; seconds: number; rate: number } {
    const seconds = (Date.now() - this.started) / 1000;
    if (this.tty) {
      this.draw();
      this.stream.write("\n");
    }
    return { done: this.done, seconds, rate: seconds ? this.done / seconds : this.done };
  }

  private draw(): void {
    this.lastDraw = Date.now();
    const seconds = (Date.now() - this.started) / 1000 || 0.001;
    const rate = this.done / seconds;
    const eta =
      rate > 0 && this.total > this.done ? `${Math.ceil((this.total - this.done) / rate)}s` : "-";
    const counts = ` ${String(this.done).padStart(String(this.total).length)}/${this.total}${this.refused ? ` (${this.refused} refused)` : ""} ${Math.round(rate)}/s ETA ${eta}`;
    // Fit the terminal: the bar shrinks first, then the label is cut.
    const columns = this.stream.columns || 100;
    const room = columns - counts.length - 2;
    const label = this.label.padEnd(this.labelWidth).slice(0, Math.max(8, room - 6));
    const width = Math.max(0, Math.min(24, room - label.length - 1));
    const ratio = this.total ? Math.min(1, this.done / this.total) : 0;
    const bar = width ? ` ${"█".repeat(Math.round(ratio * width)).padEnd(width, "░")}` : "";
    this.stream.write(`\r${label}${bar}${counts}\x1b[K`);
  }
}
