import { PermanentJobError } from "../queue/index.js";

/**
 * A file the workers refuse to read (not an image, too large, too many pixels): retrying cannot
 * help, and the message tells staff what to send instead.
 */
export class UnreadableFileError extends PermanentJobError {
  override name = "UnreadableFileError";
}
