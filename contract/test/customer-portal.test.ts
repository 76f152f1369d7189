import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unique, useTarget } from "../support/target.js";

// The QR sticker portal as a stranger meets it, over REST with no credentials: a known, an
// unknown and an opted-out sticker get the same status and the same answer (the masked phone
// differs in its digits, never in its shape), five wrong codes lock a code, a sticker gets three
// codes a quarter hour, and a made-up session opens nothing. No SMS is needed: the code itself
// is never read here (workers/test/portal.e2e.test.ts follows it through a Twilio fake).
// Each call claims its own address in X-Forwarded-For, which Frappe takes as the caller's: on a
// real site, point FSM_CONTRACT_URL at gunicorn, not at an nginx that overwrites the header (all
// calls would then share one address, and a second run within the hour meets its limits).
const t = useTarget();
const w = {} as {
  known: string;
  optedOut: string;
  equipment: string;
  saved: Record<string, unknown>;
};
const token = () => randomBytes(16).toString("hex");
let ipN = 0;
const ip = () => `192.0.2.${(Date.now() + ++ipN) % 250}-${randomBytes(3).toString("hex")}`;

async function guest(method: string, args: Record<string, unknown>, from: string) {
  const res = await fetch(`${t.target.url}/api/method/gigafibre_fsm.api.portal.${method}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-Forwarded-For": from,
      ...(t.target.siteName ? { "X-Frappe-Site-Name": t.target.siteName } : {}),
    },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: await res.text() };
}

async function installed(
  fields: Record<string, unknown>,
): Promise<{ token: string; name: string }> {
  const a = t.target.admin;
  const customer = (
    await a.insert("Customer", {
      customer_name: unique("Portal"),
      customer_type: "Individual",
      legacy_cell_phone: "514 555 0134",
      ...fields,
    } as never)
  ).name;
  const sticker = token();
  const name = (
    await a.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: unique("PRT").toUpperCase(),
      status: "Installed",
      customer,
      portal_token: sticker,
    } as never)
  ).name;
  return { token: sticker, name };
}

beforeAll(async () => {
  const a = t.target.admin;
  const settings = await a.getSingle("FSM Settings");
  w.saved = {
    enable_customer_portal: settings.enable_customer_portal ?? 0,
    messaging_dry_run: settings.messaging_dry_run ?? 1,
  };
  // A real site texts no one from these tests.
  await a.updateSingle("FSM Settings", {
    enable_customer_portal: 1,
    messaging_dry_run: 1,
  } as never);
  const known = await installed({});
  w.known = known.token;
  w.equipment = known.name;
  w.optedOut = (await installed({ sms_opt_out: 1 })).token;
});

afterAll(async () => {
  await t.target.admin.updateSingle("FSM Settings", w.saved as never);
});

describe("the QR sticker portal, as a stranger meets it", () => {
  it("known, unknown and opted-out stickers answer with the same status and body", async () => {
    const stickers = [w.known, token(), w.optedOut];
    for (const method of ["start", "send_code", "verify"]) {
      const answers = [];
      for (const s of stickers)
        answers.push(await guest(method, { token: s, code: "000000", language: "en" }, ip()));
      expect(new Set(answers.map((a) => a.status)).size, method).toBe(1);
      // Frappe tags each error message with a random id (`__frappe_exc_id`): random, not the sticker's.
      const bodies = answers.map((a) =>
        a.body
          .replace(/\+1 \d{3} \*\*\*-\*\*\d{2}/, "+1 N")
          .replace(/(__frappe_exc_id\\+": \\+")[0-9a-f]+/g, "$1ID"),
      );
      expect(answers[0]!.body, "no traceback to a stranger").not.toMatch(/Traceback/);
      expect(new Set(bodies).size, `${method}: ${bodies.join(" | ")}`).toBe(1);
    }
    const scan = JSON.parse((await guest("start", { token: w.known }, ip())).body) as {
      message: { phone: string };
    };
    expect(scan.message.phone).toBe("+1 514 ***-**34");
  });

  it("five wrong codes lock a code; a sticker gets three codes a quarter hour", async () => {
    const { token: sticker, name } = await installed({});
    const from = ip();
    expect((await guest("send_code", { token: sticker }, from)).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await guest("verify", { token: sticker, code: "000000" }, from)).status);
    expect(statuses).toEqual([417, 417, 417, 417, 417]);
    const [access] = await t.target.admin.list("Portal Access", {
      fields: ["status", "attempts"],
      filters: [["equipment", "=", name]],
      orderBy: "creation desc",
      limit: 1,
    });
    expect(access).toMatchObject({ status: "Locked", attempts: 5 });
    const sends = [];
    for (let i = 0; i < 3; i++)
      sends.push((await guest("send_code", { token: sticker }, ip())).status);
    expect(sends).toEqual([200, 200, 429]);
  });

  it("a made-up session opens nothing", async () => {
    const r = await guest("restart", { session: token() }, ip());
    expect(r.status).toBe(401);
    expect((JSON.parse(r.body) as { exc_type: string }).exc_type).toBe("PortalSessionRefused");
  });
});
