export type Level = "debug" | "info" | "warn" | "error";
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

const ORDER: Level[] = ["debug", "info", "warn", "error"];
// An OLT's SNMP community and SNMPv3 keys are secrets too.
const SECRET_KEYS =
  /secret|token|password|authorization|api_?key|signature|community|auth_?key|priv_?key/i;
const SYMBOLS: Record<Level, string> = { debug: "·", info: "•", warn: "!", error: "✗" };
const COLORS: Record<Level, string> = {
  debug: "\x1b[90m",
  info: "\x1b[36m",
  warn: "\x1b[33m",
  error: "\x1b[31m",
};

export interface LogOptions {
  level?: Level;
  format?: "json" | "pretty";
  /** Values to blank wherever they appear. */
  secrets?: string[];
  write?: (line: string) => void;
}

/** Structured lines (JSON in pipes, readable on a terminal), secrets redacted before writing. */
export function createLogger(opts: LogOptions = {}, base: Fields = {}): Logger {
  const min = ORDER.indexOf(opts.level ?? "info");
  // console.error writes to stderr; test runners capture it and show it only for failed tests.
  const write = opts.write ?? ((line: string) => console.error(line));
  // The caller's own array, read at each line: a secret learnt later (a key read from FSM
  // Settings) is redacted from then on.
  const secrets = opts.secrets ?? [];
  const scrub = (text: string) =>
    secrets.reduce((t, s) => (s ? t.split(s).join("[redacted]") : t), text);
  const emit = (level: Level, msg: string, fields: Fields = {}) => {
    if (ORDER.indexOf(level) < min) return;
    const all = redactKeys({ ...base, ...fields });
    if (opts.format === "pretty") {
      // One line an operator reads: the time, what happened, the document; job ids stay in JSON.
      const extras = Object.entries(all)
        .filter(([k, v]) => k !== "job" && !(k === "attempt" && v === 1))
        .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" ");
      const time = new Date().toTimeString().slice(0, 8);
      write(
        scrub(
          `\x1b[90m${time}\x1b[0m ${COLORS[level]}${SYMBOLS[level]}\x1b[0m ${msg}${extras ? ` \x1b[90m${extras}\x1b[0m` : ""}`,
        ),
      );
    } else {
      write(scrub(JSON.stringify({ time: new Date().toISOString(), level, msg, ...all })));
    }
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (fields) => createLogger(opts, { ...base, ...fields }),
  };
}

/** Secret-looking keys blanked, plain objects walked (cycles and depth bounded), the rest as is. */
function redactKeys(fields: Fields, depth = 0, seen = new WeakSet<object>()): Fields {
  seen.add(fields);
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEYS.test(k)) out[k] = "[redacted]";
    else if (v instanceof Error) out[k] = v.message;
    else if (isPlainObject(v))
      out[k] = seen.has(v) || depth >= 5 ? "[…]" : redactKeys(v, depth + 1, seen);
    else if (v && typeof v === "object" && !Array.isArray(v)) out[k] = String(v);
    else out[k] = v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Fields {
  if (!v || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
