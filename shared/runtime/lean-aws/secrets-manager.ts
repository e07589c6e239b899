import {
  type AwsClientConfig,
  AwsJsonClient,
  blob,
  commandClass,
  type JsonService,
  timestamp,
} from './json-client.ts';

/**
 * Secrets Manager on the lean JSON client (`json-client.ts`): the one command the CSAT keyring
 * uses, with the SDK's names (`#shared/runtime/secrets-manager`).
 */

const SECRETS_MANAGER: JsonService = {
  signingName: 'secretsmanager',
  hostPrefix: 'secretsmanager',
  targetPrefix: 'secretsmanager',
  jsonVersion: '1.1',
  endpointId: 'SECRETS_MANAGER',
  reviver: (key, value) =>
    key === 'SecretBinary' && typeof value === 'string'
      ? blob(value)
      : key === 'CreatedDate' && typeof value === 'number'
        ? timestamp(value)
        : value,
};

export const GetSecretValueCommand = commandClass('GetSecretValue');

export class SecretsManagerClient extends AwsJsonClient {
  constructor(config: AwsClientConfig = {}) {
    super(SECRETS_MANAGER, config);
  }
}
