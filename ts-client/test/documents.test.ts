import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { SITE, mockFrappe } from "./support/msw.js";
import { FrappeClient, InsertManyError, INSERT_MANY_LIMIT } from "../src/index.js";
import { serverMessages } from "./support/frappe-bodies.js";

const URL = SITE;
const server = mockFrappe();

const client = () => new FrappeClient({ url: URL, apiKey: "k", apiSecret: "s", retry: false });

describe("requests", () => {
  it("sends token auth, JSON content type, and encodes awkward names", async () => {
    const seen: { path: string; auth: string | null; type: string | null; body: unknown }[] = [];
    server.use(
      http.put(`${URL}/api/resource/:doctype/:name`, async ({ request }) => {
        seen.push({
          path: new globalThis.URL(request.url).pathname,
          auth: request.headers.get("authorization"),
          type: request.headers.get("content-type"),
          body: await request.json(),
        });
        return HttpResponse.json({ data: { name: "x" } });
      }),
    );
    for (const name of ["With Space", "a/b", "No #7", "100%", "Équipement Montréal"]) {
      await client().update("Service Location", name, { city: "Lévis" });
    }
    expect(seen.map((s) => s.path)).toEqual([
      "/api/resource/Service%20Location/With%20Space",
      "/api/resource/Service%20Location/a%2Fb",
      "/api/resource/Service%20Location/No%20%237",
      "/api/resource/Service%20Location/100%25",
      "/api/resource/Service%20Location/%C3%89quipement%20Montr%C3%A9al",
    ]);
    expect(seen[0]).toMatchObject({
      auth: "token k:s",
      type: "application/json",
      body: { city: "Lévis" },
    });
  });

  it("encodes list parameters as Frappe expects (JSON strings)", async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${URL}/api/resource/Service%20Equipment`, ({ request }) => {
        query = new globalThis.URL(request.url).searchParams;
        return HttpResponse.json({ data: [{ name: "EQP-00001", serial_no: "SN1" }] });
      }),
    );
    const rows = await client().list("Service Equipment", {
      fields: ["serial_no", "status"],
      filters: { status: "Installed", mac_address: ["like", "AA:%"] },
      orFilters: [["customer", "is", "set"]],
      orderBy: "modified desc",
      limit: 50,
    });
    expect(rows[0]?.serial_no).toBe("SN1");
    expect(JSON.parse(query!.get("fields")!)).toEqual(["serial_no", "status"]);
    expect(JSON.parse(query!.get("filters")!)).toEqual([
      ["status", "=", "Installed"],
      ["mac_address", "like", "AA:%"],
    ]);
    expect(JSON.parse(query!.get("or_filters")!)).toEqual([["customer", "is", "set"]]);
    expect(query!.get("order_by")).toBe("modified desc");
    expect(query!.get("limit_page_length")).toBe("50");
  });

  it("calls methods over GET (query) and POST (JSON body), and counts", async () => {
    server.use(
      http.get(`${URL}/api/method/frappe.client.get_count`, ({ request }) => {
        const q = new globalThis.URL(request.url).searchParams;
        return HttpResponse.json({ message: q.get("doctype") === "Dispatch Job" ? 42 : 0 });
      }),
      http.post(`${URL}/api/method/gigafibre_fsm.api.device.lookup`, async ({ request }) =>
        HttpResponse.json({ message: { echo: await request.json() } }),
      ),
    );
    expect(await client().count("Dispatch Job", { status: "Open" })).toBe(42);
    expect(await client().call("gigafibre_fsm.api.device.lookup", { q: "AA:BB" })).toEqual({
      echo: { q: "AA:BB" },
    });
  });

  it("reads and writes Single doctypes under their own name", async () => {
    server.use(
      http.get(`${URL}/api/resource/FSM%20Settings/FSM%20Settings`, () =>
        HttpResponse.json({ data: { name: "FSM Settings", messaging_dry_run: 1 } }),
      ),
      http.put(`${URL}/api/resource/FSM%20Settings/FSM%20Settings`, async ({ request }) =>
        HttpResponse.json({ data: await request.json() }),
      ),
    );
    expect((await client().getSingle("FSM Settings")).messaging_dry_run).toBe(1);
    expect(await client().updateSingle("FSM Settings", { messaging_dry_run: 0 })).toEqual({
      messaging_dry_run: 0,
    });
  });

  it("submits the document it read and cancels by name", async () => {
    const calls: unknown[] = [];
    server.use(
      http.get(`${URL}/api/resource/Sales%20Invoice/SINV-1`, () =>
        HttpResponse.json({ data: { name: "SINV-1", modified: "m1", docstatus: 0 } }),
      ),
      http.post(`${URL}/api/method/:method`, async ({ request, params }) => {
        calls.push([params.method, await request.json()]);
        return HttpResponse.json({
          message: { name: "SINV-1", docstatus: params.method === "frappe.client.submit" ? 1 : 2 },
        });
      }),
    );
    expect((await client().submit("Sales Invoice", "SINV-1")).docstatus).toBe(1);
    expect((await client().cancel("Sales Invoice", "SINV-1")).docstatus).toBe(2);
    expect(calls).toEqual([
      [
        "frappe.client.submit",
        { doc: { name: "SINV-1", modified: "m1", docstatus: 0, doctype: "Sales Invoice" } },
      ],
      ["frappe.client.cancel", { doctype: "Sales Invoice", name: "SINV-1" }],
    ]);
  });

  it("uploads a file as multipart and sets it in the document's field", async () => {
    let form: FormData | undefined;
    let setValue: unknown;
    server.use(
      http.post(`${URL}/api/method/upload_file`, async ({ request }) => {
        form = await request.formData();
        return HttpResponse.json({
          message: {
            name: "f1",
            file_name: "p.jpg",
            file_url: "/private/files/p.jpg",
            is_private: 1,
          },
        });
      }),
      http.post(`${URL}/api/method/frappe.client.set_value`, async ({ request }) => {
        setValue = await request.json();
        return HttpResponse.json({ message: {} });
      }),
    );
    const file = await client().upload({
      data: new Uint8Array([1, 2, 3]),
      filename: "p.jpg",
      doctype: "Vision Scan",
      docname: "SCAN-1",
      fieldname: "image",
    });
    expect(file.file_url).toBe("/private/files/p.jpg");
    expect(form?.get("doctype")).toBe("Vision Scan");
    expect(form?.get("is_private")).toBe("1");
    expect((form?.get("file") as File | null)?.size).toBe(3);
    expect(setValue).toEqual({
      doctype: "Vision Scan",
      name: "SCAN-1",
      fieldname: "image",
      value: "/private/files/p.jpg",
    });
  });
});

describe("iterate", () => {
  const names = Array.from({ length: 10_503 }, (_, i) => `EQP-${String(i + 1).padStart(5, "0")}`);

  function listHandler(requests: URLSearchParams[]) {
    return http.get(`${URL}/api/resource/Service%20Equipment`, ({ request }) => {
      const q = new globalThis.URL(request.url).searchParams;
      requests.push(q);
      const filters = JSON.parse(q.get("filters") ?? "[]") as [string, string, string][];
      const after = filters.find((f) => f[0] === "name" && f[1] === ">")?.[2];
      const limit = Number(q.get("limit_page_length"));
      const start = Number(q.get("limit_start") ?? 0);
      const rows = names
        .filter((n) => after === undefined || n > after)
        .slice(start, start + limit);
      return HttpResponse.json({ data: rows.map((name) => ({ name })) });
    });
  }

  it("pages through 10,503 rows by key, each exactly once", async () => {
    const requests: URLSearchParams[] = [];
    server.use(listHandler(requests));
    const seen: string[] = [];
    for await (const row of client().iterate("Service Equipment", { pageSize: 1000 }))
      seen.push(row.name);
    expect(seen).toEqual(names);
    expect(requests).toHaveLength(11);
    expect(
      requests.every((q) => q.get("order_by") === "name asc" && q.get("limit_start") === "0"),
    ).toBe(true);
  });

  it("uses offsets when the caller orders the rows", async () => {
    const requests: URLSearchParams[] = [];
    server.use(listHandler(requests));
    let count = 0;
    for await (const _row of client().iterate("Service Equipment", {
      pageSize: 5000,
      orderBy: "modified desc",
    }))
      count++;
    expect(count).toBe(names.length);
    expect(requests.map((q) => q.get("limit_start"))).toEqual(["0", "5000", "10000"]);
  });
});

describe("insertMany", () => {
  function insertManyHandler(failOnSerial?: string) {
    const chunks: number[] = [];
    const handler = http.post(
      `${URL}/api/method/frappe.client.insert_many`,
      async ({ request }) => {
        const { docs } = (await request.json()) as {
          docs: { serial_no: string; doctype: string }[];
        };
        chunks.push(docs.length);
        if (docs.length > INSERT_MANY_LIMIT) {
          return HttpResponse.json(
            {
              exc_type: "ValidationError",
              _server_messages: serverMessages({
                message: "Only 200 inserts allowed in one request",
              }),
            },
            { status: 417 },
          );
        }
        if (failOnSerial && docs.some((d) => d.serial_no === failOnSerial)) {
          return HttpResponse.json(
            {
              exc_type: "UniqueValidationError",
              _server_messages: serverMessages({
                message: `Serial No ${failOnSerial} already exists`,
              }),
            },
            { status: 417 },
          );
        }
        return HttpResponse.json({ message: docs.map((d) => `${d.doctype}:${d.serial_no}`) });
      },
    );
    return { handler, chunks };
  }
  const docs = Array.from({ length: 450 }, (_, i) => ({
    serial_no: `SN${i}`,
    equipment_type: "ONT" as const,
  }));

  it("chunks at Frappe's 200-document cap", async () => {
    const { handler, chunks } = insertManyHandler();
    server.use(handler);
    const result = await client().insertMany("Service Equipment", docs);
    expect(chunks).toEqual([200, 200, 50]);
    expect(result.names).toHaveLength(450);
    expect(result.names[449]).toBe("Service Equipment:SN449");
    expect(result.failures).toEqual([]);
  });

  it("stops at a failed chunk and says which one and why", async () => {
    const { handler, chunks } = insertManyHandler("SN250");
    server.use(handler);
    const err = (await client()
      .insertMany("Service Equipment", docs)
      .catch((e: unknown) => e)) as InsertManyError;
    expect(err).toBeInstanceOf(InsertManyError);
    expect(err.failure).toMatchObject({ chunk: 1, from: 200, to: 399 });
    expect(err.failure.error.excType).toBe("UniqueValidationError");
    expect(err.message).toMatch(
      /chunk 1 \(documents 200\.\.399\).*SN250 already exists.*200 documents were inserted/,
    );
    expect(err.result.names).toHaveLength(200);
    expect(chunks).toEqual([200, 200]);
  });

  it("can go on past failed chunks and report each", async () => {
    const { handler } = insertManyHandler("SN10");
    server.use(handler);
    const result = await client().insertMany("Service Equipment", docs, { continueOnError: true });
    expect(result.names).toHaveLength(250);
    expect(result.failures.map((f) => f.chunk)).toEqual([0]);
  });

  it("refuses a chunk size above the cap before sending anything", async () => {
    await expect(
      client().insertMany("Service Equipment", docs, { chunkSize: 201 }),
    ).rejects.toThrow(/chunkSize must be an integer from 1 to 200, got 201/);
  });
});

describe("the mock itself", () => {
  it("fails a request nobody answers, so a contract test cannot pass by accident", async () => {
    await expect(client().get("Item", "unhandled")).rejects.toThrow();
  });
});
