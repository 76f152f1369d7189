/** Human output on a terminal (colours), plain in pipes, JSON with --json. */
export interface Output {
  json: boolean;
  tty: boolean;
  line(text: string): void;
  error(text: string): void;
  result(value: unknown): void;
  color(name: "green" | "red" | "yellow" | "dim" | "bold", text: string): string;
}

const CODES = { green: 32, red: 31, yellow: 33, dim: 90, bold: 1 } as const;

export function createOutput(
  json: boolean,
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Output {
  const tty = Boolean(stdout.isTTY) && !process.env.NO_COLOR;
  return {
    json,
    tty,
    line: (text) => void (json ? undefined : stdout.write(`${text}\n`)),
    error: (text) => void stderr.write(`${text}\n`),
    result: (value) =>
      void (json ? stdout.write(`${JSON.stringify(value, null, 2)}\n`) : undefined),
    color: (name, text) => (tty ? `\x1b[${CODES[name]}m${text}\x1b[0m` : text),
  };
}
