/**
 * Every kind of dirt the legacy database has, as the generator puts it in: where (table), at
 * which fixed ids (so a small database has each one), how often at random on top, and what it
 * is. docs/migration.md says what the migration does with each; cli/test/migrate.test.ts checks
 * where every dirty row went.
 */
export interface DirtKind {
  table: string;
  /** Ids that always have it (each table has at least 3 rows; a scale of 0.001 has them all). */
  fixed: number[];
  /** Share of the other rows that have it too. */
  rate: number;
  what: string;
}

export const DIRT = {
  brokenEncoding: {
    table: "account",
    fixed: [3],
    rate: 0.01,
    what: "an accent lost for good in the name (L?vesque)",
  },
  repairedEncoding: {
    table: "account",
    fixed: [4],
    rate: 0.03,
    what: "the name's UTF-8 read back as windows-1252 (Ã‰milie)",
  },
  sharedCustomerCode: {
    table: "account",
    fixed: [10],
    rate: 0.002,
    what: "the customer code of another account",
  },
  unknownAccountStatus: {
    table: "account",
    fixed: [11],
    rate: 0.001,
    what: "account status 7, in no known list",
  },
  messyEmail: {
    table: "account",
    fixed: [12],
    rate: 0.02,
    what: "e-mail with blanks, capitals, or two addresses in one field",
  },
  notAnEmail: {
    table: "account",
    fixed: [13],
    rate: 0.01,
    what: "e-mail field holding words, not an address",
  },
  postalCodeNotation: {
    table: "account",
    fixed: [14],
    rate: 0.2,
    what: "postal code without its space, in lower case or with a dash",
  },
  notAPostalCode: {
    table: "account",
    fixed: [15],
    rate: 0.005,
    what: "postal code that cannot be one (G6V 1A)",
  },
  impossibleCoordinates: {
    table: "delivery",
    fixed: [5],
    rate: 0.02,
    what: "latitude beyond 90, or latitude and longitude swapped",
  },
  mojibakeAddress: {
    table: "delivery",
    fixed: [16],
    rate: 0.02,
    what: "address and notes with mixed mojibake (â€™, Ã©) and real accents",
  },
  mojibakeCategory: {
    table: "product_cat",
    fixed: [2],
    rate: 0,
    what: "category name encoded twice (TÃƒÂ©lÃƒÂ©vision)",
  },
  negativeProductPrice: { table: "product", fixed: [2], rate: 0.002, what: "a negative price" },
  absurdProductPrice: { table: "product", fixed: [3], rate: 0.002, what: "a price of 99,999.00" },
  orphanService: {
    table: "service",
    fixed: [7],
    rate: 0.015,
    what: "a service whose account is gone",
  },
  nullRecurrence: {
    table: "service",
    fixed: [8],
    rate: 0.005,
    what: "no payment recurrence (NULL)",
  },
  unknownRecurrence: {
    table: "service",
    fixed: [9],
    rate: 0.001,
    what: "payment recurrence 3, in no known list",
  },
  zeroEndDate: {
    table: "service",
    fixed: [10],
    rate: 0.01,
    what: "an active service ending 0000-00-00",
  },
  impossibleDate: {
    table: "service",
    fixed: [11],
    rate: 0.002,
    what: "a promotion ending on 2025-02-30",
  },
  negativeServicePrice: { table: "service", fixed: [12], rate: 0.002, what: "a negative price" },
  absurdServicePrice: {
    table: "service",
    fixed: [13],
    rate: 0.002,
    what: "a price of 60,000.00 (6000 typed for 60.00, times 10)",
  },
  unknownServiceStatus: {
    table: "service",
    fixed: [14],
    rate: 0.001,
    what: "service status 9, in no known list",
  },
  activeWithoutStart: {
    table: "service",
    fixed: [15],
    rate: 0.001,
    what: "an active service starting 0000-00-00 (the site refuses an active one without a start)",
  },
  endBeforeStart: {
    table: "service",
    fixed: [16],
    rate: 0.002,
    what: "a service ending before it starts (only the site's rule sees it)",
  },
  invalidGponSerial: {
    table: "device",
    fixed: [4],
    rate: 0.01,
    what: "a GPON serial that is not one",
  },
  deviceOnDeletedDelivery: {
    table: "device",
    fixed: [5],
    rate: 0.005,
    what: "an active device at a delivery that was deleted",
  },
  invalidMac: {
    table: "device",
    fixed: [6],
    rate: 0.03,
    what: "a MAC that is not one (N/A, zz:zz:…)",
  },
  duplicateSerial: {
    table: "device",
    fixed: [9],
    rate: 0.015,
    what: "the serial number of another device",
  },
  unknownDeviceStatus: {
    table: "device",
    fixed: [10],
    rate: 0.002,
    what: "device status 'perdu', in no known list",
  },
  sharedStaffEmail: {
    table: "staff",
    fixed: [3],
    rate: 0,
    what: "the e-mail address of another staff member",
  },
  unknownTicketStatus: {
    table: "ticket",
    fixed: [5],
    rate: 0.001,
    what: "ticket status 'en attente', in no known list",
  },
  zeroTicketDate: { table: "ticket", fixed: [6], rate: 0.005, what: "created 0000-00-00 00:00:00" },
  mojibakeSubject: { table: "ticket", fixed: [7], rate: 0.01, what: "subject with â€™ for ’" },
  inlineImage: {
    table: "ticket_msg",
    fixed: [3],
    rate: 0.01,
    what: "a base64 image inlined in the message",
  },
  mojibakeBody: {
    table: "ticket_msg",
    fixed: [8],
    rate: 0.01,
    what: "message mixing mojibake and real accents",
  },
  unknownWorkOrderStatus: {
    table: "bon_travail",
    fixed: [3],
    rate: 0.002,
    what: "work order status 'reporte', in no known list",
  },
  completedWithoutDate: {
    table: "bon_travail",
    fixed: [4],
    rate: 0.005,
    what: "done, with no planned date (0000-00-00)",
  },
  mojibakeNotes: { table: "bon_travail", fixed: [5], rate: 0.01, what: "notes with mojibake" },
} satisfies Record<string, DirtKind>;

export type DirtName = keyof typeof DIRT;
/** The ids of each kind of dirt put in. */
export type Dirt = Record<DirtName, number[]>;

/**
 * Rows that never get dirt: the parents of the fixed dirty rows of other tables (account 1 at
 * delivery 1, product 1 in category 1, ticket 1, staff 1), so each fixed dirty row is refused
 * or repaired for its own dirt alone; account 2's code is the one account 10 repeats.
 */
const CLEAN: Record<string, number[]> = {
  account: [1, 2],
  delivery: [1],
  product_cat: [1],
  product: [1],
  ticket: [1],
  staff: [1],
  device: [8],
};

/** Decides, row by row, which dirt a row gets: its fixed kinds, else at most one at random. */
export class DirtPlan {
  readonly dirt = Object.fromEntries(Object.keys(DIRT).map((k) => [k, []])) as unknown as Dirt;

  constructor(private readonly rnd: () => number) {}

  /** The kind of dirt row `id` of `table` gets, if any (and it is recorded). */
  pick(table: string, id: number): DirtName | undefined {
    if (CLEAN[table]?.includes(id)) return undefined;
    const kinds = (Object.entries(DIRT) as [DirtName, DirtKind][]).filter(
      ([, k]) => k.table === table,
    );
    const fixed = kinds.find(([, k]) => k.fixed.includes(id));
    if (fixed) return this.record(fixed[0], id);
    if (kinds.some(([, k]) => k.fixed.includes(id))) return undefined;
    // One draw per row, so the rates stay what they say.
    let draw = this.rnd();
    for (const [name, k] of kinds) {
      if (draw < k.rate) return this.record(name, id);
      draw -= k.rate;
    }
    return undefined;
  }

  /** Whether row `id` of `table` is one of the fixed dirty rows (its parents are clean rows). */
  fixed(table: string, id: number): boolean {
    return Object.values(DIRT).some((k: DirtKind) => k.table === table && k.fixed.includes(id));
  }

  private record(name: DirtName, id: number): DirtName {
    this.dirt[name].push(id);
    return name;
  }
}
