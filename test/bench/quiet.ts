/**
 * Imported first by the bench runner, before any handler module creates its logger or metrics:
 * handlers emit EMF metrics and logs to stdout, and the bench reports its own figures instead.
 */
Object.assign(process.env, {
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  POWERTOOLS_SERVICE_NAME: 'tierdesk',
  POWERTOOLS_METRICS_NAMESPACE: 'Tierdesk',
});
