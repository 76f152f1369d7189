import { z } from "zod";

/** Traccar reports speed in knots, whatever its web app shows. */
export const KNOTS_TO_KMH = 1.852;

/**
 * A position as Traccar's API and websocket give it (org.traccar.model.Position, serialised by
 * Jackson: dates as ISO 8601 with an offset). Only the fields the workers use are read.
 */
const position = z.object({
  id: z.number().optional(),
  deviceId: z.number(),
  fixTime: z.string(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  speed: z.number().default(0),
  valid: z.boolean().optional(),
});
export type TraccarPosition = z.infer<typeof position>;

/** A device (org.traccar.model.Device): `uniqueId` is what is typed in Traccar's device form. */
const device = z.object({
  id: z.number(),
  name: z.string().default(""),
  uniqueId: z.string(),
  status: z.string().default("unknown"),
  lastUpdate: z.string().nullable().optional(),
  disabled: z.boolean().optional(),
});
export type TraccarDevice = z.infer<typeof device>;

/** The rows of a list that parse; a malformed one is dropped, never the whole message. */
function rows<T>(schema: z.ZodType<T>, value: unknown): T[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const parsed = schema.safeParse(v);
    return parsed.success ? [parsed.data] : [];
  });
}

export const parsePositions = (value: unknown): TraccarPosition[] => rows(position, value);
export const parseDevices = (value: unknown): TraccarDevice[] => rows(device, value);

/** What the socket pushes: `{"positions": [...]}`, `{"devices": [...]}`, `{"events": [...]}`, or `{}` (keepalive). */
export function parseSocketMessage(text: string): {
  positions: TraccarPosition[];
  devices: TraccarDevice[];
} {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { positions: [], devices: [] };
  }
  const d = (data ?? {}) as Record<string, unknown>;
  return { positions: parsePositions(d.positions), devices: parseDevices(d.devices) };
}
