import { METRICS_NAMESPACE, METRICS_SERVICE } from '#core/ports/metrics';
import type { StageConfig } from './stage';

/** What the alarms watch: the resources of infra/app.ts. */
export interface Watched {
  api: sst.aws.ApiGatewayV2;
  table: sst.aws.Dynamo;
  nightlyReset: sst.aws.CronV2;
  closeDeadLetters: sst.aws.Queue;
}

const FIVE_MINUTES = 300;

/**
 * The operator hears about trouble: every alarm notifies one SNS topic (and, when the stage
 * names one, an email address subscribed to it; SNS mails a confirmation link first). An alarm
 * costs about $0.10 a month, so Lambda errors and throttles are watched account-wide (one stage
 * per account, as docs/deploy.md advises) rather than per function, and the nightly job alone.
 * Each alarm also notifies when it is OK again. Missing data (no traffic) is not a breach.
 */
export function createAlarms(stage: StageConfig, watched: Watched) {
  const topic = new sst.aws.SnsTopic('Alarms');
  if (stage.alarmEmail) {
    new aws.sns.TopicSubscription('AlarmsEmail', {
      topic: topic.arn,
      protocol: 'email',
      endpoint: stage.alarmEmail,
    });
  }
  const notify = { alarmActions: [topic.arn], okActions: [topic.arn], treatMissingData: 'notBreaching' };
  const metric = (
    namespace: string,
    metricName: string,
    dimensions: Record<string, $util.Input<string>>,
    stat = 'Sum',
  ) => ({
    metric: { namespace, metricName, dimensions, period: FIVE_MINUTES, stat },
  });

  // More than 5% of the API's answers are 5xx (with at least 20 requests in the 5 minutes).
  const apiDimensions = { ApiId: watched.api.nodes.api.id, Stage: '$default' };
  new aws.cloudwatch.MetricAlarm('Api5xxRate', {
    ...notify,
    alarmDescription: 'More than 5% of API answers are 5xx (5 minutes, 20 requests or more)',
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 5,
    evaluationPeriods: 1,
    metricQueries: [
      { id: 'errors', ...metric('AWS/ApiGateway', '5xx', apiDimensions) },
      { id: 'requests', ...metric('AWS/ApiGateway', 'Count', apiDimensions) },
      {
        id: 'rate',
        expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
        label: '5xx %',
        returnData: true,
      },
    ],
  });

  const countAlarm = (
    name: string,
    description: string,
    m: ReturnType<typeof metric>['metric'],
    threshold = 1,
  ) =>
    new aws.cloudwatch.MetricAlarm(name, {
      ...notify,
      alarmDescription: description,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold,
      evaluationPeriods: 1,
      namespace: m.namespace,
      metricName: m.metricName,
      dimensions: m.dimensions,
      period: m.period,
      statistic: m.stat,
    });

  countAlarm(
    'LambdaErrors',
    'Lambda invocations failed (uncaught errors, timeouts, crashes) in the account: 5 or more in 5 minutes',
    metric('AWS/Lambda', 'Errors', {}).metric,
    5,
  );
  countAlarm(
    'LambdaThrottles',
    'Lambda throttled invocations in the account: concurrency quota reached (docs/deploy.md)',
    metric('AWS/Lambda', 'Throttles', {}).metric,
  );
  countAlarm(
    'NightlyResetErrors',
    'The hourly nightly-reset run failed (after its retries it goes to the day-close dead-letter queue)',
    metric('AWS/Lambda', 'Errors', { FunctionName: watched.nightlyReset.nodes.function.name }).metric,
  );
  countAlarm(
    'DayCloseDeadLetters',
    'A day close or a nightly run failed for good: a message is in the day-close dead-letter queue',
    metric(
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      {
        QueueName: watched.closeDeadLetters.nodes.queue.name,
      },
      'Maximum',
    ).metric,
  );
  countAlarm(
    'DayCloseFailed',
    'A branch day close failed (business metric DayCloseFailed)',
    metric(METRICS_NAMESPACE, 'DayCloseFailed', { service: METRICS_SERVICE }).metric,
  );
  countAlarm(
    'ContactErasureFailed',
    "A ticket's contact data could not be erased when due (business metric ContactErasureFailed; retried hourly)",
    metric(METRICS_NAMESPACE, 'ContactErasureFailed', { service: METRICS_SERVICE }).metric,
  );

  // Requests DynamoDB refused for throughput, on the table (reads + writes).
  const tableDimensions = { TableName: watched.table.name };
  new aws.cloudwatch.MetricAlarm('DynamoThrottles', {
    ...notify,
    alarmDescription: 'DynamoDB throttled reads or writes on the table',
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    evaluationPeriods: 1,
    metricQueries: [
      { id: 'reads', ...metric('AWS/DynamoDB', 'ReadThrottleEvents', tableDimensions) },
      { id: 'writes', ...metric('AWS/DynamoDB', 'WriteThrottleEvents', tableDimensions) },
      { id: 'throttled', expression: 'reads + writes', label: 'throttled requests', returnData: true },
    ],
  });
  return topic;
}
