export { startWorkers, createQueue, type Workers } from "./app.js";
export { loadConfig, ConfigError, type Config } from "./config.js";
export { WorkerError } from "./errors.js";
export { createLogger, type Logger } from "./log.js";
export { HANDLERS, QUEUES, type Handler, type HandlerContext } from "./handlers/index.js";
export * from "./queue/index.js";
export { signStripePayload, verifyStripeSignature } from "./inbound/stripe.js";
export { THREE_CX_TOKEN_HEADER } from "./intake/inbound.js";
