import { z } from "zod";
import { ignored, issuesOf, malformed, type Parsed } from "./parsed.js";

/** The Stripe events the app turns into Payment Entries; any other type is acknowledged and dropped. */
export const STRIPE_EVENT_TYPES = ["payment_intent.succeeded", "invoice.paid", "charge.refunded"];

const schema = z.object({
  id: z.string().regex(/^evt_\w+$/, "expected a Stripe event id (evt_...)"),
  type: z.string().min(1),
  livemode: z.boolean().optional(),
  created: z.number().int().optional(),
  data: z.object({
    object: z
      .object({
        id: z.string().min(1),
        currency: z.string().regex(/^[a-z]{3}$/i, "expected an ISO currency code"),
        metadata: z.record(z.string(), z.string()).optional(),
        amount_received: z.number().int().min(0).optional(),
        amount_paid: z.number().int().min(0).optional(),
        amount_refunded: z.number().int().min(0).optional(),
        payment_intent: z.string().nullable().optional(),
      })
      .loose(),
  }),
});

/** Amount in the currency's smallest unit, as Stripe counts it, for each event type. */
const AMOUNT_FIELD = {
  "payment_intent.succeeded": "amount_received",
  "invoice.paid": "amount_paid",
  "charge.refunded": "amount_refunded",
} as const;

/**
 * A verified Stripe event, reduced to what the app needs: the Sales Invoice named in the object's
 * metadata (`sales_invoice`), the amount in minor units and the currency. Deduplicated on the
 * Stripe event id (Stripe redelivers the same id).
 */
export function stripeEvent(body: unknown): Parsed {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return malformed(`not a Stripe event: ${issuesOf(parsed.error)}`);
  const e = parsed.data;
  if (!(e.type in AMOUNT_FIELD)) return ignored(`event type ${e.type} is not one the kit handles`);
  const object = e.data.object;
  const field = AMOUNT_FIELD[e.type as keyof typeof AMOUNT_FIELD];
  const amount = object[field];
  if (amount === undefined) return malformed(`${e.type} has no data.object.${field}`);
  return {
    kind: "event",
    event: {
      kind: "inbound",
      event: "Inbound.stripe",
      id: e.id,
      payload: {
        event_id: e.id,
        event_type: e.type,
        object_id: object.id,
        payment_intent: object.payment_intent ?? null,
        amount_minor: amount,
        currency: object.currency.toUpperCase(),
        sales_invoice: object.metadata?.sales_invoice ?? null,
        livemode: e.livemode ?? false,
      },
    },
  };
}
