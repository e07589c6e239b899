/**
 * The Secrets Manager API the CSAT keyring is written against. Here, for the tests and the local
 * stack, the SDK's; in the Lambda bundles (the `lambda` condition of this import in package.json)
 * the lean client of `lean-aws/secrets-manager.ts`, with the same names.
 */
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
