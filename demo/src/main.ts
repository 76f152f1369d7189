/**
 * `npm start`: the kit with no ERPNext and no API keys. A Frappe stand-in with sample data (in
 * memory, or FSM_DEMO_DB), the workers against it with webhooks pointed at them, and a few
 * sample events (labels photographed, jobs scheduled), so what the kit does shows on the terminal.
 */
import { randomBytes } from "node:crypto";
import { FakeGemini } from "@gigafibre/testing/gemini";
import { ConfigError, createLogger, loadConfig, startWorkers } from "@gigafibre/workers";
import {
  connectSite,
  demoModelScript,
  fireSampleEvents,
  reportScans,
  startDemoSite,
} from "./site.js";

const env = process.env;
const webhookSecret = env.FSM_WEBHOOK_SECRET ?? randomBytes(24).toString("base64url");
const log = createLogger({
  level: env.LOG_LEVEL === "debug" ? "debug" : "info",
  format: env.LOG_FORMAT === "json" || !process.stderr.isTTY ? "json" : "pretty",
  secrets: [webhookSecret],
});

const demo = await startDemoSite(log, env.FSM_DEMO_DB);
// A local fake Gemini, unless a real key is given (then the real model reads the photos).
const fakeGemini = env.GEMINI_API_KEY
  ? undefined
  : await new FakeGemini("demo-fake-gemini-key", demoModelScript).start();
let workers;
try {
  const config = loadConfig({
    ...env,
    FRAPPE_URL: demo.standin.url,
    FRAPPE_API_KEY: demo.standin.apiKey,
    FRAPPE_API_SECRET: demo.standin.apiSecret,
    FRAPPE_SITE_NAME: demo.standin.siteName,
    FSM_WEBHOOK_SECRET: webhookSecret,
    FSM_QUEUE_FILE: env.FSM_QUEUE_FILE ?? ".fsm/demo-queue.sqlite",
    ...(fakeGemini ? { GOOGLE_GEMINI_BASE_URL: fakeGemini.url } : {}),
  });
  config.secrets.push(demo.standin.apiSecret);
  workers = await startWorkers(config, log);
} catch (error) {
  await demo.stop();
  await fakeGemini?.close();
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
await connectSite(
  demo.frappe,
  env.WORKERS_PUBLIC_URL ?? workers.url,
  webhookSecret,
  fakeGemini?.apiKey ?? "",
);
if (env.FSM_DEMO_EVENTS !== "0") {
  const scans = await fireSampleEvents(demo.frappe, log);
  await workers.idle();
  await reportScans(demo.frappe, scans, log);
}
log.info("demo running: Ctrl-C to stop", {
  site: demo.standin.url,
  workers: workers.url,
  metrics: `${workers.url}/metrics`,
  vision_model: fakeGemini ? `fake Gemini at ${fakeGemini.url}` : "Gemini (GEMINI_API_KEY)",
});

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info("stopping", { signal });
  await workers.stop();
  await demo.stop();
  await fakeGemini?.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
