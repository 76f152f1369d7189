/** One message Frappe queued with `frappe.msgprint` / `frappe.throw` while handling a request. */
export interface ServerMessage {
  message: string;
  title?: string;
  indicator?: string;
  raise_exception?: number | boolean;
}

/**
 * Frappe double-encodes `_server_messages`: a JSON string holding a list of JSON strings,
 * each an object. Tolerates plain strings and already-decoded values.
 */
export function parseServerMessages(raw: unknown): ServerMessage[] {
  let list: unknown = raw;
  if (typeof list === "string") list = safeJson(list);
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): ServerMessage[] => {
    const value = typeof item === "string" ? (safeJson(item) ?? item) : item;
    if (typeof value === "string") return [{ message: stripHtml(value) }];
    if (value && typeof value === "object" && "message" in value) {
      const v = value as Record<string, unknown>;
      const out: ServerMessage = { message: stripHtml(String(v.message)) };
      if (typeof v.title === "string") out.title = v.title;
      if (typeof v.indicator === "string") out.indicator = v.indicator;
      if (typeof v.raise_exception === "number" || typeof v.raise_exception === "boolean")
        out.raise_exception = v.raise_exception;
      return [out];
    }
    return [];
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Frappe messages often carry markup (`<strong>`, `<br>`); callers want text. */
export function stripHtml(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}
