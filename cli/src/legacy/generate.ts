import { readFileSync } from "node:fs";
import type { Connection } from "mysql2/promise";

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
  /** Tickets carry 3.2 messages on average; lower it to keep test databases small. */
  messagesPerTicket?: number;
  seed?: number;
}

/** What dirt went in, so tests can expect each reported with its reason. */
export interface Dirt {
  invalidMac: number[];
  duplicateSerial: number[];
  orphanService: number[];
  impossibleCoordinates: number[];
  brokenEncoding: number[];
  repairedEncoding: number[];
}

const SCHEMA = new URL("../../data/legacy-schema.sql", import.meta.url);
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
  "Internet affaires",
  "Télévision",
  "Téléphonie",
  "Location d'équipement",
];

/**
 * Create the legacy schema in `db` and fill it with synthetic, realistically dirty data. Besides
 * random dirt, every database has each kind at a fixed id (scale 0.001 and up): account 3 a lost
 * accent, account 4 repairable mojibake, delivery 5 impossible coordinates, device 6 an invalid
 * MAC, service 7 an orphan, device 9 the serial of device 8.
 */
export async function generateLegacy(
  db: Connection,
  opts: GenerateOptions = {},
): Promise<{ counts: Record<string, number>; dirt: Dirt }> {
  const scale = opts.scale ?? 0.1;
  let state = opts.seed ?? 0xfeed;
  const rnd = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const hex = (n: number) =>
    Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
  const n = (table: keyof typeof FULL_SCALE) =>
    Math.max(table === "product_cat" ? CATS.length : 3, Math.round(FULL_SCALE[table] * scale));
  const dirt: Dirt = {
    invalidMac: [],
    duplicateSerial: [],
    orphanService: [],
    impossibleCoordinates: [],
    brokenEncoding: [],
    repairedEncoding: [],
  };
  const counts: Record<string, number> = {};

  for (const statement of readFileSync(SCHEMA, "utf8")
    .replace(/--.*$/gm, "")
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const table = /CREATE TABLE (\w+)/.exec(statement)?.[1];
    if (table) await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.query(statement);
  }
  const insert = async (table: string, rows: unknown[][]) => {
    counts[table] = (counts[table] ?? 0) + rows.length;
    for (let i = 0; i < rows.length; i += 1000)
      await db.query(`INSERT INTO ${table} VALUES ?`, [rows.slice(i, i + 1000)]);
  };

  await insert(
    "product_cat",
    CATS.map((name, i) => [i + 1, name]),
  );
  const products = Array.from({ length: n("product") }, (_, i) => {
    const cat = (i % CATS.length) + 1;
    const annual = i % 17 === 0;
    const down = cat <= 2 ? pick([50, 100, 300, 500, 1000]) : 0;
    return [
      i + 1,
      cat,
      `${["INT", "BIZ", "TV", "TEL", "EQ"][cat - 1]}-${down || i}-${i}${annual ? "-ANN" : ""}`,
      `${CATS[cat - 1]} ${down ? `${down} Mbit/s` : `#${i}`}`,
      annual ? int(450, 1100) : int(15, 120) + 0.95,
      down,
      down ? Math.round(down / 5) : 0,
      1,
    ];
  });
  await insert("product", products);

  const accounts = n("account");
  const accountRows = Array.from({ length: accounts }, (_, i) => {
    const id = i + 1;
    let first: string | null = pick(FIRST);
    let last: string | null = pick(LAST);
    if (id === 4 || rnd() < 0.03) {
      // Text stored as UTF-8 bytes read back as latin1 once upon a time: repairable mojibake.
      if (id === 4) first = "Émilie";
      first = new TextDecoder("windows-1252").decode(Buffer.from(first, "utf8"));
      if (/[ÃÂ]/.test(first)) dirt.repairedEncoding.push(id);
    } else if (id === 3 || rnd() < 0.01) {
      last = "L?vesque"; // the accent was lost converting to latin1: '?' for good
      dirt.brokenEncoding.push(id);
    }
    const business = rnd() < 0.1;
    if (business && rnd() < 0.5) first = last = null;
    const phone = () =>
      pick([
        `(418) 555-${String(int(0, 9999)).padStart(4, "0")}`,
        `418.555.${String(int(0, 9999)).padStart(4, "0")}`,
        `5815550${String(int(0, 999)).padStart(3, "0")}`,
        "",
        "n/a",
      ]);
    return [
      id,
      `DR${id}`,
      first,
      last,
      business ? `${pick(LAST)} ${pick(["Construction", "Électrique", "Transport"])} inc.` : null,
      rnd() < 0.8 ? `client${id}@exemple.ca` : null,
      phone(),
      rnd() < 0.85 ? phone() : null,
      `${int(1, 2999)} rue ${pick(LAST)}`,
      pick(CITIES)[0],
      `G6V ${int(1, 9)}A${int(1, 9)}`,
      rnd() < 0.85 ? "fr" : "en",
      rnd() < 0.6 ? 1 : 4,
      business ? 8 : 5,
      rnd() < 0.3 ? `PPA${id}` : null,
      rnd() < 0.2 ? `cus_${hex(14)}` : null,
      "QC",
      `20${int(10, 25)}-0${int(1, 9)}-1${int(0, 9)} 10:00:00`,
    ];
  });
  await insert("account", accountRows);

  const deliveries = n("delivery");
  const deliveryRows = Array.from({ length: deliveries }, (_, i) => {
    const id = i + 1;
    const [city, lat, lng] = pick(CITIES);
    let la: number | null = Number((lat + (rnd() - 0.5) * 0.05).toFixed(6));
    let lo: number | null = Number((lng + (rnd() - 0.5) * 0.05).toFixed(6));
    if (id === 5 || rnd() < 0.02) {
      [la, lo] = rnd() < 0.5 ? [lo, la] : [la + 100, lo]; // swapped or out of range
      dirt.impossibleCoordinates.push(id);
    } else if (rnd() < 0.03) [la, lo] = [null, null];
    return [
      id,
      Math.min(accounts, i < accounts ? i + 1 : int(1, accounts)),
      `${int(1, 2999)} ${pick(["rue", "avenue", "chemin"])} ${pick(LAST)}`,
      city,
      `G6V ${int(1, 9)}B${int(1, 9)}`,
      la,
      lo,
      null,
      null,
      rnd() < 0.1 ? "Code porte 1234" : null,
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
      const delivery = deliveryRows[int(0, deliveries - 1)]!;
      let account = delivery[1] as number;
      if (id === 7 || rnd() < 0.015) {
        account = accounts + 1000 + id; // the account row is gone
        dirt.orphanService.push(id);
      }
      const recurrence = pick([2, 2, 2, 2, 0, 5]);
      return [
        id,
        account,
        delivery[0],
        int(1, products.length),
        rnd() < 0.6 ? 1 : 0,
        recurrence,
        int(20, 120) + 0.95,
        `20${int(15, 25)}-0${int(1, 9)}-01`,
        rnd() < 0.3 ? `20${int(20, 26)}-12-31` : null,
        rnd() < 0.1 ? "2026-06-30" : null,
      ];
    }),
  );

  const devices = n("device");
  const serials: string[] = [];
  await insert(
    "device",
    Array.from({ length: devices }, (_, i) => {
      const id = i + 1;
      const delivery = deliveryRows[int(0, deliveries - 1)]!;
      let serial = `${pick(["ZTEG", "HWTC", "TPLK"])}${hex(8).toUpperCase()}`;
      if (id === 9 || (serials.length && rnd() < 0.015)) {
        serial = id === 9 ? serials[7]! : pick(serials);
        dirt.duplicateSerial.push(id);
      }
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
      if (id === 6 || rnd() < 0.03) {
        mac = pick(["N/A", "00:00:00:00:00:00", "12345", "zz:zz:zz:zz:zz:zz"]);
        dirt.invalidMac.push(id);
      }
      return [
        id,
        delivery[1],
        delivery[0],
        null,
        pick(["ont", "modem", "router", "tvbox", "phone"]),
        pick(["ZTE", "Huawei", "TP-Link"]),
        pick(["F670L", "HG8245Q2", "XX230v"]),
        serial,
        mac,
        rnd() < 0.5 ? `${pick(["ZTEG", "HWTC"])}${hex(8).toUpperCase()}` : null,
        pick(["active", "active", "stock", "defective", "returned"]),
      ];
    }),
  );

  const staff = n("staff");
  await insert(
    "staff",
    Array.from({ length: staff }, (_, i) => [
      i + 1,
      `user${i + 1}`,
      pick(FIRST),
      pick(LAST),
      `staff${i + 1}@gigafibre-legacy.ca`,
      `418-555-${String(3000 + i)}`,
      i % 3 === 0 ? "tech" : pick(["csr", "admin", "tech"]),
      rnd() < 0.8 ? 1 : 0,
      hex(32),
    ]),
  );

  const tickets = n("ticket");
  await insert(
    "ticket",
    Array.from({ length: tickets }, (_, i) => [
      i + 1,
      int(1, accounts),
      null,
      pick([
        "Pas d'internet",
        "Lenteur le soir",
        "Facture",
        "Changement de forfait",
        "Télé qui gèle",
        "Déménagement",
      ]),
      rnd() < 0.1 ? "open" : "closed",
      `20${int(18, 25)}-0${int(1, 9)}-1${int(0, 9)} 09:00:00`,
      int(1, staff),
    ]),
  );
  const perTicket = opts.messagesPerTicket ?? FULL_SCALE.ticket_msg / FULL_SCALE.ticket;
  const messages = Math.round(tickets * perTicket);
  await insert(
    "ticket_msg",
    Array.from({ length: messages }, (_, i) => [
      i + 1,
      (i % tickets) + 1,
      rnd() < 0.5 ? "staff" : "client",
      rnd() < 0.01
        ? `Voir la photo: data:image/png;base64,${Buffer.from(hex(300)).toString("base64")}`
        : pick([
            "Bonjour, le modem clignote rouge.",
            "Merci, tout fonctionne.",
            "Un technicien passera demain.",
            "Avez-vous redémarré le routeur?",
          ]),
      `20${int(18, 25)}-0${int(1, 9)}-1${int(0, 9)} 10:00:00`,
    ]),
  );

  const orders = n("bon_travail");
  await insert(
    "bon_travail",
    Array.from({ length: orders }, (_, i) => {
      const d = deliveryRows[int(0, deliveries - 1)]!;
      return [
        i + 1,
        d[1],
        d[0],
        rnd() < 0.3 ? int(1, tickets) : null,
        int(1, staff),
        pick(["install", "repair", "removal", "maintenance"]),
        pick(["done", "done", "done", "planned", "cancelled"]),
        `20${int(20, 26)}-0${int(1, 9)}-1${int(0, 9)}`,
        `${int(8, 15)}:00:00`,
        pick([60, 90, 120]),
        rnd() < 0.3 ? "Installation complétée, signal -18 dBm" : null,
        `20${int(20, 25)}-01-01 08:00:00`,
      ];
    }),
  );
  return { counts, dirt };
}
