export * from "./identifiers.js";
export * from "./job-status.js";
export * from "./chain.js";
export * from "./proration.js";
export * from "./optical.js";
