/** `fsm` as a program: main() with the process's arguments, exit code and pipes. */
import process from "node:process";
import { main } from "./main.js";

// `fsm ... | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
process.exitCode = await main(process.argv);
