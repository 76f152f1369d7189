import { FrappeClientError } from "../errors/classes.js";
import type { FrappeError } from "../errors/index.js";
import type { Transport } from "../http/transport.js";

/** Frappe refuses `frappe.client.insert_many` above this many documents. */
export const INSERT_MANY_LIMIT = 200;

export interface ChunkFailure {
  /** 0-based chunk number. */
  chunk: number;
  /** Index of the chunk's first and last document in the input. */
  from: number;
  to: number;
  error: FrappeError;
}

export interface InsertManyResult {
  /** Names of the documents inserted, in input order, chunks that failed left out. */
  names: string[];
  failures: ChunkFailure[];
}

export interface InsertManyOptions {
  /** Documents per call, at most 200. Each chunk is one transaction: all or nothing. */
  chunkSize?: number;
  /** Go on with the next chunks after a failed one. Default false: stop at the first. */
  continueOnError?: boolean;
  signal?: AbortSignal;
}

/** Thrown when a chunk fails and `continueOnError` is off: what went in is in `result`. */
export class InsertManyError extends FrappeClientError {
  override name = "InsertManyError";
  constructor(
    readonly result: InsertManyResult,
    readonly failure: ChunkFailure,
  ) {
    super(
      `insert_many chunk ${failure.chunk} (documents ${failure.from}..${failure.to}) failed: ${failure.error.message}; ` +
        `${result.names.length} documents were inserted before it`,
      { cause: failure.error },
    );
  }
}

export async function insertMany(
  http: Transport,
  doctype: string,
  docs: readonly Record<string, unknown>[],
  opts: InsertManyOptions = {},
): Promise<InsertManyResult> {
  const size = opts.chunkSize ?? INSERT_MANY_LIMIT;
  if (!Number.isInteger(size) || size < 1 || size > INSERT_MANY_LIMIT) {
    throw new RangeError(
      `chunkSize must be an integer from 1 to ${INSERT_MANY_LIMIT}, got ${size}`,
    );
  }
  const result: InsertManyResult = { names: [], failures: [] };
  for (let from = 0, chunk = 0; from < docs.length; from += size, chunk++) {
    const slice = docs.slice(from, from + size).map((d) => ({ ...d, doctype }));
    try {
      const res = await http.request<{ message: string[] }>({
        method: "POST",
        path: "/api/method/frappe.client.insert_many",
        json: { docs: slice },
        repeatable: false,
        oneTransaction: true,
        signal: opts.signal,
      });
      result.names.push(...res.message);
    } catch (error) {
      if (!(error instanceof Error) || !("request" in error)) throw error;
      const failure: ChunkFailure = {
        chunk,
        from,
        to: from + slice.length - 1,
        error: error as FrappeError,
      };
      result.failures.push(failure);
      if (!opts.continueOnError) throw new InsertManyError(result, failure);
    }
  }
  return result;
}
