import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { io } from "socket.io-client";
import { until } from "@gigafibre/testing";
import { raw, unique, useStandin } from "./support.js";

// Answers recorded on a real Frappe 15.75 + ERPNext 15.71 site (2026-12-01) where the stand-in
// used to differ: each message as Frappe queues it (the keys of each entry included), the
// realtime events of a delete, the bytes of a webhook, and what the stand-in does not implement.
const t = useStandin();
const json = { "Content-Type": "application/json" };

function messages(body: Record<string, unknown>): Record<string, unknown>[] {
  return (JSON.parse(String(body._server_messages)) as string[]).map(
    (m) => JSON.parse(m) as Record<string, unknown>,
  );
}

describe("error bodies as Frappe writes them", () => {
  it("a Customer without a name: ERPNext names it by hash, then the mandatory field refuses it", async () => {
    const res = await raw(
      t.standin,
      "POST",
      "/api/resource/Customer",
      '{"customer_type": "Individual"}',
      json,
    );
    expect([res.status, res.json.exc_type]).toEqual([417, "MandatoryError"]);
    expect(messages(res.json)).toEqual([
      { message: "Error: Value missing for Customer: Customer Name", title: "Message" },
    ]);
  });

  it("a duplicate name: message, title and indicator; a unique field: message and title", async () => {
    const tag = unique("DUP");
    await raw(
      t.standin,
      "POST",
      "/api/resource/Dispatch%20Tag",
      JSON.stringify({ tag_name: tag }),
      json,
    );
    const dup = await raw(
      t.standin,
      "POST",
      "/api/resource/Dispatch%20Tag",
      JSON.stringify({ tag_name: tag }),
      json,
    );
    expect([dup.status, dup.json.exc_type]).toEqual([409, "DuplicateEntryError"]);
    expect(messages(dup.json)).toEqual([
      {
        message: `Dispatch Tag <strong>${tag}</strong> already exists`,
        title: "Duplicate Name",
        indicator: "red",
      },
    ]);
    const serial = unique("UNQ").toUpperCase();
    const eqp = JSON.stringify({ equipment_type: "ONT", serial_no: serial });
    await raw(t.standin, "POST", "/api/resource/Service%20Equipment", eqp, json);
    const unq = await raw(t.standin, "POST", "/api/resource/Service%20Equipment", eqp, json);
    expect([unq.status, unq.json.exc_type]).toEqual([417, "UniqueValidationError"]);
    expect(messages(unq.json)).toEqual([{ message: "Serial No must be unique", title: "Message" }]);
  });

  it("Guest: message and title, and _error_message", async () => {
    const res = await fetch(`${t.standin.url}/api/resource/Customer`);
    const body = (await res.json()) as Record<string, unknown>;
    expect([res.status, body.exc_type, body._error_message]).toEqual([
      403,
      "PermissionError",
      "No permission for Customer",
    ]);
    expect(messages(body)).toEqual([
      {
        message:
          "User <strong>Guest</strong> does not have doctype access via role permission for document <strong>Customer</strong>",
        title: "Message",
      },
    ]);
  });

  it("a function of an installed app that is not whitelisted: 403", async () => {
    for (const method of ["gigafibre_fsm.permissions.sees_all_jobs", "frappe.get_all"]) {
      const res = await raw(t.standin, "GET", `/api/method/${method}`);
      expect([res.status, res.json.exc_type]).toEqual([403, "PermissionError"]);
      expect(messages(res.json)).toEqual([
        {
          message: `<details><summary>You are not permitted to access this resource. Login to access</summary>Function <strong>${method}</strong> is not whitelisted.</details>`,
          title: "Method Not Allowed",
          indicator: "red",
          raise_exception: 1,
        },
      ]);
    }
  });

  it("a function missing from an app module, and an app not installed: 417 saying which", async () => {
    const missing = await raw(t.standin, "GET", "/api/method/gigafibre_fsm.permissions.nope");
    expect([missing.status, missing.json.exc_type]).toEqual([417, "ValidationError"]);
    expect(messages(missing.json).map((m) => m.message)).toEqual([
      "Failed to get method for command gigafibre_fsm.permissions.nope with module 'gigafibre_fsm.permissions' has no attribute 'nope'",
    ]);
    const app = await raw(t.standin, "GET", "/api/method/nosuch.module.fn");
    expect([app.status, app.json.exc_type]).toEqual([417, "ValidationError"]);
    expect(messages(app.json).map((m) => m.message)).toEqual([
      "App nosuch is not installed",
      "Failed to get method for command nosuch.module.fn with App nosuch is not installed",
    ]);
  });

  it("what the stand-in does not implement is a 501 naming it, never a Frappe error", async () => {
    for (const method of [
      "login",
      "frappe.desk.search.search_link",
      "frappe.desk.reportview.get",
      "frappe.desk.reportview.get_count",
      "frappe.client.validate_link",
      "frappe.client.rename_doc",
      "frappe.client.attach_file",
      "run_doc_method",
      "frappe.desk.form.load.getdoc",
    ]) {
      const res = await raw(t.standin, "POST", `/api/method/${method}`, "{}", json);
      expect([res.status, res.json.exc_type], method).toEqual([501, "NotImplementedError"]);
      expect(messages(res.json)[0]!.message).toContain(
        `The Frappe stand-in does not implement ${method}`,
      );
      expect(messages(res.json)[0]!.message).toContain("frappe-standin/README.md");
    }
  });
});

describe("realtime of a delete", () => {
  it("doc_update to the document's subscribers and list_update to the doctype's", async () => {
    const tag = (await t.client.insert("Dispatch Tag", { tag_name: unique("RT") })).name;
    const socket = io(`${t.standin.url}/${t.standin.siteName}`, {
      path: "/socket.io",
      transports: ["websocket"],
      extraHeaders: {
        Authorization: `token ${t.standin.apiKey}:${t.standin.apiSecret}`,
        Origin: t.standin.url,
        Cookie: "x=1",
      },
    });
    const seen: [string, Record<string, unknown>][] = [];
    socket.on("doc_update", (m: Record<string, unknown>) => seen.push(["doc_update", m]));
    socket.on("list_update", (m: Record<string, unknown>) => seen.push(["list_update", m]));
    await new Promise<void>((r) => socket.on("connect", () => r()));
    socket.emit("doctype_subscribe", "Dispatch Tag");
    socket.emit("doc_subscribe", "Dispatch Tag", tag);
    await until(async () => {
      await t.client.update("Dispatch Tag", tag, {
        color: `#${Math.floor(Math.random() * 0xffffff)
          .toString(16)
          .padStart(6, "0")}`,
      });
      return seen.length >= 2;
    }, "the subscriptions live");
    seen.length = 0;
    await t.client.delete("Dispatch Tag", tag);
    await until(() => seen.length >= 2, "the delete's events");
    socket.close();
    expect(seen.map(([e]) => e).sort()).toEqual(["doc_update", "list_update"]);
    expect(seen.find(([e]) => e === "doc_update")![1]).toEqual({
      doctype: "Dispatch Tag",
      name: tag,
      modified: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/),
    });
  });
});

describe("webhook bytes", () => {
  it("no header rows: no Content-Type; floats written as Python writes them", async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    const name = unique("FLOAT");
    await t.client.insert("Webhook", {
      name,
      webhook_doctype: "Dispatch Job",
      webhook_docevent: "after_insert",
      request_url: url,
      request_structure: "JSON",
      webhook_json:
        '{"lat": {{ doc.checkin_latitude | tojson }}, "lng": {{ doc.checkin_longitude | tojson }}}',
      enabled: 1,
    } as never);
    await t.client.insert("Dispatch Job", {
      job_type: "Repair",
      checkin_latitude: 0.00001,
      checkin_longitude: 1e16,
    });
    await t.standin.webhooks.idle();
    await t.client.update("Webhook", name, { enabled: 0 } as never);
    server.close();
    expect(received.map((r) => r.body)).toEqual(['{"lat": 1e-05, "lng": 1e+16}']);
    expect(received.every((r) => r.headers["content-type"] === undefined)).toBe(true);
  });
});
