import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Powertools clients, one of each per container, shared by every handler in it. Service name and
 * metrics namespace come from the environment (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE).
 *
 * No in-process tracer: X-Ray active tracing on each function records its invocation (init,
 * invocation and overhead) without the X-Ray SDK, and the AWS SDK passes the trace header on to
 * the services a handler calls. Powertools' Tracer would add only a handler subsegment with a
 * cold-start annotation, for aws-xray-sdk-core, semver and cls-hooked in every bundle — about a
 * fifth of a small function's import time.
 */
export const logger = new Logger();
export const metrics = new Metrics();
