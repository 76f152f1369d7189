import type { Transport } from "../http/transport.js";
import { resourcePath, toFilterList } from "../query.js";
import type { FieldOf, ListOptions, Row } from "../types.js";

export interface IterateOptions<D extends string, F extends FieldOf<D>> extends Omit<
  ListOptions<D, F>,
  "limit" | "limitStart"
> {
  /** Rows fetched per request. Default 500. */
  pageSize?: number;
}

/**
 * Every matching row, one page in memory at a time.
 *
 * Without `orderBy` it pages by key (`name > last`, ordered by name), so rows inserted or deleted
 * while iterating never shift the pages: nothing is skipped or seen twice. With an `orderBy` it
 * falls back to offsets, as Frappe's own list view does.
 */
export async function* iterateRows<D extends string, F extends FieldOf<D>>(
  http: Transport,
  doctype: D,
  opts: IterateOptions<D, F> = {},
): AsyncGenerator<Row<D, F>> {
  const pageSize = opts.pageSize ?? 500;
  const fields = opts.fields ? [...new Set<string>(["name", ...opts.fields])] : ["name"];
  const base = toFilterList(opts.filters);
  const keyset = opts.orderBy === undefined;
  let last: string | undefined;
  for (let offset = 0; ; offset += pageSize) {
    const filters = keyset && last !== undefined ? [...base, ["name", ">", last]] : base;
    const res = await http.request<{ data: Row<D, F>[] }>({
      method: "GET",
      path: resourcePath(doctype),
      query: {
        fields,
        filters,
        or_filters: opts.orFilters ? toFilterList(opts.orFilters) : undefined,
        order_by: opts.orderBy ?? "name asc",
        limit_start: keyset ? 0 : offset,
        limit_page_length: pageSize,
      },
      repeatable: true,
      signal: opts.signal,
    });
    for (const row of res.data) yield row;
    if (res.data.length < pageSize) return;
    last = (res.data[res.data.length - 1] as { name: string }).name;
  }
}
