import type { FrappeClient } from "@gigafibre/frappe-client";
import type { Logger } from "../log.js";
import { customersByPhone } from "./recipients.js";

/**
 * STOP is said by a number, not by a customer: every customer whose number (theirs or a linked
 * contact's, however typed) normalises to it is opted out, and START opts them all back in.
 * Returns the customers changed.
 */
export async function setOptOutByNumber(
  frappe: FrappeClient,
  phone: string,
  country: string,
  optOut: boolean,
  log: Logger,
  /** The customers at that number, when the caller has just looked them up. */
  known?: string[],
): Promise<string[]> {
  const customers = known ?? (await customersByPhone(frappe, phone, country));
  for (const customer of customers)
    await frappe.update("Customer", customer, { sms_opt_out: optOut ? 1 : 0 });
  if (customers.length)
    log.info(optOut ? "number opted out of SMS" : "number opted back in to SMS", {
      customers: customers.join(", "),
    });
  return customers;
}

/** Whether any customer reached at this number said STOP: checked by number just before a send. */
export async function numberOptedOut(
  frappe: FrappeClient,
  phone: string,
  country: string,
): Promise<boolean> {
  const customers = await customersByPhone(frappe, phone, country);
  if (!customers.length) return false;
  const opted = await frappe.list("Customer", {
    fields: ["name"],
    filters: [
      ["name", "in", customers],
      ["sms_opt_out", "=", 1],
    ],
    limit: 1,
  });
  return opted.length > 0;
}
