/**
 * A progress bar with counts, rate and ETA, redrawn on a terminal (stderr) and silent in pipes:
 * scripts get only the final summary.
 */
export class Progress {
  private done = 0;
  private readonly started = Date.now();
  private lastDraw = 0;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY);
  }

  /** Rows already done before this run (a resumed migration). */
  resume(done: number): void {
    this.done = done;
  }

  add(n: number): void {
    this.done += n;
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
    const ratio = this.total ? Math.min(1, this.done / this.total) : 0;
    const width = 24;
    const bar = "█".repeat(Math.round(ratio * width)).padEnd(width, "░");
    const eta =
      rate > 0 && this.total > this.done ? `${Math.ceil((this.total - this.done) / rate)}s` : "-";
    this.stream.write(
      `\r${this.label.padEnd(22)} ${bar} ${String(this.done).padStart(7)}/${this.total} ${Math.round(rate)}/s ETA ${eta}   `,
    );
  }
}
