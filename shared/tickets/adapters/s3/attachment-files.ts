import { type S3Bucket, S3RequestError } from '#shared/runtime/s3-bucket';
import { contentDisposition } from '#shared/runtime/s3-objects';
import {
  type AttachmentFiles,
  type StoredFile,
  type UploadForm,
  uploadKey,
} from '#shared/tickets/attachments';

/**
 * Attachment files in S3: uploads under `uploads/<ticket>/<id>` (the mail intake keeps its own
 * under `attachments/`), presigned for the browser both ways so no file passes through a Lambda.
 */

export class S3AttachmentFiles implements AttachmentFiles {
  constructor(private readonly bucket: S3Bucket) {}

  uploadKey(ticket: number, id: string): string {
    return uploadKey(ticket, id);
  }

  async uploadForm(
    key: string,
    conditions: Parameters<AttachmentFiles['uploadForm']>[1],
  ): Promise<UploadForm> {
    // Every field is also a condition of the policy: the key, the type, the uploader and the name
    // are exactly these, and the size is within the range.
    return this.bucket.presignedPost(key, {
      fields: {
        'Content-Type': conditions.contentType,
        ...Object.fromEntries(
          Object.entries(conditions.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
        ),
      },
      conditions: [['content-length-range', 0, conditions.maxBytes]],
      expiresInSeconds: conditions.expiresInSeconds,
    });
  }

  /**
   * The functions that check uploads may read `uploads/` but not list the bucket, and S3 then
   * answers a HEAD of a missing object with 403 rather than 404: under a prefix this function may
   * read, that too means "not uploaded".
   */
  async inspect(key: string): Promise<StoredFile | undefined> {
    try {
      const head = await this.bucket.head(key);
      if (!head) return undefined;
      return {
        size: head.size,
        ...(head.contentType && { contentType: head.contentType }),
        metadata: head.metadata,
      };
    } catch (error) {
      if (error instanceof S3RequestError && error.status === 403) return undefined;
      throw error;
    }
  }

  downloadUrl(
    key: string,
    response: { filename: string; contentType: string; expiresInSeconds: number },
  ): Promise<string> {
    return this.bucket.presignedGet(key, {
      expiresInSeconds: response.expiresInSeconds,
      // Whatever the object says of itself: a download, of a type that renders nothing.
      query: {
        'response-cache-control': 'private, no-store',
        'response-content-disposition': contentDisposition(response.filename),
        'response-content-type': response.contentType,
      },
    });
  }
}
