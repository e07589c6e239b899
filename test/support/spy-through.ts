import { mockClient } from 'aws-sdk-client-mock';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '#shared/store/sdk';

const COMMANDS = [
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
];
type Command = (typeof COMMANDS)[number];

/**
 * aws-sdk-client-mock on a document client that still reaches DynamoDB Local: every command is
 * recorded (`mock.commandCalls(QueryCommand)`) and passed through, except those a test names in
 * `intercept` to inject a fault; `passThrough(Command)` lets the calls it does not fail go on.
 * Restore the mock in `finally`.
 */
export const spyThrough = (db: DynamoDBDocumentClient, intercept: readonly Command[] = []) => {
  const send = db.send.bind(db) as (command: unknown) => Promise<unknown>;
  const mock = mockClient(db);
  const passThrough = (Command: Command) => (input: unknown) => send(new Command(input as never));
  for (const Command of COMMANDS) {
    // `on` is typed per command; the union of them all is not one of its overloads.
    if (!intercept.includes(Command)) mock.on(Command as typeof GetCommand).callsFake(passThrough(Command));
  }
  return { mock, passThrough };
};
