import { describe, expect, it } from 'vitest';
import { ContentionError } from '#shared/domain/errors';
import { problemOf, problemResponse } from '#shared/http/problem';

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name}: arn:aws:dynamodb:eu-west-1:123:table/tierdesk`), { name, ...extra });

describe('Module: problem', () => {
  describe('Function: problemOf', () => {
    it.each([
      [
        'DynamoDB throttling',
        named('ProvisionedThroughputExceededException', { $retryable: { throttling: true } }),
      ],
      ['a service throttling', named('ThrottlingException')],
      ["a service's own temporary failure", named('InternalServerError')],
      ['an SDK timeout', named('TimeoutError')],
      ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ])('answers %s with 503 and Retry-After, saying nothing of the service', (_label, error) => {
      const problem = problemOf(error, '/tickets/1');
      expect(problem).toMatchObject({ status: 503, type: 'https://tierdesk.dev/problems/unavailable' });
      expect(problem?.detail).not.toMatch(/arn:|dynamodb|table/i);
      const response = problemResponse(problem as NonNullable<typeof problem>);
      expect(response.headers).toMatchObject({
        'retry-after': '1',
        'content-type': 'application/problem+json',
      });
    });

    it('keeps the domain answer for a domain error, and no answer for an unknown one (a bare 500)', () => {
      expect(problemOf(new ContentionError('Ticket #1 is changing too fast'))?.type).toBe(
        'https://tierdesk.dev/problems/contention',
      );
      expect(problemOf(named('ValidationException'))).toBeUndefined();
      expect(problemOf(new TypeError('x is undefined'))).toBeUndefined();
    });
  });
});
