/**
 * `npm start`: with FRAPPE_URL and credentials, the workers for that ERPNext site. Without them,
 * the embedded default: a Frappe stand-in with sample data, webhooks pointed at the workers,
 * and sample events fired, so what the kit does shows on the terminal.
 */
import { startWorkers, type Workers } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { connectSite, fireSampleEvents, startDemoSite, type Demo } from "./demo.js";
import { createLogger } from "./log.js";

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const log = createLogger({
  level: config.log.level,
  format: config.log.format,
  secrets: config.secrets,
});

let demo: Demo | undefined;
if (config.demo) {
  demo = await startDemoSite(log, process.env.FSM_DEMO_DB);
  config.frappe = {
    url: demo.standin.url,
    apiKey: demo.standin.apiKey,
    apiSecret: demo.standin.apiSecret,
    siteName: demo.standin.siteName,
  };
  config.secrets.push(demo.standin.apiSecret);
  if (!process.env.FSM_QUEUE_FILE) config.queue.file = ".fsm/demo-queue.sqlite";
}
const workers: Workers = await startWorkers(config, log);
if (demo) {
  await connectSite(demo.frappe, config.publicUrl ?? workers.url, config.webhookSecret);
  if (process.env.FSM_DEMO_EVENTS !== "0") await fireSampleEvents(demo.frappe, log);
  log.info("demo running: Ctrl-C to stop", {
    site: demo.standin.url,
    workers: workers.url,
    metrics: `${workers.url}/metrics`,
  });
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info("stopping", { signal });
  await workers.stop();
  await demo?.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
