import { ProblemError } from '../api/problem.ts';

/** Any failure as a problem a page can show (a thrown non-problem becomes a generic one). */
export const problemOf = (error: unknown): ProblemError =>
  error instanceof ProblemError ? error : new ProblemError(0, 'Something went wrong', String(error));
