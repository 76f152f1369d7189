export * from "./types.js";
export { SqliteJobQueue } from "./sqlite.js";
export { BullJobQueue, RedisEvictionError, checkNoEviction } from "./bullmq.js";
