import { legacyMoney } from "../values.js";
import { refuse, type Step } from "./types.js";

export const productCategory: Step = {
  name: "product_cat → Item Group",
  table: "product_cat",
  doctype: "Item Group",
  key: "item_group_name",
  keyOf: (r) => r.text("name")?.toLowerCase() ?? null,
  keyLabel: "category name",
  kind: "product_cat",
  transform: (r) => {
    const name = r.text("name");
    if (!name) return { bad: "category without a name" };
    return { doc: { item_group_name: name, parent_item_group: "Services", is_group: 0 } };
  },
};

/** Prices are monthly unless the SKU ends in ANN (a yearly price). */
export const product: Step = {
  name: "product → Item",
  table: "product",
  doctype: "Item",
  key: "item_code",
  keyOf: (r) => r.text("sku")?.toUpperCase() ?? null,
  keyLabel: "SKU",
  kind: "product",
  transform: (r, ctx) => {
    const group = ctx.ref("product_cat", r.get("cat_id"));
    const sku = r.text("sku");
    const yearly = /ANN$/i.test(sku ?? "");
    const price = r.number("price");
    const money = legacyMoney(
      price === null ? null : yearly ? price / 12 : price,
      ctx.maxMonthlyPrice,
    );
    const bad = refuse([
      !sku && "product without a SKU",
      !group && `product category ${String(r.get("cat_id"))} not migrated`,
      money.problem,
    ]);
    if (bad) return bad;
    return {
      doc: {
        item_code: sku,
        item_name: r.text("name") ?? sku,
        item_group: group,
        stock_uom: "Nos",
        is_stock_item: 0,
        standard_rate: money.amount,
        disabled: r.get("active") ? 0 : 1,
      },
    };
  },
};
