/**
 * The DynamoDB API the stores are written against: lib-dynamodb's document client and commands,
 * and the client under them. Here, for the tests and the local stack, the SDK's; in the Lambda
 * bundles (the `lambda` condition of this import in package.json) the lean client of
 * `lean/document-client.ts`, which has the same API and loads a fraction of the code.
 */
export { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export type {
  BatchGetCommandOutput,
  PutCommandInput,
  QueryCommandInput,
  QueryCommandOutput,
  TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
export {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
