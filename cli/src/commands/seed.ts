import { readFileSync } from "node:fs";
import { FrappeNotFoundError, type FrappeClient } from "@gigafibre/frappe-client";
import type { Output } from "../output.js";
import { ensureMasters } from "../masters.js";
import { emptyTally, upsertAll, type Tally } from "../upsert.js";

type Row = Record<string, unknown>;
interface Sample {
  tags: Row[];
  itemGroups: Row[];
  items: Row[];
  olts: Row[];
  technicians: { user: Row & { email: string }; technician: Row }[];
  customers: Row[];
  locations: Row[];
  subscriptions: Row[];
  equipment: Row[];
  jobs: Row[];
}

const SAMPLE = new URL("../../data/sample-isp.json", import.meta.url);

/** Rows whose `@legacy-id` references become the names the site gave those documents. */
function resolve(rows: Row[], names: Map<string, string>): Row[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        typeof v === "string" && v.startsWith("@") ? (names.get(v.slice(1)) ?? null) : v,
      ]),
    ),
  );
}

function remember(
  names: Map<string, string>,
  rows: Row[],
  key: string,
  results: { name?: string }[],
): void {
  results.forEach((r, i) => r.name && names.set(String(rows[i]![key]), r.name));
}

/** The sample ISP, loaded through the same batch upsert as a migration: twice changes nothing. */
export async function runSeed(
  client: FrappeClient,
  out: Output,
): Promise<Tally & { perDoctype: Record<string, Tally> }> {
  const sample = JSON.parse(readFileSync(SAMPLE, "utf8")) as Sample;
  const names = new Map<string, string>();
  const perDoctype: Record<string, Tally> = {};
  const step = async (doctype: string, rows: Row[], key: string) => {
    const tally = emptyTally();
    const resolved = resolve(rows, names);
    remember(names, rows, key, await upsertAll(client, doctype, resolved, { tally }));
    perDoctype[doctype] = tally;
    out.line(
      `${doctype.padEnd(22)} ${String(tally.inserted).padStart(4)} inserted ${String(tally.updated).padStart(4)} updated ${String(tally.unchanged).padStart(4)} unchanged${tally.errors.length ? out.color("red", ` ${tally.errors.length} refused`) : ""}`,
    );
    for (const e of tally.errors.slice(0, 5))
      out.error(`  ${doctype} ${String(e.key)}: ${e.error}`);
  };
  await ensureMasters(client);
  await step("Dispatch Tag", sample.tags, "tag_name");
  await step("Item Group", sample.itemGroups, "item_group_name");
  await step("Item", sample.items, "item_code");
  await step("OLT", sample.olts, "olt_name");
  let usersCreated = 0;
  for (const { user } of sample.technicians) {
    try {
      await client.get("User", user.email);
    } catch (error) {
      if (!(error instanceof FrappeNotFoundError)) throw error;
      await client.insert("User", { ...user, send_welcome_email: 0 } as never);
      usersCreated++;
    }
    names.set(user.email, user.email);
  }
  perDoctype.User = {
    ...emptyTally(),
    inserted: usersCreated,
    unchanged: sample.technicians.length - usersCreated,
  };
  out.line(`${"User".padEnd(22)} ${String(usersCreated).padStart(4)} inserted`);
  await step(
    "Technician",
    sample.technicians.map((t) => ({ ...t.technician, user: t.user.email })),
    "user",
  );
  await step("Customer", sample.customers, "legacy_customer_id");
  await step("Service Location", sample.locations, "legacy_id");
  await step("Service Subscription", sample.subscriptions, "legacy_id");
  await step("Service Equipment", sample.equipment, "legacy_id");
  // Jobs name technicians by user: resolve those to Technician names.
  const techByUser = new Map(
    (await client.list("Technician", { fields: ["name", "user"], limit: 0 })).map((t) => [
      t.user,
      t.name,
    ]),
  );
  for (const [user, tech] of techByUser) names.set(String(user), tech);
  await step("Dispatch Job", sample.jobs, "legacy_id");
  const total = emptyTally();
  for (const t of Object.values(perDoctype)) {
    total.inserted += t.inserted;
    total.updated += t.updated;
    total.unchanged += t.unchanged;
    total.errors.push(...t.errors);
  }
  return { ...total, perDoctype };
}
