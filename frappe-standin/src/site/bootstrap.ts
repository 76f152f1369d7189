import type { Site } from "./site.js";
import type { Doc } from "./store.js";
import type { User } from "./users.js";

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
  [
    "Account",
    "Sales - GD",
    { account_name: "Sales", company: "Gigafibre Demo", root_type: "Income", is_group: 0 },
  ],
  ...(
    [
      ["Purchases", "Expense"],
      ["GST/HST Paid", "Asset"],
      ["QST Paid", "Asset"],
    ] as const
  ).map(([account, rootType]): [string, string, Record<string, unknown>] => [
    "Account",
    `${account} - GD`,
    { account_name: account, company: "Gigafibre Demo", root_type: rootType, is_group: 0 },
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
