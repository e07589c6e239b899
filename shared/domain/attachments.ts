/**
 * What files the desk takes as attachments, and how it serves them: limits, the allowed types,
 * and the type a download goes out as.
 */

export const ATTACHMENT_LIMITS = {
  /** Bytes of one file. */
  maxBytes: 10 * 1024 * 1024,
  filename: 255,
  /** Seconds a presigned upload form is good for. */
  uploadSeconds: 300,
  /** Seconds a presigned download link is good for. */
  downloadSeconds: 300,
} as const;

/**
 * What may be attached: pictures, PDFs, plain text and logs, office documents, zip archives.
 * Nothing a browser would run or render as a page (HTML, SVG, XML, scripts).
 */
export const ATTACHMENT_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/zip',
  'application/x-zip-compressed',
];

/** `Text/Plain; charset=utf-8` → `text/plain`. */
export const mediaType = (contentType: string): string =>
  contentType.split(';')[0]?.trim().toLowerCase() ?? '';

export const isAllowedType = (contentType: string): boolean =>
  ATTACHMENT_TYPES.includes(mediaType(contentType));

/**
 * The type a download is served with: an allowed type as it is, anything else (a mail's
 * `text/html` attachment) as opaque bytes. Always with `Content-Disposition: attachment`.
 */
export const downloadType = (contentType: string | undefined): string =>
  contentType && isAllowedType(contentType) ? mediaType(contentType) : 'application/octet-stream';
