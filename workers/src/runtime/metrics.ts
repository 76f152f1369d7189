/** Counters, gauges and duration histograms, rendered as Prometheus text. */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, number>();
  private readonly durations = new Map<string, number[]>();
  private static readonly BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

  inc(name: string, labels: Record<string, string>, by = 1): void {
    const key = `${name}${fmt(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  gauge(name: string, labels: Record<string, string>, value: number): void {
    this.gauges.set(`${name}${fmt(labels)}`, value);
  }

  observe(name: string, labels: Record<string, string>, seconds: number): void {
    const key = `${name}\u0000${JSON.stringify(labels)}`;
    const list = this.durations.get(key) ?? [];
    list.push(seconds);
    if (list.length > 10_000) list.splice(0, list.length - 10_000);
    this.durations.set(key, list);
  }

  /** `gauges` are read at scrape time (queue depth). */
  render(
    gauges: { name: string; help: string; values: [Record<string, string>, number][] }[] = [],
  ): string {
    const lines: string[] = [];
    const names = new Set([...this.counters.keys()].map((k) => k.split("{")[0]!));
    for (const name of names) {
      lines.push(`# TYPE ${name} counter`);
      for (const [k, v] of this.counters) if (k.split("{")[0] === name) lines.push(`${k} ${v}`);
    }
    const histos = new Set([...this.durations.keys()].map((k) => k.split("\u0000")[0]!));
    for (const name of histos) {
      lines.push(`# TYPE ${name} histogram`);
      for (const [k, values] of this.durations) {
        const [n, labelsJson] = k.split("\u0000");
        if (n !== name) continue;
        const labels = JSON.parse(labelsJson!) as Record<string, string>;
        for (const b of Metrics.BUCKETS)
          lines.push(
            `${name}_bucket${fmt({ ...labels, le: String(b) })} ${values.filter((x) => x <= b).length}`,
          );
        lines.push(`${name}_bucket${fmt({ ...labels, le: "+Inf" })} ${values.length}`);
        lines.push(`${name}_sum${fmt(labels)} ${values.reduce((a, b) => a + b, 0)}`);
        lines.push(`${name}_count${fmt(labels)} ${values.length}`);
      }
    }
    const gaugeNames = new Set([...this.gauges.keys()].map((k) => k.split("{")[0]!));
    for (const name of gaugeNames) {
      lines.push(`# TYPE ${name} gauge`);
      for (const [k, v] of this.gauges) if (k.split("{")[0] === name) lines.push(`${k} ${v}`);
    }
    for (const g of gauges) {
      lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
      for (const [labels, v] of g.values) lines.push(`${g.name}${fmt(labels)} ${v}`);
    }
    return lines.join("\n") + "\n";
  }
}

function fmt(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}
