/**
 * The floor the Lambda bundles' import time is read against besides the reference: a handler of
 * the stack Tierdesk is built on (middy, zod/mini through `#shared/runtime/zod`, the DynamoDB
 * document client) that parses a path parameter, reads one item and parses it into a small view.
 * Bundled and timed like every function (test/bench/parts/bundles.ts); no Tierdesk code.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import * as z from '#shared/runtime/zod';

const PathSchema = z.object({ number: z.coerce.number().check(z.int(), z.positive()) });
const ViewSchema = z.object({
  number: z.int(),
  subject: z.string(),
  status: z.enum(['new', 'open']),
  createdAt: z.iso.datetime(),
  tags: z.array(z.string()),
  assignee: z.optional(z.string()),
});

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = middy(async (event: { pathParameters: unknown }) => {
  const { number } = PathSchema.parse(event.pathParameters);
  const { Item } = await client.send(new GetCommand({ TableName: 'tickets', Key: { pk: `T#${number}` } }));
  return ViewSchema.parse(Item);
});
