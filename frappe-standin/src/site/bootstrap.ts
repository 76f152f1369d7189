import type { Site } from "./site.js";
import type { Doc } from "./store.js";
import type { User } from "./users.js";

/**
 * The part of ERPNext's Standard chart of accounts (what its setup wizard creates for a Canadian
 * company) the kit touches: [name, root type, account type, is group, parent], parents first.
 * Like the real chart it has GST, HST and PST accounts under Duties and Taxes, but no QST one.
 */
const CHART: [string, string, string, 0 | 1, string | null][] = [
  ["Income", "Income", "", 1, null],
  ["Direct Income", "Income", "", 1, "Income"],
  ["Sales", "Income", "", 0, "Direct Income"],
  ["Expenses", "Expense", "", 1, null],
  ["Direct Expenses", "Expense", "", 1, "Expenses"],
  ["Stock Expenses", "Expense", "", 1, "Direct Expenses"],
  ["Cost of Goods Sold", "Expense", "Cost of Goods Sold", 0, "Stock Expenses"],
  ["Indirect Expenses", "Expense", "", 1, "Expenses"],
  ["Office Maintenance Expenses", "Expense", "", 0, "Indirect Expenses"],
  ["Source of Funds (Liabilities)", "Liability", "", 1, null],
  ["Current Liabilities", "Liability", "", 1, "Source of Funds (Liabilities)"],
  ["Accounts Payable", "Liability", "", 1, "Current Liabilities"],
  ["Creditors", "Liability", "Payable", 0, "Accounts Payable"],
  ["Duties and Taxes", "Liability", "Tax", 1, "Current Liabilities"],
  ["GST", "Liability", "Tax", 0, "Duties and Taxes"],
  ["HST", "Liability", "Tax", 0, "Duties and Taxes"],
  ["PST 8%", "Liability", "Tax", 0, "Duties and Taxes"],
  ["Stock Liabilities", "Liability", "", 1, "Current Liabilities"],
  [
    "Stock Received But Not Billed",
    "Liability",
    "Stock Received But Not Billed",
    0,
    "Stock Liabilities",
  ],
];

/** Records a fresh ERPNext site already has after its setup wizard, which documents link to. */
const RECORDS: [string, string, Doc][] = [
  ["Role", "Administrator", { role_name: "Administrator", desk_access: 1 }],
  ["Role", "System Manager", { role_name: "System Manager", desk_access: 1 }],
  ["Role", "FSM Manager", { role_name: "FSM Manager", desk_access: 1 }],
  ["Role", "Dispatcher", { role_name: "Dispatcher", desk_access: 1 }],
  ["Role", "Technician", { role_name: "Technician", desk_access: 1 }],
  ["Language", "fr", { language_code: "fr", language_name: "Français" }],
  ["Language", "en", { language_code: "en", language_name: "English" }],
  ["Country", "Canada", { country_name: "Canada", code: "ca" }],
  ["Currency", "CAD", { currency_name: "CAD", symbol: "$", enabled: 1 }],
  [
    "Customer Group",
    "All Customer Groups",
    { customer_group_name: "All Customer Groups", is_group: 1 },
  ],
  [
    "Customer Group",
    "Résidentiel",
    { customer_group_name: "Résidentiel", parent_customer_group: "All Customer Groups" },
  ],
  [
    "Customer Group",
    "Commercial",
    { customer_group_name: "Commercial", parent_customer_group: "All Customer Groups" },
  ],
  ["Territory", "All Territories", { territory_name: "All Territories", is_group: 1 }],
  ["Territory", "Canada", { territory_name: "Canada", parent_territory: "All Territories" }],
  ["Item Group", "All Item Groups", { item_group_name: "All Item Groups", is_group: 1 }],
  ["Item Group", "Services", { item_group_name: "Services", parent_item_group: "All Item Groups" }],
  ["UOM", "Nos", { uom_name: "Nos", must_be_whole_number: 1 }],
  ["Issue Priority", "Medium", {}],
  ["Issue Priority", "High", {}],
  [
    "Company",
    "Gigafibre Demo",
    { company_name: "Gigafibre Demo", abbr: "GD", default_currency: "CAD", country: "Canada" },
  ],
  ...CHART.map(([account, rootType, accountType, isGroup, parent]): [string, string, Doc] => [
    "Account",
    `${account} - GD`,
    {
      account_name: account,
      company: "Gigafibre Demo",
      root_type: rootType,
      account_type: accountType,
      is_group: isGroup,
      parent_account: parent ? `${parent} - GD` : null,
    },
  ]),
  ["Supplier Group", "All Supplier Groups", { supplier_group_name: "All Supplier Groups" }],
];

export function bootstrap(site: Site, users: User[]): void {
  const admin = site.users.get("Administrator")!;
  const ctx = (name: string) => ({
    user: admin,
    ignorePermissions: true,
    flags: { forceName: name },
  });
  site.transaction(() => {
    for (const [doctype, name, doc] of RECORDS)
      if (!site.exists(doctype, name)) site.insert(doctype, doc, ctx(name));
    // The wizard sets the company's defaults once its chart exists.
    site.dbSet("Company", "Gigafibre Demo", {
      stock_received_but_not_billed: "Stock Received But Not Billed - GD",
    });
    // Frappe's own Guest user: what a portal page's requests are owned and requested by.
    if (!site.exists("User", "Guest"))
      site.insert(
        "User",
        { email: "guest@example.com", first_name: "Guest", user_type: "Website User", enabled: 1 },
        ctx("Guest"),
      );
    for (const user of users) {
      if (site.exists("User", user.name)) continue;
      site.insert(
        "User",
        {
          email: user.name.includes("@") ? user.name : `${user.name.toLowerCase()}@example.com`,
          first_name: user.name,
          user_type: user.userType,
          enabled: 1,
          roles: user.roles.filter((r) => r !== "Guest").map((role) => ({ role })),
        },
        ctx(user.name),
      );
    }
  });
}
