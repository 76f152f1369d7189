import { FINISHED, STARTED } from "./job-status.js";

export interface ChainJob {
  name: string;
  status: string;
  depends_on?: string[];
  parent_job?: string | null;
}
export type Jobs = Record<string, ChainJob>;

export class DependencyNotComplete extends Error {
  override name = "DependencyNotComplete";
}

/** Dependencies that are not Completed (a Cancelled one blocks too: its work was not done). */
export function unfinishedDependencies(job: ChainJob, jobs: Jobs): string[] {
  return (job.depends_on ?? []).filter((dep) => jobs[dep]?.status !== "Completed");
}

export function checkCanStart(job: ChainJob, jobs: Jobs): void {
  if (!STARTED.includes(job.status)) return;
  const waiting = unfinishedDependencies(job, jobs);
  if (waiting.length) {
    throw new DependencyNotComplete(
      `job ${job.name} cannot be "${job.status}" before ${waiting.join(", ")} ${waiting.length === 1 ? "is" : "are"} completed`,
    );
  }
}

function withCompleted(completed: string, jobs: Jobs): Jobs {
  return { ...jobs, [completed]: { ...jobs[completed]!, status: "Completed" } };
}

/** Blocked jobs that depend on `completed` and wait for nothing else once it is done. */
export function unblockedBy(completed: string, jobs: Jobs): string[] {
  const after = withCompleted(completed, jobs);
  return Object.entries(after)
    .filter(
      ([, job]) =>
        job.status === "Blocked" &&
        (job.depends_on ?? []).includes(completed) &&
        !unfinishedDependencies(job, after).length,
    )
    .map(([name]) => name)
    .sort();
}

/** Every job of the chain `name` belongs to, through parent_job and depends_on. */
export function chainMembers(name: string, jobs: Jobs): string[] {
  let root = name;
  const up = new Set([root]);
  for (
    let parent = jobs[root]?.parent_job;
    parent && !up.has(parent);
    parent = jobs[root]?.parent_job
  ) {
    root = parent;
    up.add(root);
  }
  const members = new Set<string>();
  const todo = [root];
  while (todo.length) {
    const current = todo.pop()!;
    if (members.has(current) || !jobs[current]) continue;
    members.add(current);
    for (const [n, j] of Object.entries(jobs)) {
      if (j.parent_job === current || (j.depends_on ?? []).includes(current)) todo.push(n);
    }
    todo.push(...(jobs[current]!.depends_on ?? []));
  }
  return [...members].sort();
}

/** True when `completed` is the last job of its chain to finish, and the chain did real work. */
export function completesChain(completed: string, jobs: Jobs): boolean {
  const after = withCompleted(completed, jobs);
  const members = chainMembers(completed, after);
  return (
    members.every((m) => FINISHED.includes(after[m]!.status)) &&
    members.some((m) => after[m]!.status === "Completed")
  );
}
