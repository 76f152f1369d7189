import type { Output } from "../output.js";

type Row = Record<string, unknown>;
export interface DeviceGraph {
  equipment: Row;
  customer: Row | null;
  location: Row | null;
  subscription: Row | null;
  open_issues: Row[];
  upcoming_jobs: Row[];
  olt: Row | null;
}

const v = (x: unknown) => (x === null || x === undefined || x === "" ? "-" : String(x));

/** The relationship graph as a tree a person reads at a glance. */
export function renderDeviceTree(g: DeviceGraph, out: Output): string {
  const e = g.equipment;
  const lines = [
    `${out.color("bold", v(e.name))}  ${v(e.equipment_type)} ${v(e.model)}  SN ${v(e.serial_no)}  MAC ${v(e.mac_address)}  GPON ${v(e.gpon_serial)}  [${v(e.status)}]`,
  ];
  const branch = (label: string, text: string, last = false) =>
    lines.push(`${last ? "└─" : "├─"} ${label.padEnd(13)} ${text}`);
  branch(
    "Customer",
    g.customer
      ? `${v(g.customer.customer_name)} (${v(g.customer.name)})  lang ${v(g.customer.preferred_language)}${g.customer.sms_opt_out ? "  SMS opt-out" : ""}`
      : out.color("dim", "none"),
  );
  branch(
    "Location",
    g.location
      ? `${v(g.location.name)}  ${v(g.location.address_line1)}, ${v(g.location.city)}  ${v(g.location.connection_type)}  PON ${v(g.location.pon_port)} ONU ${v(g.location.onu_id)}`
      : out.color("dim", "none"),
  );
  branch(
    "Subscription",
    g.subscription
      ? `${v(g.subscription.name)}  ${v(g.subscription.category)} ${v(g.subscription.plan)}  ${v(g.subscription.download_mbps)}/${v(g.subscription.upload_mbps)} Mbps  ${v(g.subscription.status)}`
      : out.color("dim", "no active subscription"),
  );
  branch(
    "OLT",
    g.olt
      ? `${v(g.olt.name)}  ${v(g.olt.vendor)} ${v(g.olt.model)}  ${v(g.olt.management_ip)}`
      : out.color("dim", "none"),
  );
  branch("Open issues", String(g.open_issues.length));
  g.open_issues.forEach((i, n) =>
    lines.push(
      `│  ${n === g.open_issues.length - 1 ? "└─" : "├─"} ${v(i.name)}  ${v(i.subject)}  ${v(i.status)}`,
    ),
  );
  branch("Upcoming jobs", String(g.upcoming_jobs.length), true);
  g.upcoming_jobs.forEach((j, n) =>
    lines.push(
      `   ${n === g.upcoming_jobs.length - 1 ? "└─" : "├─"} ${v(j.name)}  ${v(j.job_type)}  ${v(j.scheduled_date)}  ${v(j.status)}  ${v(j.technician)}`,
    ),
  );
  return lines.join("\n");
}
