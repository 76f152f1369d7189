import type { FrappeClient } from "../client.js";
import type { Comparison } from "../types.js";
import { EPOCH, subtractMs } from "./timestamps.js";

/** A document changed. Realtime payloads carry no field values: read the document by REST. */
export interface ChangeEvent {
  doctype: string;
  name: string;
  modified: string;
  /** `realtime` when a socket event told us, `backfill` when polling after a gap found it. */
  source: "realtime" | "backfill";
}

export type ChangeHandler = (event: ChangeEvent) => void | Promise<void>;

export interface ChangeFeedOptions {
  /** Resume from this `modified` (a persisted `position`); default: changes from now on. */
  since?: string | undefined;
  /**
   * Re-read this much before the cursor each poll: a transaction that commits late can carry a
   * `modified` older than rows already seen. Repeats are filtered out. Default 5 s.
   */
  overlapMs?: number | undefined;
  /** Rows per request. Default 200. */
  pageSize?: number | undefined;
}

type Page = { name: string; modified: string }[];

/**
 * The changes of one doctype, in `modified` order, each (name, modified) delivered once.
 *
 * A `list_update` only says "something changed"; the feed then pages by key over
 * (modified, name) from the cursor, so rows saved during a poll are never skipped. Polls never
 * overlap: a hint that arrives during one triggers one more poll after it.
 */
export class DoctypeChangeFeed {
  private cursor: string | undefined;
  private readonly delivered = new Map<string, string>();
  private running: Promise<void> | undefined;
  private again = false;
  private readonly overlapMs: number;
  private readonly pageSize: number;

  constructor(
    private readonly client: FrappeClient,
    readonly doctype: string,
    private readonly handler: ChangeHandler,
    private readonly onError: (error: unknown) => void,
    opts: ChangeFeedOptions = {},
  ) {
    this.cursor = opts.since;
    this.overlapMs = opts.overlapMs ?? 5000;
    this.pageSize = opts.pageSize ?? 200;
  }

  /** Start from "now": remember what exists so far, unless a cursor was given. */
  async init(): Promise<void> {
    if (this.cursor !== undefined) return;
    const [newest] = await this.client.list(this.doctype, {
      fields: ["name", "modified"],
      orderBy: "modified desc",
      limit: 1,
    });
    this.cursor = (newest?.modified as string | undefined) ?? EPOCH;
    const recent = await this.client.list(this.doctype, {
      fields: ["name", "modified"],
      filters: [["modified", ">=", subtractMs(this.cursor, this.overlapMs)]],
      limit: 0,
    });
    for (const row of recent) this.remember(row.name, row.modified as string);
  }

  /** Position to persist; pass it back as `since` to resume after a restart. */
  get position(): string | undefined {
    return this.cursor;
  }

  /** Poll now (or once more after the running poll). Resolves when caught up. */
  poll(source: ChangeEvent["source"]): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain(source).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(source: ChangeEvent["source"]): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pollOnce(source);
      } catch (error) {
        this.onError(error);
      }
    } while (this.again);
  }

  private async pollOnce(source: ChangeEvent["source"]): Promise<void> {
    let at = subtractMs(this.cursor ?? EPOCH, this.overlapMs);
    let after = "";
    for (;;) {
      // Keyset over (modified, name): the rest of the rows stamped `at`, then the newer ones.
      const same = await this.page(
        [
          ["modified", "=", at],
          ["name", ">", after],
        ],
        "name asc",
      );
      const newer =
        same.length < this.pageSize
          ? await this.page([["modified", ">", at]], "modified asc, name asc")
          : [];
      const rows = [...same, ...newer];
      for (const row of rows) {
        await this.offer(row.name, row.modified, source);
        at = row.modified;
        after = row.name;
      }
      if (same.length < this.pageSize && newer.length < this.pageSize) return;
    }
  }

  private page(filters: [string, Comparison, string][], orderBy: string): Promise<Page> {
    return this.client.list(this.doctype, {
      fields: ["name", "modified"],
      filters,
      orderBy,
      limit: this.pageSize,
    }) as Promise<Page>;
  }

  private async offer(
    name: string,
    modified: string,
    source: ChangeEvent["source"],
  ): Promise<void> {
    if (this.delivered.get(name) === modified) return;
    this.remember(name, modified);
    if (this.cursor === undefined || modified > this.cursor) this.cursor = modified;
    try {
      await this.handler({ doctype: this.doctype, name, modified, source });
    } catch (error) {
      this.onError(error);
    }
  }

  /** Bounded: only names inside the overlap window can come back, so old ones are dropped. */
  private remember(name: string, modified: string): void {
    this.delivered.delete(name);
    this.delivered.set(name, modified);
    if (this.delivered.size > 50_000) {
      const oldest = this.delivered.keys().next().value;
      if (oldest !== undefined) this.delivered.delete(oldest);
    }
  }
}
