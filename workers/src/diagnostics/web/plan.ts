import type { AcsReading } from "../acs/source.js";
import type { WebTarget } from "./bridge.js";
import { webProfileFor, type WebProfile } from "./profiles.js";

/** A piece of equipment whose web interface the workers might read. */
export interface WebCandidate {
  name: string;
  equipment_type?: string | null;
  manufacturer?: string | null;
  model?: string | null;
  /** Service Equipment > Web Interface URL. */
  web_url?: string | null;
}

/** What a diagnosis knows, before its sources answer, about reading web interfaces. */
export interface WebInput {
  /** FSM Settings > Read Modem Web Interfaces. */
  enabled: boolean;
  /** The equipment diagnosed. */
  equipment: WebCandidate;
  /** Routers and mesh units installed at the same location (a mesh behind an ONT). */
  others: WebCandidate[];
}

export type WebPlan =
  /** Not part of this diagnosis: off, or no model with a profile. */
  | { kind: "absent" }
  /** Part of it, but it cannot be read: said on the diagnostic. */
  | { kind: "skipped"; detail: string; equipment: string; profile: WebProfile }
  | { kind: "read"; target: WebTarget; from: "equipment" | "acs" };

/**
 * Whose web interface a diagnosis reads, and where: the diagnosed equipment when its model has a
 * profile (its address from Service Equipment > Web Interface URL, else from the ACS: the host
 * of its connection request URL, else its WAN IP, on its remote access port), else the first
 * router or mesh unit of the same location that has one (at the address set on it).
 */
export function planWebRead(input: WebInput | null | undefined, acs?: AcsReading): WebPlan {
  if (!input?.enabled) return { kind: "absent" };
  const eqp = input.equipment;
  const own = webProfileFor(
    eqp.manufacturer || (acs && acs.vendor !== "Other" ? acs.vendor : null),
    eqp.model || acs?.model,
  );
  if (own) {
    if (eqp.web_url) return fromEquipment(eqp, own);
    return fromAcs(eqp.name, own, acs);
  }
  const rank = (c: WebCandidate) => (c.equipment_type === "Router" ? 0 : 1);
  const other = [...input.others]
    .sort((a, b) => rank(a) - rank(b))
    .map((c) => ({ c, profile: webProfileFor(c.manufacturer, c.model) }))
    .find((x) => x.profile);
  if (!other?.profile) return { kind: "absent" };
  if (other.c.web_url) return fromEquipment(other.c, other.profile);
  return skipped(
    other.c.name,
    other.profile,
    `no address for the web interface of ${other.c.name} (${other.profile.label}): set its Service Equipment > Web Interface URL`,
  );
}

function fromEquipment(c: WebCandidate, profile: WebProfile): WebPlan {
  const url = webUrl(String(c.web_url), profile);
  if (!url)
    return skipped(
      c.name,
      profile,
      `Service Equipment > Web Interface URL of ${c.name} is not an http(s) address`,
    );
  return { kind: "read", target: { equipment: c.name, url, profile }, from: "equipment" };
}

function fromAcs(equipment: string, profile: WebProfile, acs: AcsReading | undefined): WebPlan {
  const access = acs?.web_access;
  if (access?.enabled === false)
    return skipped(
      equipment,
      profile,
      "the modem reports its remote web access off (UserInterface.RemoteAccess.Enable): turn it on through the ACS, or set Service Equipment > Web Interface URL",
    );
  const host = access?.host ?? acs?.wan_ip ?? null;
  if (!host)
    return skipped(
      equipment,
      profile,
      `no address for its web interface: the ACS gave none${acs ? "" : " (it did not answer)"} and Service Equipment > Web Interface URL is empty`,
    );
  const https = access?.https ?? profile.https;
  const port = access?.port ?? profile.port;
  const shown = host.includes(":") ? `[${host}]` : host;
  const standard = port === (https ? 443 : 80);
  const url = webUrl(
    `${https ? "https" : "http"}://${shown}${standard ? "" : `:${port}`}/`,
    profile,
  );
  return url
    ? { kind: "read", target: { equipment, url, profile }, from: "acs" }
    : skipped(equipment, profile, `the ACS's address for the modem (${host}) is not usable`);
}

/** An http(s) address (a bare host gets the profile's scheme), without any credentials in it. */
export function webUrl(value: string, profile: WebProfile): string | null {
  const text = value.trim();
  if (!text) return null;
  try {
    const url = new URL(
      /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
        ? text
        : `${profile.https ? "https" : "http"}://${text}`,
    );
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    url.username = "";
    url.password = "";
    return url.href;
  } catch {
    return null;
  }
}

const skipped = (equipment: string, profile: WebProfile, detail: string): WebPlan => ({
  kind: "skipped",
  detail,
  equipment,
  profile,
});
