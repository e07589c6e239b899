import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The version as a strong ETag: `"3"`. If-Match accepts it back in that form (or bare). */
export const etag = (version: number): string => `"${version}"`;

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
