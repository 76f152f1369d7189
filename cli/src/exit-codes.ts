/** `fsm` exit codes (documented in cli/README.md). */
export const EXIT = {
  ok: 0,
  /** A check failed, or rows were refused (see the report). */
  failed: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** The site or the legacy database could not be reached, or refused the credentials. */
  site: 3,
  /** Interrupted (Ctrl-C): the checkpoint is saved. */
  interrupted: 130,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.usage,
  ) {
    super(message);
  }
}
