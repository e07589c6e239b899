import * as z from 'zod';
import { textSchema as trimmed } from '#shared/domain/text';
import { AttachmentIdSchema } from './input-fields.ts';
import { LIMITS } from './limits.ts';

export const CommentBodySchema = z
  .strictObject({
    body: trimmed(LIMITS.comment),
    public: z.boolean().default(true).meta({ description: 'false = internal note (agents only)' }),
    attachments: z
      .array(AttachmentIdSchema)
      .max(LIMITS.attachmentsPerComment)
      .optional()
      .meta({
        description:
          'Uploaded files to list on the comment (ids from POST /tickets/{number}/attachments); each is ' +
          "checked as stored (size, type, uploader) before the comment is written. A note's files are internal.",
      }),
  })
  .meta({ id: 'NewComment' });
export type CommentBody = z.output<typeof CommentBodySchema>;
