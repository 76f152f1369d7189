import { FrappePermissionError, type FrappeClient } from "@gigafibre/frappe-client";
import { PermanentJobError } from "../../queue/index.js";
import { GeminiVisionModel, type GeminiOptions } from "./gemini.js";
import type { VisionModel } from "./types.js";

/** The workers' side of the vision model's configuration (environment, see config.ts). */
export interface ModelConfig {
  /** GEMINI_API_KEY: takes precedence over FSM Settings' key. */
  apiKey?: string | undefined;
  /** GEMINI_MODEL: takes precedence over FSM Settings' Vision Model. */
  model?: string | undefined;
  baseUrl?: string | undefined;
  timeoutMs: number;
  attempts: number;
  retryDelayMs: number;
}

interface SiteSettings {
  enabled: boolean;
  model: string;
  api_key: string | null;
}

const TTL_MS = 60_000;

/**
 * Which model to ask, decided per job: FSM Settings' Enable Vision switch, the key (the
 * workers' GEMINI_API_KEY, else FSM Settings' Password field read through the FSM-Manager-only
 * `gigafibre_fsm.api.vision.model_settings`) and the model name. Read at most once a minute, so
 * a key changed in Desk is used without a restart. Every key read joins `secrets`: never logged.
 */
export class ModelSource {
  private settings: { at: number; value: Promise<SiteSettings> } | undefined;
  private readonly models = new Map<string, VisionModel>();

  constructor(
    private readonly config: ModelConfig,
    private readonly secrets: string[],
    private readonly create: (o: GeminiOptions) => VisionModel = (o) => new GeminiVisionModel(o),
  ) {}

  /** The model, or why there is none (a sentence for the scan). */
  async get(frappe: FrappeClient): Promise<VisionModel | string> {
    const site = await this.siteSettings(frappe);
    if (!site.enabled) return "the vision model is off (FSM Settings > Enable Vision)";
    const apiKey = this.config.apiKey ?? site.api_key;
    if (!apiKey)
      return "the vision model has no API key (FSM Settings > Gemini API Key, or GEMINI_API_KEY for the workers)";
    if (!this.secrets.includes(apiKey)) this.secrets.push(apiKey);
    const model = this.config.model ?? site.model;
    const key = `${model}\0${apiKey}`;
    let found = this.models.get(key);
    if (!found) {
      this.models.clear(); // an old key is not kept around
      found = this.create({
        apiKey,
        model,
        baseUrl: this.config.baseUrl,
        timeoutMs: this.config.timeoutMs,
        attempts: this.config.attempts,
        retryDelayMs: this.config.retryDelayMs,
      });
      this.models.set(key, found);
    }
    return found;
  }

  private siteSettings(frappe: FrappeClient): Promise<SiteSettings> {
    if (!this.settings || Date.now() - this.settings.at > TTL_MS) {
      const value = frappe
        .call<SiteSettings>("gigafibre_fsm.api.vision.model_settings", {}, { http: "GET" })
        .catch((error: unknown) => {
          this.settings = undefined;
          if (error instanceof FrappePermissionError)
            throw new PermanentJobError(
              "the workers' API user may not read the vision model's settings: give it the FSM Manager role",
            );
          throw error;
        });
      this.settings = { at: Date.now(), value };
    }
    return this.settings.value;
  }
}
