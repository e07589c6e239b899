import { receiveDepsFromEnv } from '#shared/email/deps';
import { receiveMail } from '#shared/email/receive';
import { lambdaHandler } from '#shared/runtime/handler';

/**
 * SES inbound: the receipt rule's S3 action writes the raw message to the mail bucket, then its
 * Lambda action invokes this function with the receipt (`#shared/email/receive`).
 */
export const handler = lambdaHandler('ses', receiveMail(receiveDepsFromEnv()));
