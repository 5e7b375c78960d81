import sharp from 'sharp';

/**
 * The most pixels an upload may have: a 50-megapixel camera's photo. Past it an image is refused from
 * its header, unread: a 1 MB PNG can declare 16000×16000 pixels, 768 MB once decoded (issue 17).
 */
export const MAX_INPUT_PIXELS = 50_000_000;

/** The formats taken, as sharp names them. */
export type UploadFormat = 'png' | 'jpeg' | 'webp';

/** An upload refused: the status to answer, its message code and values, and the English sentence. */
export interface UploadRefusal {
  status: 413 | 415 | 422;
  code: string;
  params: Record<string, string | number>;
  error: string;
}

const FORMATS = new Set<string>(['png', 'jpeg', 'webp']);

/**
 * Reads what an upload says it is from its header alone (nothing is decoded): its format and size,
 * or 415 for anything but PNG, JPEG and WebP and 413 past MAX_INPUT_PIXELS.
 */
export async function uploadHeader(
  body: Buffer,
): Promise<{ format: UploadFormat; width: number; height: number } | UploadRefusal> {
  // No pixel limit here: the header is all that is read, and the size it declares is what we refuse by.
  const meta = await sharp(body, { limitInputPixels: false })
    .metadata()
    .catch(() => null);
  if (!meta?.format || !FORMATS.has(meta.format) || !meta.width || !meta.height) {
    return {
      status: 415,
      code: 'not-image',
      params: {},
      error: 'Only PNG, JPEG and WebP images can be uploaded.',
    };
  }
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    const mp = Math.round((meta.width * meta.height) / 1e6);
    const most = MAX_INPUT_PIXELS / 1e6;
    const error = `The image is ${meta.width}×${meta.height} pixels (${mp} megapixels); images of up to ${most} megapixels can be uploaded.`;
    const params = { width: meta.width, height: meta.height, megapixels: mp, most };
    return { status: 413, code: 'too-many-pixels', params, error };
  }
  return { format: meta.format as UploadFormat, width: meta.width, height: meta.height };
}

/**
 * Decodes an upload whose header was read, turns it upright, shrinks it to at most `maxWidth` pixels
 * wide and re-encodes it in its own format (which drops its metadata, GPS included). A truncated or
 * damaged image is a 422 with a sentence, never a throw.
 */
export async function resizeUpload(
  body: Buffer,
  format: UploadFormat,
  maxWidth: number,
): Promise<{ data: Buffer; width: number; height: number } | UploadRefusal> {
  const resized = sharp(body, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize({ width: maxWidth, withoutEnlargement: true });
  const encoded =
    format === 'png'
      ? resized.png({ compressionLevel: 9, palette: true })
      : format === 'webp'
        ? resized.webp({ quality: 82 })
        : resized.jpeg({ quality: 82, mozjpeg: true });
  try {
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    const error = 'The image is damaged or incomplete; save it again and upload the copy.';
    return { status: 422, code: 'image-damaged', params: {}, error };
  }
}
