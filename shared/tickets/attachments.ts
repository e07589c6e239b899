import { ATTACHMENT_LIMITS, isAllowedType, mediaType } from '#shared/domain/attachments';
import { type FieldIssue, UnprocessableError } from '#shared/domain/errors';
import { UPLOAD_PREFIX } from './config.ts';
import type { TicketStore } from './ticket-store.ts';

/**
 * Files people attach to their replies and notes. The browser uploads straight to S3 with a
 * short-lived presigned POST whose policy already limits size and type; the server checks the
 * stored object again (HeadObject) before a comment may list it, because a policy is only as good
 * as the store that enforces it (the local S3 stand-in does not) and the size is only known once
 * the bytes are there. A file is then listed on the comment's timeline event, and served as a
 * short-lived presigned download to whoever may see that event.
 */

/** A presigned POST: the browser posts `fields` and then the file (as `file`) to `url`. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

/** What the store says of a kept object. */
export interface StoredFile {
  size: number;
  contentType?: string;
  /** The object's user metadata (`x-amz-meta-*`, lower-case names). */
  metadata: Record<string, string>;
}

/**
 * The port to where attachment files are kept (the S3 adapter: `adapters/s3/attachment-files.ts`).
 * Uploads are keyed by ticket and id, so an id names a file of one ticket only.
 */
export interface AttachmentFiles {
  uploadKey(ticket: number, id: string): string;
  /** A form that uploads exactly one object under `key`, of at most `maxBytes`, of `contentType`. */
  uploadForm(
    key: string,
    conditions: {
      contentType: string;
      maxBytes: number;
      metadata: Record<string, string>;
      expiresInSeconds: number;
    },
  ): Promise<UploadForm>;
  /** The object's size, type and metadata; undefined when there is none. */
  inspect(key: string): Promise<StoredFile | undefined>;
  /** A link that downloads the object as `filename` (never shown inline), typed `contentType`. */
  downloadUrl(
    key: string,
    response: { filename: string; contentType: string; expiresInSeconds: number },
  ): Promise<string>;
}

/** Where an upload for `ticket` with `id` is kept: an id names a file of one ticket only. */
export const uploadKey = (ticket: number, id: string): string => `${UPLOAD_PREFIX}${ticket}/${id}`;

/** Metadata names of an upload (S3 keeps `x-amz-meta-<name>`, ASCII only: the filename is URI-encoded). */
export const UPLOAD_METADATA = { uploader: 'uploader', filename: 'filename' } as const;

/** An attachment as a comment's timeline event lists it (`data.attachments`). */
export interface AttachmentListing {
  id: string;
  filename: string;
  size: number;
  contentType: string;
}

/**
 * The files a comment lists, checked as they are stored: each was uploaded to this ticket by the
 * commenter, is within the size limit and of an allowed type, and is not listed on the ticket
 * yet. Every failure is a 422 naming the attachment (`body.attachments.<i>`).
 */
export const checkUploads = async (
  deps: { store: Pick<TicketStore, 'attachment'>; files?: AttachmentFiles },
  commenter: string,
  ticket: number,
  ids: readonly string[],
): Promise<AttachmentListing[]> => {
  const { files } = deps;
  if (ids.length === 0) return [];
  if (!files) {
    throw new UnprocessableError('This desk keeps no attachments.', [
      { field: 'body.attachments', message: 'attachments are not kept on this desk' },
    ]);
  }
  const checked = await Promise.all(
    ids.map(async (id, index): Promise<AttachmentListing | FieldIssue> => {
      const field = `body.attachments.${index}`;
      const [stored, listed] = await Promise.all([
        files.inspect(files.uploadKey(ticket, id)),
        deps.store.attachment(ticket, id),
      ]);
      if (listed) return { field, message: `${id} is already attached to this ticket` };
      if (!stored || stored.metadata[UPLOAD_METADATA.uploader] !== commenter)
        return {
          field,
          message: `${id} was not uploaded to this ticket by you (POST /tickets/${ticket}/attachments)`,
        };
      if (stored.size > ATTACHMENT_LIMITS.maxBytes)
        return {
          field,
          message: `${id} is ${stored.size} bytes; at most ${ATTACHMENT_LIMITS.maxBytes} are kept`,
        };
      if (!stored.contentType || !isAllowedType(stored.contentType))
        return {
          field,
          message: `${id} is of type ${stored.contentType ?? 'unknown'}, which is not accepted`,
        };
      return {
        id,
        filename: decodeFilename(stored.metadata[UPLOAD_METADATA.filename], id),
        size: stored.size,
        contentType: mediaType(stored.contentType),
      };
    }),
  );
  const issues = checked.filter((item): item is FieldIssue => 'field' in item);
  if (issues.length > 0)
    throw new UnprocessableError('Some attachments cannot be listed on this comment.', issues);
  return checked as AttachmentListing[];
};

const decodeFilename = (encoded: string | undefined, fallback: string): string => {
  if (!encoded) return fallback;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return fallback;
  }
};
