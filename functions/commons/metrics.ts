import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * CloudWatch metrics as Embedded Metric Format lines on stdout (Powertools Metrics): no API
 * call, CloudWatch Logs extracts them. A function adds its figures and publishes them once at the
 * end of an invocation. Created on first use, so its settings (POWERTOOLS_METRICS_DISABLED) are
 * read when a figure is first added.
 */
let instance: Metrics | undefined;

export function metrics(): Metrics {
  instance ??= new Metrics({ namespace: 'Queueline', serviceName: 'queueline' });
  return instance;
}
