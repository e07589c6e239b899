import { randomBytes } from 'node:crypto';
import { ATTACHMENT_LIMITS, downloadType, isAllowedType, mediaType } from '#shared/domain/attachments';
import { type FieldIssue, NotFoundError, UnprocessableError } from '#shared/domain/errors';
import { canSeeInternal } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import { type AttachmentFiles, UPLOAD_METADATA, type UploadForm } from './attachments.ts';
import { type TicketDeps, visibleTicket } from './ticket-service.ts';

/** The ticket use cases' dependencies and where attachment files are kept. */
export type AttachmentDeps = TicketDeps & { files: AttachmentFiles };

export interface UploadRequest {
  /** A file name people see (the HTTP schema refuses control characters and path separators). */
  filename: string;
  contentType: string;
  size: number;
}

export interface UploadTicket {
  /** What a comment names in `attachments` once the file is uploaded. */
  id: string;
  upload: UploadForm;
  maxBytes: number;
}

/**
 * A presigned upload for someone who may comment on the ticket (its participants and staff):
 * the type and size they declare are checked here for a quick answer, enforced by the policy
 * where the store enforces policies, and checked again on the stored object when a comment lists
 * it (`checkUploads`).
 */
export const requestUpload = async (
  deps: AttachmentDeps,
  principal: Principal,
  number: number,
  request: UploadRequest,
): Promise<UploadTicket> => {
  await visibleTicket(deps, principal, number);
  const issues: FieldIssue[] = [];
  if (!isAllowedType(request.contentType))
    issues.push({
      field: 'body.contentType',
      message: 'is not accepted: pictures, PDF, text, office documents and zip archives are',
    });
  if (request.size > ATTACHMENT_LIMITS.maxBytes)
    issues.push({ field: 'body.size', message: `must be at most ${ATTACHMENT_LIMITS.maxBytes} bytes` });
  if (issues.length > 0) throw new UnprocessableError('This file cannot be attached.', issues);

  const id = randomBytes(16).toString('base64url');
  const upload = await deps.files.uploadForm(deps.files.uploadKey(number, id), {
    contentType: mediaType(request.contentType),
    maxBytes: ATTACHMENT_LIMITS.maxBytes,
    metadata: {
      [UPLOAD_METADATA.uploader]: principal.id,
      [UPLOAD_METADATA.filename]: encodeURIComponent(request.filename),
    },
    expiresInSeconds: ATTACHMENT_LIMITS.uploadSeconds,
  });
  return { id, upload, maxBytes: ATTACHMENT_LIMITS.maxBytes };
};

export interface Download {
  url: string;
  filename: string;
  contentType: string;
  size?: number;
  expiresAt: string;
}

/**
 * A short-lived download of a file listed on the ticket's timeline, for whoever may see the event
 * that lists it: an internal note's file is the desk's alone, and to anyone else it does not
 * exist (404, like a ticket they cannot see).
 */
export const attachmentDownload = async (
  deps: AttachmentDeps,
  principal: Principal,
  number: number,
  id: string,
): Promise<Download> => {
  const [ticket, link] = await Promise.all([
    visibleTicket(deps, principal, number),
    deps.store.attachment(number, id),
  ]);
  if (!link || (!link.public && !canSeeInternal(principal, ticket)))
    throw new NotFoundError(`Ticket #${number} has no attachment ${id}.`);
  const contentType = downloadType(link.contentType);
  const url = await deps.files.downloadUrl(link.key ?? deps.files.uploadKey(number, id), {
    filename: link.filename,
    contentType,
    expiresInSeconds: ATTACHMENT_LIMITS.downloadSeconds,
  });
  return {
    url,
    filename: link.filename,
    contentType,
    ...(link.size !== undefined && { size: link.size }),
    expiresAt: new Date(deps.clock.now().getTime() + ATTACHMENT_LIMITS.downloadSeconds * 1000).toISOString(),
  };
};
