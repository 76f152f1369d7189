import type { Filters } from "./types.js";

export type FilterList = [string, string, unknown][];

/** Both notations to the list one, so conditions can be appended (keyset paging, cursors). */
export function toFilterList(filters: Filters<string> | undefined): FilterList {
  if (!filters) return [];
  if (Array.isArray(filters)) return filters.map((f) => [...f] as [string, string, unknown]);
  return Object.entries(filters).map(([field, value]) =>
    Array.isArray(value) && value.length === 2 && typeof value[0] === "string"
      ? [field, value[0], value[1]]
      : [field, "=", value],
  );
}

/** Percent-encode one path segment: spaces, `/`, `#`, `%`, `?` and accents included. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

export function resourcePath(doctype: string, name?: string): string {
  return `/api/resource/${seg(doctype)}${name === undefined ? "" : `/${seg(name)}`}`;
}
