import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeMessage {
  sid: string;
  to: string;
  body: string;
  from: string;
  status: string;
  statusCallback: string | undefined;
  created: Date;
}

/**
 * Twilio's documented request signature, written here apart from the code under test: names
 * sorted, a repeated name's distinct values sorted (twilio-node getExpectedTwilioSignature).
 */
export function twilioSignature(
  token: string,
  url: string,
  params: Record<string, string | string[]>,
): string {
  const values = (v: string | string[]) => (Array.isArray(v) ? [...new Set(v)].sort() : [v]);
  const data =
    url +
    Object.keys(params)
      .sort()
      .flatMap((k) => values(params[k]!).map((v) => k + v))
      .join("");
  return createHmac("sha1", token).update(Buffer.from(data, "utf8")).digest("base64");
}

/** GSM-7 or UCS-2 segments, the fake's own count (a plain ASCII/Latin-1 test is enough here). */
function segments(body: string): number {
  const ucs2 = /[^\x20-\x7e\n\réèàùìòÉÇ]/.test(body);
  const units = ucs2 ? body.length : [...body].length;
  const [single, part] = ucs2 ? [70, 67] : [160, 153];
  return units <= single ? 1 : Math.ceil(units / part);
}

/**
 * A local stand-in for Twilio's Messages API over real HTTP: Basic auth, magic numbers for
 * errors (+15005550001 invalid 21211, +15005550009 landline 21614), STOP'd numbers (21610),
 * signed status callbacks in the order a test chooses, and signed inbound messages.
 */
export class FakeTwilio {
  readonly messages: FakeMessage[] = [];
  readonly optedOut = new Set<string>();
  /** Callbacks sent after each message, in this order. */
  callbackOrder = ["sent", "delivered"];
  failNext429 = 0;
  /** Status callbacks the workers acknowledged, per message SID. */
  readonly acknowledged = new Map<string, string[]>();
  private server!: Server;
  url = "";
  private n = 0;

  constructor(
    readonly accountSid: string,
    public authToken: string,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const send = (status: number, body: unknown) =>
          res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
        const auth = Buffer.from(
          String(req.headers.authorization ?? "").replace(/^Basic /, ""),
          "base64",
        ).toString();
        if (auth !== `${this.accountSid}:${this.authToken}`)
          return send(401, { code: 20003, message: "Authenticate", status: 401 });
        const url = new URL(req.url ?? "/", "http://fake");
        const path = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
        if (url.pathname !== path)
          return send(404, { code: 20404, message: "not found", status: 404 });
        if (req.method === "GET") {
          const to = url.searchParams.get("To");
          const after = url.searchParams.get("DateSent>");
          const list = this.messages.filter(
            (m) => (!to || m.to === to) && (!after || m.created >= new Date(after)),
          );
          return send(200, {
            messages: list.map((m) => this.json(m)),
            next_page_uri: null,
            page: 0,
            page_size: 50,
          });
        }
        const p = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
        if (this.failNext429 > 0) {
          this.failNext429--;
          return send(429, { code: 20429, message: "Too Many Requests", status: 429 });
        }
        const to = p.To ?? "";
        if (to === "+15005550001" || !/^\+\d{8,15}$/.test(to))
          return send(400, {
            code: 21211,
            message: `The 'To' number ${to} is not a valid phone number.`,
            status: 400,
          });
        if (to === "+15005550009")
          return send(400, {
            code: 21614,
            message: `'To' number ${to} is not a mobile number`,
            status: 400,
          });
        if (this.optedOut.has(to))
          return send(400, {
            code: 21610,
            message: "Attempt to send to unsubscribed recipient",
            status: 400,
          });
        const m: FakeMessage = {
          sid: `SM${String(++this.n).padStart(32, "0")}`,
          to,
          body: p.Body ?? "",
          from: p.From ?? p.MessagingServiceSid ?? "",
          status: "queued",
          statusCallback: p.StatusCallback,
          created: new Date(),
        };
        this.messages.push(m);
        send(201, this.json(m));
        // Workers already stopped refuse the callback: Twilio, too, gives up on an unreachable URL.
        void this.callbacks(m).catch(() => undefined);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  private json(m: FakeMessage) {
    return {
      sid: m.sid,
      account_sid: this.accountSid,
      to: m.to,
      from: m.from,
      body: m.body,
      status: m.status,
      num_segments: String(segments(m.body)),
      date_created: m.created.toUTCString(),
      error_code: null,
    };
  }

  private async callbacks(m: FakeMessage): Promise<void> {
    if (!m.statusCallback) return;
    await new Promise((r) => setTimeout(r, 30));
    for (const status of this.callbackOrder) {
      m.status = status;
      const res = await this.post(m.statusCallback, {
        MessageSid: m.sid,
        MessageStatus: status,
        To: m.to,
        AccountSid: this.accountSid,
      });
      if (res.ok) this.acknowledged.set(m.sid, [...(this.acknowledged.get(m.sid) ?? []), status]);
    }
  }

  /** POST a signed form, as Twilio does, to the workers. */
  async post(
    url: string,
    params: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const form = Object.entries(params).flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((one): [string, string] => [k, one]),
    );
    return fetch(url, {
      method: "POST",
      body: new URLSearchParams(form).toString(),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": twilioSignature(this.authToken, url, params),
        ...headers,
      },
    });
  }

  /** A customer texts the ISP's number. */
  inbound(
    workersUrl: string,
    from: string,
    body: string,
    token = `tok-${++this.n}`,
    extra: Record<string, string | string[]> = {},
    messageSid = `SMin${String(++this.n).padStart(30, "0")}`,
  ): Promise<Response> {
    const params = {
      ...extra,
      MessageSid: messageSid,
      AccountSid: this.accountSid,
      From: from,
      To: "+15815550000",
      Body: body,
      NumMedia: "0",
    };
    return this.post(`${workersUrl}/twilio/sms`, params, { "I-Twilio-Idempotency-Token": token });
  }
}
