import type { LegacyRow } from "../legacy-row.js";
import { ACCOUNT_GROUP, ACCOUNT_STATUS, decode } from "./codes.js";
import { refuse, type Step } from "./types.js";

const NAME_COLUMNS = ["first_name", "last_name", "company"];

/** The customer's name; a name whose accents were lost for good is not guessed. */
function customerName(r: LegacyRow): { name: string | null; problem?: string } {
  const [first, last, company] = NAME_COLUMNS.map((c) => r.text(c));
  const lost = r.broken.filter((c) => NAME_COLUMNS.includes(c));
  if (lost.length)
    return {
      name: null,
      problem: `characters lost for good in the name (${lost.map((c) => `${c} ${JSON.stringify(r.raw[c])}`).join(", ")}): fix it in the legacy system`,
    };
  return { name: company || [first, last].filter(Boolean).join(" ") || null };
}

export const customer: Step = {
  name: "account → Customer",
  table: "account",
  doctype: "Customer",
  key: "legacy_customer_id",
  keyOf: (r) => r.text("customer_id")?.toUpperCase() ?? null,
  keyLabel: "customer code",
  kind: "account",
  transform: (r, ctx) => {
    const n = customerName(r);
    const status = decode(ACCOUNT_STATUS, r.get("status"), ctx.aliases);
    const group = decode(ACCOUNT_GROUP, r.get("group_id"), ctx.aliases);
    const code = r.text("customer_id");
    const bad = refuse([
      !code && "no customer code",
      n.problem ?? (!n.name && "no name and no company"),
      status.problem,
      group.problem,
    ]);
    if (bad) return bad;
    const language = r.text("language")?.toLowerCase();
    return {
      doc: {
        legacy_customer_id: code,
        customer_name: n.name,
        customer_type: r.text("company") ? "Company" : "Individual",
        customer_group: group.value,
        territory: "Canada",
        preferred_language: language === "en" ? "en" : "fr",
        disabled: status.value!.disabled,
        // As the legacy system held them: SMS reads them through the phone rule.
        legacy_cell_phone: r.text("cell"),
        legacy_home_phone: r.text("tel_home"),
        legacy_billing_email: r.text("email"),
      },
      warnings:
        language && !["en", "fr"].includes(language)
          ? [`language ${JSON.stringify(language)} is neither fr nor en: French`]
          : [],
    };
  },
};

export const contact: Step = {
  name: "account → Contact",
  table: "account",
  doctype: "Contact",
  key: "fsm_legacy_id",
  kind: "account_contact",
  transform: (r, ctx) => {
    const customer = ctx.ref("account", r.id);
    if (!customer)
      return { bad: `customer of account ${r.id} not migrated (see account → Customer)` };
    const cell = r.phone("cell");
    const home = r.phone("tel_home");
    const phones = [cell, home].filter(
      (p, i, all): p is string => Boolean(p) && all.indexOf(p) === i,
    );
    return {
      doc: {
        fsm_legacy_id: `A${r.id}`,
        first_name: r.text("first_name") ?? r.text("company") ?? r.text("customer_id"),
        last_name: r.text("last_name"),
        is_primary_contact: 1,
        email_ids: r
          .emails("email")
          .map((email_id, i) => ({ email_id, is_primary: i === 0 ? 1 : 0 })),
        phone_nos: phones.map((phone, i) => ({
          phone,
          is_primary_mobile_no: phone === cell ? 1 : 0,
          is_primary_phone: i === 0 ? 1 : 0,
        })),
        links: [{ link_doctype: "Customer", link_name: customer }],
      },
    };
  },
};

export const address: Step = {
  name: "account → Address",
  table: "account",
  doctype: "Address",
  key: "fsm_legacy_id",
  kind: "account_address",
  transform: (r, ctx) => {
    const customer = ctx.ref("account", r.id);
    if (!customer)
      return { bad: `customer of account ${r.id} not migrated (see account → Customer)` };
    const line = r.text("address");
    const city = r.text("city");
    if (!line || !city) return { skip: "no billing address in the legacy account" };
    return {
      doc: {
        fsm_legacy_id: `A${r.id}`,
        address_title: customer,
        address_type: "Billing",
        address_line1: line,
        city,
        pincode: r.postalCode("zip"),
        country: "Canada",
        is_primary_address: 1,
        links: [{ link_doctype: "Customer", link_name: customer }],
      },
    };
  },
};
