export * from "./classes.js";
export { errorFromResponse, parseErrorBody, parseRetryAfter } from "./factory.js";
export { parseServerMessages, type ServerMessage } from "./server-messages.js";
