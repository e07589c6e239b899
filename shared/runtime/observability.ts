import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Powertools clients, one of each per container, shared by every handler in it. Service name and
 * metrics namespace come from the environment (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE).
 */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();
