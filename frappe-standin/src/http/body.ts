import type { IncomingMessage } from "node:http";
import { FrappeException } from "../site/errors.js";

export interface ParsedBody {
  raw: Buffer;
  fields: Record<string, unknown>;
  /** Multipart uploads, by field name. */
  files: Record<string, { filename: string; content: Buffer; type: string }>;
}

export class BodyTooLarge extends Error {}

export async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The request's arguments the way Frappe's `make_form_dict` reads them: a JSON body is parsed
 * whenever it looks like JSON (even without a Content-Type), a form body as fields, a multipart
 * body as fields and files. A body that is not valid JSON fails as Frappe does: 500 JSONDecodeError.
 */
export async function parseBody(req: IncomingMessage, raw: Buffer): Promise<ParsedBody> {
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  const out: ParsedBody = { raw, fields: {}, files: {} };
  if (!raw.length) return out;
  if (type.startsWith("multipart/form-data")) {
    const form = await new Request("http://standin/", {
      method: "POST",
      headers: { "content-type": req.headers["content-type"]! },
      body: raw,
    }).formData();
    for (const [key, value] of form) {
      if (typeof value === "string") out.fields[key] = value;
      else
        out.files[key] = {
          filename: value.name,
          content: Buffer.from(await value.arrayBuffer()),
          type: value.type,
        };
    }
    return out;
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(raw.toString("utf8"))) out.fields[k] = v;
    return out;
  }
  const text = raw.toString("utf8");
  if (type.startsWith("application/json") || /^\s*[[{]/.test(text)) {
    try {
      const value = JSON.parse(text) as unknown;
      out.fields =
        value && typeof value === "object" && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : { data: value };
    } catch (error) {
      throw new FrappeException(
        "JSONDecodeError",
        `Expecting value: ${(error as Error).message}`,
        500,
        {
          bare: true,
          exceptionText: `json.decoder.JSONDecodeError: ${(error as Error).message}`,
        },
      );
    }
  }
  return out;
}
