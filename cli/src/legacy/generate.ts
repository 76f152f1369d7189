import { readFileSync } from "node:fs";
import type { Connection } from "mysql2/promise";
import { DirtPlan, type Dirt } from "./dirt.js";

export { DIRT, type Dirt, type DirtName } from "./dirt.js";

/** Real volumes of the legacy system (shared ORIGIN notes); `scale` 0.1 is the default. */
export const FULL_SCALE = {
  product_cat: 34,
  product: 833,
  account: 15_303,
  delivery: 17_114,
  service: 66_879,
  device: 10_377,
  staff: 155,
  ticket: 243_000,
  ticket_msg: 784_000,
  bon_travail: 14_472,
} as const;

export interface GenerateOptions {
  scale?: number;
  /**
   * Added to every id and reference (and customer code): a second database whose rows are new to
   * a site that holds the first (benchmarks against one real site, run after run).
   */
  idBase?: number;
  /** Tickets carry 3.2 messages on average; lower it to keep test databases small. */
  messagesPerTicket?: number;
  seed?: number;
}

const SCHEMA = new URL("../../data/legacy-schema.sql", import.meta.url);
/** Names as common as in Quebec: a real customer base has namesakes, not 6 of each. */
const FIRST = [
  "Marie",
  "Jean",
  "Sophie",
  "Mathieu",
  "Isabelle",
  "François",
  "Julie",
  "Étienne",
  "Chloé",
  "Louis",
  "Geneviève",
  "Benoît",
  "Émilie",
  "Hélène",
  "Noémie",
  "Josée",
  "Pierre",
  "Nathalie",
  "Luc",
  "Caroline",
  "Michel",
  "Sylvie",
  "André",
  "Karine",
  "Simon",
  "Valérie",
  "Éric",
  "Annie",
  "Patrick",
  "Mélanie",
  "Alexandre",
  "Catherine",
  "Gabriel",
  "Léa",
  "Olivier",
  "Camille",
  "Samuel",
  "Rosalie",
  "William",
  "Florence",
  "Thomas",
  "Béatrice",
  "Félix",
  "Juliette",
  "Raphaël",
  "Maëlle",
  "Antoine",
  "Zoé",
];
const LAST = [
  "Tremblay",
  "Gagnon",
  "Roy",
  "Côté",
  "Bouchard",
  "Gauthier",
  "Morin",
  "Lavoie",
  "Fortin",
  "Gagné",
  "Ouellet",
  "Pelletier",
  "Bélanger",
  "Lévesque",
  "Bergeron",
  "Paré",
  "Leblanc",
  "Girard",
  "Simard",
  "Boucher",
  "Caron",
  "Beaulieu",
  "Cloutier",
  "Dubé",
  "Poirier",
  "Fournier",
  "Lapointe",
  "Leclerc",
  "Lefebvre",
  "Poulin",
  "Thibault",
  "St-Pierre",
  "Nadeau",
  "Martin",
  "Landry",
  "Martel",
  "Bédard",
  "Grenier",
  "Lessard",
  "Bernier",
  "Richard",
  "Michaud",
  "Hébert",
  "Desjardins",
  "Couture",
  "Turcotte",
  "Lachance",
  "Parent",
  "Blais",
  "Gosselin",
  "Savard",
  "Proulx",
  "Beaudoin",
  "Demers",
  "Perreault",
  "Boudreau",
  "Lemieux",
  "Cyr",
  "Perron",
  "Dufour",
  "Dion",
  "Mercier",
  "Bolduc",
  "Bérubé",
];
const CITIES: [string, number, number][] = [
  ["Lévis", 46.803, -71.177],
  ["Québec", 46.813, -71.208],
  ["Saint-Nicolas", 46.7, -71.41],
  ["Beauport", 46.86, -71.19],
  ["Montmagny", 46.98, -70.55],
];
const CATS = [
  "Internet résidentiel",
  "Télévision",
  "Internet affaires",
  "Téléphonie",
  "Location d'équipement",
];

/** Columns holding an id or a reference, by position in each table (cli/data/legacy-schema.sql). */
const ID_COLUMNS: Record<string, number[]> = {
  account: [0],
  delivery: [0, 1],
  fibre: [0, 1],
  product_cat: [0],
  product: [0, 1],
  service: [0, 1, 2, 3],
  device: [0, 1, 2, 3],
  staff: [0],
  ticket: [0, 1, 2, 6],
  ticket_msg: [0, 1],
  bon_travail: [0, 1, 2, 3, 4],
};

/** UTF-8 read back as windows-1252, the way the legacy system damaged its text. */
const mojibake = (s: string) => new TextDecoder("windows-1252").decode(Buffer.from(s, "utf8"));

/**
 * Create the legacy schema in `db` and fill it with synthetic, realistically dirty data: every
 * kind of dirt in DIRT (cli/src/legacy/dirt.ts) at its fixed ids and at its rate. The same seed
 * gives the same database.
 */
export async function generateLegacy(
  db: Connection,
  opts: GenerateOptions = {},
): Promise<{ counts: Record<string, number>; dirt: Dirt }> {
  const scale = opts.scale ?? 0.1;
  let seed = opts.seed ?? 0xfeed;
  const rnd = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const hex = (n: number) =>
    Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
  const n = (table: keyof typeof FULL_SCALE) =>
    Math.max(table === "product_cat" ? CATS.length : 3, Math.round(FULL_SCALE[table] * scale));
  const plan = new DirtPlan(rnd);
  const counts: Record<string, number> = {};

  // The legacy server ran in MariaDB's lenient mode: zero and impossible dates went in.
  await db.query("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
  for (const statement of readFileSync(SCHEMA, "utf8")
    .replace(/--.*$/gm, "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const table = /CREATE TABLE (\w+)/.exec(statement)?.[1];
    if (table) await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.query(statement);
  }
  const base = opts.idBase ?? 0;
  const insert = async (table: string, rows: unknown[][]) => {
    counts[table] = (counts[table] ?? 0) + rows.length;
    const ids = ID_COLUMNS[table] ?? [];
    const based = base
      ? rows.map((r) => r.map((v, c) => (ids.includes(c) && typeof v === "number" ? v + base : v)))
      : rows;
    for (let i = 0; i < based.length; i += 1000)
      await db.query(`INSERT INTO ${table} VALUES ?`, [based.slice(i, i + 1000)]);
  };
  const year = (lo: number, hi: number) => int(lo, hi);
  const day = (y: number) => `${y}-0${int(1, 9)}-1${int(0, 9)}`;

  await insert(
    "product_cat",
    CATS.map((name, i) =>
      plan.pick("product_cat", i + 1) === "mojibakeCategory"
        ? [i + 1, mojibake(mojibake(name))]
        : [i + 1, name],
    ),
  );
  const products = Array.from({ length: n("product") }, (_, i) => {
    const id = i + 1;
    const cat = (i % CATS.length) + 1;
    const annual = i % 17 === 0;
    const down = [1, 3].includes(cat) ? pick([50, 100, 300, 500, 1000]) : 0;
    const prefix = ["INT", "TV", "BIZ", "TEL", "EQ"][cat - 1];
    let price = annual ? int(450, 1100) : int(15, 120) + 0.95;
    const dirt = plan.pick("product", id);
    if (dirt === "negativeProductPrice") price = -price;
    if (dirt === "absurdProductPrice") price = 99_999;
    return [
      id,
      cat,
      `${prefix}-${down || i}-${i}${annual ? "-ANN" : ""}`,
      `${CATS[cat - 1]} ${down ? `${down} Mbit/s` : `#${i}`}`,
      price,
      down,
      down ? Math.round(down / 5) : 0,
      1,
    ];
  });
  await insert("product", products);

  const accounts = n("account");
  const postal = () => `G6V ${int(1, 9)}A${int(1, 9)}`;
  const accountRows = Array.from({ length: accounts }, (_, i) => {
    const id = i + 1;
    const dirt = plan.pick("account", id);
    let first: string | null = pick(FIRST);
    let last: string | null = pick(LAST);
    if (dirt === "repairedEncoding")
      first = mojibake(id === 4 ? "Émilie" : pick(["Émilie", "Hélène", "Josée", "Chloé"]));
    if (dirt === "brokenEncoding") last = "L?vesque"; // the accent was lost converting to latin1: '?' for good
    const business = dirt === undefined && rnd() < 0.1;
    const company = business
      ? `${pick(LAST)} ${pick(["Construction", "Électrique", "Transport"])} inc.`
      : null;
    if (business && rnd() < 0.5) first = last = null;
    let email: string | null = rnd() < 0.8 ? `client${id}@exemple.ca` : null;
    if (dirt === "messyEmail")
      email = pick([
        ` Client${id} @ Exemple.CA `,
        `client${id}@exemple.ca, conjoint${id}@exemple.ca`,
        `client${id}@exemple.ca et bureau${id}@exemple.ca`,
      ]);
    if (dirt === "notAnEmail") email = pick(["voir le fils", "pas de courriel", "n/a"]);
    let zip = postal();
    if (dirt === "postalCodeNotation")
      zip = pick([zip.replace(" ", "").toLowerCase(), zip.replace(" ", "-"), zip.replace(" ", "")]);
    if (dirt === "notAPostalCode") zip = zip.slice(0, 6);
    const phone = () =>
      pick([
        `(418) 555-${String(int(0, 9999)).padStart(4, "0")}`,
        `418.555.${String(int(0, 9999)).padStart(4, "0")}`,
        `5815550${String(int(0, 999)).padStart(3, "0")}`,
        "",
        "n/a",
      ]);
    const status = dirt === "unknownAccountStatus" ? 7 : rnd() < 0.6 ? 1 : 4;
    const code = `DR${base + (dirt === "sharedCustomerCode" ? (id === 10 ? 2 : int(1, id - 1)) : id)}`;
    return [
      id,
      code,
      first,
      last,
      company,
      email,
      phone(),
      rnd() < 0.85 ? phone() : null,
      `${int(1, 2999)} rue ${pick(LAST)}`,
      pick(CITIES)[0],
      zip,
      rnd() < 0.85 ? "fr" : "en",
      status,
      business ? 8 : 5,
      rnd() < 0.3 ? `PPA${id}` : null,
      rnd() < 0.2 ? `cus_${hex(14)}` : null,
      "QC",
      `${day(year(2010, 2025))} 10:00:00`,
    ];
  });
  await insert("account", accountRows);

  const deliveries = n("delivery");
  const deliveryRows = Array.from({ length: deliveries }, (_, i) => {
    const id = i + 1;
    const [city, lat, lng] = pick(CITIES);
    let la: number | null = Number((lat + (rnd() - 0.5) * 0.05).toFixed(6));
    let lo: number | null = Number((lng + (rnd() - 0.5) * 0.05).toFixed(6));
    const dirt = plan.pick("delivery", id);
    if (dirt === "impossibleCoordinates") [la, lo] = rnd() < 0.5 ? [lo, la] : [la + 100, lo];
    else if (rnd() < 0.03) [la, lo] = [null, null];
    let address = `${int(1, 2999)} ${pick(["rue", "avenue", "chemin"])} ${pick(LAST)}`;
    let notes = rnd() < 0.1 ? "Code porte 1234" : null;
    if (dirt === "mojibakeAddress") {
      address = `${int(1, 2999)} rue ${mojibake("Côté")}`;
      notes = `Entrée par l${mojibake("’")}arrière, ${mojibake("clé")} chez le voisin`;
    }
    return [
      id,
      plan.fixed("delivery", id) ? 1 : Math.min(accounts, i < accounts ? i + 1 : int(1, accounts)),
      address,
      city,
      `G6V ${int(1, 9)}B${int(1, 9)}`,
      la,
      lo,
      null,
      null,
      notes,
    ];
  });
  await insert("delivery", deliveryRows);
  await insert(
    "fibre",
    deliveryRows
      .filter(() => rnd() < 0.94)
      .map((d, i) => [
        i + 1,
        d[0],
        `OLT-${pick(["LEVIS", "QUEBEC", "RIVESUD"])}-${int(1, 2)}`,
        `0/${int(1, 16)}/${int(0, 15)}`,
        int(1, 120),
        100,
        rnd() < 0.9 ? "FTTH" : "FTTB",
      ]),
  );

  const services = n("service");
  await insert(
    "service",
    Array.from({ length: services }, (_, i) => {
      const id = i + 1;
      // A fixed dirty row sits on clean parents, so it is refused or repaired for its own dirt.
      const clean = plan.fixed("service", id);
      const delivery = deliveryRows[clean ? 0 : int(0, deliveries - 1)]!;
      const dirt = plan.pick("service", id);
      const account = dirt === "orphanService" ? accounts + 1000 + id : (delivery[1] as number);
      let recurrence: number | null = pick([2, 2, 2, 2, 0, 5]);
      if (dirt === "nullRecurrence") recurrence = null;
      if (dirt === "unknownRecurrence") recurrence = 3;
      let price = int(20, 120) + 0.95;
      if (recurrence === 0) price = Math.round(price * 12 * 0.9);
      if (recurrence === 5) price = Math.round(price * 6 * 0.95);
      if (dirt === "negativeServicePrice") price = -price;
      if (dirt === "absurdServicePrice") price = 60_000;
      let status = rnd() < 0.6 ? 1 : 0;
      if (dirt === "zeroEndDate") status = 1;
      if (dirt === "unknownServiceStatus") status = 9;
      // A service ends after it starts, if it ends.
      const startYear = year(2015, 2025);
      let start = `${startYear}-0${int(1, 9)}-01`;
      if (dirt === "activeWithoutStart") start = "0000-00-00";
      let end: string | null = rnd() < 0.3 ? `${year(startYear + 1, startYear + 5)}-12-31` : null;
      if (dirt === "zeroEndDate") end = "0000-00-00";
      if (dirt === "endBeforeStart") end = `${startYear - 1}-12-31`;
      if (dirt === "activeWithoutStart") status = 1;
      let promo: string | null = rnd() < 0.1 ? "2026-06-30" : null;
      if (dirt === "impossibleDate") promo = "2025-02-30";
      return [
        id,
        account,
        delivery[0],
        clean ? 1 : int(1, products.length),
        status,
        recurrence,
        price,
        start,
        end,
        promo,
      ];
    }),
  );

  const devices = n("device");
  const serials: string[] = [];
  await insert(
    "device",
    Array.from({ length: devices }, (_, i) => {
      const id = i + 1;
      const delivery = deliveryRows[plan.fixed("device", id) ? 0 : int(0, deliveries - 1)]!;
      const dirt = plan.pick("device", id);
      let serial = `${pick(["ZTEG", "HWTC", "TPLK"])}${hex(8).toUpperCase()}`;
      if (dirt === "duplicateSerial")
        serial = id === 9 ? serials[7]! : pick(serials.length ? serials : [serial]);
      serials.push(serial);
      const raw = [0x0c, 0x80, 0x63, int(0, 255), int(0, 255), int(0, 255)].map((b) =>
        b.toString(16).padStart(2, "0"),
      );
      let mac = pick([
        raw.join(":").toUpperCase(),
        raw.join("-"),
        `${raw[0]}${raw[1]}.${raw[2]}${raw[3]}.${raw[4]}${raw[5]}`,
        raw.join("").toUpperCase(),
      ]);
      if (dirt === "invalidMac")
        mac = pick(["N/A", "00:00:00:00:00:00", "12345", "zz:zz:zz:zz:zz:zz"]);
      let gpon = rnd() < 0.5 ? `${pick(["ZTEG", "HWTC"])}${hex(8).toUpperCase()}` : null;
      if (dirt === "invalidGponSerial") gpon = pick(["N/A", "HWTC123", "0000"]);
      let status = pick(["active", "active", "stock", "defective", "returned"]);
      let deliveryId = delivery[0] as number;
      if (dirt === "unknownDeviceStatus") status = "perdu";
      if (dirt === "deviceOnDeletedDelivery")
        [status, deliveryId] = ["active", deliveries + 500 + id];
      return [
        id,
        delivery[1],
        deliveryId,
        null,
        pick(["ont", "modem", "router", "tvbox", "phone"]),
        pick(["ZTE", "Huawei", "TP-Link"]),
        pick(["F670L", "HG8245Q2", "XX230v"]),
        serial,
        mac,
        gpon,
        status,
      ];
    }),
  );

  const staff = n("staff");
  await insert(
    "staff",
    Array.from({ length: staff }, (_, i) => {
      const id = i + 1;
      const email =
        plan.pick("staff", id) === "sharedStaffEmail"
          ? "staff1@gigafibre-legacy.ca"
          : `staff${id}@gigafibre-legacy.ca`;
      return [
        id,
        `user${id}`,
        pick(FIRST),
        pick(LAST),
        email,
        `418-555-${String(3000 + i)}`,
        i % 3 === 0 ? "tech" : pick(["csr", "admin", "tech"]),
        rnd() < 0.8 ? 1 : 0,
        hex(32),
      ];
    }),
  );

  const tickets = n("ticket");
  await insert(
    "ticket",
    Array.from({ length: tickets }, (_, i) => {
      const id = i + 1;
      const dirt = plan.pick("ticket", id);
      let subject = pick([
        "Pas d'internet",
        "Lenteur le soir",
        "Facture",
        "Changement de forfait",
        "Télé qui gèle",
        "Déménagement",
      ]);
      if (dirt === "mojibakeSubject") subject = mojibake("L’internet coupe à 20 h");
      const status =
        dirt === "unknownTicketStatus" ? "en attente" : rnd() < 0.1 ? "open" : "closed";
      const created =
        dirt === "zeroTicketDate" ? "0000-00-00 00:00:00" : `${day(year(2018, 2025))} 09:00:00`;
      return [
        id,
        plan.fixed("ticket", id) ? 1 : int(1, accounts),
        null,
        subject,
        status,
        created,
        int(1, staff),
      ];
    }),
  );
  const perTicket = opts.messagesPerTicket ?? FULL_SCALE.ticket_msg / FULL_SCALE.ticket;
  const messages = Math.round(tickets * perTicket);
  await insert(
    "ticket_msg",
    Array.from({ length: messages }, (_, i) => {
      const id = i + 1;
      const dirt = plan.pick("ticket_msg", id);
      let body = pick([
        "Bonjour, le modem clignote rouge.",
        "Merci, tout fonctionne.",
        "Un technicien passera demain.",
        "Avez-vous redémarré le routeur?",
      ]);
      if (dirt === "inlineImage")
        body = `Voir la photo: data:image/png;base64,${Buffer.from(hex(300)).toString("base64")}`;
      if (dirt === "mojibakeBody")
        body = `Hélène dit que l${mojibake("’")}appareil ${mojibake("émet")} un bip.`;
      return [
        id,
        plan.fixed("ticket_msg", id) ? 1 : (i % tickets) + 1,
        rnd() < 0.5 ? "staff" : "client",
        body,
        `${day(year(2018, 2025))} 10:00:00`,
      ];
    }),
  );

  const orders = n("bon_travail");
  await insert(
    "bon_travail",
    Array.from({ length: orders }, (_, i) => {
      const id = i + 1;
      const clean = plan.fixed("bon_travail", id);
      const d = deliveryRows[clean ? 0 : int(0, deliveries - 1)]!;
      const dirt = plan.pick("bon_travail", id);
      let status = pick(["done", "done", "done", "planned", "cancelled"]);
      let planned: string | null = day(year(2020, 2026));
      if (dirt === "unknownWorkOrderStatus") status = "reporte";
      if (dirt === "completedWithoutDate") [status, planned] = ["done", "0000-00-00"];
      let notes = rnd() < 0.3 ? "Installation complétée, signal -18 dBm" : null;
      if (dirt === "mojibakeNotes") notes = mojibake("Installation complétée, câble à remplacer");
      return [
        id,
        d[1],
        d[0],
        !clean && rnd() < 0.3 ? int(1, tickets) : null,
        clean ? 1 : int(1, staff),
        pick(["install", "repair", "removal", "maintenance"]),
        status,
        planned,
        `${int(8, 15)}:00:00`,
        pick([60, 90, 120]),
        notes,
        `${year(2020, 2025)}-01-01 08:00:00`,
      ];
    }),
  );
  const dirt = base
    ? (Object.fromEntries(
        Object.entries(plan.dirt).map(([k, ids]) => [k, ids.map((i) => i + base)]),
      ) as Dirt)
    : plan.dirt;
  return { counts, dirt };
}
