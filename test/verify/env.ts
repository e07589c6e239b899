/**
 * Imported first by the verify runner: handlers log and emit metrics, and
 * their clients read this when their modules load; the promises report their own figures.
 */
Object.assign(process.env, {
  METRICS_DISABLED: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'CRITICAL',
});
