import * as z from 'zod';
import { LEVELS } from '#shared/domain/ticket-fields';
import { LIMITS } from './limits.ts';

/** The fields several ticket inputs share (see input.ts). */

export const EmailSchema = z
  .email()
  .max(254)
  .transform((email) => email.toLowerCase())
  .meta({ description: 'An email address; it is the identity of a person', example: 'alice@example.com' });

export const TicketNumberSchema = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a ticket number, e.g. 1042')
  .transform(Number)
  .pipe(z.number().int().positive())
  .meta({ description: 'The ticket number (the 1042 of #1042)', example: '1042' });

export const LevelSchema = z.enum(LEVELS);
/** Letters and digits of any script: `\p{…}` needs the `u` flag. */
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
export const TagSchema = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.tag)
  .regex(TAG_PATTERN, 'tags are letters, digits, ".", "_" and "-"')
  // The generator writes a flagged regex as `source/u`; a JSON Schema pattern is the bare source
  // (ECMA-262, read with Unicode semantics).
  .meta({ pattern: TAG_PATTERN.source });
export const CategorySchema = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.category)
  .regex(/^[a-z0-9][a-z0-9/_-]*$/, 'categories are lower-case slugs like "hardware/printer"');

/** The id `POST /tickets/{number}/attachments` gave an upload (or the intake a mail's file). */
export const AttachmentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an attachment id')
  .meta({ description: 'An attachment id', example: 'b3J0aGUgZmlsZSBpZA' });

export const LimitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(LIMITS.pageSize)
  .default(LIMITS.defaultPageSize);
export const CursorSchema = z
  .string()
  .min(1)
  .max(LIMITS.cursor)
  .optional()
  .meta({ description: 'Opaque: nextCursor of the previous page' });
