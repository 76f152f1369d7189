import type { FrappeClient } from "@gigafibre/frappe-client";
import { normalizePhone, resolvePhone } from "@gigafibre/rules";

export interface Recipient {
  role: "Customer" | "Technician";
  phone: string | null;
  language: "fr" | "en";
  optedOut: boolean;
  customer: string | null;
}

/** The customer's number by the one phone rule (mobile, primary contact, legacy fields). */
export async function customerRecipient(
  frappe: FrappeClient,
  name: string,
  country: string,
): Promise<Recipient & { customerName: string }> {
  const customer = await frappe.get("Customer", name);
  const contact = customer.customer_primary_contact
    ? await frappe.get("Contact", customer.customer_primary_contact).catch(() => null)
    : null;
  const found = resolvePhone(customer, contact, country);
  return {
    role: "Customer",
    phone: found?.phone ?? null,
    language: customer.preferred_language === "en" ? "en" : "fr",
    optedOut: customer.sms_opt_out === 1,
    customer: customer.name,
    customerName: customer.customer_name,
  };
}

export async function technicianRecipient(
  frappe: FrappeClient,
  name: string,
  country: string,
): Promise<Recipient & { firstName: string }> {
  const tech = await frappe.get("Technician", name);
  const user = await frappe.get("User", tech.user).catch(() => null);
  const phone = normalizePhone(tech.mobile, country) ?? normalizePhone(user?.mobile_no, country);
  return {
    role: "Technician",
    phone,
    language: user?.language === "en" ? "en" : "fr",
    optedOut: false,
    customer: null,
    firstName: String(tech.technician_name ?? user?.first_name ?? "").split(" ")[0] || "",
  };
}

/** Customers whose numbers match `phone` (E.164), however they were typed. */
export async function customersByPhone(
  frappe: FrappeClient,
  phone: string,
  country: string,
): Promise<string[]> {
  const tail = `%${phone.slice(-4)}`;
  const found = new Set<string>();
  for (const field of ["mobile_no", "legacy_cell_phone", "legacy_home_phone"] as const) {
    const rows = await frappe.list("Customer", {
      fields: ["name", field],
      filters: [[field, "like", tail]],
      limit: 0,
    });
    for (const r of rows)
      if (normalizePhone(r[field] as string | null, country) === phone) found.add(r.name);
  }
  for (const field of ["mobile_no", "phone"] as const) {
    const contacts = await frappe.list("Contact", {
      fields: ["name", field],
      filters: [[field, "like", tail]],
      limit: 0,
    });
    for (const c of contacts.filter(
      (r) => normalizePhone(r[field] as string | null, country) === phone,
    )) {
      const links = await frappe
        .call<{ link_name: string }[]>(
          "frappe.client.get_list",
          {
            doctype: "Dynamic Link",
            parent: "Contact",
            fields: ["link_name"],
            filters: [
              ["parent", "=", c.name],
              ["link_doctype", "=", "Customer"],
            ],
          },
          { http: "GET" },
        )
        .catch(() => []);
      for (const l of links) found.add(l.link_name);
    }
  }
  return [...found];
}
