import { describe, expect, it } from "vitest";
import {
  FrappeAuthenticationError,
  FrappeClient,
  FrappeConflictError,
  FrappeDuplicateEntryError,
  FrappeLinkValidationError,
  FrappeMandatoryError,
  FrappeNotFoundError,
  FrappePermissionError,
  FrappeUniqueValidationError,
  FrappeValidationError,
  InsertManyError,
  type FrappeError,
} from "@gigafibre/frappe-client";
import { unique, useStandin } from "./support.js";

// The ts-client contract, over real HTTP against the stand-in (the msw suite in ts-client holds
// the client to recorded Frappe bodies; this one holds the stand-in to the client).
const t = useStandin();
const fail = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail("expected an error"),
    (e: FrappeError) => e,
  );

describe("errors, as a real Frappe 15 site answers", () => {
  it("no credentials: 403 PermissionError as Guest; a wrong key: 401", async () => {
    const guest = new FrappeClient({ url: t.standin.url, retry: false });
    const wrong = new FrappeClient({
      url: t.standin.url,
      apiKey: t.standin.apiKey,
      apiSecret: "wrong",
      retry: false,
    });
    expect(await fail(guest.list("Service Equipment"))).toBeInstanceOf(FrappePermissionError);
    expect(await fail(wrong.list("Service Equipment"))).toBeInstanceOf(FrappeAuthenticationError);
  });

  it("missing, mandatory, select, link, unique, duplicate name", async () => {
    const c = t.client;
    const serial = unique("SN");
    expect(await fail(c.get("Service Equipment", "EQP-99999"))).toBeInstanceOf(FrappeNotFoundError);
    const mandatory = await fail(c.insert("Service Equipment", { equipment_type: "ONT" }));
    expect(mandatory).toBeInstanceOf(FrappeMandatoryError);
    expect(mandatory.serverMessages[0]?.message).toBe(
      "Error: Value missing for Service Equipment: Serial No",
    );
    const select = await fail(
      c.insert("Service Equipment", {
        equipment_type: "Toaster" as never,
        serial_no: unique("SN"),
      }),
    );
    expect(select).toBeInstanceOf(FrappeValidationError);
    expect(select.excType).toBe("ValidationError");
    expect(
      await fail(
        c.insert("Service Equipment", {
          equipment_type: "ONT",
          serial_no: unique("SN"),
          customer: "NOPE",
        }),
      ),
    ).toBeInstanceOf(FrappeLinkValidationError);
    await c.insert("Service Equipment", { equipment_type: "ONT", serial_no: serial });
    expect(
      await fail(c.insert("Service Equipment", { equipment_type: "ONT", serial_no: serial })),
    ).toBeInstanceOf(FrappeUniqueValidationError);
    const tag = unique("tag");
    await c.insert("Dispatch Tag", { tag_name: tag });
    expect(await fail(c.insert("Dispatch Tag", { tag_name: tag }))).toBeInstanceOf(
      FrappeDuplicateEntryError,
    );
  });

  it("a Time comes back as Frappe prints MariaDB's timedelta: 9:30:00, not 09:30", async () => {
    const job = await t.client.insert("Dispatch Job", {
      job_type: "Repair",
      scheduled_start: "09:30",
    });
    expect((await t.client.get("Dispatch Job", job.name)).scheduled_start).toBe("9:30:00");
    const [row] = await t.client.list("Dispatch Job", {
      filters: { name: job.name },
      fields: ["scheduled_start"],
    });
    expect(row?.scheduled_start).toBe("9:30:00");
    await t.client.update("Dispatch Job", job.name, { duration_minutes: 45 });
    const early = await t.client.list("Dispatch Job", {
      filters: [
        ["name", "=", job.name],
        ["scheduled_start", "<", "10:00:00"],
      ],
      fields: ["scheduled_start"],
    });
    expect(early).toEqual([{ scheduled_start: "9:30:00" }]); // still stored as 09:30:00
  });

  it("Data fields with Phone or Email options are checked as Frappe checks them", async () => {
    // In a child row too: one bad number refuses the whole Contact.
    const phone = await fail(
      t.client.insert("Contact", {
        first_name: "X",
        phone_nos: [{ phone: "call me maybe" }],
      }),
    );
    expect([phone.excType, phone.serverMessages[0]?.message]).toEqual([
      "InvalidPhoneNumberError",
      "call me maybe is not a valid Phone Number",
    ]);
    const email = await fail(t.client.insert("User", { email: "not-an-email", first_name: "X" }));
    expect(email.excType).toBe("InvalidEmailAddressError");
    // The app's rules come first where it has them (the technician's mobile, a contact's e-mails).
    const mobile = await fail(
      t.client.insert("Technician", { user: "Administrator", mobile: "call me maybe" }),
    );
    expect([mobile.excType, mobile.serverMessages[0]?.message]).toEqual([
      "InvalidPhoneNumber",
      "Mobile call me maybe is not a phone number: expected one such as (418) 555-0142 or +14185550142",
    ]);
    const contact = await fail(
      t.client.insert("Contact", {
        first_name: "X",
        email_ids: [{ email_id: "a@x.ca, b@y.ca", is_primary: 1 }],
      }),
    );
    expect(contact.excType).toBe("InvalidEmailAddress");
    const tidy = await t.client.insert("Contact", {
      first_name: "X",
      email_ids: [{ email_id: " Jean @ Exemple.CA ", is_primary: 1 }],
    });
    expect(tidy.email_id).toBe("jean@exemple.ca");
  });

  it("a stale modified is a conflict carrying both timestamps; without it the last write wins", async () => {
    const c = t.client;
    const doc = await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: unique("SN"),
    });
    const saved = await c.update("Service Equipment", doc.name, {
      firmware: "1.0",
      modified: doc.modified,
    });
    const conflict = (await fail(
      c.update("Service Equipment", doc.name, { firmware: "2.0", modified: doc.modified }),
    )) as FrappeConflictError;
    expect(conflict).toBeInstanceOf(FrappeConflictError);
    expect(conflict.sentModified).toBe(doc.modified);
    expect(conflict.serverModified).toBe(saved.modified);
    expect((await c.update("Service Equipment", doc.name, { firmware: "3.0" })).firmware).toBe(
      "3.0",
    );
  });

  it("unknown fields, operators and methods; methods that are not whitelisted", async () => {
    const c = t.client;
    expect((await fail(c.list("Service Equipment", { fields: ["nope" as never] }))).excType).toBe(
      "DataError",
    );
    expect(
      (await fail(c.list("Service Equipment", { filters: [["serial_no", "~" as never, "x"]] })))
        .excType,
    ).toBe("ValidationError");
    expect((await fail(c.call("nosuch.app.fn"))).status).toBe(417);
    expect((await fail(c.call("frappe.nope.nope"))).status).toBe(501); // the stand-in cannot know Frappe has none
    expect(await fail(c.call("frappe.get_all", { doctype: "User" }))).toBeInstanceOf(
      FrappePermissionError,
    );
  });
});

describe("documents", () => {
  it("names with spaces, slashes, #, % and accents round-trip", async () => {
    for (const name of [
      `With Space ${unique("x")}`,
      `a/b ${unique("x")}`,
      `No #7 ${unique("x")}`,
      `100% ${unique("x")}`,
      `Équipe Lévis ${unique("x")}`,
    ]) {
      await t.client.insert("Dispatch Tag", { tag_name: name });
      expect((await t.client.get("Dispatch Tag", name)).name).toBe(name);
      await t.client.update("Dispatch Tag", name, { level: 2 });
      await t.client.delete("Dispatch Tag", name);
      expect(await fail(t.client.get("Dispatch Tag", name))).toBeInstanceOf(FrappeNotFoundError);
    }
  });

  it("insertMany chunks at 200 and reports the failed chunk; 201 in one call is refused", async () => {
    const tag = unique("bulk");
    const docs = Array.from({ length: 450 }, (_, i) => ({ tag_name: `${tag}-${i}` }));
    const result = await t.client.insertMany("Dispatch Tag", docs);
    expect(result.names).toHaveLength(450);
    expect(await t.client.count("Dispatch Tag", [["tag_name", "like", `${tag}-%`]])).toBe(450);
    const again = [{ tag_name: `${tag}-new-1` }, ...docs.slice(0, 250)];
    const err = (await t.client
      .insertMany("Dispatch Tag", again)
      .catch((e: unknown) => e)) as InsertManyError;
    expect(err).toBeInstanceOf(InsertManyError);
    expect(err.failure.chunk).toBe(0);
    expect(err.failure.error).toBeInstanceOf(FrappeDuplicateEntryError);
    expect(await t.client.count("Dispatch Tag", [["tag_name", "=", `${tag}-new-1`]])).toBe(0); // the chunk was one transaction
    const tooMany = await fail(
      t.client.call("frappe.client.insert_many", {
        docs: Array.from({ length: 201 }, (_, i) => ({
          doctype: "Dispatch Tag",
          tag_name: `${tag}-x${i}`,
        })),
      }),
    );
    expect(tooMany.serverMessages[0]?.message).toBe("Only 200 inserts allowed in one request");
  });

  it("iterates 10,500 rows by key, each once, and filters with every operator", async () => {
    const kind = unique("iter");
    const rows = Array.from({ length: 10_500 }, (_, i) => ({
      tag_name: `${kind}-${String(i).padStart(5, "0")}`,
      level: i % 10,
      color: i % 2 ? "#fff" : null,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await t.client.insertMany("Dispatch Tag", rows.slice(i, i + 200));
    const seen: string[] = [];
    for await (const row of t.client.iterate("Dispatch Tag", {
      filters: [["tag_name", "like", `${kind}-%`]],
      pageSize: 1000,
    }))
      seen.push(row.name);
    expect(seen).toEqual(rows.map((r) => r.tag_name));
    const count = (filters: unknown) =>
      t.client.count("Dispatch Tag", [["tag_name", "like", `${kind}-%`], ...(filters as never[])]);
    expect(await count([["level", "=", 3]])).toBe(1050);
    expect(await count([["level", "!=", 3]])).toBe(9450);
    expect(await count([["level", ">", 7]])).toBe(2100);
    expect(await count([["level", ">=", 7]])).toBe(3150);
    expect(await count([["level", "<", 2]])).toBe(2100);
    expect(await count([["level", "<=", 2]])).toBe(3150);
    expect(await count([["level", "in", [1, 2]]])).toBe(2100);
    expect(await count([["level", "not in", [1, 2]]])).toBe(8400);
    expect(await count([["level", "between", [2, 4]]])).toBe(3150);
    expect(await count([["color", "is", "set"]])).toBe(5250);
    expect(await count([["color", "is", "not set"]])).toBe(5250);
    expect(await count([["tag_name", "not like", `%0`]])).toBe(9450);
    const page = await t.client.list("Dispatch Tag", {
      filters: [["tag_name", "like", `${kind}-%`]],
      orFilters: [
        ["level", "=", 1],
        ["level", "=", 2],
      ],
      orderBy: "tag_name desc",
      limitStart: 5,
      limit: 3,
      fields: ["level"],
    });
    expect(page.map((r) => r.level)).toEqual([1, 2, 1]); // 10471, 10462, 10461
  });

  it("single doctypes and file upload into a field", async () => {
    const settings = await t.client.getSingle("FSM Settings");
    expect(settings.messaging_dry_run).toBe(1);
    const customer = await t.client.insert("Customer", {
      customer_name: unique("Client"),
      customer_type: "Individual",
    });
    const scan = await t.client.insert("Vision Scan", {
      kind: "Barcode",
      image: "/files/placeholder.jpg",
      reference_doctype: "Customer",
      reference_name: customer.name,
    });
    const file = await t.client.upload({
      data: new TextEncoder().encode("png-bytes"),
      filename: "label.png",
      doctype: "Vision Scan",
      docname: scan.name,
      fieldname: "image",
    });
    expect(file.file_url).toMatch(/^\/private\/files\/.+-label\.png$/);
    expect((await t.client.get("Vision Scan", scan.name)).image).toBe(file.file_url);
    const download = await fetch(t.standin.url + file.file_url, {
      headers: { Authorization: `token ${t.standin.apiKey}:${t.standin.apiSecret}` },
    });
    expect(await download.text()).toBe("png-bytes");
  });

  it("submits and cancels a submittable document, and refuses edits after submit", async () => {
    const customer = await t.client.insert("Customer", {
      customer_name: unique("Client"),
      customer_type: "Company",
    });
    const invoice = await t.client.insert("Sales Invoice", {
      customer: customer.name,
      company: "Gigafibre Demo",
      items: [{ item_name: "Install", qty: 1, rate: 50 }],
    });
    expect(invoice.name).toMatch(/^ACC-SINV-\d{4}-\d{5}$/);
    expect((await t.client.submit("Sales Invoice", invoice.name)).docstatus).toBe(1);
    const locked = await fail(
      t.client.update("Sales Invoice", invoice.name, { remarks: "changed" }),
    );
    expect(locked.excType).toBe("UpdateAfterSubmitError");
    expect((await t.client.cancel("Sales Invoice", invoice.name)).docstatus).toBe(2);
  });
});
