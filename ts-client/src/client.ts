import { FrappeClientError } from "./errors/classes.js";
import {
  insertMany,
  type InsertManyOptions,
  type InsertManyResult,
} from "./documents/insert-many.js";
import { iterateRows, type IterateOptions } from "./documents/iterate.js";
import { uploadFile, type FileDoc, type UploadOptions } from "./documents/upload.js";
import { Transport, type TransportOptions } from "./http/transport.js";
import { resourcePath, seg, toFilterList } from "./query.js";
import { FrappeRealtime, type RealtimeOptions } from "./realtime/realtime.js";
import type { DocInput, DocOf, FieldOf, Filters, ListOptions, Row } from "./types.js";

export type FrappeClientOptions = TransportOptions;

export interface CallOptions {
  /** GET for read-only methods (retried on failure), POST (the default) for the rest. */
  http?: "GET" | "POST";
  /**
   * The method may run twice with no harm (an upsert by key, a set-if-unchanged): a POST that
   * failed on a 5xx, a timeout or a dropped connection is retried like a GET. A database
   * deadlock is the usual reason: the server rolled everything back.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
}

interface Signal {
  signal?: AbortSignal;
}

/**
 * A typed client for one Frappe site.
 *
 * ```ts
 * const frappe = new FrappeClient({ url, apiKey, apiSecret });
 * const eqp = await frappe.get("Service Equipment", "EQP-00001");
 * ```
 */
export class FrappeClient {
  readonly http: Transport;
  private zone: Promise<string> | undefined;

  constructor(opts: FrappeClientOptions) {
    this.http = new Transport(opts);
  }

  async get<D extends string>(doctype: D, name: string, opts: Signal = {}): Promise<DocOf<D>> {
    const res = await this.http.request<{ data: DocOf<D> }>({
      method: "GET",
      path: resourcePath(doctype, name),
      repeatable: true,
      signal: opts.signal,
    });
    return res.data;
  }

  /** One page of rows (Frappe's default page is 20 rows; `limit: 0` for all). */
  async list<D extends string, F extends FieldOf<D> = never>(
    doctype: D,
    opts: ListOptions<D, F> = {},
  ): Promise<Row<D, F>[]> {
    const res = await this.http.request<{ data: Row<D, F>[] }>({
      method: "GET",
      path: resourcePath(doctype),
      query: {
        fields: opts.fields,
        filters: opts.filters ? toFilterList(opts.filters) : undefined,
        or_filters: opts.orFilters ? toFilterList(opts.orFilters) : undefined,
        order_by: opts.orderBy,
        limit_start: opts.limitStart,
        limit_page_length: opts.limit,
      },
      repeatable: true,
      signal: opts.signal,
    });
    return res.data;
  }

  /** Every matching row, paged in constant memory. */
  iterate<D extends string, F extends FieldOf<D> = never>(
    doctype: D,
    opts: IterateOptions<D, F> = {},
  ): AsyncGenerator<Row<D, F>> {
    return iterateRows(this.http, doctype, opts);
  }

  count<D extends string>(doctype: D, filters?: Filters<D>, opts: Signal = {}): Promise<number> {
    return this.call<number>(
      "frappe.client.get_count",
      { doctype, filters: filters ? toFilterList(filters) : undefined },
      { http: "GET", ...opts },
    );
  }

  /**
   * Never retried blindly: a lost response could mean the document exists. Repeated only when the
   * site refused it unseen (rate limit, refused connection) or rolled it back (deadlock).
   */
  async insert<D extends string>(
    doctype: D,
    doc: DocInput<D>,
    opts: Signal = {},
  ): Promise<DocOf<D>> {
    const res = await this.http.request<{ data: DocOf<D> }>({
      method: "POST",
      path: resourcePath(doctype),
      json: doc,
      repeatable: false,
      oneTransaction: true,
      signal: opts.signal,
    });
    return res.data;
  }

  /** Chunks of at most 200 documents, each one transaction (`frappe.client.insert_many`). */
  insertMany<D extends string>(
    doctype: D,
    docs: readonly DocInput<D>[],
    opts?: InsertManyOptions,
  ): Promise<InsertManyResult> {
    return insertMany(this.http, doctype, docs as Record<string, unknown>[], opts);
  }

  /**
   * Save changes. Pass the `modified` you read: if someone saved in between, Frappe refuses with
   * a `FrappeConflictError` carrying both timestamps. Without it the last write wins.
   */
  async update<D extends string>(
    doctype: D,
    name: string,
    changes: DocInput<D> & { modified?: string },
    opts: Signal = {},
  ): Promise<DocOf<D>> {
    const res = await this.http.request<{ data: DocOf<D> }>({
      method: "PUT",
      path: resourcePath(doctype, name),
      json: changes,
      repeatable: changes.modified !== undefined,
      oneTransaction: true,
      sentModified: changes.modified,
      signal: opts.signal,
    });
    return res.data;
  }

  async delete(doctype: string, name: string, opts: Signal = {}): Promise<void> {
    await this.http.request({
      method: "DELETE",
      path: resourcePath(doctype, name),
      repeatable: true,
      signal: opts.signal,
    });
  }

  /** Submit a draft. Reads it first unless given the document (its `modified` guards the save). */
  async submit<D extends string>(
    doctype: D,
    nameOrDoc: string | DocOf<D>,
    opts: Signal = {},
  ): Promise<DocOf<D>> {
    const doc =
      typeof nameOrDoc === "string" ? await this.get(doctype, nameOrDoc, opts) : nameOrDoc;
    return this.call<DocOf<D>>("frappe.client.submit", { doc: { ...doc, doctype } }, opts);
  }

  cancel<D extends string>(doctype: D, name: string, opts: Signal = {}): Promise<DocOf<D>> {
    return this.call<DocOf<D>>("frappe.client.cancel", { doctype, name }, opts);
  }

  /** A whitelisted method: `/api/method/<dotted.path>`, returns its `message`. */
  async call<T = unknown>(
    method: string,
    args: Record<string, unknown> = {},
    opts: CallOptions = {},
  ): Promise<T> {
    const verb = opts.http ?? "POST";
    const res = await this.http.request<{ message: T }>({
      method: verb,
      path: `/api/method/${seg(method)}`,
      query: verb === "GET" ? args : undefined,
      json: verb === "POST" ? args : undefined,
      repeatable: verb === "GET" || opts.idempotent === true,
      signal: opts.signal,
    });
    return res.message;
  }

  /** A Single doctype (settings): its one document is named after the doctype. */
  getSingle<D extends string>(doctype: D, opts: Signal = {}): Promise<DocOf<D>> {
    return this.get(doctype, doctype, opts);
  }

  updateSingle<D extends string>(
    doctype: D,
    changes: DocInput<D> & { modified?: string },
    opts: Signal = {},
  ): Promise<DocOf<D>> {
    return this.update(doctype, doctype, changes, opts);
  }

  /** Upload a file, attached to a document and, when `fieldname` is given, set in that field. */
  upload(opts: UploadOptions): Promise<FileDoc> {
    return uploadFile(this.http, opts);
  }

  /** The bytes of a file the site serves (`/files/...` or `/private/files/...`). */
  async download(fileUrl: string, opts: Signal = {}): Promise<Uint8Array> {
    return this.http.bytes(
      fileUrl.startsWith("http") ? new URL(fileUrl).pathname : fileUrl,
      opts.signal,
    );
  }

  /** Subscribe to document changes over socket.io, with reconnect and backfill. */
  realtime(opts: RealtimeOptions = {}): FrappeRealtime {
    return new FrappeRealtime(this, opts);
  }

  /**
   * The site's time zone (System Settings), in which Frappe writes every datetime: read once.
   * With `fromSiteDatetime` it turns `creation` or `modified` into an instant.
   */
  timeZone(): Promise<string> {
    this.zone ??= this.call<{ time_zone: string | null }>(
      "frappe.client.get_time_zone",
      {},
      { http: "GET" },
    ).then((r) => {
      if (!r.time_zone)
        throw new FrappeClientError("the site has no time zone (System Settings > Time Zone)");
      return r.time_zone;
    });
    this.zone.catch(() => (this.zone = undefined));
    return this.zone;
  }
}
