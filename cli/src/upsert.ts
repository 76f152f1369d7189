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

/**
 * Rows through the app's batch upsert (`gigafibre_fsm.api.migrate.upsert`): every row through
 * the document layer, idempotent by its key, a bad row reported while the good ones commit.
 * Batches run `concurrency` at a time; results come back in input order.
 */
export async function upsertAll(
  client: FrappeClient,
  doctype: string,
  rows: Record<string, unknown>[],
  opts: { batch?: number; concurrency?: number; tally?: Tally; onBatch?: (n: number) => void } = {},
): Promise<UpsertResult[]> {
  const batch = opts.batch ?? 200;
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < rows.length; i += batch) batches.push(rows.slice(i, i + batch));
  const results: UpsertResult[][] = new Array(batches.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(opts.concurrency ?? 4, batches.length) }, async () => {
      for (let b = next++; b < batches.length; b = next++) {
        // Idempotent by key, so a call the server failed (a deadlock between two batches
        // naming customers alike) is safely repeated.
        const r = await client.call<{ results: UpsertResult[] }>(
          "gigafibre_fsm.api.migrate.upsert",
          { doctype, rows: batches[b] },
          { idempotent: true },
        );
        results[b] = r.results.map((x) => ({ ...x, index: x.index + b * batch }));
        opts.onBatch?.(batches[b]!.length);
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
