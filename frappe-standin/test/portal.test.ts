import { describe, expect, it } from "vitest";
import { unique, useStandin } from "./support.js";

// What the stand-in's QR sticker portal does not do, it says: a code through Twilio Verify is a
// real site's (the Python side is held by gigafibre_fsm/tests/test_portal.py), so the stand-in
// answers 501 rather than pretend a code went out.
const s = useStandin();

describe("the stand-in's customer portal", () => {
  it("answers 501 for a code that FSM Settings sends through Twilio Verify", async () => {
    const c = s.client;
    await c.updateSingle("FSM Settings", {
      enable_customer_portal: 1,
      enable_sms: 1,
      messaging_dry_run: 0,
      twilio_account_sid: "ACstandin",
      twilio_verify_service_sid: "VAstandin",
    } as never);
    const customer = (
      await c.insert("Customer", {
        customer_name: unique("Verify"),
        customer_type: "Individual",
        legacy_cell_phone: "514 555 0134",
      } as never)
    ).name;
    const token = "0123456789abcdef0123456789abcdef";
    await c.insert("Service Equipment", {
      equipment_type: "ONT",
      serial_no: unique("VRF").toUpperCase(),
      status: "Installed",
      customer,
      portal_token: token,
    } as never);
    const res = await fetch(`${s.standin.url}/api/method/gigafibre_fsm.api.portal.send_code`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Frappe-Site-Name": s.standin.siteName },
      body: JSON.stringify({ token }),
    });
    expect(res.status).toBe(501);
    expect(((await res.json()) as { exc_type: string }).exc_type).toBe("NotImplementedError");
  });
});
