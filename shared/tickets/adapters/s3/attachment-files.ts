import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
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

/**
 * A HEAD has no body, so a missing object is a bare 404 (`NotFound`), not `NoSuchKey`. The
 * functions that check uploads may read `uploads/` but not list the bucket, and S3 then answers a
 * missing object with 403: under a prefix this function may read, that too means "not uploaded".
 */
const isMissing = (error: unknown): boolean => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = $metadata?.httpStatusCode;
  return name === 'NotFound' || name === 'NoSuchKey' || status === 404 || status === 403;
};

export class S3AttachmentFiles implements AttachmentFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  uploadKey(ticket: number, id: string): string {
    return uploadKey(ticket, id);
  }

  async uploadForm(
    key: string,
    conditions: Parameters<AttachmentFiles['uploadForm']>[1],
  ): Promise<UploadForm> {
    // Every field is also a condition of the policy (the presigner adds them): the key, the type,
    // the uploader and the name are exactly these, and the size is within the range.
    const { url, fields } = await createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: key,
      Fields: {
        'Content-Type': conditions.contentType,
        ...Object.fromEntries(
          Object.entries(conditions.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
        ),
      },
      Conditions: [['content-length-range', 0, conditions.maxBytes]],
      Expires: conditions.expiresInSeconds,
    });
    return { url, fields };
  }

  async inspect(key: string): Promise<StoredFile | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: head.ContentLength ?? 0,
        ...(head.ContentType && { contentType: head.ContentType }),
        metadata: Object.fromEntries(
          Object.entries(head.Metadata ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
        ),
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  downloadUrl(
    key: string,
    response: { filename: string; contentType: string; expiresInSeconds: number },
  ): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        // Whatever the object says of itself: a download, of a type that renders nothing.
        ResponseContentDisposition: contentDisposition(response.filename),
        ResponseContentType: response.contentType,
        ResponseCacheControl: 'private, no-store',
      }),
      { expiresIn: response.expiresInSeconds },
    );
  }
}
