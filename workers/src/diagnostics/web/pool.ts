import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Logger } from "../../log.js";
import { abortReason, untilAborted } from "./abort.js";

export interface BrowserPoolOptions {
  /** The system's Chromium (Debian's /usr/bin/chromium): playwright-core downloads none. */
  executablePath: string;
  /** Browser contexts kept for reuse, and so reads at once. */
  size: number;
  /** Close the browser after this long without a read (0: keep it running). */
  idleMs?: number;
  log?: Logger | undefined;
}

// Headless Chromium as a service: no sandbox (containers run it as root), no GPU, no shared
// memory beyond /tmp, nothing phoning home.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-extensions",
  "--no-first-run",
  "--mute-audio",
];

/**
 * One headless Chromium and a few browser contexts reused between reads: a read takes a
 * context (waiting its turn when all are busy), opens a page in it, and gives it back without
 * its cookies. The browser starts at the first read, again after a crash (a dead browser's
 * contexts are dropped, the next read launches a new one), and stops after `idleMs` unused.
 */
export class BrowserPool {
  /** Browsers launched so far (a new one after each crash or idle stop). */
  launches = 0;
  private current: Browser | undefined;
  private launching: Promise<Browser> | undefined;
  private idle: BrowserContext[] = [];
  private busy = 0;
  private readonly waiting: (() => void)[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly opts: BrowserPoolOptions) {}

  /** A page in a pooled context for `work`, returned to the pool (or dropped) after. */
  async use<T>(signal: AbortSignal, work: (page: Page) => Promise<T>): Promise<T> {
    await this.slot(signal);
    let context: BrowserContext | undefined;
    let page: Page | undefined;
    try {
      context = await untilAborted(signal, this.context());
      page = await untilAborted(signal, context.newPage());
      return await work(page);
    } finally {
      const healthy = await (page?.close().then(
        () => true,
        () => false,
      ) ?? true);
      if (context) await this.giveBack(context, healthy);
      this.release();
    }
  }

  /** Whether a browser is running now. */
  get running(): boolean {
    return Boolean(this.current?.isConnected());
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    await this.stopBrowser();
  }

  private slot(signal: AbortSignal): Promise<void> {
    clearTimeout(this.idleTimer);
    if (this.busy < this.opts.size) {
      this.busy++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const turn = () => {
        signal.removeEventListener("abort", onAbort);
        this.busy++;
        resolve();
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(turn);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(abortReason(signal));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(turn);
    });
  }

  private release(): void {
    this.busy--;
    const next = this.waiting.shift();
    if (next) return next();
    if (!this.busy && this.opts.idleMs && !this.closed) {
      this.idleTimer = setTimeout(() => void this.stopBrowser(), this.opts.idleMs);
      this.idleTimer.unref();
    }
  }

  private async context(): Promise<BrowserContext> {
    const browser = await this.browser();
    for (let c = this.idle.pop(); c; c = this.idle.pop())
      if (c.browser() === browser && browser.isConnected()) return c;
    try {
      return await browser.newContext(CONTEXT);
    } catch (error) {
      // Killed between the check and the call: one new browser, then give up.
      if (browser.isConnected()) throw error;
      return (await this.browser()).newContext(CONTEXT);
    }
  }

  private async giveBack(context: BrowserContext, healthy: boolean): Promise<void> {
    const alive = healthy && !this.closed && context.browser()?.isConnected();
    if (alive && this.idle.length < this.opts.size) {
      const cleared = await context.clearCookies().then(
        () => true,
        () => false,
      );
      if (cleared) {
        this.idle.push(context);
        return;
      }
    }
    await context.close().catch(() => undefined);
  }

  private browser(): Promise<Browser> {
    if (this.current?.isConnected()) return Promise.resolve(this.current);
    // playwright-core is loaded at the first read: workers that read no web interface never pay it.
    this.launching ??= import("playwright-core")
      .then(({ chromium }) =>
        chromium.launch({ executablePath: this.opts.executablePath, args: ARGS, headless: true }),
      )
      .then((browser) => {
        this.launches++;
        this.current = browser;
        browser.on("disconnected", () => {
          if (this.current !== browser) return;
          this.current = undefined;
          this.idle = [];
          if (!this.closed)
            this.opts.log?.warn("the bridge's browser stopped: the next read starts one");
        });
        return browser;
      })
      .finally(() => (this.launching = undefined));
    return this.launching;
  }

  private async stopBrowser(): Promise<void> {
    const browser = this.current;
    this.current = undefined;
    const contexts = this.idle.splice(0);
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await browser?.close().catch(() => undefined);
  }
}

/**
 * A context per read: modems present self-signed certificates (the management network is the
 * trust boundary), a small viewport, no service workers or downloads.
 */
const CONTEXT = {
  ignoreHTTPSErrors: true,
  viewport: { width: 1024, height: 768 },
  serviceWorkers: "block",
  acceptDownloads: false,
  locale: "en-US",
} as const;
