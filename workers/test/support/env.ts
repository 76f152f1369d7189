import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bwipjs from "bwip-js";
import { FrappeClient } from "@gigafibre/frappe-client";
import type { Standin } from "@gigafibre/frappe-standin";
import { loadConfig, type Config } from "../../src/config.js";

export const SECRET = "whsec-workers-test-0123456789";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "fsm-workers-"));
}

/** Workers configuration for a stand-in, as the environment would give it. */
export function configFor(standin: Standin, over: Record<string, string> = {}): Config {
  return loadConfig(
    {
      FRAPPE_URL: standin.url,
      FRAPPE_API_KEY: standin.apiKey,
      FRAPPE_API_SECRET: standin.apiSecret,
      FRAPPE_SITE_NAME: standin.siteName,
      FSM_WEBHOOK_SECRET: SECRET,
      WORKERS_PORT: "0",
      FSM_QUEUE_FILE: join(tempDir(), "queue.sqlite"),
      FSM_RECONCILE_SECONDS: "0",
      FSM_OLT_SWEEP_MINUTES: "0",
      LOG_LEVEL: "warn",
      ...over,
    },
    false,
  );
}

export function clientFor(standin: Standin): FrappeClient {
  return new FrappeClient({
    url: standin.url,
    apiKey: standin.apiKey,
    apiSecret: standin.apiSecret,
    siteName: standin.siteName,
    retry: false,
  });
}

export function barcodePng(text: string, bcid = "code128"): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid,
    text,
    scale: 3,
    height: 12,
    paddingwidth: 24,
    paddingheight: 24,
    backgroundcolor: "FFFFFF",
  });
}

/** A technician's photo: uploaded, then a Vision Scan pointing at it. */
export async function scanPhoto(
  frappe: FrappeClient,
  png: Buffer,
  kind: "Barcode" | "Equipment Label" = "Barcode",
): Promise<string> {
  const file = await frappe.upload({ data: png, filename: "photo.png" });
  return (await frappe.insert("Vision Scan", { kind, image: file.file_url })).name;
}

/** How many times each Vision Scan entered Completed on this stand-in (once is right). */
export function countCompletions(standin: Standin): Map<string, number> {
  const completions = new Map<string, number>();
  standin.site.onCommit((changes) => {
    for (const c of changes)
      if (
        c.doctype === "Vision Scan" &&
        c.doc?.status === "Completed" &&
        c.before?.status !== "Completed"
      )
        completions.set(c.name, (completions.get(c.name) ?? 0) + 1);
  });
  return completions;
}
export { until } from "@gigafibre/testing";
