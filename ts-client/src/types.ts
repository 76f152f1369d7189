import type { DocTypeMap } from "./generated/index.js";

/** Columns every Frappe document has. */
export interface DocMeta {
  name: string;
  owner: string;
  creation: string;
  modified: string;
  modified_by: string;
  docstatus: 0 | 1 | 2;
  idx: number;
}

/** A document of a doctype the generated types do not know. */
export type GenericDoc = DocMeta & Record<string, unknown>;

/** The document type of a doctype name: generated when known, generic otherwise. */
export type DocOf<D extends string> = D extends keyof DocTypeMap ? DocTypeMap[D] : GenericDoc;

export type FieldOf<D extends string> = keyof DocOf<D> & string;

/** Values accepted when inserting or updating: every field optional, child rows partial too. */
export type DocInput<D extends string> = {
  [K in Exclude<FieldOf<D>, keyof DocMeta>]?: DocOf<D>[K] extends (infer Row)[] | null | undefined
    ? Partial<Row>[]
    : DocOf<D>[K];
} & { name?: string; docstatus?: 0 | 1 | 2 };

export type Comparison = "=" | "!=" | ">" | "<" | ">=" | "<=" | "like" | "not like";
export type Operator =
  Comparison | "in" | "not in" | "between" | "is" | "timespan" | "descendants of" | "ancestors of";

type Value<D extends string, K extends FieldOf<D>> = Exclude<
  DocOf<D>[K],
  null | undefined | unknown[]
>;

/** One condition, `[field, operator, value]`, with the value typed by the field. */
export type FilterTuple<D extends string> = {
  [K in FieldOf<D>]:
    | [K, Comparison, Value<D, K>]
    | [K, "in" | "not in", Value<D, K>[]]
    | [K, "between", [Value<D, K>, Value<D, K>]]
    | [K, "is", "set" | "not set"];
}[FieldOf<D>];

/** Frappe's two filter notations: a list of conditions, or `{ field: value | [op, value] }`. */
export type Filters<D extends string> =
  FilterTuple<D>[] | { [K in FieldOf<D>]?: Value<D, K> | [Operator, unknown] };

export interface ListOptions<D extends string, F extends FieldOf<D>> {
  /** Fields to return; `["*"]` is not typed: list the fields. Default: only `name`. */
  fields?: readonly F[];
  filters?: Filters<D>;
  orFilters?: Filters<D>;
  /** e.g. `"modified desc"`. */
  orderBy?: string;
  limitStart?: number;
  /** Page length; Frappe's default is 20, 0 means every row. */
  limit?: number;
  signal?: AbortSignal;
}

export type Row<D extends string, F extends FieldOf<D>> = Pick<DocOf<D>, F | ("name" & FieldOf<D>)>;
