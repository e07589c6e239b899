import { textSchema as trimmed } from '#shared/domain/text';
import * as z from '#shared/runtime/zod';
import { AttachmentIdSchema } from './input-fields.ts';
import { LIMITS } from './limits.ts';

export const CommentBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      body: trimmed(LIMITS.comment),
      public: z
        ._default(z.boolean(), true)
        .check(z.meta({ description: 'false = internal note (agents only)' })),
      attachments: z
        .optional(z.array(AttachmentIdSchema).check(z.maxLength(LIMITS.attachmentsPerComment)))
        .check(
          z.meta({
            description:
              'Uploaded files to list on the comment (ids from POST /tickets/{number}/attachments); each is ' +
              "checked as stored (size, type, uploader) before the comment is written. A note's files are internal.",
          }),
        ),
    })
    .check(z.meta({ id: 'NewComment' })),
);
export type CommentBody = z.output<typeof CommentBodySchema>;
