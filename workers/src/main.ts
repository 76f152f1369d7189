#!/usr/bin/env node
/**
 * The workers for one ERPNext site with gigafibre_fsm installed: FRAPPE_URL, an API key of a user
 * with the FSM Manager role, and FSM Settings' webhook secret (README: the whole environment).
 * For the demo without ERPNext, run `npm start` in a checkout of gigafibre-fsm.
 */
import { startWorkers, type Workers } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./log.js";

let workers: Workers;
try {
  const config = loadConfig();
  const log = createLogger({
    level: config.log.level,
    format: config.log.format,
    secrets: config.secrets,
  });
  workers = await startWorkers(config, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    await workers.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
