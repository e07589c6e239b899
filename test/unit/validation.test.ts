import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  type FieldIssue,
  PreconditionFailedError,
  PreconditionRequiredError,
  ValidationError,
} from '#shared/domain/errors';
import { PayloadTooLargeError } from '#shared/http/problem';
import { ifMatchCondition, parseBody, parseQuery, requireIfMatch } from '#shared/http/request';
import {
  CommentBodySchema,
  CreateTicketBodySchema,
  LIMITS,
  ListTicketsQuerySchema,
  UpdateTicketBodySchema,
} from '#shared/http/schemas';

const event = (parts: Partial<APIGatewayProxyEventV2>) =>
  ({ headers: {}, ...parts }) as APIGatewayProxyEventV2;
const withBody = (body: unknown) => event({ body: typeof body === 'string' ? body : JSON.stringify(body) });

/** The issues a ValidationError reports, or the error itself when it is another kind. */
const issuesOf = (fn: () => unknown): FieldIssue[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

const fieldsOf = (fn: () => unknown): string[] => issuesOf(fn).map((issue) => issue.field);

describe('Module: request parsing', () => {
  describe('Function: parseBody', () => {
    it('applies defaults and normalises emails', () => {
      const body = parseBody(
        withBody({ subject: ' VPN down ', description: 'since 9am', watchers: ['Bob@Example.com'] }),
        CreateTicketBodySchema,
      );
      expect(body).toEqual({
        subject: 'VPN down',
        description: 'since 9am',
        impact: 'medium',
        urgency: 'medium',
        tags: [],
        watchers: ['bob@example.com'],
      });
    });

    it.each([
      ['a missing field', { description: 'x' }, ['body.subject']],
      ['an empty subject', { subject: '   ', description: 'x' }, ['body.subject']],
      ['a too long subject', { subject: 'x'.repeat(LIMITS.subject + 1), description: 'x' }, ['body.subject']],
      ['an unknown field', { subject: 's', description: 'd', sla: 'gold' }, ['body.sla']],
      ['a bad enum', { subject: 's', description: 'd', impact: 'huge' }, ['body.impact']],
      [
        'a bad email in a list',
        { subject: 's', description: 'd', watchers: ['ok@example.com', 'nope'] },
        ['body.watchers.1'],
      ],
      [
        'too many tags',
        { subject: 's', description: 'd', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
        ['body.tags'],
      ],
    ])('names the field for %s', (_case, body, fields) => {
      expect(fieldsOf(() => parseBody(withBody(body), CreateTicketBodySchema))).toEqual(fields);
    });

    it('rejects malformed JSON and a missing body as body errors', () => {
      expect(fieldsOf(() => parseBody(withBody('{"subject":'), CreateTicketBodySchema))).toEqual(['body']);
      expect(fieldsOf(() => parseBody(event({}), CommentBodySchema))).toEqual(['body']);
    });

    it('rejects a non-JSON content type', () => {
      const e = event({ body: '{}', headers: { 'content-type': 'text/plain' } });
      expect(fieldsOf(() => parseBody(e, CommentBodySchema))).toEqual(['header.content-type']);
    });

    it('refuses a body above the size limit before parsing it', () => {
      expect(() => parseBody(withBody({ body: 'x'.repeat(LIMITS.body) }), CommentBodySchema)).toThrow(
        PayloadTooLargeError,
      );
    });

    it.each([
      ['a missing field', { description: 'd' }, { field: 'body.subject', message: 'is required' }],
      [
        'a field of the wrong type',
        { subject: 42, description: 'd' },
        { field: 'body.subject', message: expect.stringMatching(/expected string, received number/) },
      ],
      [
        'a null field',
        { subject: null, description: 'd' },
        { field: 'body.subject', message: expect.stringMatching(/expected string, received null/) },
      ],
      [
        'a JSON array body',
        [],
        { field: 'body', message: expect.stringMatching(/expected object, received array/) },
      ],
      [
        'a JSON null body',
        null,
        { field: 'body', message: expect.stringMatching(/expected object, received null/) },
      ],
    ])('tells %s apart: only what was not sent "is required"', (_case, body, issue) => {
      expect(issuesOf(() => parseBody(withBody(body), CreateTicketBodySchema))).toEqual([issue]);
    });

    it('never repeats the input in a message', () => {
      const huge = 'x'.repeat(LIMITS.body / 2);
      const issues = issuesOf(() =>
        parseBody(withBody({ subject: 's', description: 'd', tags: huge }), CreateTicketBodySchema),
      );
      expect(issues.map((issue) => issue.field)).toContain('body.tags');
      expect(JSON.stringify(issues)).not.toContain('xxxxxxxx');
      expect(JSON.stringify(issues).length).toBeLessThan(500);
    });

    it('refuses an update that changes nothing', () => {
      expect(fieldsOf(() => parseBody(withBody({}), UpdateTicketBodySchema))).toEqual(['body']);
    });
  });

  describe('Function: parseQuery', () => {
    it('coerces and bounds paging', () => {
      const query = parseQuery(
        event({ queryStringParameters: { view: 'queue', tier: '2', limit: '10' } }),
        ListTicketsQuerySchema,
      );
      expect(query).toEqual({ view: 'queue', tier: 2, limit: 10 });
      expect(
        fieldsOf(() =>
          parseQuery(event({ queryStringParameters: { limit: '1000' } }), ListTicketsQuerySchema),
        ),
      ).toEqual(['query.limit']);
    });

    it('tells a parameter of the wrong type from a missing one', () => {
      expect(
        issuesOf(() =>
          parseQuery(event({ queryStringParameters: { limit: 'ten' } }), ListTicketsQuerySchema),
        ),
      ).toEqual([{ field: 'query.limit', message: expect.stringMatching(/expected number, received NaN/) }]);
    });

    it.each([
      [{ view: 'queue' }, ['query.tier']],
      [{ view: 'queue', tier: '9' }, ['query.tier']],
      [{ view: 'mine', status: 'open' }, ['query.status']],
      [{ view: 'queue', tier: '1', status: 'closed' }, ['query.status']],
      [{ view: 'everything' }, ['query.view']],
    ])('names the offending parameter of %j', (params, fields) => {
      expect(
        fieldsOf(() => parseQuery(event({ queryStringParameters: params }), ListTicketsQuerySchema)),
      ).toEqual(fields);
    });
  });

  describe('Function: requireIfMatch', () => {
    const withIfMatch = (value: string) => event({ headers: { 'if-match': value } });

    it.each([
      ['"3"', 3],
      [' "3" ', 3],
      ['3', 3],
      ['"12"', 12],
    ])('reads %s as a change based on version %i', (value, version) => {
      expect(requireIfMatch(withIfMatch(value))).toEqual({ expectedVersion: version });
    });

    it('reads * as a change on whatever version is current (RFC 9110)', () => {
      expect(requireIfMatch(withIfMatch('*'))).toEqual({});
    });

    it('fails a weak ETag with 412: a weak tag never matches strongly (RFC 9110)', () => {
      expect(() => requireIfMatch(withIfMatch('W/"12"'))).toThrow(PreconditionFailedError);
    });

    it('is 428 when absent', () => {
      expect(() => requireIfMatch(event({}))).toThrow(PreconditionRequiredError);
    });

    it.each(['"3', '3"', 'W/3', '"3", "4"', 'abc', '""', '**'])(
      'names the header when it is malformed: %s',
      (value) => {
        expect(fieldsOf(() => requireIfMatch(withIfMatch(value)))).toEqual(['header.if-match']);
      },
    );
  });

  describe('Function: ifMatchCondition', () => {
    it('asks nothing without If-Match, and reads it like requireIfMatch otherwise', () => {
      expect(ifMatchCondition(event({}))).toEqual({});
      expect(ifMatchCondition(event({ headers: { 'if-match': '"4"' } }))).toEqual({ expectedVersion: 4 });
      expect(() => ifMatchCondition(event({ headers: { 'if-match': 'W/"4"' } }))).toThrow(
        PreconditionFailedError,
      );
    });
  });
});
