export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = () => {};

/** Fill the levels the caller left out with no-ops (octokit's `log` option). */
export function toLogger(log: Partial<Logger> | undefined): Logger {
  return {
    debug: log?.debug?.bind(log) ?? noop,
    info: log?.info?.bind(log) ?? noop,
    warn: log?.warn?.bind(log) ?? noop,
    error: log?.error?.bind(log) ?? noop,
  };
}
