/** How much a photo may weigh, in bytes and in decoded pixels (a decompression bomb is refused). */
export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
}

export const DEFAULT_LIMITS: ImageLimits = { maxBytes: 20 * 2 ** 20, maxPixels: 50_000_000 };

export const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
