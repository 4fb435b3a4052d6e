/**
 * Report aggregates of a branch live in their own partition, sorted by business day first,
 * so any date range of any report is one Query. Items: `<day>#Q#<queue>#<shard>` (issues and
 * waiting-ticket outcomes, 8 shards against contention), `<day>#C#<counter>` (everything a
 * counter does) and `<day>#R` (a closed day's rollup).
 */
export const aggregatePartition = (tenantId: string, branchId: string) => `T#${tenantId}#B#${branchId}#AGG`;

export const AGGREGATE_SHARDS = 8;

export const queueDayKey = (
  tenantId: string,
  branchId: string,
  day: string,
  queueId: string,
  shard: number,
) => ({
  pk: aggregatePartition(tenantId, branchId),
  sk: `${day}#Q#${queueId}#${shard}`,
});

export const counterDayKey = (tenantId: string, branchId: string, day: string, counterId: string) => ({
  pk: aggregatePartition(tenantId, branchId),
  sk: `${day}#C#${counterId}`,
});

export const rollupKey = (tenantId: string, branchId: string, day: string) => ({
  pk: aggregatePartition(tenantId, branchId),
  sk: `${day}#R`,
});
