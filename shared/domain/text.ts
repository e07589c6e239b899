import * as z from '#shared/runtime/zod';

/**
 * Text people write into the desk (subjects, comments, reasons, names, article titles). Control
 * characters have no business there: NUL truncates in some clients, ESC sequences recolour an
 * agent's terminal or log viewer, and invisible C1 characters make two subjects that look alike
 * differ. Tab and line breaks are text; every other C0 character, DEL and C1 are refused.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const CONTROL_CHARACTER_MESSAGE =
  'must not contain control characters (other than tab and line breaks)';

/** A trimmed, non-empty text of at most `max` characters, without control characters. */
export const textSchema = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine((text) => !CONTROL_CHARACTER.test(text), CONTROL_CHARACTER_MESSAGE),
  );

/** Like {@link textSchema}, for text that may be left empty. */
export const optionalTextSchema = (max: number) =>
  z.string().check(
    z.trim(),
    z.maxLength(max),
    z.refine((text) => !CONTROL_CHARACTER.test(text), CONTROL_CHARACTER_MESSAGE),
  );
