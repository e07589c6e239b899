import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '#shared/store/client';

describe('Module: store/client', () => {
  describe('Function: documentClient', () => {
    it("gives every store of a container the container's one client", () => {
      const first = documentClient();
      const second = documentClient();

      expect(second).toBe(first);
      expect(second.config).toBe(first.config);
    });

    it('wraps a client it is given, and only that one', () => {
      const given = new DynamoDBClient({ region: 'eu-west-1' });

      const wrapped = documentClient(given);

      expect(wrapped).not.toBe(documentClient());
      expect(wrapped.config).toBe(given.config);
    });
  });
});
