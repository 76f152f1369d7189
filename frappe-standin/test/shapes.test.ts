import { describe, expect, it } from "vitest";
import { raw, unique, useStandin } from "./support.js";

// Bodies, statuses and headers against the table measured on a real Frappe 15.75 site
// (shared/context/FRAPPE.md), byte by byte where it matters.
const t = useStandin();

describe("HTTP shapes", () => {
  it("_server_messages is a JSON string of a list of JSON strings", async () => {
    const res = await raw(
      t.standin,
      "POST",
      "/api/resource/Service%20Equipment",
      JSON.stringify({ equipment_type: "ONT" }),
      { "Content-Type": "application/json" },
    );
    expect(res.status).toBe(417);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.json.exc_type).toBe("MandatoryError");
    expect(typeof res.json._server_messages).toBe("string");
    const outer = JSON.parse(res.json._server_messages as string) as unknown[];
    expect(typeof outer[0]).toBe("string");
    expect(outer[0]).toBe(
      '{"message": "Error: Value missing for Service Equipment: Serial No", "title": "Message"}',
    );
    expect(res.json.exception).toMatch(
      /^frappe\.exceptions\.MandatoryError: \[Service Equipment, EQP-\d+\]: serial_no$/,
    );
  });

  it("Guest gets 403 with _error_message; a wrong key a bare 401", async () => {
    const guest = await fetch(`${t.standin.url}/api/resource/Service%20Equipment`);
    const body = (await guest.json()) as Record<string, string>;
    expect(guest.status).toBe(403);
    expect(body._error_message).toBe("No permission for Service Equipment");
    const wrong = await raw(t.standin, "GET", "/api/resource/Item", undefined, {
      Authorization: `token ${t.standin.apiKey}:nope`,
    });
    expect(wrong.status).toBe(401);
    expect(Object.keys(wrong.json).sort()).toEqual(["exc_type", "exception"]);
    expect(wrong.json.exc_type).toBe("AuthenticationError");
  });

  it("a list without fields returns names only, 20 rows by default", async () => {
    const tag = unique("list");
    for (let i = 0; i < 25; i++)
      await raw(
        t.standin,
        "POST",
        "/api/resource/Dispatch%20Tag",
        JSON.stringify({ tag_name: `${tag}-${i}` }),
        { "Content-Type": "application/json" },
      );
    const res = await raw(t.standin, "GET", "/api/resource/Dispatch%20Tag");
    const rows = res.json.data as Record<string, unknown>[];
    expect(rows).toHaveLength(20);
    expect(Object.keys(rows[0]!)).toEqual(["name"]);
  });

  it("a GET leaves empty fields out; a list keeps them as null; child rows carry their parent", async () => {
    const job = await raw(
      t.standin,
      "POST",
      "/api/resource/Dispatch%20Job",
      JSON.stringify({ job_type: "Repair" }),
      { "Content-Type": "application/json" },
    );
    const doc = job.json.data as Record<string, unknown>;
    expect(doc).not.toHaveProperty("technician");
    expect(doc.doctype).toBe("Dispatch Job");
    const row = (doc.checklist as Record<string, unknown>[])[0]!;
    expect(row).toMatchObject({
      parent: doc.name,
      parenttype: "Dispatch Job",
      parentfield: "checklist",
      idx: 1,
      doctype: "Dispatch Job Checklist Item",
    });
    const list = await raw(
      t.standin,
      "GET",
      `/api/resource/Dispatch%20Job?fields=${encodeURIComponent('["name","technician"]')}&filters=${encodeURIComponent(JSON.stringify([["name", "=", doc.name]]))}`,
    );
    expect((list.json.data as Record<string, unknown>[])[0]).toEqual({
      name: doc.name,
      technician: null,
    });
  });

  it("a body that is not JSON is a 500 JSONDecodeError; JSON without Content-Type is still read", async () => {
    const bad = await raw(t.standin, "POST", "/api/resource/Dispatch%20Tag", '{"tag_name":', {
      "Content-Type": "application/json",
    });
    expect(bad.status).toBe(500);
    expect(bad.json.exc_type).toBe("JSONDecodeError");
    const noType = await raw(
      t.standin,
      "POST",
      "/api/resource/Dispatch%20Tag",
      JSON.stringify({ tag_name: unique("nt") }),
    );
    expect(noType.status).toBe(200);
  });

  it("DELETE answers 202 and the document is gone; v2 wraps data and errors", async () => {
    const name = unique("del");
    await raw(
      t.standin,
      "POST",
      "/api/v2/document/Dispatch%20Tag",
      JSON.stringify({ tag_name: name }),
      { "Content-Type": "application/json" },
    );
    const del = await raw(
      t.standin,
      "DELETE",
      `/api/resource/Dispatch%20Tag/${encodeURIComponent(name)}`,
    );
    expect(del.status).toBe(202);
    expect(del.json).toEqual({ data: "ok" });
    const gone = await raw(
      t.standin,
      "GET",
      `/api/v2/document/Dispatch%20Tag/${encodeURIComponent(name)}`,
    );
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({
      errors: [
        {
          type: "DoesNotExistError",
          message: `Dispatch Tag ${name} not found`,
          title: "Message",
          indicator: "red",
        },
      ],
    });
    const count = await raw(t.standin, "GET", "/api/v2/doctype/Dispatch%20Tag/count");
    expect(typeof (count.json as { data: number }).data).toBe("number");
  });

  it("an oversized body is refused and the server stays up", async () => {
    const big = "x".repeat(26 * 2 ** 20);
    const res = await fetch(`${t.standin.url}/api/resource/Dispatch%20Tag`, {
      method: "POST",
      body: big,
      headers: { Authorization: `token ${t.standin.apiKey}:${t.standin.apiSecret}` },
    }).catch((e: unknown) => e);
    if (res instanceof Response) expect(res.status).toBe(413);
    const ping = await raw(t.standin, "GET", "/api/method/ping");
    expect(ping.json).toEqual({ message: "pong" });
  });
});
