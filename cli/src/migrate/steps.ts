import {
  InvalidIdentifier,
  normalizeGponSerial,
  normalizeMac,
  normalizePhone,
} from "@gigafibre/rules";
import type { MigrationState } from "./state.js";
import { cleanText, date, datetime } from "./text.js";

type Row = Record<string, unknown>;
export type Outcome =
  | { doc: Row; warnings?: string[]; also?: [kind: string, legacyId: string, value: string][] }
  | { bad: string }
  | { skip: string };

export interface StepContext {
  state: MigrationState;
  /** Extra rows fetched per batch (fibre for deliveries). */
  related: Map<string, Row[]>;
  /** Serials seen so far in this migration (duplicates in the source). */
  serials: Map<string, string>;
  /** Create a User unless it exists (absent in a dry run). */
  ensureUser?: ((user: Row & { email: string }) => Promise<void>) | undefined;
}

/**
 * One legacy table into one doctype. `kind` names the legacy-id -> name map later steps read;
 * `key` is the field the batch upsert is idempotent on.
 */
export interface Step {
  name: string;
  table: string;
  doctype: string;
  key: string;
  kind: string;
  /** Rows of another table this step needs, per batch (by ids of this batch). */
  related?: { table: string; column: string };
  /** A source query instead of the whole table; it must have an `id` column to page on. */
  query?: string;
  /** The legacy id the name map is keyed on (default the row's id). */
  legacyId?(row: Row): string;
  /** Work before a batch is upserted (e.g. the Users technicians link to). */
  prepare?(rows: Row[], ctx: StepContext): Promise<void>;
  transform(row: Row, ctx: StepContext): Outcome;
}

const ref = (ctx: StepContext, kind: string, id: unknown) =>
  id === null || id === undefined ? undefined : ctx.state.name(kind, id);
const CATEGORY: Record<number, "Internet" | "IPTV" | "VoIP" | "Bundle"> = {
  1: "Internet",
  2: "Internet",
  3: "IPTV",
  4: "VoIP",
  5: "Bundle",
};
const RECURRENCE: Record<number, { cycle: string; months: number }> = {
  0: { cycle: "Annual", months: 12 },
  2: { cycle: "Monthly", months: 1 },
  5: { cycle: "Semi-annual", months: 6 },
};
const EQUIPMENT: Record<string, string> = {
  ont: "ONT",
  modem: "Modem",
  router: "Router",
  tvbox: "TV Box",
  phone: "IP Phone",
  mesh: "Mesh Node",
};
const DEVICE_STATUS: Record<string, string> = {
  active: "Installed",
  stock: "In Stock",
  defective: "Defective",
  returned: "Returned",
  retired: "Retired",
};
const JOB_TYPE: Record<string, string> = {
  install: "Installation",
  repair: "Repair",
  removal: "Removal",
  maintenance: "Maintenance",
  survey: "Survey",
};

function customerName(row: Row): { name: string | null; repaired: boolean; broken: boolean } {
  const first = cleanText(row.first_name);
  const last = cleanText(row.last_name);
  const company = cleanText(row.company);
  const person = [first.text, last.text].filter(Boolean).join(" ");
  return {
    name: company.text || person || null,
    repaired: first.repaired || last.repaired,
    broken: first.broken || last.broken || company.broken,
  };
}

/** The migration, table by table, in the order references need (mapping in docs/migration.md). */
export const STEPS: Step[] = [
  {
    name: "product_cat → Item Group",
    table: "product_cat",
    doctype: "Item Group",
    key: "item_group_name",
    kind: "product_cat",
    transform: (r) => ({
      doc: { item_group_name: String(r.name), parent_item_group: "Services", is_group: 0 },
    }),
  },
  {
    name: "product → Item",
    table: "product",
    doctype: "Item",
    key: "item_code",
    kind: "product",
    transform: (r, ctx) => {
      const group = ref(ctx, "product_cat", r.cat_id);
      if (!group) return { bad: `product category ${String(r.cat_id)} not migrated` };
      const sku = String(r.sku);
      const monthly = /ANN$/i.test(sku) ? Number(r.price) / 12 : Number(r.price);
      return {
        doc: {
          item_code: sku,
          item_name: String(r.name ?? sku),
          item_group: group,
          stock_uom: "Nos",
          is_stock_item: 0,
          standard_rate: Math.round(monthly * 100) / 100,
          disabled: r.active ? 0 : 1,
        },
        also: [["product_category_of", String(r.id), String(r.cat_id)]],
      };
    },
  },
  {
    name: "account → Customer",
    table: "account",
    doctype: "Customer",
    key: "legacy_customer_id",
    kind: "account",
    transform: (r) => {
      const n = customerName(r);
      if (n.broken)
        return {
          bad: `broken encoding in the name (${JSON.stringify(String(r.first_name ?? ""))} ${JSON.stringify(String(r.last_name ?? ""))}): fix it in the legacy system`,
        };
      if (!n.name) return { bad: "no name and no company" };
      return {
        doc: {
          legacy_customer_id: String(r.customer_id),
          customer_name: n.name,
          customer_type: r.company ? "Company" : "Individual",
          customer_group: Number(r.group_id) === 8 ? "Commercial" : "Résidentiel",
          territory: "Canada",
          preferred_language: r.language === "en" ? "en" : "fr",
          disabled: Number(r.status) === 4 ? 1 : 0,
          legacy_cell_phone: cleanText(r.cell).text,
          legacy_home_phone: cleanText(r.tel_home).text,
          legacy_billing_email: cleanText(r.email).text,
        },
        ...(n.repaired ? { warnings: ["name encoding repaired (latin1 read as UTF-8)"] } : {}),
      };
    },
  },
  {
    name: "account → Contact",
    table: "account",
    doctype: "Contact",
    key: "fsm_legacy_id",
    kind: "account_contact",
    transform: (r, ctx) => {
      const customer = ref(ctx, "account", r.id);
      if (!customer) return { bad: `customer for account ${String(r.id)} not migrated` };
      const first = cleanText(r.first_name).text;
      const last = cleanText(r.last_name).text;
      const phones = [
        normalizePhone(String(r.cell ?? "")),
        normalizePhone(String(r.tel_home ?? "")),
      ].filter((p): p is string => Boolean(p));
      return {
        doc: {
          fsm_legacy_id: `A${String(r.id)}`,
          first_name: first ?? cleanText(r.company).text ?? String(r.customer_id),
          last_name: last,
          is_primary_contact: 1,
          email_ids: r.email ? [{ email_id: String(r.email), is_primary: 1 }] : [],
          phone_nos: phones.map((phone, i) => ({
            phone,
            is_primary_mobile_no: i === 0 && r.cell ? 1 : 0,
            is_primary_phone: i === 0 ? 1 : 0,
          })),
          links: [{ link_doctype: "Customer", link_name: customer }],
        },
      };
    },
  },
  {
    name: "account → Address",
    table: "account",
    doctype: "Address",
    key: "fsm_legacy_id",
    kind: "account_address",
    transform: (r, ctx) => {
      const customer = ref(ctx, "account", r.id);
      if (!customer) return { bad: `customer for account ${String(r.id)} not migrated` };
      if (!r.address || !r.city) return { bad: "no billing address" };
      return {
        doc: {
          fsm_legacy_id: `A${String(r.id)}`,
          address_title: customer,
          address_type: "Billing",
          address_line1: cleanText(r.address).text,
          city: cleanText(r.city).text,
          pincode: r.zip ?? null,
          country: "Canada",
          is_primary_address: 1,
          links: [{ link_doctype: "Customer", link_name: customer }],
        },
      };
    },
  },
  {
    name: "fibre → OLT",
    table: "fibre",
    doctype: "OLT",
    key: "olt_name",
    kind: "olt",
    query:
      "SELECT MIN(id) AS id, olt_name FROM fibre WHERE olt_name IS NOT NULL AND olt_name != '' GROUP BY olt_name",
    legacyId: (r) => String(r.olt_name),
    transform: (r) =>
      r.olt_name
        ? {
            doc: {
              olt_name: String(r.olt_name),
              vendor: /HUAWEI/i.test(String(r.olt_name)) ? "Huawei" : "Generic",
              management_ip: "unknown (set after migration)",
              enabled: 0,
            },
          }
        : { bad: "no OLT name" },
  },
  {
    name: "delivery → Service Location",
    table: "delivery",
    doctype: "Service Location",
    key: "legacy_id",
    kind: "delivery",
    related: { table: "fibre", column: "delivery_id" },
    transform: (r, ctx) => {
      const customer = ref(ctx, "account", r.account_id);
      if (!customer)
        return { bad: `orphan location: account ${String(r.account_id)} not migrated` };
      const lat = r.latitude === null ? null : Number(r.latitude);
      const lng = r.longitude === null ? null : Number(r.longitude);
      if (
        lat !== null &&
        lng !== null &&
        (Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat < 0 && lng > 0))
      ) {
        return {
          bad: `impossible coordinates (latitude ${lat}, longitude ${lng})${lat < 0 && lng > 0 ? ": swapped?" : ""}`,
        };
      }
      const fibre = ctx.related.get(String(r.id))?.[0];
      return {
        doc: {
          legacy_id: `D${String(r.id)}`,
          customer,
          address_line1: cleanText(r.address).text ?? "(unknown)",
          city: cleanText(r.city).text ?? "(unknown)",
          postal_code: r.zip ?? null,
          country: "Canada",
          latitude: lat ?? 0,
          longitude: lng ?? 0,
          access_notes: cleanText(r.notes).text,
          connection_type: fibre?.connection === "FTTB" ? "FTTB" : "FTTH",
          olt: fibre?.olt_name ? (ref(ctx, "olt", fibre.olt_name) ?? null) : null,
          pon_port: fibre?.pon_port ?? null,
          onu_id: fibre?.onu_id ?? 0,
          vlan: fibre?.vlan ?? 0,
        },
      };
    },
  },
  {
    name: "service → Service Subscription",
    table: "service",
    doctype: "Service Subscription",
    key: "legacy_id",
    kind: "service",
    transform: (r, ctx) => {
      const customer = ref(ctx, "account", r.account_id);
      if (!customer) return { bad: `orphan service: account ${String(r.account_id)} not migrated` };
      const plan = ref(ctx, "product", r.product_id);
      const catId = Number(ref(ctx, "product_category_of", r.product_id) ?? 1);
      const rec = RECURRENCE[Number(r.payment_recurrence)] ?? RECURRENCE[2]!;
      return {
        doc: {
          legacy_id: `S${String(r.id)}`,
          customer,
          service_location: ref(ctx, "delivery", r.delivery_id) ?? null,
          category: CATEGORY[catId] ?? "Internet",
          plan: plan ?? null,
          monthly_price: Math.round((Number(r.price) / rec.months) * 100) / 100,
          billing_cycle: rec.cycle,
          status: Number(r.status) === 1 ? "Active" : "Cancelled",
          start_date: date(r.start_date),
          end_date: date(r.end_date),
          promo_end: date(r.promo_end),
        },
      };
    },
  },
  {
    name: "device → Service Equipment",
    table: "device",
    doctype: "Service Equipment",
    key: "legacy_id",
    kind: "device",
    transform: (r, ctx) => {
      const serial = cleanText(r.serial).text;
      if (!serial) return { bad: "no serial number" };
      // Every problem of the row at once, so it is fixed in one pass in the legacy system.
      const problems: string[] = [];
      const first = ctx.serials.get(serial);
      if (first && first !== String(r.id))
        problems.push(`duplicate serial ${serial} (also device ${first})`);
      else ctx.serials.set(serial, String(r.id));
      let mac: string | null = null;
      if (r.mac) {
        try {
          mac = normalizeMac(String(r.mac));
        } catch (e) {
          if (!(e instanceof InvalidIdentifier)) throw e;
          problems.push(`invalid MAC: ${e.message}`);
        }
      }
      if (problems.length) return { bad: problems.join("; ") };
      let gpon: string | null = null;
      const warnings: string[] = [];
      if (r.gpon_sn) {
        try {
          gpon = normalizeGponSerial(String(r.gpon_sn));
        } catch {
          warnings.push(`GPON serial ${String(r.gpon_sn)} dropped: not a valid GPON serial`);
        }
      }
      const status = DEVICE_STATUS[String(r.status)] ?? "In Stock";
      const location = ref(ctx, "delivery", r.delivery_id);
      const placed = status === "Installed" || status === "Defective";
      return {
        doc: {
          legacy_id: `E${String(r.id)}`,
          equipment_type: EQUIPMENT[String(r.type)] ?? "Modem",
          manufacturer: r.brand ?? null,
          model: r.model ?? null,
          serial_no: serial,
          mac_address: mac,
          gpon_serial: gpon,
          status: placed && !location ? "In Stock" : status,
          customer: placed ? (ref(ctx, "account", r.account_id) ?? null) : null,
          service_location: placed ? (location ?? null) : null,
        },
        warnings,
      };
    },
  },
  {
    name: "staff → Technician",
    table: "staff",
    doctype: "Technician",
    key: "user",
    kind: "staff",
    // Users first (never their MD5 passwords); technicians link to them.
    prepare: async (rows, ctx) => {
      for (const r of rows)
        if (r.email)
          await ctx.ensureUser?.({
            email: String(r.email),
            first_name: String(r.first_name ?? r.username),
            last_name: String(r.last_name ?? ""),
            enabled: r.active ? 1 : 0,
            roles: r.role === "tech" ? [{ role: "Technician" }] : [],
          });
    },
    transform: (r) => {
      if (r.role !== "tech") return { skip: "office staff: a User only" };
      return {
        doc: {
          user: String(r.email),
          technician_name: `${String(r.first_name)} ${String(r.last_name)}`,
          mobile: normalizePhone(String(r.cell ?? "")),
          status: r.active ? "Active" : "Inactive",
        },
      };
    },
  },
  {
    name: "ticket → Issue",
    table: "ticket",
    doctype: "Issue",
    key: "legacy_ticket_id",
    kind: "ticket",
    transform: (r, ctx) => {
      const customer = ref(ctx, "account", r.account_id);
      return {
        doc: {
          legacy_ticket_id: `T${String(r.id)}`,
          subject: cleanText(r.subject).text ?? `Ticket ${String(r.id)}`,
          customer: customer ?? null,
          status: r.status === "open" ? "Open" : "Closed",
          opening_date: date(r.created),
        },
      };
    },
  },
  {
    name: "ticket_msg → Communication",
    table: "ticket_msg",
    doctype: "Communication",
    key: "fsm_legacy_id",
    kind: "ticket_msg",
    transform: (r, ctx) => {
      const issue = ref(ctx, "ticket", r.ticket_id);
      if (!issue) return { bad: `orphan message: ticket ${String(r.ticket_id)} not migrated` };
      let body = cleanText(r.body).text ?? "";
      const warnings: string[] = [];
      body = body.replace(/data:image\/[a-z]+;base64,[A-Za-z0-9+/=]+/g, (m) => {
        warnings.push("inline base64 image removed");
        return `[image removed from the legacy message: ${Math.round((m.length * 3) / 4 / 1024)} KB]`;
      });
      const sent = r.sender === "staff";
      return {
        doc: {
          fsm_legacy_id: `M${String(r.id)}`,
          communication_medium: "Other",
          communication_type: "Communication",
          sent_or_received: sent ? "Sent" : "Received",
          subject: body.slice(0, 140) || "(empty)",
          content: body,
          reference_doctype: "Issue",
          reference_name: issue,
          communication_date: datetime(r.created),
          status: "Linked",
        },
        warnings,
      };
    },
  },
  {
    name: "bon_travail → Dispatch Job",
    table: "bon_travail",
    doctype: "Dispatch Job",
    key: "legacy_id",
    kind: "bon_travail",
    transform: (r, ctx) => {
      const customer = ref(ctx, "account", r.account_id);
      if (!customer)
        return { bad: `orphan work order: account ${String(r.account_id)} not migrated` };
      const technician = ref(ctx, "staff", r.staff_id);
      const status =
        r.status === "done"
          ? "Completed"
          : r.status === "cancelled"
            ? "Cancelled"
            : technician
              ? "Assigned"
              : "Scheduled";
      return {
        doc: {
          legacy_id: `W${String(r.id)}`,
          job_type: JOB_TYPE[String(r.type)] ?? "Repair",
          status,
          customer,
          service_location: ref(ctx, "delivery", r.delivery_id) ?? null,
          issue: ref(ctx, "ticket", r.ticket_id) ?? null,
          technician: technician ?? null,
          scheduled_date: date(r.date_planned),
          scheduled_start: r.time_start ?? "08:00:00",
          duration_minutes: Number(r.duration_min ?? 60),
          completion_notes: cleanText(r.notes).text,
          ...(status === "Completed"
            ? {
                actual_start: `${date(r.date_planned)} ${String(r.time_start ?? "08:00:00")}`,
                actual_end: `${date(r.date_planned)} ${String(r.time_start ?? "08:00:00")}`,
              }
            : {}),
        },
      };
    },
  },
];
