import type { Controller } from "../site/site.js";
import { purchaseInvoice } from "./accounts/doctype/purchase_invoice/purchase_invoice.js";

/**
 * The few ERPNext controllers the kit's behaviour depends on, each file named after the
 * ERPNext file it follows. Everything else ERPNext does on save is not here (see the README).
 */
export const ERPNEXT_CONTROLLERS: Record<string, Controller> = {
  "Purchase Invoice": purchaseInvoice,
};
