import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { freePort } from "@gigafibre/testing";

/** A free TCP port on loopback. */
/**
 * A real redis-server for this test file (CI installs it). Missing binary = failed test, not a skip.
 */
export async function startRedis(
  policy = "noeviction",
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--maxmemory-policy",
      policy,
    ],
    { stdio: "ignore" },
  );
  const failed = new Promise<never>((_, reject) =>
    child.once("error", (e) =>
      reject(new Error(`redis-server could not start (is it installed?): ${e.message}`)),
    ),
  );
  const ready = (async () => {
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = createServer();
        s.once("error", () => resolve(true));
        s.listen(port, "127.0.0.1", () => s.close(() => resolve(false)));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("redis-server did not start listening");
  })();
  await Promise.race([ready, failed]);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        child.once("exit", () => r());
        child.kill("SIGTERM");
      }),
  };
}
export { freePort } from "@gigafibre/testing";
