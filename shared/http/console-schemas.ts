import { ATTACHMENT_LIMITS, ATTACHMENT_TYPES } from '#shared/domain/attachments';
import { PRESENCE_STATES, PRESENCE_TTL_SECONDS } from '#shared/domain/presence';
import { ROLES } from '#shared/domain/principal';
import { textSchema } from '#shared/domain/text';
import * as z from '#shared/runtime/zod';
import { AttachmentIdSchema, TicketNumberSchema } from '#shared/tickets/input';

/** The schemas of the routes the console needs beyond the ticket API (`GET /me`, presence, attachments). */

export const MeSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      email: z.string(),
      name: z.optional(z.string()),
      role: z.enum(ROLES),
      tiers: z.array(z.int().check(z.gte(1), z.lte(3))),
      groups: z.array(z.string()),
      timeZone: z.optional(z.string()),
    })
    .check(
      z.meta({
        id: 'Me',
        description: 'Who the desk takes the caller for: their directory entry, as far as it concerns them',
      }),
    ),
);
export type Me = z.output<typeof MeSchema>;

// ---- collision detection: who has a ticket open ---------------------------------------------

export const PresenceBodySchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      state: z
        .enum(PRESENCE_STATES)
        .check(z.meta({ description: 'viewing the ticket, or writing a reply or note' })),
    })
    .check(z.meta({ id: 'PresenceHeartbeat' })),
);

export const PresenceSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      ticketVersion: z
        .int()
        .check(z.meta({ description: "The ticket's current version: when it moves, the ticket changed" })),
      items: z.array(
        z.object({
          email: z.string(),
          name: z.optional(z.string()),
          state: z.enum(PRESENCE_STATES),
          since: z.iso.datetime().check(z.meta({ description: 'Since when in this state (the desk clock)' })),
          expiresAt: z.iso.datetime().check(
            z.meta({
              description: `Gone after this instant unless renewed (${PRESENCE_TTL_SECONDS} s after the last heartbeat)`,
            }),
          ),
        }),
      ),
    })
    .check(
      z.meta({
        id: 'Presence',
        description: 'The desk on a ticket now, the caller included (expired entries are never listed)',
      }),
    ),
);

// ---- attachments ----------------------------------------------------------------------------

export const AttachmentPathSchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({ number: TicketNumberSchema, id: AttachmentIdSchema }),
);

export const AttachmentRequestSchema = /* @__PURE__ */ z.built(() =>
  z
    .strictObject({
      filename: textSchema(ATTACHMENT_LIMITS.filename).check(
        z.refine((name) => !/[/\\\t\r\n]/.test(name), 'must be a file name: no / \\, tabs or line breaks'),
      ),
      contentType: z.string().check(z.maxLength(255), z.meta({ example: 'application/pdf' })),
      size: z.int().check(z.gte(0), z.meta({ description: 'Bytes' })),
    })
    .check(
      z.meta({
        id: 'AttachmentRequest',
        description: `A file to upload: at most ${ATTACHMENT_LIMITS.maxBytes} bytes, of one of these types: ${ATTACHMENT_TYPES.join(', ')} (422 naming the field otherwise)`,
      }),
    ),
);

export const AttachmentUploadSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: AttachmentIdSchema,
      upload: z.object({
        url: z.string(),
        fields: z.record(z.string(), z.string()),
      }),
      maxBytes: z.int(),
    })
    .check(
      z.meta({
        id: 'AttachmentUpload',
        description:
          `A presigned S3 POST, good for ${ATTACHMENT_LIMITS.uploadSeconds} s: post \`fields\` and then the file (as \`file\`, ` +
          'multipart/form-data) to `url`, then name `id` in `attachments` of a comment',
      }),
    ),
);

export const AttachmentDownloadSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      url: z.string(),
      filename: z.string(),
      contentType: z.string(),
      size: z.optional(z.int()),
      expiresAt: z.iso.datetime(),
    })
    .check(
      z.meta({
        id: 'AttachmentDownload',
        description: `A presigned download link, good for ${ATTACHMENT_LIMITS.downloadSeconds} s (Content-Disposition: attachment)`,
      }),
    ),
);
