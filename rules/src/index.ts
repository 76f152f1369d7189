export * from "./identifiers.js";
export * from "./job-status.js";
export * from "./chain.js";
export * from "./proration.js";
export * from "./optical.js";
export * from "./phone.js";
export * from "./sms.js";
export * from "./tax-numbers.js";
export * as tables from "./generated/tables.js";
