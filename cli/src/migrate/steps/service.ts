import { legacyMoney } from "../values.js";
import { decode, RECURRENCE, SERVICE_STATUS, serviceCategory } from "./codes.js";
import { refuse, type Step } from "./types.js";

/** A subscription: its price per month from the legacy price and payment recurrence. */
export const service: Step = {
  name: "service → Service Subscription",
  table: "service",
  doctype: "Service Subscription",
  key: "legacy_id",
  kind: "service",
  // The category's name comes with the row: a refused product still says what its services are.
  query:
    "SELECT service.*, product_cat.name AS category_name FROM service LEFT JOIN product ON product.id = service.product_id LEFT JOIN product_cat ON product_cat.id = product.cat_id",
  joined: ["category_name"],
  transform: (r, ctx) => {
    const customer = ctx.ref("account", r.get("account_id"));
    const status = decode(SERVICE_STATUS, r.get("status"), ctx.aliases);
    const recurrence = decode(RECURRENCE, r.get("payment_recurrence"), ctx.aliases);
    const productId = r.get("product_id");
    const category = serviceCategory(r.text("category_name") ?? undefined, ctx.aliases);
    const price = r.number("price");
    const money = legacyMoney(
      price === null || !recurrence.value ? null : price / recurrence.value.months,
      ctx.maxMonthlyPrice,
    );
    const bad = refuse([
      !customer && `orphan service: account ${String(r.get("account_id"))} not migrated`,
      status.problem,
      recurrence.problem,
      category.problem,
      recurrence.value && money.problem,
    ]);
    if (bad) return bad;
    const warnings: string[] = [];
    const location = ctx.ref("delivery", r.get("delivery_id"));
    if (r.get("delivery_id") !== null && !location)
      warnings.push(`delivery ${String(r.get("delivery_id"))} not migrated: no service location`);
    const plan = ctx.ref("product", productId);
    if (productId !== null && !plan)
      warnings.push(`product ${String(productId)} not migrated: no plan`);
    return {
      doc: {
        legacy_id: `S${r.id}`,
        customer,
        service_location: location ?? null,
        category: category.value,
        plan: plan ?? null,
        monthly_price: money.amount,
        billing_cycle: recurrence.value!.cycle,
        status: status.value,
        start_date: r.date("start_date"),
        end_date: r.date("end_date"),
        promo_end: r.date("promo_end"),
      },
      warnings,
    };
  },
};
