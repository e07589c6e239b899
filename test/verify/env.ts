/**
 * Imported first by the verify runner: handlers log through Powertools and emit metrics, and
 * their clients read this when their modules load; the promises report their own figures.
 */
Object.assign(process.env, {
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'CRITICAL',
  POWERTOOLS_SERVICE_NAME: 'tierdesk',
  POWERTOOLS_METRICS_NAMESPACE: 'Tierdesk',
});
