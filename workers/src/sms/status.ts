import type { Communication } from "@gigafibre/frappe-client/generated";

export type SmsStatus = NonNullable<Communication["fsm_sms_status"]>;
export type DeliveryStatus = NonNullable<Communication["delivery_status"]>;

/** Twilio message statuses in the order a message goes through them; callbacks arrive out of order. */
const RANK: Partial<Record<SmsStatus | "Accepted" | "Scheduled" | "Canceled", number>> = {
  Pending: 0,
  Queued: 1,
  Accepted: 1,
  Scheduled: 1,
  Sending: 2,
  Sent: 3,
  Delivered: 4,
  Undelivered: 4,
  Failed: 4,
  Canceled: 4,
  Read: 5,
};

const LABELS: Record<string, SmsStatus> = {
  queued: "Queued",
  accepted: "Queued",
  scheduled: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  undelivered: "Undelivered",
  failed: "Failed",
  canceled: "Failed",
  read: "Read",
  receiving: "Received",
  received: "Received",
};

/** Twilio's status as an option of the Communication's `fsm_sms_status`. */
export function statusLabel(twilioStatus: string): SmsStatus {
  return LABELS[twilioStatus.toLowerCase()] ?? "Sending";
}

/** Whether moving from `current` to `next` goes forward (a late `sent` never undoes `delivered`). */
export function isForward(current: string | null | undefined, next: string): boolean {
  const rank = RANK as Record<string, number>;
  return (rank[next] ?? -1) > (rank[current ?? ""] ?? -1);
}

/** The coarse `delivery_status` of Frappe's Communication. */
export function deliveryStatus(label: SmsStatus): DeliveryStatus {
  if (["Delivered", "Sent"].includes(label)) return "Sent";
  if (["Failed", "Undelivered", "Canceled"].includes(label)) return "Error";
  if (label === "Read") return "Read";
  return "Sending";
}
