/**
 * The business events use cases report (docs/decisions.md "Metrics"): each counts occurrences
 * except FirstCallWaitSeconds, a duration in seconds. The operator's alarms watch these names.
 */
export type BusinessMetric =
  | 'TicketsIssued'
  | 'TicketsCalled'
  | 'TicketsServed'
  | 'FirstCallWaitSeconds'
  | 'CallNextConflicts'
  | 'DayCloseDone'
  | 'DayCloseFailed'
  | 'ContactsErased'
  | 'ContactErasureFailed';

/**
 * Where they land in CloudWatch: the namespace and the one `service` dimension the functions
 * write and the alarms read (no dimension per tenant or branch: that would make a metric of each).
 */
export const METRICS_NAMESPACE = 'Queueline';
export const METRICS_SERVICE = 'queueline';

/** Where a request's or a run's business events go; they are written out once it ends. */
export interface MetricsRecorder {
  record(name: BusinessMetric, value?: number): void;
}
