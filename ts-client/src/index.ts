export { FrappeClient, type CallOptions, type FrappeClientOptions } from "./client.js";
export * from "./errors/index.js";
export type { Logger, LogFields } from "./http/logger.js";
export type { RetryOptions } from "./http/retry.js";
export {
  INSERT_MANY_LIMIT,
  InsertManyError,
  type ChunkFailure,
  type InsertManyOptions,
  type InsertManyResult,
} from "./documents/insert-many.js";
export type { IterateOptions } from "./documents/iterate.js";
export type { FileDoc, UploadOptions } from "./documents/upload.js";
export { FrappeRealtime, RealtimeConnectError, type RealtimeOptions } from "./realtime/realtime.js";
export {
  DoctypeChangeFeed,
  type ChangeEvent,
  type ChangeFeedOptions,
  type ChangeHandler,
} from "./realtime/change-feed.js";
export {
  FRAPPE_SIGNATURE_HEADER,
  WebhookSignatureError,
  assertFrappeSignature,
  signFrappeWebhook,
  verifyFrappeSignature,
} from "./webhooks/signature.js";
export type * from "./types.js";
export { describeNetworkFailure } from "./http/network.js";
export { fromSiteDatetime, toSiteDatetime } from "./datetime.js";
