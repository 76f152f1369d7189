import { InvalidIdentifier, classifyIdentifier } from "@gigafibre/rules";
import { json, str, type MethodCtx, type MethodSpec } from "../methods/registry.js";
import { FrappeException, permissionError, validationError } from "../site/errors.js";
import type { Site } from "../site/site.js";
import type { Doc } from "../site/store.js";

/** The app's whitelisted API (erpnext-app/gigafibre_fsm/api), same inputs and outputs. */
export const APP_METHODS: Record<string, MethodSpec> = {
  "gigafibre_fsm.api.device.lookup": {
    fn: (a, ctx) => deviceGraph(findEquipment(String(a.identifier ?? ""), ctx), ctx),
  },
  "gigafibre_fsm.api.migrate.upsert": { methods: ["POST"], fn: (a, ctx) => upsert(a, ctx) },
  "gigafibre_fsm.api.actions.run_diagnostic": {
    methods: ["POST"],
    fn: (a, ctx) => {
      ctx.site.get("Service Equipment", String(a.equipment), ctx);
      return ctx.site.insert(
        "CPE Diagnostic",
        {
          equipment: a.equipment,
          dispatch_job: str(a.dispatch_job) ?? null,
          requested_by: ctx.user.name,
        },
        ctx,
      ).name;
    },
  },
  "gigafibre_fsm.api.actions.scan_image": {
    methods: ["POST"],
    fn: (a, ctx) =>
      ctx.site.insert(
        "Vision Scan",
        {
          kind: a.kind,
          image: a.image,
          reference_doctype: str(a.reference_doctype) ?? null,
          reference_name: str(a.reference_name) ?? null,
        },
        ctx,
      ).name,
  },
  "gigafibre_fsm.api.actions.retry_request": {
    methods: ["POST"],
    fn: (a, ctx) => {
      const doctype = String(a.doctype);
      if (!["CPE Diagnostic", "Vision Scan"].includes(doctype))
        throw validationError(`${doctype} is not a request the workers handle`);
      const doc = ctx.site.get(doctype, String(a.name), ctx);
      if (doc.status !== "Failed")
        throw validationError(
          `${doctype} ${String(a.name)} is ${String(doc.status)}: only a Failed request can be retried`,
        );
      return ctx.site.save(doctype, String(a.name), { status: "Queued", error: null }, ctx).name;
    },
  },
  "gigafibre_fsm.api.actions.send_sms": { methods: ["POST"], fn: (a, ctx) => sendSms(a, ctx) },
};

const EQUIPMENT_FIELDS = [
  "name",
  "equipment_type",
  "status",
  "serial_no",
  "mac_address",
  "gpon_serial",
  "barcode",
  "cwmp_serial",
  "acs_device_id",
  "manufacturer",
  "model",
  "firmware",
  "item",
  "customer",
  "service_location",
  "service_subscription",
  "wifi_ssid",
  "last_diagnostic",
  "last_seen",
  "modified",
];
const COLUMNS: Record<string, string[]> = {
  mac: ["mac_address"],
  gpon_serial: ["gpon_serial", "serial_no", "barcode"],
  serial: ["serial_no", "barcode", "cwmp_serial", "acs_device_id"],
};
const SUBSCRIPTION_FIELDS = [
  "name",
  "category",
  "plan",
  "status",
  "download_mbps",
  "upload_mbps",
  "monthly_price",
  "start_date",
  "service_location",
];

function findEquipment(identifier: string, ctx: MethodCtx): string {
  let ident;
  try {
    ident = classifyIdentifier(identifier);
  } catch (error) {
    if (error instanceof InvalidIdentifier)
      throw new FrappeException("EquipmentNotFound", error.message, 404);
    throw error;
  }
  for (const column of COLUMNS[ident.kind]!) {
    const [row] = ctx.site.query.list(ctx.site.def("Service Equipment"), {
      filters: [[column, "=", ident.value]],
      limit_page_length: 1,
    }) as Doc[];
    if (row) return String(row.name);
  }
  throw new FrappeException(
    "EquipmentNotFound",
    `No equipment matches <strong>${identifier}</strong> (looked up as ${ident.kind.replace("_", " ")} by serial, GPON serial, barcode and MAC)`,
    404,
  );
}

function pick(ctx: MethodCtx, doctype: string, name: unknown, fields: string[]): Doc | null {
  if (!name || !ctx.site.exists(doctype, String(name))) return null;
  const doc = ctx.site.load(doctype, String(name));
  return Object.fromEntries(fields.map((f) => [f, doc[f] ?? null]));
}

function rows(ctx: MethodCtx, doctype: string, params: Record<string, unknown>): Doc[] {
  return ctx.site.query.list(ctx.site.def(doctype), params) as Doc[];
}

function deviceGraph(name: string, ctx: MethodCtx): Doc {
  const eqp = ctx.site.get("Service Equipment", name, ctx);
  const location = pick(ctx, "Service Location", eqp.service_location, [
    "name",
    "customer",
    "address_line1",
    "address_line2",
    "city",
    "province",
    "postal_code",
    "latitude",
    "longitude",
    "connection_type",
    "olt",
    "pon_port",
    "onu_id",
    "vlan",
    "access_notes",
    "status",
  ]);
  const customer = eqp.customer ?? location?.customer ?? null;
  let subscription: Doc | null = null;
  const own = pick(ctx, "Service Subscription", eqp.service_subscription, SUBSCRIPTION_FIELDS);
  if (own?.status === "Active") subscription = own;
  for (const [field, value] of [
    ["service_location", location?.name],
    ["customer", customer],
  ] as const) {
    if (subscription || !value) continue;
    subscription =
      rows(ctx, "Service Subscription", {
        fields: SUBSCRIPTION_FIELDS,
        filters: [
          [field, "=", value],
          ["status", "=", "Active"],
        ],
        order_by: "start_date desc",
        limit_page_length: 1,
      })[0] ?? null;
  }
  const issueOr = [
    ["service_equipment", "=", name],
    ...(customer ? [["customer", "=", customer]] : []),
  ];
  const jobOr = [
    ...(eqp.service_location ? [["service_location", "=", eqp.service_location]] : []),
    ...(customer ? [["customer", "=", customer]] : []),
  ];
  return {
    equipment: Object.fromEntries(EQUIPMENT_FIELDS.map((f) => [f, eqp[f] ?? null])),
    customer: pick(ctx, "Customer", customer, [
      "name",
      "customer_name",
      "customer_group",
      "mobile_no",
      "email_id",
      "preferred_language",
      "sms_opt_out",
    ]),
    location,
    subscription,
    open_issues: rows(ctx, "Issue", {
      fields: ["name", "subject", "status", "opening_date", "priority"],
      filters: [["status", "in", ["Open", "Replied", "On Hold"]]],
      or_filters: issueOr,
      order_by: "opening_date desc",
      limit_page_length: 20,
    }),
    upcoming_jobs: jobOr.length
      ? rows(ctx, "Dispatch Job", {
          fields: ["name", "job_type", "status", "scheduled_date", "scheduled_start", "technician"],
          filters: [
            ["status", "not in", ["Completed", "Cancelled"]],
            ["scheduled_date", ">=", ctx.site.clock.today()],
          ],
          or_filters: jobOr,
          order_by: "scheduled_date asc, route_order asc",
          limit_page_length: 20,
        })
      : [],
    olt: pick(ctx, "OLT", location?.olt, ["name", "vendor", "model", "management_ip", "enabled"]),
  };
}

const UPSERT_KEYS: Record<string, string | null> = {
  Customer: "legacy_customer_id",
  "Service Location": "legacy_id",
  "Service Subscription": "legacy_id",
  "Service Equipment": "legacy_id",
  Issue: "legacy_ticket_id",
  "Item Group": "item_group_name",
  "Customer Group": "customer_group_name",
  Territory: "territory_name",
  Item: "item_code",
  "Dispatch Job": "legacy_id",
  Communication: "fsm_legacy_id",
  Contact: "fsm_legacy_id",
  Address: "fsm_legacy_id",
  Technician: "user",
  OLT: "olt_name",
  "Dispatch Tag": "tag_name",
};
const MAX_ROWS = 500;

function upsert(a: Record<string, unknown>, ctx: MethodCtx): Doc {
  if (
    !ctx.user.roles.some((r) => ["System Manager", "FSM Manager"].includes(r)) &&
    ctx.user.name !== "Administrator"
  ) {
    throw permissionError("Not permitted: only System Manager or FSM Manager may run a migration");
  }
  const doctype = String(a.doctype ?? "");
  const rowsIn = json<unknown>(a.rows);
  if (!(doctype in UPSERT_KEYS))
    throw validationError(
      `${doctype} cannot be migrated in batches: expected one of ${Object.keys(UPSERT_KEYS).join(", ")}`,
      "UpsertError",
    );
  const key = str(a.key) ?? UPSERT_KEYS[doctype];
  if (!key)
    throw validationError(
      `${doctype} has no legacy id: pass the key field that identifies a row`,
      "UpsertError",
    );
  if (!Array.isArray(rowsIn) || rowsIn.length > MAX_ROWS)
    throw validationError(`rows must be a list of at most ${MAX_ROWS} objects`, "UpsertError");
  return ctx.site.transaction(() => ({
    results: rowsIn.map((row, index) => upsertRow(ctx, doctype, key, index, row)),
  }));
}

/**
 * Frappe reopens an Issue when a Received Communication is saved on it: right for a customer
 * writing in today, wrong for a message from a ticket the legacy system closed years ago.
 */
function parentStatusKept(site: Site, doctype: string, row: Doc, write: () => Doc): Doc {
  const [parent, name] = [row.reference_doctype, row.reference_name] as (string | undefined)[];
  if (
    doctype !== "Communication" ||
    !parent ||
    !name ||
    !site.exists(parent, name) ||
    !site.def(parent).fields.some((f) => f.fieldname === "status")
  )
    return write();
  const status = site.value(parent, name, "status");
  const doc = write();
  if (site.value(parent, name, "status") !== status) site.dbSet(parent, name, { status });
  return doc;
}

function upsertRow(ctx: MethodCtx, doctype: string, key: string, index: number, row: unknown): Doc {
  const site = ctx.site;
  try {
    return site.savepoint((discard) => {
      if (!row || typeof row !== "object" || Array.isArray(row) || !(row as Doc)[key])
        throw validationError(`row has no ${key}`, "UpsertError");
      const r = row as Doc;
      const [found] = site.query.list(site.def(doctype), {
        filters: [[key, "=", r[key]]],
        limit_page_length: 1,
      }) as Doc[];
      if (!found)
        return {
          index,
          name: parentStatusKept(site, doctype, r, () =>
            site.insert(doctype, r, { ...ctx, flags: { fsm_migration: true } }),
          ).name,
          action: "inserted",
        };
      const before = site.load(doctype, String(found.name));
      const saved = parentStatusKept(site, doctype, { ...before, ...r }, () =>
        site.save(doctype, String(found.name), r, { ...ctx, flags: { fsm_migration: true } }),
      );
      // Compare what was stored, not the raw row: the controllers normalise (a MAC in any notation).
      if (
        Object.keys(r).some(
          (f) => f !== "name" && f !== "doctype" && normalize(before[f]) !== normalize(saved[f]),
        )
      ) {
        return { index, name: found.name, action: "updated" };
      }
      discard();
      return { index, name: found.name, action: "unchanged" };
    });
  } catch (error) {
    if (!(error instanceof FrappeException)) throw error;
    const rowKey = row && typeof row === "object" ? ((row as Doc)[key] ?? null) : null;
    return {
      index,
      key: rowKey,
      error: (error.messages[0]?.message ?? error.message).replace(/<[^>]+>/g, ""),
      exc_type: error.excType,
    };
  }
}

function normalize(v: unknown): string {
  if (v === null || v === undefined || v === "") return "";
  if (Array.isArray(v))
    return JSON.stringify(
      v.map((r: Doc) =>
        Object.fromEntries(
          Object.entries(r).filter(
            ([k]) => !["name", "modified", "creation", "modified_by", "owner", "idx"].includes(k),
          ),
        ),
      ),
    );
  if (typeof v === "number") return String(Number(v));
  return String(v);
}

function sendSms(a: Record<string, unknown>, ctx: MethodCtx): unknown {
  const doctype = String(a.reference_doctype ?? "");
  if (!["Customer", "Dispatch Job", "Issue"].includes(doctype))
    throw validationError(
      `SMS can be sent from a Customer, a Dispatch Job or an Issue, not from ${doctype}`,
    );
  const ref = ctx.site.get(doctype, String(a.reference_name), ctx);
  const message = String(a.message ?? "").trim();
  if (!message) throw validationError("The message is empty");
  const customer = doctype === "Customer" ? ref.name : ref.customer;
  return ctx.site.insert(
    "Communication",
    {
      communication_medium: "SMS",
      communication_type: "Communication",
      sent_or_received: "Sent",
      subject: message.slice(0, 140),
      content: message,
      phone_no: str(a.phone) ?? null,
      reference_doctype: doctype,
      reference_name: ref.name,
      delivery_status: "Sending",
      timeline_links:
        customer && doctype !== "Customer"
          ? [{ link_doctype: "Customer", link_name: customer }]
          : [],
    },
    ctx,
  ).name;
}
