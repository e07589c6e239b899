/**
 * Imported first by the bench runner, before any handler module creates its logger or metrics:
 * handlers emit EMF metrics and logs to stdout, and the bench reports its own figures instead.
 */
Object.assign(process.env, {
  METRICS_DISABLED: 'true',
  LOG_LEVEL: 'CRITICAL',
});
