import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { PreconditionRequiredError, ValidationError } from '#shared/domain/errors';
import { PayloadTooLargeError } from '#shared/http/problem';
import { parseBody, parseQuery, requireIfMatch } from '#shared/http/request';
import {
  CommentBodySchema,
  CreateTicketBodySchema,
  IfMatchSchema,
  LIMITS,
  ListTicketsQuerySchema,
  UpdateTicketBodySchema,
} from '#shared/http/schemas';

const event = (parts: Partial<APIGatewayProxyEventV2>) =>
  ({ headers: {}, ...parts }) as APIGatewayProxyEventV2;
const withBody = (body: unknown) => event({ body: typeof body === 'string' ? body : JSON.stringify(body) });

/** The fields a ValidationError names, or the error itself when it is another kind. */
const fieldsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => issue.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
};

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
    it.each([
      ['"3"', 3],
      ['3', 3],
      ['W/"12"', 12],
    ])('reads %s as version %i', (value, version) => {
      expect(requireIfMatch(event({ headers: { 'if-match': value } }), IfMatchSchema)).toBe(version);
    });

    it('is 428 when absent and names the header when malformed', () => {
      expect(() => requireIfMatch(event({}), IfMatchSchema)).toThrow(PreconditionRequiredError);
      expect(fieldsOf(() => requireIfMatch(event({ headers: { 'if-match': '*' } }), IfMatchSchema))).toEqual([
        'header.if-match',
      ]);
    });
  });
});
