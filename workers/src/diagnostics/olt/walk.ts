import * as snmp from "net-snmp";
import { OltError } from "../errors.js";
import { TooBigError, type OltSession, type Varbind } from "./session.js";

/** A cell of a walked column: the OID's tail after the column (the row index) and its value. */
export type Column = Map<string, Varbind>;

export interface WalkOptions {
  signal?: AbortSignal | undefined;
  /** No column of an OLT holds more rows: a longer walk is an agent going round in circles. */
  maxRows?: number;
}

/**
 * Several columns of a table at once, with GETBULK: every request carries each unfinished
 * column's last OID, so a 2,048-ONU table of 4 columns takes a few dozen requests instead of
 * 8,192 GETs. On tooBig the repetitions are halved; on a timeout they are halved once more and
 * then the walk falls back to GetNext (some OLTs answer GETBULK slowly or not at all). An agent
 * that stops answering mid-walk, goes backwards or loops is an OltError that says how far it got.
 */
export async function walkColumns(
  session: OltSession,
  oids: readonly string[],
  opts: WalkOptions = {},
): Promise<Column[]> {
  const maxRows = opts.maxRows ?? 200_000;
  const state = oids.map((oid) => ({
    prefix: `${oid}.`,
    cursor: oid,
    done: false,
    rows: new Map() as Column,
  }));
  let repetitions = Math.max(1, session.settings.maxRepetitions);
  let mode: "bulk" | "next" = "bulk";
  let timeouts = 0;
  while (state.some((c) => !c.done)) {
    if (opts.signal?.aborted) throw abortReason(opts.signal, rowsSoFar(state));
    const open = state.filter((c) => !c.done);
    let answer: Varbind[][];
    try {
      answer =
        mode === "bulk"
          ? await session.getBulk(
              open.map((c) => c.cursor),
              repetitions,
            )
          : (await session.getNext(open.map((c) => c.cursor))).map((vb) => [vb]);
      timeouts = 0;
    } catch (error) {
      if (error instanceof TooBigError && mode === "bulk") {
        if (repetitions > 1) repetitions = Math.floor(repetitions / 2);
        else mode = "next";
        continue;
      }
      if (error instanceof OltError && error.outcome === "timeout") {
        timeouts++;
        if (mode === "bulk" && timeouts === 1 && repetitions > 1) {
          repetitions = Math.max(1, Math.floor(repetitions / 4));
          continue;
        }
        if (mode === "bulk") {
          mode = "next";
          continue;
        }
        const got = rowsSoFar(state);
        throw new OltError(
          "timeout",
          got ? `${error.message}, after ${got} values of the walk` : error.message,
          { cause: error },
        );
      }
      throw error;
    }
    if (!answer.length || answer.every((vbs) => !vbs?.length))
      throw new OltError("error", `OLT ${session.target.olt} answered a walk with no values`);
    open.forEach((column, i) => take(column, answer[i] ?? [], maxRows, session.target.olt));
  }
  return state.map((c) => c.rows);
}

function take(
  column: { prefix: string; cursor: string; done: boolean; rows: Column },
  varbinds: Varbind[],
  maxRows: number,
  olt: string,
): void {
  for (const vb of varbinds) {
    if (column.done) return;
    if (snmp.isVarbindError(vb as snmp.Varbind) || !vb.oid.startsWith(column.prefix)) {
      column.done = true;
      return;
    }
    if (compareOids(vb.oid, column.cursor) <= 0)
      throw new OltError(
        "error",
        `OLT ${olt} answered ${vb.oid} after ${column.cursor}: an SNMP walk must move forward`,
      );
    column.rows.set(vb.oid.slice(column.prefix.length), vb);
    column.cursor = vb.oid;
    if (column.rows.size > maxRows)
      throw new OltError("error", `OLT ${olt} listed more than ${maxRows} rows in one column`);
  }
}

/** Numeric OID order, as an agent must walk them. */
export function compareOids(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** `<ponIfIndex>.<onuId>` (anything after is ignored): numbers, or undefined when not an index. */
export function parseOnuIndex(tail: string): { ifIndex: number; onuId: number } | undefined {
  const [pon, onu] = tail.split(".");
  if (!pon || !onu || !/^\d+$/.test(pon) || !/^\d+$/.test(onu)) return undefined;
  return { ifIndex: Number(pon), onuId: Number(onu) };
}

const rowsSoFar = (state: { rows: Column }[]) => state.reduce((n, c) => n + c.rows.size, 0);

function abortReason(signal: AbortSignal, got: number): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof OltError) return reason;
  return new OltError("timeout", `the OLT walk was stopped after ${got} values`, { cause: reason });
}
