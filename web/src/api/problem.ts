/**
 * An RFC 9457 problem the API answered with, as an error the pages can show: its title, detail
 * and (for 400/422) the fields it names, so a form puts each message next to its field.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: readonly FieldIssue[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }

  /** The message for one form field, if the problem names it (`body.subject` or `subject`). */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((issue) => issue.field === field || issue.field.endsWith(`.${field}`))?.message;
  }
}

/** What a person should do next, by status: the line under every error the console shows. */
export const NEXT_STEP: Record<number, string> = {
  0: 'The desk cannot be reached. Check your connection; the page retries when you try again.',
  401: 'Your session has ended. Sign in again.',
  403: 'You do not have access to this. Ask an admin if you think you should.',
  404: 'It does not exist, or you cannot see it.',
  409: 'It conflicts with something else; read the message above.',
  412: 'Someone changed it since you opened it. Reload to see their change, then try again.',
  413: 'That is too large. Shorten it and try again.',
  422: 'Correct the fields marked and try again.',
  429: 'Too many requests. Wait a moment and try again.',
  503: 'The desk is busy. It was retried; try again in a moment.',
};
