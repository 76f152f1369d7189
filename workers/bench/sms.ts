/**
 * npm run bench:sms — BENCH_JOBS Dispatch Jobs changing status at once, each texting its customer,
 * through the stand-in, the workers (webhooks and realtime, so the workers' own writes come back
 * as jobs that send nothing) and a Twilio fake over loopback: the time from each status change to
 * its message reaching Twilio, median / p95 / max, under the old queue policy (the whole sms
 * queue held to the sending rate, one job at a time) and the new one (only sends spend the
 * budget), then with three From numbers, all measured in the same run.
 * Time is scaled: senders send BENCH_RATE messages a second instead of Twilio's 1 per long-code
 * number, and each figure is also given in Twilio seconds (times BENCH_RATE).
 */
import { startStandin } from "@gigafibre/frappe-standin";
import { startWorkers } from "../src/app.js";
import { QUEUES } from "../src/handlers/index.js";
import { createLogger } from "../src/log.js";
import { FakeTwilio } from "../test/support/fake-twilio.js";
import { SECRET, clientFor, configFor } from "../test/support/env.js";

const JOBS = Number(process.env.BENCH_JOBS ?? 300);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const log = createLogger({ level: "error" });
const NEW_POLICY = QUEUES.sms!;
const OLD_POLICY = { ...NEW_POLICY, concurrency: 1, rate: { max: 1, perMs: 1000 / RATE } };

interface Run {
  label: string;
  ms: number[];
  jobs: number;
  totalMs: number;
}

async function run(label: string, policy: "old" | "new", fromNumbers: number): Promise<Run> {
  QUEUES.sms = policy === "old" ? OLD_POLICY : NEW_POLICY;
  const twilio = new FakeTwilio("ACbench", "bench-twilio-token-123");
  twilio.callbackOrder = ["sent", "delivered"];
  await twilio.start();
  const standin = await startStandin();
  const frappe = clientFor(standin);
  const numbers = Array.from({ length: fromNumbers }, (_, i) => `+1581555${1000 + i}`);
  const workers = await startWorkers(
    configFor(standin, {
      FSM_INTAKE: "webhook,realtime",
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM_NUMBERS: numbers.join(","),
      // The old policy's limit is the queue's: its senders never wait.
      TWILIO_SENDER_RATE: String(policy === "old" ? 1000 : RATE),
      TWILIO_API_BASE_URL: twilio.url,
    }),
    log,
  );
  await frappe.updateSingle("FSM Settings", {
    worker_url: workers.url,
    webhook_secret: SECRET,
    enable_sms: 1,
    messaging_dry_run: 0,
  });
  const jobs: { name: string; phone: string }[] = [];
  for (let i = 0; i < JOBS; i++) {
    const phone = `+1418${String(2000000 + i).padStart(7, "0")}`;
    const c = await frappe.insert("Customer", {
      customer_name: `Bench ${i}`,
      customer_type: "Individual",
      mobile_no: phone,
    });
    const j = await frappe.insert("Dispatch Job", { job_type: "Repair", customer: c.name });
    jobs.push({ name: j.name, phone });
  }
  await workers.idle(600_000);
  const changed = new Map<string, number>();
  const start = Date.now();
  for (const j of jobs) {
    await frappe.update("Dispatch Job", j.name, { status: "Scheduled" });
    changed.set(j.phone, Date.now());
  }
  while (new Set(twilio.messages.map((m) => m.to)).size < JOBS)
    await new Promise((r) => setTimeout(r, 50));
  const totalMs = Date.now() - start;
  const ms = jobs.map(
    (j) => twilio.messages.find((m) => m.to === j.phone)!.created.getTime() - changed.get(j.phone)!,
  );
  await workers.idle(600_000);
  const counts = await workers.queue.counts("sms");
  await workers.stop();
  await standin.close();
  await twilio.stop();
  return { label, ms, jobs: counts.completed ?? 0, totalMs };
}

const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const twilioS = (ms: number) => `${((ms / 1000) * RATE).toFixed(0)} s`;

const runs = [
  await run("old: the sms queue held to the sending rate", "old", 1),
  await run("new: only sends spend the budget", "new", 1),
  await run("new, three From numbers", "new", 3),
];
const base = q(runs[0]!.ms, 0.5);
console.log(
  `${JOBS} status changes, each texting its customer; senders at ${RATE}/s (Twilio: 1/s), echo jobs included`,
);
console.log(
  `floor (every slot spent on a send): one number max ${s((JOBS / RATE) * 1000)} (Twilio ${JOBS} s), three numbers max ${s((JOBS / RATE / 3) * 1000)}`,
);
for (const r of runs)
  console.log(
    `${r.label.padEnd(46)} median ${s(q(r.ms, 0.5))} (Twilio ${twilioS(q(r.ms, 0.5))})  p95 ${s(q(r.ms, 0.95))}  max ${s(Math.max(...r.ms))} (Twilio ${twilioS(Math.max(...r.ms))})  all sent in ${s(r.totalMs)}  sms jobs ${r.jobs}  median x${(base / q(r.ms, 0.5)).toFixed(1)}`,
  );
