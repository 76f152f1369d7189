import { address, contact, customer } from "./account.js";
import { workOrder } from "./bon-travail.js";
import { delivery } from "./delivery.js";
import { device, deviceModel } from "./device.js";
import { olt } from "./fibre.js";
import { product, productCategory } from "./product.js";
import { service } from "./service.js";
import { staffUser, technician } from "./staff.js";
import { ticket, ticketMessage } from "./ticket.js";
import type { Step } from "./types.js";

export type { Doc, Outcome, Step, StepContext } from "./types.js";

/** The migration, table by table, in the order references need (mapping in docs/migration.md). */
export const STEPS: Step[] = [
  productCategory,
  product,
  customer,
  contact,
  address,
  olt,
  delivery,
  service,
  deviceModel,
  device,
  staffUser,
  technician,
  ticket,
  ticketMessage,
  workOrder,
];
