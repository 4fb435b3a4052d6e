import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as Unit } from '@aws-lambda-powertools/metrics/types';
import {
  type BusinessMetric,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  type MetricsRecorder,
} from '#core/ports/metrics';
import { logger } from './logger';

const UNITS: Record<BusinessMetric, Unit> = {
  TicketsIssued: MetricUnit.Count,
  TicketsCalled: MetricUnit.Count,
  TicketsServed: MetricUnit.Count,
  FirstCallWaitSeconds: MetricUnit.Seconds,
  CallNextConflicts: MetricUnit.Count,
  DayCloseDone: MetricUnit.Count,
  DayCloseFailed: MetricUnit.Count,
  ContactsErased: MetricUnit.Count,
  ContactErasureFailed: MetricUnit.Count,
};

/**
 * Powertools Metrics: CloudWatch Embedded Metric Format, one JSON line on stdout that CloudWatch
 * Logs turns into metrics — no API call.
 */
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE, logger });

/** The business metrics of one request or run: gathered, then written by `publish`. */
export interface RequestMetrics extends MetricsRecorder {
  /** One EMF line with what was recorded (none when nothing was, or when LOG_LEVEL is silent). */
  publish(): void;
}

/**
 * Counts are summed, durations kept one by one. Gathered per request rather than in the shared
 * instance, so that requests running at once in one process (the local server) each publish
 * their own: `publish` moves them in and writes them out without yielding.
 */
export function requestMetrics(): RequestMetrics {
  const recorded = new Map<BusinessMetric, number[]>();
  return {
    record(name, value = 1) {
      const values = recorded.get(name) ?? [];
      if (UNITS[name] === MetricUnit.Count && values.length > 0) values[0]! += value;
      else values.push(value);
      recorded.set(name, values);
    },
    publish() {
      if (recorded.size === 0 || process.env.LOG_LEVEL === 'silent') return recorded.clear();
      for (const [name, values] of recorded) {
        for (const value of values) metrics.addMetric(name, UNITS[name], value);
      }
      recorded.clear();
      metrics.publishStoredMetrics();
    },
  };
}
