import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Where a Lambda function's AWS clients get their credentials: the variables the Lambda runtime
 * sets for the function's role (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
 * the first link of the SDK's default chain and the only one that can answer in Lambda.
 *
 * The CDK bundle puts this module in place of `@aws-sdk/credential-provider-node` (an esbuild
 * alias in `infra/constructs/lambda-function.ts`), so a function does not carry the SSO, INI
 * file, process, web-identity and login providers (and the STS and SSO clients they bring) that
 * it could never use. Tests and the local stack run unbundled, on the SDK's full chain.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
