import type { FrappeClient } from "@gigafibre/frappe-client";

export interface UpsertResult {
  index: number;
  name?: string;
  action?: "inserted" | "updated" | "unchanged";
  key?: unknown;
  error?: string;
  exc_type?: string;
}

export interface Tally {
  inserted: number;
  updated: number;
  unchanged: number;
  errors: { doctype: string; key: unknown; error: string; excType?: string | undefined }[];
}

export const emptyTally = (): Tally => ({ inserted: 0, updated: 0, unchanged: 0, errors: [] });

/** Documents a dry run's rows link to that earlier (rolled back) steps would have written. */
export type Assumed = Record<string, string[]>;

export interface UpsertOptions {
  batch?: number;
  concurrency?: number;
  tally?: Tally;
  onBatch?: (n: number) => void;
  /**
   * Check every row as the real run would, then roll the whole call back: the answers are what
   * the real run would answer. `assume(i)` names the documents row i links to that do not exist
   * yet (they stand in for the rows of earlier steps, inside the rolled-back transaction).
   */
  dryRun?: { assume(index: number): [doctype: string, name: string][] };
}

/**
 * Rows through the app's batch upsert (`gigafibre_fsm.api.migrate.upsert`): every row through
 * the document layer, idempotent by its key, a bad row reported while the good ones commit.
 * Batches run `concurrency` at a time; results come back in input order.
 */
export async function upsertAll(
  client: FrappeClient,
  doctype: string,
  rows: Record<string, unknown>[],
  opts: UpsertOptions = {},
): Promise<UpsertResult[]> {
  const batch = opts.batch ?? 200;
  const starts: number[] = [];
  for (let i = 0; i < rows.length; i += batch) starts.push(i);
  const results: UpsertResult[][] = new Array(starts.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(opts.concurrency ?? 4, starts.length) }, async () => {
      for (let b = next++; b < starts.length; b = next++) {
        const start = starts[b]!;
        const slice = rows.slice(start, start + batch);
        // Idempotent by key, so a call the server failed (a deadlock between two batches
        // naming customers alike) is safely repeated.
        const r = await client.call<{ results: UpsertResult[] }>(
          "gigafibre_fsm.api.migrate.upsert",
          {
            doctype,
            rows: slice,
            ...(opts.dryRun
              ? { dry_run: 1, assume: assumed(opts.dryRun.assume, start, slice.length) }
              : {}),
          },
          { idempotent: true },
        );
        results[b] = r.results.map((x) => ({ ...x, index: x.index + start }));
        opts.onBatch?.(slice.length);
      }
    }),
  );
  const flat = results.flat();
  if (opts.tally) {
    for (const r of flat) {
      if (r.action) opts.tally[r.action]++;
      else
        opts.tally.errors.push({
          doctype,
          key: r.key,
          error: r.error ?? "unknown error",
          excType: r.exc_type,
        });
    }
  }
  return flat;
}

function assumed(
  assume: (index: number) => [string, string][],
  start: number,
  length: number,
): Assumed {
  const out: Record<string, Set<string>> = {};
  for (let i = start; i < start + length; i++)
    for (const [doctype, name] of assume(i)) (out[doctype] ??= new Set()).add(name);
  return Object.fromEntries(Object.entries(out).map(([d, names]) => [d, [...names]]));
}
