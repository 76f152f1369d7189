import type { Page } from "playwright-core";
import { WebError } from "../errors.js";
import { untilAborted } from "./abort.js";
import { safeOrigin } from "./classify.js";
import type { WebProfile } from "./profiles.js";
import { redactText } from "./redact.js";

export interface WebLogin {
  username: string | null;
  password: string;
}

/** How long the logout may take after a read, even one stopped by its deadline. */
const LOGOUT_MS = 5_000;

/**
 * One administrator session on a modem's web interface, in a page: open it, log in through the
 * form, run the reads through the page's own request function (the firmware's key exchange and
 * encryption happen in the page), and always log out, even after a failure or the deadline,
 * so the modem's only session is free for the next read.
 */
export async function webSession(
  page: Page,
  url: string,
  profile: WebProfile,
  login: WebLogin,
  opts: { signal: AbortSignal; stepMs: number },
): Promise<Record<string, unknown>> {
  const { signal } = opts;
  const secrets = [login.password, login.username];
  page.setDefaultTimeout(opts.stepMs);
  page.setDefaultNavigationTimeout(opts.stepMs);
  // Once the form is sent the modem may hold a session for us, whatever the page shows next.
  const progress = { submitted: false };
  try {
    const response = await untilAborted(signal, page.goto(url, { waitUntil: "domcontentloaded" }));
    signal.throwIfAborted();
    if (response && response.status() >= 400)
      throw new WebError(
        "unreachable",
        `${safeOrigin(url)} answers HTTP ${response.status()}: is it the modem's web interface?`,
      );
    // From the login on, each step runs to its end (each bounded by stepMs) and the deadline is
    // checked between steps: a login cut short could leave the modem's only session open.
    await logIn(page, profile, login, { stepMs: opts.stepMs, secrets, progress });
    signal.throwIfAborted();
    await requireFunction(page, profile.request, profile, opts.stepMs);
    const answers: Record<string, unknown> = {};
    for (const [name, args] of Object.entries(profile.reads)) {
      signal.throwIfAborted();
      answers[name] = await callPage(page, profile.request, args, secrets);
    }
    return answers;
  } finally {
    if (progress.submitted) await logOut(page, profile);
    // The next read in this pooled context starts from nothing (cookies go with the context).
    await page
      .evaluate(() => {
        const storage = globalThis as unknown as Record<string, { clear(): void } | undefined>;
        storage.sessionStorage?.clear();
        storage.localStorage?.clear();
      })
      .catch(() => undefined);
  }
}

async function logIn(
  page: Page,
  profile: WebProfile,
  login: WebLogin,
  opts: { stepMs: number; secrets: (string | null)[]; progress: { submitted: boolean } },
): Promise<void> {
  const { stepMs, secrets } = opts;
  const form = profile.login;
  const field = await page.waitForSelector(form.password, { state: "visible" }).catch(() => null);
  if (!field) throw changed(profile, `no login field ${form.password} on the page`);
  if (form.username) {
    if (!(await page.locator(form.username).count()))
      throw changed(profile, `no username field ${form.username} on the login page`);
    await page.fill(form.username, login.username ?? profile.defaultUsername);
  }
  await page.fill(form.password, login.password);
  if (!(await page.locator(form.submit).count()))
    throw changed(profile, `no login button ${form.submit} on the page`);
  opts.progress.submitted = true;
  await page.click(form.submit);
  const outcomes = [
    ["ready", form.ready],
    ["wrong", form.wrongPassword],
    ["held", form.sessionHeld],
  ] as const;
  // Whichever shows first (each waited for on its own: a hidden one earlier in the page must not
  // hide a visible one later).
  const shown = await Promise.any(
    outcomes.map(([what, selector]) =>
      page
        .locator(selector)
        .first()
        .waitFor({ state: "visible" })
        .then(() => what),
    ),
  ).catch(() => null);
  if (!shown)
    throw changed(
      profile,
      `after logging in, none of ${form.ready}, ${form.wrongPassword} or ${form.sessionHeld} appeared within ${Math.round(stepMs / 1000)} s: the modem is very slow or its page changed`,
    );
  const says = async (selector: string) =>
    short(redactText((await page.locator(selector).first().textContent()) ?? "", secrets));
  if (shown === "held")
    throw new WebError(
      "session_held",
      `someone else is logged in to the modem's web interface, which allows one session at a time ("${await says(form.sessionHeld)}"): try again in a few minutes, or ask the customer to log out of it`,
    );
  if (shown === "wrong")
    throw new WebError(
      "wrong_password",
      `the modem refused the login ("${await says(form.wrongPassword)}"): correct Service Equipment > Web Password, or Web Password on its model's Item`,
    );
}

async function requireFunction(
  page: Page,
  path: string,
  profile: WebProfile,
  stepMs: number,
): Promise<void> {
  const found = await page
    .waitForFunction(
      (dotted) => {
        let value: unknown = globalThis;
        for (const part of dotted.split("."))
          value = value === null || value === undefined ? undefined : (value as never)[part];
        return typeof value === "function";
      },
      path,
      { timeout: Math.min(stepMs, 5_000) },
    )
    .then(
      () => true,
      () => false,
    );
  if (!found) throw changed(profile, `the page has no function ${path} once logged in`);
}

/** The page's own function called with `args`, as the page's scripts call it. */
async function callPage(
  page: Page,
  path: string,
  args: unknown[],
  secrets: (string | null)[],
): Promise<unknown> {
  try {
    return await page.evaluate(
      async ({ dotted, given }) => {
        let owner: unknown = globalThis;
        let value: unknown = globalThis;
        for (const part of dotted.split(".")) {
          owner = value;
          value = value === null || value === undefined ? undefined : (value as never)[part];
        }
        if (typeof value !== "function") throw new Error(`no function ${dotted}`);
        return (await (value as (...a: unknown[]) => Promise<unknown>).apply(owner, given)) ?? null;
      },
      { dotted: path, given: args },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/no function /.test(message)) throw error;
    // The page's own failure (its request refused, a session that expired): its words.
    if (/Target page, context or browser has been closed/i.test(message)) throw error;
    throw new WebError(
      "read_failed",
      `the modem refused ${JSON.stringify(args[0])}: ${short(redactText(message.replace(/^page\.evaluate: (Error: )?/, "").split("\n")[0] ?? "", secrets))}`,
    );
  }
}

/** The page's logout, bounded: a failed logout only leaves the session to the modem's timeout. */
async function logOut(page: Page, profile: WebProfile): Promise<void> {
  await Promise.race([
    callPage(page, profile.logout, [], []).catch(() => undefined),
    new Promise((r) => setTimeout(r, LOGOUT_MS).unref()),
  ]);
}

function changed(profile: WebProfile, what: string): WebError {
  return new WebError(
    "page_changed",
    `${what}: this firmware's web interface is not the one the ${profile.label} profile (${profile.id}) knows; update it in workers/src/diagnostics/web/profiles.ts`,
  );
}

const short = (s: string) => {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > 160 ? `${t.slice(0, 157)}...` : t;
};
