/**
 * npm run bench:diagnose — p50 / p99 of a full diagnosis: the ACS (a GenieACS NBI over HTTP:
 * find, refresh in a session, read with projections) and the OLT (credentials from the site,
 * one SNMP GET) at once, then the verdict. Measured with both sources answering, then with the
 * ACS never answering: its timeout must bound the diagnosis. Then the same end to end from
 * Desk's API call to the verdict written back, through the outbox / webhook and a worker.
 */
import { startStandin } from "@gigafibre/frappe-standin";
import { startWorkers } from "../src/app.js";
import { runDiagnosis } from "../src/diagnostics/diagnose.js";
import { diagnosticsServices } from "../src/diagnostics/services.js";
import { createLogger } from "../src/log.js";
import { SECRET, clientFor, configFor } from "../test/support/env.js";
import { startFakeGenieAcs, tr181Params } from "../test/support/fake-genieacs.js";
import { COMMUNITY, startOltAgent } from "../test/support/olt-agent.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const E2E_RUNS = Number(process.env.BENCH_E2E_RUNS ?? 40);
const ACS_TIMEOUT_S = 1;

const [standin, nbi, agent] = await Promise.all([
  startStandin(),
  startFakeGenieAcs(),
  startOltAgent({ vendor: "huawei-ma5600", onus: 2048 }),
]);
const env = {
  GENIEACS_NBI_URL: nbi.url,
  FSM_ACS_TIMEOUT_SECONDS: String(ACS_TIMEOUT_S),
  FSM_ACS_CONNECTION_SECONDS: "0.5",
  FSM_OLT_TIMEOUT_SECONDS: "2",
  FSM_INTAKE: "webhook",
  LOG_LEVEL: "error",
};
const config = configFor(standin, env);
const frappe = clientFor(standin);
await frappe.insert("OLT", {
  olt_name: "OLT-BENCH",
  vendor: "Huawei",
  management_ip: "127.0.0.1",
  snmp_port: agent.port,
  snmp_community: COMMUNITY,
});
const onu = agent.onus[130]!;
nbi.add({
  id: "00E04C-XX230v-BENCH000001",
  deviceId: {
    _Manufacturer: "TP-Link",
    _OUI: "00E04C",
    _ProductClass: "XX230v",
    _SerialNumber: "BENCH000001",
  },
  params: tr181Params(),
  lastInform: new Date(),
});
const input = {
  equipment: { name: "EQP-BENCH", serial_no: "BENCH000001" },
  placement: { olt: "OLT-BENCH", pon_port: "0/1/1", onu_id: onu.onuId },
  thresholds: {},
};

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`;

async function measure(
  runs: number,
  check: (verdict: string, acs: string) => void,
): Promise<number[]> {
  const services = diagnosticsServices(config.diagnostics);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await runDiagnosis(frappe, services, input);
    times.push(performance.now() - t);
    check(r.diagnosis.verdict, r.acs.outcome);
  }
  return times;
}

const both = await measure(RUNS, (v, acs) => {
  if (v !== "OK" || acs !== "ok")
    throw new Error(`expected OK from both sources, got ${v} / ACS ${acs}`);
});
nbi.mode = "hang";
const timingOut = await measure(Math.min(RUNS, 30), (v, acs) => {
  if (v !== "OK" || acs !== "timeout")
    throw new Error(`expected OK from the OLT alone, got ${v} / ACS ${acs}`);
});
nbi.mode = "nbi";

// End to end: the API call in Desk to the verdict written back, through the webhook and a worker.
const workers = await startWorkers(configFor(standin, env), createLogger({ level: "error" }));
await frappe.updateSingle("FSM Settings", {
  worker_url: workers.url,
  webhook_secret: SECRET,
  enable_diagnostics: 1,
});
const customer = (
  await frappe.insert("Customer", { customer_name: "Bench", customer_type: "Individual" })
).name;
const location = (
  await frappe.insert("Service Location", {
    customer,
    address_line1: "1 rue du Banc",
    city: "Lévis",
    olt: "OLT-BENCH",
    pon_port: "0/1/1",
    onu_id: onu.onuId,
  })
).name;
const equipment = (
  await frappe.insert("Service Equipment", {
    equipment_type: "ONT",
    serial_no: "BENCH000001",
    status: "Installed",
    customer,
    service_location: location,
  })
).name;
const e2e: number[] = [];
for (let i = 0; i < E2E_RUNS; i++) {
  const t = performance.now();
  const name = await frappe.call<string>("gigafibre_fsm.api.actions.run_diagnostic", { equipment });
  for (;;) {
    const doc = await frappe.get("CPE Diagnostic", name);
    if (doc.status === "Completed" || doc.status === "Failed") {
      if (doc.verdict !== "OK")
        throw new Error(`end to end: ${doc.status} ${doc.verdict ?? ""} ${doc.error ?? ""}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  e2e.push(performance.now() - t);
}
await workers.stop();

console.log(`A full diagnosis (ACS over HTTP + OLT over SNMP, then the verdict), loopback:`);
console.log(`  both sources answering (${RUNS} runs):          ${fmt(both)}`);
console.log(
  `  the ACS never answering (timeout ${ACS_TIMEOUT_S} s, ${timingOut.length} runs): ${fmt(timingOut)}`,
);
console.log(
  `  end to end from Desk's API call to the verdict written back (${E2E_RUNS} runs): ${fmt(e2e)}`,
);
const bounded = pct(timingOut, 99) < ACS_TIMEOUT_S * 1000 + 250;
console.log(
  `  the timeout bounds the diagnosis: ${bounded ? "yes" : "NO"} (p99 ${pct(timingOut, 99).toFixed(0)} ms for a ${ACS_TIMEOUT_S * 1000} ms timeout)`,
);
await Promise.all([standin.close(), nbi.close(), agent.close()]);
process.exit(bounded ? 0 : 1);
