/**
 * `@courier-ts/client/bulk`: send one message to a stream of users with Courier's bulk API, resumably.
 * A separate entry so that apps which only send single messages do not load it.
 *
 * @module bulk
 */
export type { BulkSendErrorCode } from "./errors.js";
export { BulkSendError } from "./errors.js";
export { sendBulk } from "./sendBulk.js";
export type {
  BulkCheckpoint,
  BulkJob,
  BulkJobStatus,
  BulkMessage,
  BulkProgress,
  BulkUser,
  BulkUserResult,
  BulkUserSource,
  BulkWaitOptions,
  SendBulkOptions,
  SendBulkResult,
} from "./types.js";
