/**
 * npm run bench:inbound — signed Stripe events per second durably accepted by /inbound/stripe
 * (signature over the raw bytes with the current and previous secret, parse, 202 once the job is
 * recorded in SQLite), p50 / p99, against a bare HTTP server that only checks the signature
 * with one secret; then events signed with the previous secret (a rotation window: both HMACs
 * are computed for every request, so which secret matched does not show in the timing), then
 * the first events replayed (answered `duplicate`). All in one run over loopback, each server
 * warmed up first.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signStripePayload, verifyStripeSignature } from "../src/inbound/stripe.js";
import { SqliteJobQueue } from "../src/queue/index.js";
import {
  bareServer,
  CONCURRENCY,
  formatLoad as fmt,
  intakeServer,
  postAll,
  REQUESTS,
  type SignedRequest,
} from "./http-load.js";

const SECRET = {
  current: "whsec_bench_current_0123456789",
  previous: "whsec_bench_previous_0123456789",
};

function events(tag: string, secret: string): SignedRequest[] {
  return Array.from({ length: REQUESTS }, (_, i) => {
    const body = JSON.stringify({
      id: `evt_${tag}${i}`,
      type: "payment_intent.succeeded",
      data: {
        object: {
          id: `pi_${tag}${i}`,
          amount_received: 4599,
          currency: "cad",
          metadata: { sales_invoice: `ACC-SINV-2026-${String(i).padStart(5, "0")}` },
        },
      },
    });
    return { body, headers: { "Stripe-Signature": signStripePayload(body, [secret]) } };
  });
}

console.log(
  `inbound: ${REQUESTS.toLocaleString("en")} signed Stripe events, ${CONCURRENCY} concurrent, Node ${process.version}`,
);
const load = (url: string, items: SignedRequest[]) => postAll(url, items, CONCURRENCY);
const baseline = await bareServer(
  "/inbound/stripe",
  (raw, req) =>
    verifyStripeSignature(raw, req.headers["stripe-signature"] as string, {
      current: SECRET.current,
    }).ok,
);
await load(baseline.url, events("warmbare", SECRET.current).slice(0, 500));
const b = await load(baseline.url, events("bare", SECRET.current));
baseline.server.close();
console.log(`  bare server, signature check only        ${fmt(b)}`);
const workers = await intakeServer(
  new SqliteJobQueue(join(mkdtempSync(join(tmpdir(), "bench-inbound-")), "q.sqlite")),
  {
    queues: ["inbound"],
    secret: "bench-frappe-secret-0123456789",
    inbound: { stripe: { secret: SECRET, toleranceSeconds: 300 } },
    path: "/inbound/stripe",
  },
);
await load(workers.url, events("warm", SECRET.current).slice(0, 500));
const current = events("cur", SECRET.current);
const c = await load(workers.url, current);
console.log(
  `  /inbound/stripe, current secret          ${fmt(c)}  = ${(c.rps / b.rps).toFixed(2)}x bare`,
);
const p = await load(workers.url, events("prev", SECRET.previous));
console.log(
  `  /inbound/stripe, previous secret         ${fmt(p)}  = ${(p.rps / c.rps).toFixed(2)}x current`,
);
const d = await load(workers.url, current);
console.log(
  `  /inbound/stripe, the same events again   ${fmt(d)}  = ${(d.rps / c.rps).toFixed(2)}x current`,
);
await workers.close();
