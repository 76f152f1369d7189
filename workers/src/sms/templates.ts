import { FrappeNotFoundError, type FrappeClient } from "@gigafibre/frappe-client";

export interface TemplateValues {
  customer_name: string;
  date: string;
  window: string;
  technician_first_name: string;
  job: string;
  /** En Route: the arrival estimate in words; empty otherwise. */
  eta: string;
}

/** The staff-edited wording for a job status, recipient and language (the other language as fallback). */
export async function findTemplate(
  frappe: FrappeClient,
  status: string,
  role: string,
  language: "fr" | "en",
): Promise<string | null> {
  for (const lang of [language, language === "fr" ? "en" : "fr"]) {
    try {
      const t = await frappe.get("FSM SMS Template", `${status}-${role}-${lang}`);
      if (t.enabled) return t.body;
    } catch (error) {
      if (!(error instanceof FrappeNotFoundError)) throw error;
    }
  }
  return null;
}

export function render(body: string, values: TemplateValues): string {
  return body.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? values[key as keyof TemplateValues] : whole,
  );
}

/** "26 novembre" / "November 26". */
export function formatDate(date: string | null | undefined, language: "fr" | "en"): string {
  if (!date) return language === "fr" ? "date à confirmer" : "date to be confirmed";
  const d = new Date(`${date}T12:00:00Z`);
  return new Intl.DateTimeFormat(language === "fr" ? "fr-CA" : "en-CA", {
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  }).format(d);
}

/** "13:00 et 15:00" / "13:00 and 15:00" from a start time and a duration. */
export function formatWindow(
  start: string | null | undefined,
  minutes: number | null | undefined,
  language: "fr" | "en",
): string {
  if (!start) return language === "fr" ? "8:00 et 17:00" : "8:00 and 17:00";
  const [h = 0, m = 0] = start.split(":").map(Number);
  const end = h * 60 + m + (minutes || 120);
  const fmt = (total: number) =>
    `${Math.floor(total / 60) % 24}:${String(total % 60).padStart(2, "0")}`;
  return `${fmt(h * 60 + m)} ${language === "fr" ? "et" : "and"} ${fmt(end)}`;
}
