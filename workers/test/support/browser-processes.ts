import { readdirSync, readFileSync } from "node:fs";

/** One Chromium process started (directly or not) by this Node process. */
export interface BrowserProcess {
  pid: number;
  ppid: number;
  /** Resident memory, and its proportional share (pages shared between processes split). */
  rssKb: number;
  pssKb: number;
}

/**
 * The Chromium processes under this Node process (the browser, its zygotes, renderers and
 * utility processes), read from /proc (Linux only: tests and the benchmark run on Debian).
 */
export function browserProcesses(root = process.pid): BrowserProcess[] {
  const all = new Map<number, { ppid: number; comm: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      all.set(Number(entry), { ppid, comm });
    } catch {
      // the process ended while listed
    }
  }
  const under = (pid: number): boolean => {
    for (let p = all.get(pid)?.ppid; p; p = all.get(p)?.ppid) if (p === root) return true;
    return false;
  };
  const out: BrowserProcess[] = [];
  for (const [pid, { ppid, comm }] of all)
    if (/chrom/i.test(comm) && under(pid)) out.push({ pid, ppid, ...memory(pid) });
  return out;
}

/** The browser itself: the Chromium process whose parent is not Chromium. */
export function browserRoots(root = process.pid): number[] {
  const procs = browserProcesses(root);
  const pids = new Set(procs.map((p) => p.pid));
  return procs.filter((p) => !pids.has(p.ppid)).map((p) => p.pid);
}

/** Memory per browser (its root pid): the sum over its whole process tree. */
export function browserTrees(root = process.pid): Map<number, { pssKb: number; rssKb: number }> {
  const procs = browserProcesses(root);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const rootOf = (p: BrowserProcess): number => {
    let at = p;
    for (let up = byPid.get(at.ppid); up; up = byPid.get(at.ppid)) at = up;
    return at.pid;
  };
  const trees = new Map<number, { pssKb: number; rssKb: number }>();
  for (const p of procs) {
    const tree = trees.get(rootOf(p)) ?? { pssKb: 0, rssKb: 0 };
    tree.pssKb += p.pssKb;
    tree.rssKb += p.rssKb;
    trees.set(rootOf(p), tree);
  }
  return trees;
}

function memory(pid: number): { rssKb: number; pssKb: number } {
  const field = (text: string, name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return { rssKb: field(rollup, "Rss"), pssKb: field(rollup, "Pss") };
  } catch {
    try {
      const rss = field(readFileSync(`/proc/${pid}/status`, "utf8"), "VmRSS");
      return { rssKb: rss, pssKb: rss };
    } catch {
      return { rssKb: 0, pssKb: 0 };
    }
  }
}
