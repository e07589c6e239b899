import { sendMailDepsFromEnv } from '#shared/email/outbound/deps';
import { countMailOutcomes, sendMailForRecords } from '#shared/email/outbound/stream';
import { lambdaHandler } from '#shared/runtime/handler';

/**
 * Outbound mail: the table's stream (new timeline events only, by the event source mapping's
 * filter, `#shared/email/outbound/filter`) → SES, with partial batch responses
 * (`#shared/email/outbound/stream`). The templates are read from `templates/` beside the bundled
 * handler (the CDK bundle copies `shared/email/templates/` there).
 */
export const handler = lambdaHandler('stream', sendMailForRecords(sendMailDepsFromEnv(), countMailOutcomes));
