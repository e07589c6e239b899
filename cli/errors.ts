/**
 * A failure the person at the terminal can act on: one line saying what went wrong and what to do,
 * then details (a problem's field errors) one per line. Printed without a stack trace.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly details: readonly string[] = [],
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
