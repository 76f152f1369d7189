/**
 * The codes the legacy system used, column by column, and what each becomes. A value in no list
 * is never mapped to a real status: the row is refused with the list, so a person fixes the
 * legacy row or maps the code to a known one in a `--codes` file, then runs `fsm migrate --resync`.
 */
export interface CodeList<T> {
  /** "account status", as a person calls the column. */
  what: string;
  codes: Record<string, { label: string; value: T }>;
}

export const ACCOUNT_STATUS: CodeList<{ disabled: 0 | 1 }> = {
  what: "account status",
  codes: {
    "1": { label: "active", value: { disabled: 0 } },
    "4": { label: "terminated", value: { disabled: 1 } },
  },
};

export const ACCOUNT_GROUP: CodeList<string> = {
  what: "account group",
  codes: {
    "5": { label: "residential", value: "Résidentiel" },
    "8": { label: "commercial", value: "Commercial" },
  },
};

export const SERVICE_STATUS: CodeList<"Active" | "Cancelled"> = {
  what: "service status",
  codes: {
    "0": { label: "inactive", value: "Cancelled" },
    "1": { label: "active", value: "Active" },
  },
};

export const RECURRENCE: CodeList<{ cycle: string; months: number }> = {
  what: "payment recurrence",
  codes: {
    "0": { label: "annual", value: { cycle: "Annual", months: 12 } },
    "2": { label: "monthly", value: { cycle: "Monthly", months: 1 } },
    "5": { label: "semi-annual", value: { cycle: "Semi-annual", months: 6 } },
  },
};

export const EQUIPMENT_TYPE: CodeList<string> = {
  what: "device type",
  codes: {
    ont: { label: "ONT", value: "ONT" },
    modem: { label: "modem", value: "Modem" },
    router: { label: "router", value: "Router" },
    tvbox: { label: "TV box", value: "TV Box" },
    phone: { label: "IP phone", value: "IP Phone" },
    mesh: { label: "mesh node", value: "Mesh Node" },
  },
};

export const DEVICE_STATUS: CodeList<string> = {
  what: "device status",
  codes: {
    active: { label: "installed", value: "Installed" },
    stock: { label: "in stock", value: "In Stock" },
    defective: { label: "defective", value: "Defective" },
    returned: { label: "returned", value: "Returned" },
    retired: { label: "retired", value: "Retired" },
  },
};

export const TICKET_STATUS: CodeList<"Open" | "Closed"> = {
  what: "ticket status",
  codes: {
    open: { label: "open", value: "Open" },
    closed: { label: "closed", value: "Closed" },
  },
};

export const WORK_ORDER_TYPE: CodeList<string> = {
  what: "work order type",
  codes: {
    install: { label: "installation", value: "Installation" },
    repair: { label: "repair", value: "Repair" },
    removal: { label: "removal", value: "Removal" },
    maintenance: { label: "maintenance", value: "Maintenance" },
    survey: { label: "survey", value: "Survey" },
  },
};

/** `planned` becomes Assigned or Scheduled by whether a technician is set. */
export const WORK_ORDER_STATUS: CodeList<"Completed" | "Cancelled" | "planned"> = {
  what: "work order status",
  codes: {
    done: { label: "done", value: "Completed" },
    cancelled: { label: "cancelled", value: "Cancelled" },
    planned: { label: "planned", value: "planned" },
  },
};

export const STAFF_ROLE: CodeList<"Technician" | "office"> = {
  what: "staff role",
  codes: {
    tech: { label: "technician", value: "Technician" },
    csr: { label: "customer service", value: "office" },
    admin: { label: "administration", value: "office" },
  },
};

export const MESSAGE_SENDER: CodeList<"Sent" | "Received"> = {
  what: "message sender",
  codes: {
    staff: { label: "staff", value: "Sent" },
    client: { label: "customer", value: "Received" },
  },
};

/**
 * What a subscription is, from its product category's name: legacy categories are named, not
 * coded ("Internet résidentiel", "Télévision"), so a name is matched by its words; a `--codes`
 * entry maps a name no word matches.
 */
export const SERVICE_CATEGORY: CodeList<string> = {
  what: "service category",
  codes: {
    internet: { label: "Internet", value: "Internet" },
    iptv: { label: "IPTV", value: "IPTV" },
    voip: { label: "VoIP", value: "VoIP" },
    bundle: { label: "Bundle", value: "Bundle" },
    "equipment rental": { label: "Equipment Rental", value: "Equipment Rental" },
  },
};
const CATEGORY_WORDS: [RegExp, string][] = [
  [/internet|fibre/i, "internet"],
  [/t[ée]l[ée]phon|voip|voix/i, "voip"],
  [/t[ée]l[ée]|\btv\b|iptv/i, "iptv"],
  [/forfait|combo|bundle|group[ée]/i, "bundle"],
  [/location|[ée]quipement|rental/i, "equipment rental"],
];

export function serviceCategory(
  name: string | undefined,
  aliases: CodeAliases,
): { value: string; problem?: undefined } | { value?: undefined; problem: string } {
  const key = name?.trim().toLowerCase();
  const code =
    key &&
    (aliases[SERVICE_CATEGORY.what]?.[key] ?? CATEGORY_WORDS.find(([w]) => w.test(key))?.[1]);
  if (code) return { value: SERVICE_CATEGORY.codes[code]!.value };
  return {
    problem: `product category ${name === undefined ? "unknown" : JSON.stringify(name)} is no service category (${Object.values(
      SERVICE_CATEGORY.codes,
    )
      .map((c) => c.label)
      .join(", ")}): map it with --codes`,
  };
}

export const CODE_LISTS: CodeList<unknown>[] = [
  ACCOUNT_STATUS,
  ACCOUNT_GROUP,
  SERVICE_STATUS,
  RECURRENCE,
  EQUIPMENT_TYPE,
  DEVICE_STATUS,
  TICKET_STATUS,
  WORK_ORDER_TYPE,
  WORK_ORDER_STATUS,
  STAFF_ROLE,
  MESSAGE_SENDER,
  SERVICE_CATEGORY,
];

/** `--codes`: per list (its `what`), legacy code -> one of the list's known codes. */
export type CodeAliases = Record<string, Record<string, string>>;

/** The value a code stands for, or the reason it stands for none (the list of known codes). */
export function decode<T>(
  list: CodeList<T>,
  raw: unknown,
  aliases: CodeAliases = {},
): { value: T; problem?: undefined } | { value?: undefined; problem: string } {
  const key = raw === null || raw === undefined ? null : String(raw).trim().toLowerCase();
  const alias = key === null ? undefined : aliases[list.what]?.[key];
  const hit = key === null ? undefined : list.codes[alias ?? key];
  if (hit) return { value: hit.value };
  const known = Object.entries(list.codes)
    .map(([code, c]) => (code === c.label ? code : `${code} ${c.label}`))
    .join(", ");
  return {
    problem: `${list.what} ${key === null ? "is empty" : JSON.stringify(String(raw))} is not a known code (${known}): fix the legacy row, or map the code to a known one with --codes`,
  };
}

/** Checks a `--codes` file's content: every list named, every target a known code of it. */
export function checkAliases(input: unknown): CodeAliases {
  const problems: string[] = [];
  if (!input || typeof input !== "object" || Array.isArray(input))
    throw new Error(`expected an object such as {"device status": {"perdu": "retired"}}`);
  const out: CodeAliases = {};
  for (const [what, map] of Object.entries(input)) {
    const list = CODE_LISTS.find((l) => l.what === what);
    if (!list) {
      problems.push(
        `"${what}" is no code list (expected one of ${CODE_LISTS.map((l) => l.what).join(", ")})`,
      );
      continue;
    }
    out[what] = {};
    for (const [code, target] of Object.entries((map ?? {}) as Record<string, unknown>)) {
      if (typeof target !== "string" || !(target.toLowerCase() in list.codes))
        problems.push(
          `${what} "${code}" -> ${JSON.stringify(target)}: expected one of ${Object.keys(list.codes).join(", ")}`,
        );
      else out[what][code.trim().toLowerCase()] = target.toLowerCase();
    }
  }
  if (problems.length) throw new Error(problems.join("; "));
  return out;
}
